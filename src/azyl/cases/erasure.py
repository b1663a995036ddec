"""Erasing saved cases for good: the rows, the data key, and the old copies the database keeps.

Deleting a row is not enough on its own. SQLite leaves deleted cells in its
free pages unless `secure_delete` overwrites them; PostgreSQL keeps every
deleted row version in the table's pages until VACUUM, and plain VACUUM can
leave the bytes of the last row of a page in that page's free space. So an
erasure deletes in one audited transaction, then, on PostgreSQL, rewrites the
case tables (`VACUUM FULL`), after which their files hold no trace of the
case; on SQLite, where the deleted cells are overwritten as they are deleted,
it empties the write-ahead log, which still holds the pages as they were.
What no database command reaches (write-ahead log segments until they
are recycled, blocks the file system freed, backups) holds only ciphertext
that the keyring opens; docs/cases.md says how to close that too.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from azyl.cases.access import Actor, may_erase
from azyl.cases.model import Case, CaseRun, CaseShare
from azyl.cases.store import Loaded, case_operation, list_cases, record_entry
from azyl.vault import Vault

log = logging.getLogger(__name__)
#: The tables that hold a case, children first.
CASE_TABLES = ("case_shares", "case_runs", "cases")
#: How long the rewrite may wait, first for transactions that could still see the
#: erased rows, then for readers and writers of the case tables to let go.
WAIT_SECONDS = 5.0
#: Transactions older than `horizon`: while one runs, `VACUUM FULL` may keep the erased
#: rows (they are "recently dead"). Every database of the server counts, not only this
#: one: a transaction that is still running anywhere can hold back what PostgreSQL lets
#: VACUUM remove (seen in CI, where other databases were busy beside the erasure).
OLDER_SNAPSHOTS = text(
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE pid <> pg_backend_pid()"
    " AND (age(backend_xmin) > age(xid(CAST(:horizon AS xid8)))"
    " OR age(backend_xid) > age(xid(CAST(:horizon AS xid8))))"
)


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

    `VACUUM FULL` copies every row some open transaction could still see, the
    erased ones included, so it first waits for the transactions that began
    before the erasure (any on the server: a long report, an autovacuum analyze,
    another application's work). It then takes the tables' exclusive lock for as long as the copy
    lasts (milliseconds for hundreds of cases). If either wait exceeds
    `WAIT_SECONDS`, or the database account may not vacuum, the erasure stands
    and the rewrite is left for later (a warning is logged); `azyl cases
    reclaim` does it by hand.
    """
    if engine.dialect.name == "sqlite":
        return _empty_write_ahead_log(engine)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if not _older_snapshots_gone(connection, WAIT_SECONDS):
                log.warning("the case tables were not rewritten after an erasure: an older "
                            "transaction could still see the erased rows")  # fmt: skip
                return False
            connection.exec_driver_sql(f"SET lock_timeout = '{int(WAIT_SECONDS * 1000)}ms'")
            connection.exec_driver_sql(f"VACUUM FULL {', '.join(CASE_TABLES)}")
    except SQLAlchemyError as exc:
        log.warning("the case tables could not be rewritten after an erasure: %s", exc)
        return False
    return True


def _empty_write_ahead_log(engine: Engine) -> bool:
    """On SQLite, copy the write-ahead log into the database and cut it to nothing; True if
    done.

    The erasure overwrote the deleted cells (`secure_delete`), but in new page
    images appended to the log, while the log's older frames, and the database
    file until the log is copied back, still hold the pages as they were. A
    checkpoint that truncates the log leaves the erased cells nowhere in the
    files. It waits (SQLite's busy timeout) for readers of older pages; a
    reader that stays makes it report False, and `azyl cases reclaim` (or
    SQLite's own next checkpoint) finishes later.
    """
    raw = engine.raw_connection()  # outside any transaction, which a checkpoint cannot be in
    try:
        driver: Any = raw.driver_connection
        busy = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error as exc:
        log.warning("the write-ahead log was not emptied after an erasure: %s", exc)
        return False
    finally:
        raw.close()
    if busy is not None and busy[0]:
        log.warning("the write-ahead log was not emptied after an erasure: a reader held it")
        return False
    return True


def _older_snapshots_gone(connection: Connection, seconds: float) -> bool:
    """Wait up to `seconds` until no transaction older than now runs on the server.

    The horizon is the first transaction id not yet given out, so every
    transaction that could have seen the erased rows is older than it. Where
    the account may not see other sessions' ids (not a superuser nor in
    `pg_read_all_stats`), they read as NULL and the rewrite goes ahead.
    """
    horizon = connection.execute(
        text("SELECT CAST(pg_snapshot_xmax(pg_current_snapshot()) AS text)")
    ).scalar_one()
    deadline = time.monotonic() + seconds
    while connection.execute(OLDER_SNAPSHOTS, {"horizon": horizon}).scalar_one():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True
