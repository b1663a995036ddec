"""`create_backup`: snapshot, manifest, seal; then an audit entry saying it happened."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Engine

from azyl import __version__
from azyl.appdb.base import utc_now
from azyl.appdb.engine import session_scope
from azyl.appdb.migrate import current_revision
from azyl.audit import record
from azyl.backup.archive import FORMAT, seal
from azyl.backup.snapshot import SKIPPED_TABLES, read_rows, snapshot
from azyl.vault import Vault


@dataclass(frozen=True)
class BackupSummary:
    """What went into a backup file (for the command's output and the audit entry)."""

    data: bytes
    revision: str | None
    tables: dict[str, int]
    audit_head: tuple[int, str]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def create_backup(engine: Engine, vault: Vault, *, actor: str) -> BackupSummary:
    """The sealed backup of every table, audited as backup.create (after the snapshot)."""
    created = utc_now().isoformat()
    dumps = snapshot(engine)
    revision = current_revision(engine)
    head = _audit_head(dumps)
    manifest = {
        "format": FORMAT,
        "azyl_version": __version__,
        "created_at": created,
        "backend": engine.dialect.name,
        "revision": revision,
        "skipped_tables": sorted(SKIPPED_TABLES),
        "audit_head": list(head),
        "tables": {d.name: {"rows": d.rows, "sha256": d.sha256} for d in dumps},
    }
    files = {"manifest.json": json.dumps(manifest, indent=2, sort_keys=True).encode()}
    files.update({f"tables/{d.name}.jsonl": d.data for d in dumps})
    data = seal(files, vault, created)
    counts = {d.name: d.rows for d in dumps}
    with session_scope(engine) as session:
        record(session, "backup.create", actor=actor, details={
            "rows": sum(counts.values()), "tables": len(counts), "audit_head": head[0],
            "sha256": hashlib.sha256(data).hexdigest()})  # fmt: skip
    return BackupSummary(data, revision, counts, head)


def _audit_head(dumps: list) -> tuple[int, str]:  # type: ignore[type-arg]
    for dump in dumps:
        if dump.name == "audit_head":
            rows = read_rows(dump.data)
            if rows:
                return int(rows[0]["seq"]), str(rows[0]["hash"])
    return 0, "0" * 64
