"""Checking a sign-in: throttle, password (or the same work for an unknown name), audit.

`attempt()` never raises for a wrong password: it returns what happened,
having committed the failure count and the audit entry itself. Every kind of
failure (unknown user, wrong password, disabled account, a password too long
to be anyone's) gets the same answer after the same work, exactly one Argon2
verification, so neither the form nor its timing tells who has an account;
the audit log records the real reason for admins.

The throttle reserves each attempt before the password is verified
(`azyl.accounts.throttle.reserve`), in a transaction of its own that is
committed at once, so concurrent attempts cannot all slip under the limit
while Argon2 runs.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from azyl import audit
from azyl.accounts import sessions, throttle, users
from azyl.accounts.model import User
from azyl.accounts.passwords import burn_dummy, needs_rehash, rehash, verify_password
from azyl.accounts.recheck import Attempt, recheck_code, throttled
from azyl.accounts.totp import state
from azyl.appdb import session_scope
from azyl.config import Settings
from azyl.vault import Vault

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def typed_name(username: str) -> str:
    """A typed username as the throttle and the audit log record it.

    Lower case, at most 64 characters, control characters (a NUL byte, which
    PostgreSQL cannot store) replaced by U+FFFD: such a name matches no
    account, is counted like any other, and can be written down.
    """
    return _CONTROL.sub("\ufffd", username.strip().lower())[:64]


def attempt(engine: Engine, username: str, password: str, address: str, now: datetime) -> Attempt:
    """Check a username and password, counting failures and writing the audit entry.

    Three transactions: the throttle's reservation (committed before any
    password work), the one Argon2 verification outside any transaction, and
    the outcome (the failure's audit entry, or the success that clears it).
    """
    name = typed_name(username)
    with session_scope(engine) as db:
        when = throttle.reserve(db, name, address, now)
        if when is not None:
            return throttled(db, name or None, address, when)
        user = users.find(db, name) if users.USERNAME.match(name) else None
    if user is None:
        burn_dummy(password)
        reason = "unknown_user"
    elif not verify_password(user.password_hash, password):
        reason = "wrong_password"
    elif user.disabled:
        reason = "disabled"
    else:
        signed = _succeeded(engine, user, password)
        if signed.ok:
            return signed
        reason = "disabled"  # disabled (or deleted) while the password was being checked
    with session_scope(engine) as db:
        audit.record(
            db, "auth.sign_in_failed", actor=name or None, address=address,
            details={"reason": reason},
        )  # fmt: skip
    return Attempt()


def _succeeded(engine: Engine, user: User, password: str) -> Attempt:
    """The password is right: rehash an old-parameter hash.

    The reserved failure stays until the sign-in is complete (`complete`):
    with a second factor, a right password alone must not clear the count,
    or whoever stole it could retype it between guesses at the code.
    """
    with session_scope(engine) as db:
        row = db.get(User, user.id)
        if row is None or row.disabled:
            return Attempt()
        if needs_rehash(row.password_hash):
            row.password_hash = rehash(password)
        return Attempt(user=row)


def needs_second_factor(user: User, vault: Vault) -> bool:
    """Whether the account has a confirmed TOTP second factor."""
    return state(user, vault) == "on"


def complete(db: Session, user: User, settings: Settings, now: datetime, address: str) -> str:
    """Open the session of a finished sign-in, audit it, and return the new token.

    Only now are this address's failures for the account cleared and the
    address remembered as one the account signs in from (`throttle.succeeded`).
    """
    throttle.succeeded(db, user.username, address, now)
    sessions.purge_expired(db, now)
    token = sessions.start(db, user, settings, now)
    details = {"cases_held_by": user.cases_held_by} if user.cases_held_by else None
    audit.record(
        db, "auth.sign_in", actor=user, target=("user", user.id), address=address, details=details
    )
    return token


def second_step(
    db: Session, user: User, vault: Vault, code: str, address: str, now: datetime
) -> Attempt:
    """Check the TOTP code of a pending sign-in; wrong codes count towards the throttle."""
    return recheck_code(db, user, vault, code, address, now, step="totp")
