"""`azyl db upgrade` as one library call: pending migrations applied, and the step audited.

It lives above `azyl.appdb` and `azyl.audit` because it needs both: the
database package migrates and knows nothing of the audit log, which is itself
one of its tables. Operators upgrade explicitly to see the step (from -> to)
and have it in the log; every other command migrates silently on open.
"""

from __future__ import annotations

from sqlalchemy import inspect

from azyl import audit
from azyl.appdb import make_engine, session_scope
from azyl.appdb.upgrade import SchemaStatus
from azyl.appdb.upgrade import upgrade as migrate_schema


def upgrade(url: str, actor: str) -> tuple[SchemaStatus, SchemaStatus]:
    """Apply pending migrations; audited as db.upgrade. Returns (before, after)."""
    engine = make_engine(url)
    try:
        before, after = migrate_schema(engine)
        if before.pending and "audit_log" in inspect(engine).get_table_names():
            with session_scope(engine) as session:
                audit.record(session, "db.upgrade", actor=actor,
                             details={"from": before.current, "to": after.current})  # fmt: skip
    finally:
        engine.dispose()
    return before, after
