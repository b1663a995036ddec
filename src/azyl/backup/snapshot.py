"""Reading every application table in one consistent snapshot, and writing it back.

Tables come from `Base.metadata` (every model module in MODEL_MODULES), so a
table added by a new feature is backed up without touching this module.
Sessions are left out on purpose: a restored server starts with everyone
signed out, and no sign-in token outlives the server it was issued on.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, insert, select, text

from azyl.appdb.base import Base
from azyl.appdb.engine import import_models, make_engine
from azyl.appdb.migrate import migrate
from azyl.backup.values import decode, encode

#: Tables not worth restoring: sign-in sessions (everyone signs in again after a restore).
SKIPPED_TABLES = frozenset({"sessions", "user_sessions", "web_sessions", "auth_sessions"})
BATCH = 500


def tables() -> list[Table]:
    """Every application table, parents before children (the order inserts need)."""
    import_models()
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED_TABLES]


@dataclass(frozen=True)
class TableDump:
    """One table as JSON lines, with its row count and SHA-256 for the manifest."""

    name: str
    rows: int
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _ordered(table: Table) -> Any:
    keys = list(table.primary_key.columns) or list(table.columns)
    return select(table).order_by(*keys)


def dump_table(connection: Connection, table: Table) -> TableDump:
    """Every row of `table`, in key order, one JSON object per line."""
    lines, count = [], 0
    for row in connection.execute(_ordered(table)).mappings():
        doc = {name: encode(value) for name, value in row.items()}
        lines.append(json.dumps(doc, ensure_ascii=False, sort_keys=True, allow_nan=False))
        count += 1
    return TableDump(table.name, count, "".join(line + "\n" for line in lines).encode("utf-8"))


def snapshot(engine: Engine) -> list[TableDump]:
    """Every table read inside one transaction, so the backup is one moment of the database.

    PostgreSQL: REPEATABLE READ, read only (one snapshot for every query).
    SQLite: azyl begins every transaction IMMEDIATE, which holds the write lock
    until the last table is read, so no writer can slip in between two tables.
    """
    options: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        return [dump_table(connection, table) for table in tables()]


def read_rows(data: bytes) -> list[dict[str, Any]]:
    return [
        {name: decode(value) for name, value in json.loads(line).items()}
        for line in data.decode("utf-8").splitlines()
        if line
    ]


def genesis_rows() -> dict[str, bytes]:
    """The rows migrations themselves put in a new database (the audit chain's first head...).

    Found by migrating a scratch SQLite database, so a migration that seeds a
    row (today audit_head and the registry's change counter) needs no change here.
    """
    with tempfile.TemporaryDirectory() as folder:
        scratch = make_engine(f"sqlite:///{Path(folder) / 'genesis.sqlite3'}")
        try:
            migrate(scratch)
            with scratch.connect() as connection:
                return {t.name: dump_table(connection, t).data for t in tables()}
        finally:
            scratch.dispose()


def occupied_tables(connection: Connection) -> list[str]:
    """Tables holding rows beyond the ones a freshly migrated database starts with."""
    fresh = genesis_rows()
    return [
        table.name
        for table in tables()
        if dump_table(connection, table).data != fresh.get(table.name, b"")
    ]


def load_rows(connection: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    """Insert the rows as they were (ids included), in batches."""
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            connection.execute(insert(table), batch)
            batch = []
    if batch:
        connection.execute(insert(table), batch)


def reset_sequences(connection: Connection) -> None:
    """On PostgreSQL, move each serial id's sequence past the restored ids.

    Rows were inserted with their ids, which does not advance the sequences; the
    next new case or user would otherwise collide with a restored one.
    """
    if connection.dialect.name != "postgresql":
        return  # SQLite takes the next rowid from the table itself
    for table in tables():
        for column in table.primary_key.columns:
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            ).scalar()
            if sequence:
                connection.execute(
                    text(
                        f'SELECT setval(:s, COALESCE((SELECT MAX("{column.name}") '
                        f'FROM "{table.name}"), 0) + 1, false)'
                    ),
                    {"s": sequence},
                )
