"""How azyl uses an embedded SQLite file: foreign keys, and one writing transaction at a time.

SQLite lets one transaction hold its write lock at a time, and azyl starts
every transaction with BEGIN IMMEDIATE (see `_begin_immediate`), because even
a page view writes (the audit log records who read a case). Left to SQLite,
the transactions that find the lock taken poll for it with growing sleeps
(1 ms, then 2, 5, ... up to 100 ms between tries), so under 20 concurrent page
views the unluckiest waited well over a second for a lock that was free most
of that time. Within one process, `OneWriter` makes them wait on a Python lock
instead and hands it over the moment the holder commits or rolls back; SQLite's
busy timeout still arbitrates between processes (several workers, a command
run beside the server).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, event

from azyl.errors import Busy

#: How long a transaction may wait for the lock, here and in SQLite's busy handler.
BUSY_SECONDS = 30.0
#: Marks, in a pooled connection's `info`, that it holds this process's write lock.
HOLDS = "azyl_sqlite_write_lock"


def configure(engine: Engine) -> None:
    """Set up a SQLite engine: foreign keys on, and transactions queued by `OneWriter`."""
    event.listen(engine, "connect", _configure_connection)
    OneWriter(engine).install()


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    """Per connection: enforce foreign keys, write ahead, and let azyl (not the driver) begin
    transactions.

    SQLite ignores foreign keys (and ON DELETE CASCADE) unless asked. A file
    database keeps a write-ahead log (`-wal`, with its index `-shm`, both with
    the database file's own mode): a commit appends to it and waits for one
    flush to disk (`synchronous=FULL`, so a committed write survives a power
    cut too), where the rollback journal flushed the journal and then the
    database file (1.5 against 0.3 ms a commit, measured on a two-core test
    machine), in every page view that writes its audit entry. An erasure
    empties the log (`azyl.cases.erasure.reclaim_space`). A database another
    process holds locked keeps its journal for this connection.
    The driver's own transaction handling is switched off so that `OneWriter`
    can start every transaction with BEGIN IMMEDIATE.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Kept in the file, so set once per database; one locked by another process in the
    # middle of a transaction stays as it is until a later connection.
    with contextlib.suppress(sqlite3.OperationalError):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()
    dbapi_connection.isolation_level = None


class OneWriter:
    """This process's queue for SQLite's write lock, held from BEGIN to COMMIT or ROLLBACK.

    The lock is taken when SQLAlchemy begins a transaction and released after
    the driver's commit or rollback has returned, whichever path ends it: the
    engine's own commit, the pool's rollback when a connection is returned, or
    the pool discarding a broken connection.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()

    def install(self) -> None:
        dialect: Any = self._engine.dialect
        dialect.do_commit = self._ending(dialect.do_commit)
        dialect.do_rollback = self._ending(dialect.do_rollback)
        event.listen(self._engine, "begin", self._begin_immediate)
        event.listen(self._engine.pool, "checkin", self._discarded)

    def _begin_immediate(self, connection: Any) -> None:
        """Take SQLite's write lock when a transaction starts, not at its first write.

        With the default deferred start, two transactions that both read and
        then write fail with "database is locked" instead of waiting for each
        other; starting immediately makes them queue.
        """
        if not self._lock.acquire(timeout=BUSY_SECONDS):
            raise Busy(f"the application database stayed busy for {BUSY_SECONDS:.0f} s; try again")
        connection.info[HOLDS] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self._release(connection.info)
            raise

    def _ending(self, original: Any) -> Any:
        def end(pooled: Any) -> None:
            try:
                original(pooled)
            finally:
                self._release(_info(pooled))

        return end

    def _discarded(self, _dbapi_connection: Any, record: Any, *_exception: Any) -> None:
        if record is not None:
            self._release(record.info)

    def _release(self, info: dict[str, Any] | None) -> None:
        if info is not None and info.pop(HOLDS, False):
            self._lock.release()


def _info(pooled: Any) -> dict[str, Any] | None:
    """A pooled connection's `info`; None for the engine's first, unpooled connection."""
    try:
        return pooled.info  # type: ignore[no-any-return]
    except NotImplementedError:  # that connection never runs a transaction of ours
        return None
