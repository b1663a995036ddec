"""Erasing saved cases for good: the rows, the data key, and the old copies the database keeps.

Deleting a row is not enough on its own. SQLite leaves deleted cells in its
free pages unless `secure_delete` overwrites them; PostgreSQL keeps every
deleted row version in the table's pages until VACUUM, and plain VACUUM can
leave the bytes of the last row of a page in that page's free space. So an
erasure deletes in one audited transaction, then, on PostgreSQL, rewrites the
case tables (`VACUUM FULL`), after which their files hold no trace of the
case. What no database command reaches (write-ahead log segments until they
are recycled, blocks the file system freed, backups) holds only ciphertext
that the keyring opens; docs/cases.md says how to close that too.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, delete, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from azyl.cases.access import Actor, may_erase
from azyl.cases.model import Case, CaseRun, CaseShare
from azyl.cases.store import Loaded, case_operation, list_cases, record_entry
from azyl.vault import Vault

log = logging.getLogger(__name__)
#: The tables that hold a case, children first.
CASE_TABLES = ("case_shares", "case_runs", "cases")
#: How long the rewrite may wait for readers and writers of the case tables to finish.
LOCK_TIMEOUT = "5s"


def erase_case(engine: Engine, actor: Actor, case_id: str, *, reclaim: bool = True) -> None:
    """Delete the case, its runs, its shares and its data key, for good.

    `reclaim` then rewrites the case tables on PostgreSQL (see `reclaim_space`);
    erasing many cases, pass False and call it once at the end.
    """

    def erasable(loaded: Loaded) -> bool:
        return may_erase(actor, loaded.row.owner_id)

    with case_operation(engine, actor, "case.erase", case_id, erasable, erase=True) as (
        session,
        loaded,
    ):
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("PRAGMA secure_delete=ON"))
        runs = session.scalar(select(func.count(CaseRun.id)).where(CaseRun.case_id == case_id))
        session.execute(delete(CaseRun).where(CaseRun.case_id == case_id))
        session.execute(delete(CaseShare).where(CaseShare.case_id == case_id))
        session.execute(delete(Case).where(Case.id == case_id))
        by = "owner" if actor.user_id == loaded.row.owner_id else "admin"
        record_entry(session, actor, "case.erase", case_id, runs=runs, by=by)
    if reclaim:
        reclaim_space(engine)


def erase_user_cases(engine: Engine, vault: Vault, actor: Actor, username: str) -> list[str]:
    """Erase every case a user owns (the operator, for a data-subject request); their ids."""
    ids = [s.id for s in list_cases(engine, vault, actor, owner=username)]
    for case_id in ids:
        erase_case(engine, actor, case_id, reclaim=False)
    reclaim_space(engine)
    return ids


def reclaim_space(engine: Engine) -> bool:
    """On PostgreSQL, rewrite the case tables so their files keep no deleted row; True if done.

    `VACUUM FULL` takes the tables' exclusive lock for as long as the copy lasts
    (milliseconds for hundreds of cases). If other work holds them longer than
    `LOCK_TIMEOUT`, or the database account may not vacuum, the erasure stands
    and the rewrite is left to autovacuum (a warning is logged); run
    `azyl cases reclaim` later to do it by hand.
    """
    if engine.dialect.name != "postgresql":
        return True  # SQLite overwrote the deleted cells in place (secure_delete)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            connection.exec_driver_sql(f"VACUUM FULL {', '.join(CASE_TABLES)}")
    except SQLAlchemyError as exc:
        log.warning("the case tables could not be rewritten after an erasure: %s", exc)
        return False
    return True
