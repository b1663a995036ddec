"""`azyl backup -o FILE` and `azyl restore FILE`: encrypted snapshots of the application database.

The keyring is never in the backup. Restoring needs the same keyring
(AZYL_KEY_FILE or AZYL_KEYS); keep the two in different places.
"""

from __future__ import annotations

from pathlib import Path

import click

from azyl.appdb.engine import make_engine
from azyl.audit import operator_name
from azyl.backup import create_backup, restore_backup
from azyl.cli.audit import database
from azyl.cli.files import writable, write_private
from azyl.config import Settings
from azyl.errors import InputError
from azyl.vault import Vault
from azyl.vault.keyring import load_keyring


@click.command("backup")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The backup file to write (owner-only permissions).")  # fmt: skip
@click.pass_obj
def backup_command(settings: Settings, output: Path) -> None:
    """Write a consistent, encrypted backup of every case, incident, account and audit entry."""
    writable(output)
    vault = Vault(load_keyring(settings, create=False))
    with database(settings) as engine:
        summary = create_backup(engine, vault, actor=operator_name())
    try:
        write_private(output, summary.data)
    except OSError as exc:
        raise InputError(
            f"cannot write {output}: {exc.strerror}; the backup.create entry in the audit log "
            "has no file behind it"
        ) from None
    click.echo(
        f"wrote {output}: {summary.rows} rows in {len(summary.tables)} tables, "
        f"audit head {summary.audit_head[0]}:{summary.audit_head[1]}, "
        f"encrypted with key {vault.keyring.active} (keep the keyring apart from this file)"
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def restore_command(settings: Settings, file: Path) -> None:
    """Restore a backup into an EMPTY database (all or nothing; the audit chain is verified)."""
    vault = Vault(load_keyring(settings, create=False))
    engine = make_engine(settings.database)
    try:
        summary = restore_backup(engine, vault, file.read_bytes(), actor=operator_name())
    finally:
        engine.dispose()
    click.echo(
        f"restored {summary.rows} rows in {len(summary.tables)} tables from the backup of "
        f"{summary.created_at}; audit chain intact ({summary.audit_checked} entries, "
        f"head {summary.audit_head[0]}:{summary.audit_head[1]} as in the backup)"
    )


COMMANDS: list[click.Command] = [backup_command, restore_command]
