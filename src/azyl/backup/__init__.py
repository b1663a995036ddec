"""Consistent, encrypted backups of the application database, and restoring them.

    result = create_backup(engine, vault, actor="cli:ops")   # -> bytes of the file + summary
    restore_backup(engine, vault, data, actor="cli:ops")      # into an empty database only

A backup is every application table read in one transaction, as JSON lines
with a SHA-256 manifest, compressed, and sealed with AES-256-GCM under the
keyring (`azyl.vault`). The keyring is not in the backup: restoring needs the
same keyring, and a backup kept beside its keyring protects nothing.
"""

from azyl.backup.archive import BackupError
from azyl.backup.create import BackupSummary, create_backup
from azyl.backup.restore import RestoreSummary, restore_backup

__all__ = ["BackupError", "BackupSummary", "RestoreSummary", "create_backup", "restore_backup"]
