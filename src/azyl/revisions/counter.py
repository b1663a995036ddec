"""The registry's change counter: how a worker process knows its cached index is stale.

Every write to the incident registry (an edit, a revert, an import, the seed)
increments the `incidents` counter in the same transaction. A web worker
remembers the counter it loaded its incident index at and reads it again (one
primary-key lookup) before using the index; a different value means another
process changed the registry, and the index is reloaded. Bumping takes the
counter row's write lock, so concurrent writers serialise on it briefly, and a
reader never sees a counter without the change it stands for.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from azyl.revisions.model import RegistryState

INCIDENTS = "incidents"


def bump(session: Session, name: str = INCIDENTS) -> None:
    """Increment a counter in the caller's transaction (creating it at 1 if missing)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(RegistryState).values(name=name, counter=1)
    statement = statement.on_conflict_do_update(
        index_elements=[RegistryState.name], set_={"counter": RegistryState.counter + 1}
    )
    session.execute(statement)


def read(engine: Engine, name: str = INCIDENTS) -> int:
    """The counter's committed value (0 if it was never bumped), read without a write lock.

    It runs on every request, so it goes through the driver directly: a
    SQLAlchemy transaction on SQLite begins IMMEDIATE (takes the write lock),
    which a plain read must not do.
    """
    if not name.isidentifier():
        raise ValueError(f"not a counter name: {name!r}")
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(f"SELECT counter FROM registry_state WHERE name = '{name}'")
        found = cursor.fetchone()
        cursor.close()
        raw.rollback()
    finally:
        raw.close()
    return int(found[0]) if found else 0
