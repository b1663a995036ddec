"""AES-256-GCM over the keyring: tokens that name their key and bind to their context."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from azyl.config import Settings
from azyl.errors import AzylError
from azyl.vault.keyring import Keyring, load_keyring

PREFIX = "azyl1"
NONCE_BYTES = 12


class VaultError(AzylError):
    """A token that cannot be decrypted: tampered, moved to another record, or a wrong key."""

    code = "decryption_failed"
    http_status = 500


@dataclass(frozen=True)
class Vault:
    """Encrypts and decrypts with one keyring.

    A vault made `from_settings` re-reads the keyring when it meets a token
    under a key it does not hold: after `azyl keys rotate`, a running server
    reads the re-encrypted data (and encrypts new data under the new key)
    without a restart.
    """

    keyring: Keyring
    settings: Settings | None = field(default=None, compare=False, repr=False)
    _reloaded: list[Keyring] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Vault:
        return cls(load_keyring(settings), settings)

    @property
    def current(self) -> Keyring:
        """The keyring in use: the newest one read, else the one the vault was made with."""
        return self._reloaded[-1] if self._reloaded else self.keyring

    def _key(self, key_id: str) -> bytes:
        keyring = self.current
        if key_id not in keyring.keys and self.settings is not None:
            keyring = load_keyring(self.settings, create=False)
            self._reloaded[:] = [keyring]
        return keyring.key(key_id)

    def encrypt(self, plaintext: bytes, *, context: str) -> str:
        """A token for `plaintext` under the active key, bound to `context` ("case:42:name")."""
        key_id = self.current.active
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self._key(key_id)).encrypt(nonce, plaintext, context.encode())
        return f"{PREFIX}.{key_id}.{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, token: str, *, context: str) -> bytes:
        """The plaintext of a token made for this `context`; VaultError if anything differs."""
        key_id = self.key_id(token)
        try:
            blob = _strict_b64decode(token.split(".", 2)[2])
            nonce, sealed = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
            return AESGCM(self._key(key_id)).decrypt(nonce, sealed, context.encode())
        except (InvalidTag, ValueError, IndexError):
            raise VaultError(
                f"stored data for {context} failed its integrity check: it was altered, moved "
                "from another record, or encrypted with a different key of the same name"
            ) from None

    def encrypt_text(self, text: str, *, context: str) -> str:
        return self.encrypt(text.encode("utf-8"), context=context)

    def decrypt_text(self, token: str, *, context: str) -> str:
        return self.decrypt(token, context=context).decode("utf-8")

    @staticmethod
    def key_id(token: str) -> str:
        """The id of the key a token was made with (rotation re-encrypts the non-active ones)."""
        parts = token.split(".", 2)
        if len(parts) != 3 or parts[0] != PREFIX:
            raise VaultError("stored data is not an azyl ciphertext (was it written in clear?)")
        return parts[1]


def _strict_b64decode(encoded: str) -> bytes:
    """Decode base64url, refusing any text that is not the one canonical encoding of its bytes.

    Plain decoding ignores the spare low bits of the last character, so a few
    different strings decode to the same bytes: a changed token could then
    pass the integrity check. Refusing non-canonical text makes every change
    to a stored token, however small, fail.
    """
    blob = base64.urlsafe_b64decode(encoded)
    if base64.urlsafe_b64encode(blob).decode("ascii") != encoded:
        raise ValueError("not the canonical base64 encoding")
    return blob
