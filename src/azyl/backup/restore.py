"""`restore_backup`: into an empty database, all or nothing, checked before it commits.

Restoring refuses a database that holds data: merging two histories (two
audit chains, two sets of ids) cannot be done safely, and overwriting one
silently could destroy the only copy of a case. An empty database is made
with a new PostgreSQL database (`createdb`) or a new SQLite path.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from azyl.appdb.migrate import current_revision, head_revision, migrate
from azyl.appdb.upgrade import known_revisions
from azyl.audit import record, verify
from azyl.backup.archive import FORMAT, BackupError, open_sealed
from azyl.backup.snapshot import (
    load_rows,
    occupied_tables,
    read_rows,
    reset_sequences,
    tables,
)
from azyl.vault import Vault


@dataclass(frozen=True)
class RestoreSummary:
    """What was restored, and the audit chain's state afterwards."""

    created_at: str
    revision: str | None
    tables: dict[str, int]
    audit_checked: int
    audit_head: tuple[int, str]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def read_backup(data: bytes, vault: Vault) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest and table files, after checking every table against the manifest."""
    _, files = open_sealed(data, vault)
    try:
        manifest = json.loads(files.pop("manifest.json"))
        listed: dict[str, Any] = manifest["tables"]
    except (KeyError, ValueError):
        raise BackupError("the backup has no readable manifest; it cannot be restored") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"the backup's format {manifest.get('format')!r} is not {FORMAT!r}")
    present = {name.removeprefix("tables/").removesuffix(".jsonl") for name in files}
    if present != set(listed):
        raise BackupError(f"the backup's tables {sorted(present)} differ from its manifest")
    for name, expected in listed.items():
        data_file = files[f"tables/{name}.jsonl"]
        if hashlib.sha256(data_file).hexdigest() != expected["sha256"]:
            raise BackupError(f"table {name} in the backup does not match its manifest checksum")
    return manifest, files


def _check_target(engine: Engine, revision: str | None) -> None:
    """Bring an empty database to the backup's schema, or refuse one that is not empty."""
    if revision != head_revision():
        known = revision in known_revisions()
        raise BackupError(
            f"the backup is at schema revision {revision!r} but this azyl writes "
            f"{head_revision()!r}: "
            + ("restore it with the azyl version that made it, then run `azyl db upgrade`"
               if known else "it was made by a newer azyl; restore it with that version")
        )  # fmt: skip
    current = current_revision(engine)
    if current is None:
        migrate(engine)
    elif current != revision:
        raise BackupError(
            f"the target database is at schema revision {current!r}, not {revision!r}: "
            "restore into a new, empty database"
        )
    with engine.connect() as connection:
        occupied = occupied_tables(connection)
    if occupied:
        raise BackupError(
            "the target database already holds data (" + ", ".join(occupied) + "); azyl restores "
            "only into an empty database: create a new one (createdb, or a new AZYL_DATA_DIR) "
            "and point AZYL_DATABASE_URL at it"
        )


def restore_backup(engine: Engine, vault: Vault, data: bytes, *, actor: str) -> RestoreSummary:
    """Restore every table in one transaction; verify the audit chain; audit backup.restore."""
    manifest, files = read_backup(data, vault)
    _check_target(engine, manifest.get("revision"))
    expected_head = (int(manifest["audit_head"][0]), str(manifest["audit_head"][1]))
    try:
        counts, checked = _load(engine, manifest, files, expected_head, actor)
    except DBAPIError as exc:
        raise BackupError(
            f"the database refused a row of the backup ({type(exc.orig).__name__}); "
            "nothing was restored"
        ) from None
    return RestoreSummary(
        str(manifest.get("created_at")), manifest.get("revision"), counts, checked, expected_head
    )


def _load(
    engine: Engine,
    manifest: dict[str, Any],
    files: dict[str, bytes],
    expected_head: tuple[int, str],
    actor: str,
) -> tuple[dict[str, int], int]:
    """Every table in one transaction, the chain verified before the commit."""
    counts: dict[str, int] = {}
    with Session(engine) as session, session.begin():
        connection = session.connection()
        for table in reversed(tables()):
            connection.execute(delete(table))  # only rows the migrations seeded, checked above
        for table in tables():
            if table.name not in manifest["tables"]:
                continue  # a table the backup's azyl did not have (same revision: none)
            rows = read_rows(files[f"tables/{table.name}.jsonl"])
            if len(rows) != manifest["tables"][table.name]["rows"]:
                raise BackupError(f"table {table.name}: row count differs from the manifest")
            load_rows(connection, table, rows)
            counts[table.name] = len(rows)
        reset_sequences(connection)
        check = verify(session, expect=expected_head if expected_head[0] else None)
        if not check.ok or (check.head_seq, check.head_hash) != expected_head:
            raise BackupError(
                f"the restored audit log does not verify ({check.problem or 'head differs'}); "
                "nothing was restored"
            )
        record(session, "backup.restore", actor=actor, details={
            "backup_created_at": manifest.get("created_at"), "rows": sum(counts.values()),
            "audit_head": expected_head[0]})  # fmt: skip
        session.flush()
    return counts, check.checked
