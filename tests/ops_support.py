"""Helpers for the operations tests: fresh databases on both backends, and rows of every kind.

`fresh_url(kind)` makes a new, empty database (a SQLite path or a new
PostgreSQL database) so that backup, restore and crash tests can use two at
once. `fill_every_table` puts at least one row in every application table,
with values chosen to break a lossy round trip: microseconds in UTC
timestamps, non-ASCII text with control characters, False, zero bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import CheckConstraint, Engine, create_engine, insert, select, text
from sqlalchemy import types as sqltypes

from azyl.appdb import Base, session_scope
from azyl.appdb.engine import import_models

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """A factory of empty databases: fresh_url("sqlite") or fresh_url("postgres")."""
    created: list[str] = []
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def make(kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'db-{uuid.uuid4().hex[:8]}.sqlite3'}"
        name = f"azyl_ops_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"

    yield make
    with admin.connect() as connection:
        for name in created:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _value(column: Any, n: int) -> Any:
    """A value of the column's type that a lossy round trip would change."""
    kind = column.type
    if isinstance(kind, sqltypes.TypeDecorator):
        kind = kind.impl
    if isinstance(kind, sqltypes.Boolean):
        return n % 2 == 1  # False first
    if isinstance(kind, sqltypes.DateTime):
        moment = dt.datetime(2024, 2, 29, 23, 59, 58, 123456 + n, tzinfo=dt.UTC)
        return moment if kind.timezone else moment.replace(tzinfo=None)
    if isinstance(kind, sqltypes.Date):
        return dt.date(1999, 12, 31) + dt.timedelta(days=n)
    if isinstance(kind, sqltypes.Integer):
        return 1000 + n
    if isinstance(kind, sqltypes.Float | sqltypes.Numeric):
        return 0.1 + n
    if isinstance(kind, sqltypes.LargeBinary):
        return bytes([0, 255, 10, 13, n % 256])
    if isinstance(kind, sqltypes.JSON):
        return {"список": [1, None, True, "«x»"], "n": n}
    if isinstance(kind, sqltypes.String):
        sample = f"Грозный «{n}»\t'; DROP TABLE x; --\n"
        return sample[: kind.length] if kind.length else sample
    raise AssertionError(f"no test value for {column.table.name}.{column.name} ({kind})")


_IN_LIST = re.compile(r"(\w+) IN \(\s*'([^']*)'")


def _allowed_values(table: Any) -> Iterator[tuple[str, str]]:
    """For a CHECK (column IN ('a', 'b')) constraint, the first allowed value of the column."""
    for constraint in table.constraints:
        if isinstance(constraint, CheckConstraint):
            yield from _IN_LIST.findall(str(constraint.sqltext))


def fill_every_table(engine: Engine, skip: frozenset[str] = frozenset()) -> None:
    """Add a row to every table still empty, foreign keys pointing at existing parent rows."""
    import_models()
    with session_scope(engine) as session:
        connection = session.connection()
        for table in Base.metadata.sorted_tables:
            if table.name in skip or connection.execute(select(table).limit(1)).first():
                continue
            row: dict[str, Any] = dict(_allowed_values(table))
            for n, column in enumerate(table.columns):
                if column.name in row:
                    continue
                foreign = next(iter(column.foreign_keys), None)
                if foreign is not None:
                    row[column.name] = connection.execute(
                        select(foreign.column).limit(1)
                    ).scalar_one()
                else:
                    row[column.name] = _value(column, n)
            connection.execute(insert(table), [row])


def every_row(engine: Engine, skip: frozenset[str] = frozenset()) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    """Every row of every table, in key order, as tuples of Python values."""
    import_models()
    rows = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in skip:
                continue
            keys = list(table.primary_key.columns) or list(table.columns)
            rows[table.name] = [tuple(r) for r in connection.execute(select(table).order_by(*keys))]
    return rows


def env_for(tmp_path: Path, mirror_dir: Path, url: str, keys: str = "keys") -> dict[str, str]:
    """The environment of an `azyl` run against one database and one keyring file."""
    return {
        "AZYL_DATA_DIR": str(tmp_path / "data"),
        "AZYL_MIRROR_DIR": str(mirror_dir),
        "HOME": str(tmp_path),
        "AZYL_DATABASE_URL": url,
        "AZYL_KEY_FILE": str(tmp_path / keys / "azyl.keys"),
    }
