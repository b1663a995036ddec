"""Where the schema is (`azyl db status`), and bringing it up to date.

Every command already migrates the database it opens; the explicit upgrade is
for operators, who want to see the step (from -> to), have it in the audit log,
and be stopped with a clear sentence when the database was migrated by a newer
azyl than the one installed (downgrading the program under a newer schema
would corrupt data, so azyl refuses to touch it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from azyl.appdb.migrate import current_revision, head_revision, migrate, scripts
from azyl.errors import AzylError


class SchemaTooNew(AzylError):
    """The database was migrated by a newer azyl: this one must not write to it."""

    code = "schema_too_new"
    http_status = 500


@dataclass(frozen=True)
class SchemaStatus:
    """The database's revision, this azyl's newest revision, and what lies between."""

    url: str
    current: str | None
    head: str | None
    pending: tuple[str, ...]

    @property
    def up_to_date(self) -> bool:
        return not self.pending


def known_revisions() -> list[str]:
    """Every revision this azyl ships, oldest first."""
    return [r.revision for r in reversed(list(scripts().walk_revisions()))]


def schema_status(engine: Engine) -> SchemaStatus:
    """Where the database stands; SchemaTooNew if its revision is unknown to this azyl."""
    current = current_revision(engine)
    revisions = known_revisions()
    if current is not None and current not in revisions:
        raise SchemaTooNew(
            f"the database is at schema revision {current!r}, which this azyl does not know: "
            "it was upgraded by a newer azyl. Install that version (or newer) instead; "
            "azyl will not run an older program against a newer schema"
        )
    start = 0 if current is None else revisions.index(current) + 1
    url = engine.url.render_as_string(hide_password=True)
    return SchemaStatus(url, current, head_revision(), tuple(revisions[start:]))


def upgrade(engine: Engine) -> tuple[SchemaStatus, SchemaStatus]:
    """Apply pending migrations. Returns (before, after); `azyl.upgrade` audits the step."""
    before = schema_status(engine)
    migrate(engine)
    return before, schema_status(engine)
