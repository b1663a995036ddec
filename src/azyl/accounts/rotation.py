"""Key rotation for accounts: the second-factor secrets, re-encrypted under the active key.

One of the targets `azyl.keys.rotation` moves in batches; the secret itself
does not change, so a phone's authenticator keeps working.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from azyl.accounts.model import User
from azyl.vault import Vault
from azyl.vault.columns import not_under


class TotpSecrets:
    """Accounts' second-factor secrets (`users.totp_secret`, context `user:<id>:totp`)."""

    name = "totp_secrets"

    def count_by_key(self, session: Session) -> Counter[str]:
        tokens = session.scalars(select(User.totp_secret).where(User.totp_secret.is_not(None)))
        return Counter(Vault.key_id(t) for t in tokens if t)

    def rotate_batch(self, session: Session, vault: Vault, limit: int) -> int:
        query = (
            select(User)
            .where(User.totp_secret.is_not(None), not_under(User.totp_secret, vault.keyring.active))
            .order_by(User.id)
            .limit(limit)
            .with_for_update()  # a concurrent TOTP change waits for the batch
        )
        users = list(session.scalars(query))
        for user in users:
            context = f"user:{user.id}:totp"
            assert user.totp_secret is not None
            secret = vault.decrypt(user.totp_secret, context=context)
            user.totp_secret = vault.encrypt(secret, context=context)
        return len(users)
