"""The four roles and what each may do, in one table the web layer and the tests read.

Roles are ordered: each one may do everything the roles below it may do. A
check therefore names the least role that suffices (`at_least(Role.EDITOR)`),
and the authorization matrix test derives every route's expected answer from
the same order.
"""

from __future__ import annotations

from enum import StrEnum

from azyl.errors import InputError
from azyl.i18n import N_
from azyl.i18n.message import failure


class Role(StrEnum):
    """A user's role; the value is what the database stores."""

    VIEWER = "viewer"
    CASEWORKER = "caseworker"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """Position in the order viewer < caseworker < editor < admin."""
        return list(Role).index(self)

    def at_least(self, other: Role) -> bool:
        """Whether this role includes everything `other` may do."""
        return self.rank >= other.rank


def parse_role(text: str) -> Role:
    """A role from user input, with an error that lists the roles that exist."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise failure(
            InputError,
            N_("unknown role {role}; the roles are {roles}"),
            role=repr(text),
            roles=names,
        ) from None
