"""The sign-in throttle: recent failures counted per account and per client address.

Five failures for one username within fifteen minutes, or twenty from one
address, stop further attempts until the oldest of them leaves the window.
Unknown usernames are counted exactly like real ones, so the throttle says
nothing about which accounts exist. Passwords are not even checked while
throttled, so guessing gains nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from azyl.accounts.model import SignInFailure

WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 5
PER_ADDRESS = 20


def retry_at(db: Session, username: str, address: str, now: datetime) -> datetime | None:
    """When sign-in may be tried again for this username from this address; None: now."""
    since = now - WINDOW
    for column, value, limit in (
        (SignInFailure.username, username, PER_ACCOUNT),
        (SignInFailure.address, address, PER_ADDRESS),
    ):
        recent = select(SignInFailure.at).where(column == value, SignInFailure.at > since)
        count = db.scalar(select(func.count()).select_from(recent.subquery())) or 0
        if count >= limit:
            # The attempt becomes possible when enough of the failures have aged out.
            times = sorted(db.scalars(recent))
            return times[count - limit] + WINDOW
    return None


def note_failure(db: Session, username: str, address: str, now: datetime) -> None:
    """Count one failed sign-in, and forget failures older than the window."""
    db.execute(delete(SignInFailure).where(SignInFailure.at <= now - WINDOW))
    db.add(SignInFailure(at=now, username=username, address=address))
    db.flush()


def forget_account(db: Session, username: str) -> None:
    """A successful sign-in clears the account's count (never the address's)."""
    db.execute(delete(SignInFailure).where(SignInFailure.username == username))
