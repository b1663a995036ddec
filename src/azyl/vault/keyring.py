"""The keyring: named 256-bit keys, one of them active, in a file or an environment variable.

File format (JSON, owner-only permissions):

    {"format": "azyl-keyring-1", "active": "k2",
     "keys": {"k1": "<base64 of 32 bytes>", "k2": "<base64 of 32 bytes>"}}

The keyring never enters the application database or its backups: a copy of
either alone reveals nothing. Losing it loses every encrypted field, which is
why `docs/deployment.md` says to keep a copy of it offline.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from azyl.config import Settings
from azyl.errors import ConfigError

log = logging.getLogger(__name__)
FORMAT = "azyl-keyring-1"
KEY_BYTES = 32


@dataclass(frozen=True)
class Keyring:
    """Keys by id and the id of the one new data is encrypted with."""

    active: str
    keys: dict[str, bytes] = field(repr=False)
    path: Path | None = None  # None when the keyring came from AZYL_KEYS

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise ConfigError(
                f"data was encrypted with key {key_id!r}, which the keyring does not hold; "
                "restore the keyring file that contains it"
            ) from None

    def to_json(self) -> str:
        encoded = {k: base64.b64encode(v).decode("ascii") for k, v in self.keys.items()}
        return json.dumps({"format": FORMAT, "active": self.active, "keys": encoded}, indent=2)

    def with_new_key(self) -> Keyring:
        """A keyring with one more key, which becomes the active one (old keys stay to decrypt)."""
        number = 1 + max((int(k[1:]) for k in self.keys if k[1:].isdigit()), default=0)
        new_id = f"k{number}"
        keys = {**self.keys, new_id: secrets.token_bytes(KEY_BYTES)}
        return Keyring(active=new_id, keys=keys, path=self.path)

    def without(self, key_ids: set[str]) -> Keyring:
        """A keyring that no longer holds `key_ids` (never the active key)."""
        if self.active in key_ids:
            raise ConfigError(f"key {self.active!r} is active and cannot be removed")
        keys = {k: v for k, v in self.keys.items() if k not in key_ids}
        return Keyring(active=self.active, keys=keys, path=self.path)


def parse_keyring(text: str, where: str) -> Keyring:
    """A keyring from its JSON text, with errors that say which file or variable is wrong."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"format is not {FORMAT!r}")
        keys = {str(k): base64.b64decode(v, validate=True) for k, v in data["keys"].items()}
        active = str(data["active"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{where} is not an azyl keyring: {exc}") from None
    if active not in keys:
        raise ConfigError(f"{where}: the active key {active!r} is not in the keyring")
    if any(len(k) != KEY_BYTES for k in keys.values()):
        raise ConfigError(f"{where}: every key must be {KEY_BYTES} bytes (AES-256)")
    return Keyring(active=active, keys=keys)


def write_keyring(keyring: Keyring, path: Path) -> None:
    """Write the keyring atomically with owner-only permissions (0600 in a 0700 folder)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(keyring.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def load_keyring(settings: Settings, *, create: bool = True) -> Keyring:
    """The keyring from AZYL_KEYS, else from the key file (created with one key if missing)."""
    if settings.keys:
        return parse_keyring(settings.keys, "AZYL_KEYS")
    path = settings.key_file_path
    if not path.exists():
        if not create:
            raise ConfigError(f"there is no keyring at {path}; set AZYL_KEY_FILE or AZYL_KEYS")
        fresh = Keyring(active="k1", keys={"k1": secrets.token_bytes(KEY_BYTES)})
        write_keyring(fresh, path)
    try:
        text = path.read_text(encoding="utf-8")
        mode = path.stat().st_mode & 0o777
    except OSError as exc:
        raise ConfigError(f"cannot read the keyring {path}: {exc.strerror}") from None
    if mode & 0o077:
        log.warning(
            "the keyring %s can be read by other users of this machine (mode %03o); make it "
            "owner-only: chmod 600 %s",
            path, mode, path,
        )  # fmt: skip
    loaded = parse_keyring(text, str(path))
    return Keyring(active=loaded.active, keys=loaded.keys, path=path)
