"""Who is asking, and what they may do with a case.

The rules live here, in the library, so the web pages, the API and the CLI
cannot disagree:

- the owner and the colleagues a case is shared with may read it (view,
  compare, export);
- only the owner may re-run, share, unshare or erase it;
- an admin may erase any case (a data-subject request) but may NOT read one
  that is not theirs or shared with them: administering accounts does not
  need the content of other people's cases, and an admin account is the one
  an attacker most wants to take over;
- an account whose password an admin reset from the web opens no case (not
  even its own) until the operator confirms the reset with its owner, so one
  stolen admin session cannot take over a caseworker and read their cases;
- the server's operator on the command line (`azyl cases ...`) may read,
  export and erase any case: whoever runs commands on the server already holds
  the keyring, so refusing would protect nothing, and every such action is
  audited under `cli:<os user>`.

Someone who may not read a case gets the same NotFound as for an id that does
not exist, so ids cannot be probed (no IDOR, no existence oracle).
"""

from __future__ import annotations

from dataclasses import dataclass

from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.audit import operator_name
from azyl.errors import AzylError, NotFound
from azyl.i18n import N_
from azyl.i18n.message import failure


class CaseForbidden(AzylError):
    """The person may read the case but not do this to it (only its owner may)."""

    code = "forbidden"
    http_status = 403


class CasesHeld(AzylError):
    """An admin reset this account's password and the operator has not confirmed it yet."""

    code = "cases_held"
    http_status = 403


def case_not_found(case_id: str) -> NotFound:
    """The one answer for a missing case and for a case the asker may not read."""
    return failure(NotFound, N_("there is no case {id} that you can open"), id=repr(case_id))


@dataclass(frozen=True)
class Actor:
    """Who performs an operation: a signed-in user, or the operator on the command line."""

    name: str
    user_id: int | None
    role: Role | None
    address: str | None = None
    operator: bool = False
    #: Who reset this account's password from the web, until the operator confirms it.
    held_by: str | None = None

    @classmethod
    def of(cls, user: User, address: str | None = None) -> Actor:
        return cls(user.username, user.id, Role(user.role), address, held_by=user.cases_held_by)

    @classmethod
    def cli(cls) -> Actor:
        """The operator running `azyl` on the server, named by their OS account."""
        return cls(operator_name(), None, None, None, operator=True)

    @property
    def is_admin(self) -> bool:
        return self.role is not None and self.role.at_least(Role.ADMIN)

    def require_caseworker(self) -> None:
        """Saving and reading cases needs the caseworker role (viewers see public data only),
        and an account whose password an admin reset opens no case until the operator
        confirms the reset (`azyl.accounts.users.reset_password` says why)."""
        if self.operator:
            return
        if self.role is None or not self.role.at_least(Role.CASEWORKER):
            raise failure(CaseForbidden, N_("saved cases need the caseworker role or higher"))
        if self.held_by is not None:
            raise failure(
                CasesHeld,
                N_(
                    "{admin} (an admin) reset this account's password; until the server's "
                    "operator confirms with you that you asked for it (`azyl users release "
                    "{name}`), this account opens no saved case"
                ),
                admin=self.held_by,
                name=self.name,
            )


def may_read(actor: Actor, owner_id: int, shared_with: set[int]) -> bool:
    """The owner, the colleagues it is shared with, and the operator on the command line."""
    if actor.operator:
        return True
    return actor.user_id is not None and (actor.user_id == owner_id or actor.user_id in shared_with)


def may_change(actor: Actor, owner_id: int) -> bool:
    """Re-run, share, unshare: the owner only."""
    return actor.user_id is not None and actor.user_id == owner_id


def may_erase(actor: Actor, owner_id: int) -> bool:
    """The owner, an admin (data-subject requests) or the operator."""
    return actor.operator or actor.is_admin or may_change(actor, owner_id)
