"""Envelope encryption of a case: one random data key per case, wrapped by the keyring.

Each case has its own 256-bit data key. The key is stored only wrapped by the
keyring's active key (`case:<id>:key`); every personal field of the case and of
its runs is an AES-256-GCM token under the data key, bound to its row and field
(`case:<id>:title`, `case:<id>:run:<n>:assessment`). Two things follow:

- erasing a case deletes its wrapped key with its rows, so any copy of its
  ciphertext left in free database pages or the write-ahead log of this
  database can no longer be read, even by someone holding the keyring
  (crypto-shredding). A backup taken before the erasure still holds the wrapped
  key: it stays readable with the keyring of its day until that key is retired
  and destroyed (docs/cases.md, "Erasure");
- rotating the keyring touches one small value per case; `azyl keys rotate`
  nevertheless gives each case a fresh data key and re-encrypts its fields, so
  an old keyring plus an old copy of the database opens nothing written since.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

import pydantic_core

from azyl.vault import Keyring, Vault, VaultError
from azyl.vault.keyring import KEY_BYTES

#: The key id written into field tokens made with a case's data key.
DATA_KEY_ID = "dk"


def key_context(case_id: str) -> str:
    return f"case:{case_id}:key"


def field_context(case_id: str, name: str) -> str:
    return f"case:{case_id}:{name}"


def run_context(case_id: str, number: int) -> str:
    return f"case:{case_id}:run:{number}:assessment"


@dataclass(frozen=True)
class CaseCipher:
    """Encrypts and decrypts the fields of one case with its data key."""

    case_id: str
    vault: Vault

    @classmethod
    def fresh(cls, case_id: str) -> tuple[CaseCipher, bytes]:
        """A cipher with a new random data key, and that key (to wrap and store)."""
        key = secrets.token_bytes(KEY_BYTES)
        return cls.from_key(case_id, key), key

    @classmethod
    def from_key(cls, case_id: str, key: bytes) -> CaseCipher:
        return cls(case_id, Vault(Keyring(active=DATA_KEY_ID, keys={DATA_KEY_ID: key})))

    @classmethod
    def unwrap(cls, case_id: str, wrapped: str, keyring_vault: Vault) -> CaseCipher:
        """The cipher of a stored case: its data key unwrapped with the keyring."""
        key = keyring_vault.decrypt(wrapped, context=key_context(case_id))
        if len(key) != KEY_BYTES:
            raise VaultError(f"the data key of case {case_id} has the wrong length")
        return cls.from_key(case_id, key)

    def text(self, name: str, value: str) -> str:
        return self.vault.encrypt_text(value, context=field_context(self.case_id, name))

    def _open(self, token: str, context: str) -> str:
        """Decrypt a field token; one that was not made with a data key is refused the same way."""
        if Vault.key_id(token) != DATA_KEY_ID:
            raise VaultError(
                f"stored data for {context} failed its integrity check: it is not a field "
                "of a saved case (was it altered or copied from elsewhere?)"
            )
        return self.vault.decrypt_text(token, context=context)

    def read_text(self, name: str, token: str) -> str:
        return self._open(token, field_context(self.case_id, name))

    def document(self, name: str, value: Any) -> str:
        """A JSON-ready value as a token (profiles, assessments)."""
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        return self.vault.encrypt_text(text, context=name)

    def read_document(self, name: str, token: str) -> Any:
        """A document token's value. Parsed by pydantic-core, a quarter faster than `json.loads`
        on a saved run (100 KB, both languages, read at every view of the case), and told
        not to keep the strings it reads in its process-wide cache: they are the person's.
        """
        return pydantic_core.from_json(self._open(token, name), cache_strings=False)

    def profile(self, value: dict[str, Any]) -> str:
        return self.document(field_context(self.case_id, "profile"), value)

    def read_profile(self, token: str) -> dict[str, Any]:
        data: dict[str, Any] = self.read_document(field_context(self.case_id, "profile"), token)
        return data

    def assessment(self, number: int, value: dict[str, Any]) -> str:
        return self.document(run_context(self.case_id, number), value)

    def read_assessment(self, number: int, token: str) -> dict[str, Any]:
        data: dict[str, Any] = self.read_document(run_context(self.case_id, number), token)
        return data


def wrap_key(case_id: str, key: bytes, keyring_vault: Vault) -> str:
    """The data key as a token under the keyring's active key."""
    return keyring_vault.encrypt(key, context=key_context(case_id))
