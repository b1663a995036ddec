"""The sign-in throttle: recent failures per account and address, per account, per address.

Three counts over the last fifteen minutes (`WINDOW`) decide whether a
password or code may be checked at all:

- **this account from this address**, over `PAIR_WINDOW` (a day): the first
  `FREE_PER_PAIR` failures are free, then each further attempt waits twice
  as long after the last failure (1 s, 2 s, 4 s... at most 15 minutes), so
  guessing from one place slows down at once, to about a hundred guesses a
  day, and locks nobody else out;
- **this account, from addresses it has not signed in from** in the last
  `KNOWN_FOR`: `PER_ACCOUNT` failures, then none until the oldest leaves the
  window. Guessing from many addresses is capped, and the owner, at an
  address they have signed in from before, is not locked out by it;
- **this address, for accounts not known there**: `PER_ADDRESS` failures.
  Trying many accounts from one address is capped, while colleagues behind
  the same proxy or NAT who have signed in there before are not held up.

Unknown usernames are counted exactly like real ones, so the throttle says
nothing about which accounts exist. The client address is the one
`azyl.web.auth.client_address` gives: behind a trusted proxy, the forwarded one.

**Check and count are one step.** `reserve` locks the account and the
address (PostgreSQL advisory locks for the transaction; on SQLite every
transaction already holds the write lock from BEGIN IMMEDIATE), checks the
counts, and if the attempt may go ahead records it as a failure there and
then, before any password is verified; the caller commits at once. A right
password removes that record again (`succeeded`). So however many attempts
arrive together, on however many workers, each one sees all those before
it, and no more than the limits are ever checked.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from azyl.accounts.model import KnownAddress, SignInFailure

WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 5
PER_ADDRESS = 20
FREE_PER_PAIR = 3
PAIR_WINDOW = timedelta(days=1)
KNOWN_FOR = timedelta(days=30)


def _lock(db: Session, username: str, address: str) -> None:
    """Serialise attempts on this account and on this address until the transaction ends.

    Keys are taken in a fixed order, so two attempts never wait for each other
    crosswise. SQLite needs nothing more: its transactions begin IMMEDIATE.
    """
    if db.get_bind().dialect.name != "postgresql":
        return
    keys = {_key("account", username), _key("address", address)}
    for key in sorted(keys):
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _key(kind: str, value: str) -> int:
    """A stable 64-bit lock key (Python's hash() differs between worker processes)."""
    digest = hashlib.sha256(f"azyl sign-in {kind}:{value}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _times(db: Session, since: datetime, *conditions: object) -> list[datetime]:
    query = select(SignInFailure.at).where(SignInFailure.at > since, *conditions)  # type: ignore[arg-type]
    return sorted(db.scalars(query))


def is_known(db: Session, username: str, address: str, now: datetime) -> bool:
    """Whether the account signed in successfully from this address within KNOWN_FOR."""
    last = db.scalar(
        select(KnownAddress.last_at).where(
            KnownAddress.username == username, KnownAddress.address == address
        )
    )
    return last is not None and last > now - KNOWN_FOR


def retry_at(db: Session, username: str, address: str, now: datetime) -> datetime | None:
    """When an attempt for this username from this address may be made; None: now."""
    since = now - WINDOW
    waits = []
    pair = _times(
        db, now - PAIR_WINDOW, SignInFailure.username == username, SignInFailure.address == address
    )
    if len(pair) >= FREE_PER_PAIR:
        doublings = min(len(pair) - FREE_PER_PAIR, 20)  # 2^20 s is past the cap already
        delay = min(timedelta(seconds=2**doublings), WINDOW)
        waits.append(pair[-1] + delay)
    if not is_known(db, username, address, now):
        for condition, limit in (
            (SignInFailure.username == username, PER_ACCOUNT),
            (SignInFailure.address == address, PER_ADDRESS),
        ):
            times = _times(db, since, condition)
            if len(times) >= limit:
                # The attempt becomes possible when enough of the failures have aged out.
                waits.append(times[len(times) - limit] + WINDOW)
    later = max(waits, default=None)
    return later if later is not None and later > now else None


def reserve(db: Session, username: str, address: str, now: datetime) -> datetime | None:
    """Check the counts and, if the attempt may go ahead, count it as a failure now (locked).

    Returns the time to retry when refused, None when the attempt was counted.
    The caller commits before verifying anything, and calls `succeeded` if
    the password or code turns out right.
    """
    _lock(db, username, address)
    when = retry_at(db, username, address, now)
    if when is not None:
        return when
    db.execute(delete(SignInFailure).where(SignInFailure.at <= now - PAIR_WINDOW))
    db.add(SignInFailure(at=now, username=username, address=address))
    db.flush()
    return None


def succeeded(db: Session, username: str, address: str, now: datetime) -> None:
    """A right password or code: this pair's failures go (the reserved one with them), and the
    address becomes known for the account. Failures from other addresses stay counted."""
    _lock(db, username, address)
    db.execute(
        delete(SignInFailure).where(
            SignInFailure.username == username, SignInFailure.address == address
        )
    )
    db.execute(
        delete(KnownAddress).where(
            KnownAddress.username == username, KnownAddress.last_at <= now - KNOWN_FOR
        )
    )
    known = db.get(KnownAddress, (username, address))
    if known is None:
        db.add(KnownAddress(username=username, address=address, last_at=now))
    else:
        known.last_at = now
    db.flush()
