"""Checking a sign-in: throttle, password (or the same work for an unknown name), audit.

`attempt()` never raises for a wrong password: it returns what happened, so
the caller commits the failure count and the audit entry before answering.
Every kind of failure (unknown user, wrong password, disabled account) gets
the same answer, so the sign-in form cannot be used to learn who has an
account; the audit log records the real reason for admins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from azyl import audit
from azyl.accounts import sessions, throttle, users
from azyl.accounts.model import User
from azyl.accounts.passwords import HASHER, burn_dummy, needs_rehash, verify_password
from azyl.config import Settings
from azyl.vault import Vault


@dataclass(frozen=True)
class Attempt:
    """The outcome of a sign-in attempt: a user, or a failure, or a retry time."""

    user: User | None = None
    retry_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None


def attempt(db: Session, username: str, password: str, address: str, now: datetime) -> Attempt:
    """Check a username and password, counting failures and writing the audit entry."""
    name = username.strip().lower()[:64]
    when = throttle.retry_at(db, name, address, now)
    if when is not None:
        audit.record(
            db, "auth.throttled", actor=name or None, address=address,
            details={"retry_at": when.isoformat()},
        )  # fmt: skip
        return Attempt(retry_at=when)
    user = users.find(db, name) if name else None
    if user is None:
        burn_dummy(password)
        reason = "unknown_user"
    elif not verify_password(user.password_hash, password):
        reason = "wrong_password"
    elif user.disabled:
        reason = "disabled"
    else:
        if needs_rehash(user.password_hash):
            user.password_hash = HASHER.hash(password)
        throttle.forget_account(db, name)
        return Attempt(user=user)
    throttle.note_failure(db, name, address, now)
    audit.record(
        db, "auth.sign_in_failed", actor=name or None, address=address,
        details={"reason": reason},
    )  # fmt: skip
    return Attempt()


def needs_second_factor(user: User, vault: Vault) -> bool:
    """Whether the account has a confirmed TOTP second factor."""
    from azyl.accounts.totp import state

    return state(user, vault) == "on"


def complete(db: Session, user: User, settings: Settings, now: datetime, address: str) -> str:
    """Open the session of a finished sign-in, audit it, and return the new token."""
    sessions.purge_expired(db, now)
    token = sessions.start(db, user, settings, now)
    audit.record(db, "auth.sign_in", actor=user, target=("user", user.id), address=address)
    return token


def second_step(
    db: Session, user: User, vault: Vault, code: str, address: str, now: datetime
) -> Attempt:
    """Check the TOTP code of a pending sign-in; wrong codes count towards the throttle."""
    from azyl.accounts import totp

    when = throttle.retry_at(db, user.username, address, now)
    if when is not None:
        audit.record(
            db, "auth.throttled", actor=user, address=address,
            details={"retry_at": when.isoformat(), "step": "totp"},
        )  # fmt: skip
        return Attempt(retry_at=when)
    if totp.verify(db, user, vault, code, now):
        return Attempt(user=user)
    throttle.note_failure(db, user.username, address, now)
    audit.record(
        db, "auth.sign_in_failed", actor=user, address=address,
        details={"reason": "wrong_totp_code"},
    )  # fmt: skip
    return Attempt()
