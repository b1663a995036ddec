"""Server-side sessions: the cookie carries a random token, the database its SHA-256.

A session ends at the first of: its absolute expiry (`session_hours` after
sign-in), `idle_minutes` without a request, sign-out, or its user being
disabled. Every sign-in makes a new token (a token planted before sign-in is
never promoted: no session fixation). The CSRF token of a session is derived
from the session token with HMAC, so it needs no storage and cannot be
computed from what the database holds.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from azyl.accounts.model import AuthSession, User
from azyl.config import Settings

#: How long the second step of a sign-in (the TOTP code) may take.
PENDING_MINUTES = 5
#: `last_seen_at` is written at most this often, so reading pages does not write every time.
TOUCH_SECONDS = 60


def token_hash(token: str) -> str:
    """What the database stores for a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for(token: str) -> str:
    """The CSRF token that goes with a session token (HMAC, so it reveals nothing of it)."""
    return hmac.new(token.encode(), b"azyl csrf", hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Signed:
    """A live session and its user."""

    session: AuthSession
    user: User


def start(
    db: Session, user: User, settings: Settings, now: datetime, *, pending: bool = False
) -> str:
    """Open a session for `user` and return its token (shown once, to go in the cookie)."""
    token = secrets.token_urlsafe(32)
    lifetime = (
        timedelta(minutes=PENDING_MINUTES) if pending else timedelta(hours=settings.session_hours)
    )
    db.add(
        AuthSession(
            token_hash=token_hash(token),
            user_id=user.id,
            pending=pending,
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
        )
    )
    db.flush()
    return token


def resolve(
    db: Session, token: str, settings: Settings, now: datetime, *, pending: bool = False
) -> Signed | None:
    """The live session of a token, or None (an expired one is deleted on the way)."""
    row = db.scalars(select(AuthSession).where(AuthSession.token_hash == token_hash(token))).first()
    if row is None or row.pending != pending:
        return None
    user = db.get(User, row.user_id)
    idle = timedelta(minutes=settings.idle_minutes)
    if user is None or user.disabled or now >= row.expires_at or now >= row.last_seen_at + idle:
        db.delete(row)
        return None
    if (now - row.last_seen_at).total_seconds() >= TOUCH_SECONDS:
        row.last_seen_at = now
    return Signed(row, user)


def end(db: Session, token: str) -> User | None:
    """End the session of a token (sign-out); the user it belonged to, if any."""
    row = db.scalars(select(AuthSession).where(AuthSession.token_hash == token_hash(token))).first()
    if row is None:
        return None
    user = db.get(User, row.user_id)
    db.delete(row)
    return user


def end_all(db: Session, user_id: int) -> None:
    """End every session of a user (disabled, password reset, role change)."""
    db.execute(delete(AuthSession).where(AuthSession.user_id == user_id))


def purge_expired(db: Session, now: datetime) -> None:
    """Delete sessions past their absolute expiry (called at each sign-in)."""
    db.execute(delete(AuthSession).where(AuthSession.expires_at <= now))
