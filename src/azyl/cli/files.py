"""Writing the files commands produce: checked before anything is recorded, owner-only when private.

Exports of cases, restricted incidents, the audit log and backups hold what
azyl protects; on a shared server they must not be readable by other local
accounts, and a half-written file must never replace a good one.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from azyl.errors import InputError


def writable(output: Path) -> Path:
    """The output path, or an InputError now, before anything is recorded or written."""
    if not output.parent.is_dir():
        raise InputError(f"cannot write {output}: the folder {output.parent} does not exist")
    if output.is_dir():
        raise InputError(f"cannot write {output}: it is a folder")
    return output


def write_private(path: Path, data: bytes) -> None:
    """Write owner-only (0600), atomically: the file appears whole or not at all."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
