"""The backup file: a short clear header, then the archive sealed with AES-256-GCM.

    azyl-backup 1\\n
    {"format": "azyl-backup-1", "created_at": ..., "key_id": "k3", "key_check": "..."}\\n
    azyl1.k3.<base64 of nonce + ciphertext + tag>      (azyl.vault, context = the header line)

Inside: a gzip-compressed tar of `manifest.json` and `tables/<name>.jsonl`.
The header is authenticated as the vault context, so it cannot be edited
either. `key_check` (an HMAC of a fixed text under the key, which reveals
nothing about the key) lets a restore tell "you have the wrong keyring" apart
from "this file was damaged or altered", which AES-GCM alone cannot.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import io
import json
import tarfile
from typing import Any

from azyl.errors import AzylError, ConfigError
from azyl.vault import Vault, VaultError

MAGIC = b"azyl-backup 1\n"
FORMAT = "azyl-backup-1"


class BackupError(AzylError):
    """A backup that cannot be read or restored: the message says why and what to do."""

    code = "backup_error"


def key_check(vault: Vault, key_id: str) -> str:
    return hmac.new(vault.keyring.key(key_id), b"azyl backup key check", hashlib.sha256).hexdigest()


def pack(files: dict[str, bytes]) -> bytes:
    """A gzip-compressed tar of the named files (fixed order and times: reproducible)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), compresslevel=6, mtime=0)


def unpack(blob: bytes) -> dict[str, bytes]:
    try:
        with tarfile.open(fileobj=io.BytesIO(gzip.decompress(blob)), mode="r") as tar:
            return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BackupError(f"the backup's archive is damaged: {exc}") from None


def seal(files: dict[str, bytes], vault: Vault, created_at: str) -> bytes:
    """The backup file's bytes: header, then the encrypted archive."""
    key_id = vault.keyring.active
    header: dict[str, Any] = {
        "format": FORMAT,
        "created_at": created_at,
        "key_id": key_id,
        "key_check": key_check(vault, key_id),
    }
    line = json.dumps(header, sort_keys=True)
    token = vault.encrypt(pack(files), context=f"backup:{line}")
    return MAGIC + line.encode() + b"\n" + token.encode("ascii") + b"\n"


def open_sealed(data: bytes, vault: Vault) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The header and files of a backup, or BackupError saying exactly what is wrong."""
    if not data.startswith(MAGIC):
        raise BackupError(
            "this file is not an azyl backup (it does not start with 'azyl-backup 1')"
        )
    line, _, rest = data[len(MAGIC) :].partition(b"\n")
    try:
        header = json.loads(line)
        key_id, check = str(header["key_id"]), str(header["key_check"])
    except (ValueError, KeyError, TypeError):
        raise BackupError("the backup's header is damaged; the file cannot be restored") from None
    try:
        expected = key_check(vault, key_id)
    except ConfigError:
        raise BackupError(
            f"this backup was encrypted with key {key_id!r}, which this keyring does not hold: "
            "restoring needs the keyring the backup was made with (AZYL_KEY_FILE or AZYL_KEYS)"
        ) from None
    if not hmac.compare_digest(expected, check):
        raise BackupError(
            f"this keyring's key {key_id!r} is not the key this backup was made with: "
            "restoring needs the keyring the backup was made with (AZYL_KEY_FILE or AZYL_KEYS)"
        )
    try:
        blob = vault.decrypt(rest.strip().decode("ascii"), context=f"backup:{line.decode()}")
    except (VaultError, UnicodeDecodeError):
        raise BackupError(
            "the backup file is damaged, truncated or was altered: its authentication check "
            "fails, so nothing from it can be trusted or restored"
        ) from None
    return header, unpack(blob)
