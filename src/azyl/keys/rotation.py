"""Key rotation: a new active key, every encrypted value moved under it, in resumable batches.

    rotate(engine, settings, actor="cli:root")   # new key, then re-encrypt in batches
    usage(engine)                                 # {key id: {what: how many values}}
    retire(engine, settings, "k1", actor=...)     # drop a key nothing uses any more

What is encrypted with the keyring is listed in `TARGETS`: the data keys of
saved cases (`azyl.cases.rotation`: each case also gets a fresh data key, its
fields re-encrypted) and the TOTP secrets of accounts (`azyl.accounts.rotation`).
Rotation sits above the vault, cases and accounts, which know nothing of it.

Each batch is one committed transaction, so an interrupted rotation loses
nothing: every value is either still under its old key (which the keyring
keeps) or already under the new one. Running
`rotate` again first looks for values under a key other than the active one;
if there are any it finishes them without creating yet another key.

The keyring must be a file (`AZYL_KEY_FILE`): a keyring given in `AZYL_KEYS`
cannot be rewritten by azyl. Running web workers re-read the keyring file when
they meet a value under a key they do not hold (`Vault.from_settings`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from azyl import audit
from azyl.accounts.rotation import TotpSecrets
from azyl.appdb import session_scope
from azyl.cases.rotation import CaseKeys
from azyl.config import Settings
from azyl.errors import ConfigError, InputError
from azyl.vault.cipher import Vault
from azyl.vault.keyring import Keyring, load_keyring, write_keyring

BATCH_SIZE = 100


class Target(Protocol):
    """One kind of value encrypted with the keyring."""

    name: str

    def count_by_key(self, session: Session) -> Counter[str]:
        """How many values each key id protects."""
        ...

    def rotate_batch(self, session: Session, vault: Vault, limit: int) -> int:
        """Move up to `limit` values not under the active key onto it; how many were moved."""
        ...


#: Every kind of value encrypted with the keyring, in the order a rotation moves them.
TARGETS: tuple[Target, ...] = (CaseKeys(), TotpSecrets())


def usage(engine: Engine) -> dict[str, dict[str, int]]:
    """For each key id in use, how many values of each target it protects."""
    result: dict[str, dict[str, int]] = {}
    with session_scope(engine, commit=False) as session:
        for target in TARGETS:
            for key_id, count in target.count_by_key(session).items():
                result.setdefault(key_id, {})[target.name] = count
    return result


def pending(engine: Engine, active: str) -> int:
    """How many values are still under a key other than `active`."""
    return sum(n for key, counts in usage(engine).items() if key != active for n in counts.values())


@dataclass
class Rotation:
    """What one `rotate` run did."""

    active: str
    created: bool
    batches: int = 0
    moved: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.moved.values())


def _writable(settings: Settings) -> Keyring:
    keyring = load_keyring(settings, create=False)
    if keyring.path is None:
        raise ConfigError(
            "the keyring comes from AZYL_KEYS, which azyl cannot rewrite; move it into a key "
            "file (AZYL_KEY_FILE) to rotate, or rotate it where that variable is managed"
        )
    return keyring


def _audit(engine: Engine, actor: str, **details: object) -> None:
    with session_scope(engine) as session:
        audit.record(session, "keys.rotate", actor=actor, target=("keyring", "keys"),
                     details=details)  # fmt: skip


def rotate(
    engine: Engine,
    settings: Settings,
    *,
    actor: str,
    batch_size: int = BATCH_SIZE,
    after_batch: Callable[[int], None] | None = None,
) -> Rotation:
    """Make a new key active (unless finishing an interrupted rotation) and move every value.

    `after_batch(n)` is called after the n-th committed batch (progress; tests
    inject a failure there to interrupt a rotation).
    """
    if batch_size < 1:
        raise InputError("the batch size must be at least 1")
    keyring = _writable(settings)
    created = pending(engine, keyring.active) == 0
    if created:
        keyring = keyring.with_new_key()
        write_keyring(keyring, keyring.path or settings.key_file_path)
        _audit(engine, actor, step="new_key", key=keyring.active)
    vault = Vault(keyring)
    result = Rotation(active=keyring.active, created=created)
    for target in TARGETS:
        while True:
            with session_scope(engine) as session:
                moved = target.rotate_batch(session, vault, batch_size)
            if not moved:
                break
            result.batches += 1
            result.moved[target.name] = result.moved.get(target.name, 0) + moved
            if after_batch is not None:
                after_batch(result.batches)
    _audit(engine, actor, step="done", key=keyring.active, resumed=not created,
           moved=result.moved)  # fmt: skip
    return result


def retire(engine: Engine, settings: Settings, key_id: str, *, actor: str) -> Keyring:
    """Remove a key from the keyring file, only when no value is encrypted with it any more."""
    keyring = _writable(settings)
    if key_id not in keyring.keys:
        raise InputError(f"the keyring has no key {key_id!r}; it holds {', '.join(keyring.keys)}")
    if key_id == keyring.active:
        raise InputError(f"key {key_id!r} is the active key; rotate first, then retire it")
    still = sum(usage(engine).get(key_id, {}).values())
    if still:
        raise InputError(
            f"key {key_id!r} still protects {still} value{'s' if still != 1 else ''}; "
            "run `azyl keys rotate` to finish moving them, then retire it"
        )
    smaller = keyring.without({key_id})
    write_keyring(smaller, keyring.path or settings.key_file_path)
    _audit(engine, actor, step="retire", key=key_id)
    return smaller
