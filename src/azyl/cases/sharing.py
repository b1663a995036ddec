"""Sharing a case with named colleagues, and taking it back (the owner only)."""

from __future__ import annotations

from sqlalchemy import Engine, delete

from azyl.accounts.roles import Role
from azyl.appdb import utc_now
from azyl.cases.access import Actor, may_change
from azyl.cases.model import CaseShare
from azyl.cases.store import Loaded, case_operation, record_entry, user_named
from azyl.errors import InputError
from azyl.i18n import N_
from azyl.i18n.message import failure


def share_case(engine: Engine, actor: Actor, case_id: str, username: str) -> list[str]:
    """Let a colleague (an active caseworker or higher) read the case; the new share list."""

    def owner_only(loaded: Loaded) -> bool:
        return may_change(actor, loaded.row.owner_id)

    with case_operation(engine, actor, "case.share", case_id, owner_only) as (session, loaded):
        colleague = user_named(session, username)
        if colleague.id == loaded.row.owner_id:
            raise failure(InputError, N_("the case is already yours; share it with a colleague"))
        if colleague.disabled or not Role(colleague.role).at_least(Role.CASEWORKER):
            raise failure(
                InputError,
                N_("{name} cannot receive cases: only active caseworkers, editors and admins can"),
                name=colleague.username,
            )
        if colleague.id not in loaded.shared_with:
            session.add(CaseShare(case_id=case_id, user_id=colleague.id, shared_at=utc_now()))
            session.flush()
        record_entry(session, actor, "case.share", case_id, user_id=colleague.id)
        return sorted({*loaded.shared_with.values(), colleague.username})


def unshare_case(engine: Engine, actor: Actor, case_id: str, username: str) -> list[str]:
    """Stop sharing the case with a colleague; the remaining share list."""

    def owner_only(loaded: Loaded) -> bool:
        return may_change(actor, loaded.row.owner_id)

    with case_operation(engine, actor, "case.unshare", case_id, owner_only) as (
        session,
        loaded,
    ):
        colleague = user_named(session, username)
        if colleague.id not in loaded.shared_with:
            raise failure(
                InputError,
                N_("case {id} is not shared with {name}"),
                id=repr(case_id),
                name=colleague.username,
            )
        session.execute(
            delete(CaseShare).where(CaseShare.case_id == case_id, CaseShare.user_id == colleague.id)
        )
        record_entry(session, actor, "case.unshare", case_id, user_id=colleague.id)
        return sorted(n for uid, n in loaded.shared_with.items() if uid != colleague.id)
