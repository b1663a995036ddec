"""Encryption of personal data at rest: a keyring kept outside the database, and AES-256-GCM.

    vault = Vault.from_settings(settings)        # reads (or first creates) the keyring
    token = vault.encrypt(b"...", context="case:42:profile")
    vault.decrypt(token, context="case:42:profile")   # -> b"..."

A token names the key that made it (`azyl1.<key id>.<nonce+ciphertext>`), so
after a rotation old rows stay readable until they are re-encrypted under the
new active key. The `context` is authenticated but not stored: a ciphertext
copied into another row or field fails to decrypt instead of showing another
person's data there.
"""

from azyl.vault.cipher import Vault, VaultError
from azyl.vault.keyring import Keyring, load_keyring

__all__ = ["Keyring", "Vault", "VaultError", "load_keyring"]
