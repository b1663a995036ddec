"""A signed-in user proving again who they are: the current password, a TOTP code.

Changing one's password needs the current one, and turning the second factor
off needs a code. Both go through the sign-in throttle and the audit log
exactly as a sign-in does (`auth.recheck_failed`, `auth.throttled` with the
`step`): a stolen session must not be a way to guess the password or the
code at full speed, unseen. The sign-in's own TOTP step uses `recheck_code`
too (`step="totp"`, audited as `auth.sign_in_failed` like a wrong password).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from azyl import audit
from azyl.accounts import throttle, totp
from azyl.accounts.model import User
from azyl.accounts.passwords import verify_password
from azyl.appdb import session_scope
from azyl.vault import Vault


@dataclass(frozen=True)
class Attempt:
    """The outcome of a sign-in or a re-check: a user, or a failure, or a retry time."""

    user: User | None = None
    retry_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None


def throttled(db: Session, actor: str | User | None, address: str, when: datetime,
               step: str | None = None) -> Attempt:  # fmt: skip
    """Audit a refused attempt (`auth.throttled`) and say when to retry."""
    details = {"retry_at": when.isoformat(), **({"step": step} if step else {})}
    audit.record(db, "auth.throttled", actor=actor, address=address, details=details)
    return Attempt(retry_at=when)


def recheck_code(
    db: Session, user: User, vault: Vault, code: str, address: str, now: datetime, *, step: str
) -> Attempt:
    """Check a TOTP code through the throttle, auditing a wrong one (in the caller's transaction).

    `step` says what the code was for: "totp" (the second step of a sign-in,
    audited as `auth.sign_in_failed`) or what a signed-in user is doing
    (e.g. "totp_disable", audited as `auth.recheck_failed`). Checking a code
    is cheap, so the throttle's lock is simply held until the caller commits.
    """
    when = throttle.reserve(db, user.username, address, now)
    if when is not None:
        return throttled(db, user, address, when, step)
    if totp.verify(db, user, vault, code, now):
        if step != "totp":  # a sign-in clears its count when it completes (signin.complete)
            throttle.succeeded(db, user.username, address, now)
        return Attempt(user=user)
    action = "auth.sign_in_failed" if step == "totp" else "auth.recheck_failed"
    details = {"reason": "wrong_totp_code", **({} if step == "totp" else {"step": step})}
    audit.record(db, action, actor=user, address=address, details=details)
    return Attempt()


def recheck_password(
    engine: Engine, user: User, password: str, address: str, now: datetime, *, step: str
) -> Attempt:
    """A signed-in user's current password, checked through the throttle and audited if wrong.

    Like `attempt`, the reservation commits before the (slow) verification.
    """
    with session_scope(engine) as db:
        when = throttle.reserve(db, user.username, address, now)
        if when is not None:
            return throttled(db, user, address, when, step)
        row = db.get(User, user.id)
    if row is not None and verify_password(row.password_hash, password):
        with session_scope(engine) as db:
            throttle.succeeded(db, row.username, address, now)
        return Attempt(user=row)
    with session_scope(engine) as db:
        audit.record(
            db, "auth.recheck_failed", actor=user, address=address,
            details={"reason": "wrong_password", "step": step},
        )  # fmt: skip
    return Attempt()
