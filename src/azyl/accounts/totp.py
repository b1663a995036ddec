"""The optional TOTP second factor (RFC 6238, 30-second codes of six digits).

The secret is stored encrypted with the keyring (`azyl.vault`, context
`user:<id>:totp`), never in clear. Enrolment has two steps: `begin` stores a
new secret marked pending and shows it; `confirm` checks a code from the
authenticator app and only then makes it required at sign-in. A code is
accepted in the current 30-second step or the one before or after (clock
drift), and never twice: the last accepted step is remembered.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

import pyotp
from sqlalchemy.orm import Session

from azyl import audit
from azyl.accounts.model import User
from azyl.errors import InputError
from azyl.i18n import N_
from azyl.i18n.message import failure
from azyl.vault import Vault

ISSUER = "azyl"
_PENDING = "pending:"
STEP_SECONDS = 30


def _context(user: User) -> str:
    return f"user:{user.id}:totp"


def _stored(user: User, vault: Vault) -> str | None:
    if not user.totp_secret:
        return None
    return vault.decrypt_text(user.totp_secret, context=_context(user))


@dataclass(frozen=True)
class Enrolment:
    """What the account page shows while enrolling: the secret and the otpauth URI."""

    secret: str
    uri: str


def state(user: User, vault: Vault) -> str:
    """'off', 'pending' (secret made, not yet confirmed) or 'on'."""
    stored = _stored(user, vault)
    if stored is None:
        return "off"
    return "pending" if stored.startswith(_PENDING) else "on"


def enrolment(user: User, vault: Vault) -> Enrolment | None:
    """The pending secret and URI to show, if enrolment has begun."""
    stored = _stored(user, vault)
    if stored is None or not stored.startswith(_PENDING):
        return None
    secret = stored[len(_PENDING) :]
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    return Enrolment(secret, uri)


def begin(db: Session, user: User, vault: Vault) -> Enrolment:
    """Make a new secret (pending until confirmed); refuses if a factor is already on."""
    if state(user, vault) == "on":
        raise failure(
            InputError, N_("two-step sign-in is already on; turn it off first to enrol again")
        )
    secret = pyotp.random_base32()
    user.totp_secret = vault.encrypt_text(_PENDING + secret, context=_context(user))
    user.totp_last_step = None
    db.flush()
    found = enrolment(user, vault)
    assert found is not None
    return found


def check_code(user: User, secret: str, code: str, now: datetime) -> int | None:
    """The time step a code belongs to (within one step of now), if it is new; else None."""
    code = code.strip().replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6):  # "²" is a digit too
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in (current - 1, current, current + 1):
        expected = totp.at(step * STEP_SECONDS)
        if hmac.compare_digest(expected, code) and step > (user.totp_last_step or -1):
            return step
    return None


def confirm(
    db: Session, user: User, vault: Vault, code: str, now: datetime, address: str | None = None
) -> None:
    """Turn the pending factor on once the user proves their app produces its codes."""
    found = enrolment(user, vault)
    if found is None:
        raise failure(
            InputError, N_("there is no enrolment to confirm; start again from your account page")
        )
    step = check_code(user, found.secret, code, now)
    if step is None:
        raise failure(
            InputError, N_("that code is not right; check the time on your phone and try again")
        )
    user.totp_secret = vault.encrypt_text(found.secret, context=_context(user))
    user.totp_last_step = step
    audit.record(db, "user.totp_enable", actor=user, target=("user", user.id), address=address)


def verify(db: Session, user: User, vault: Vault, code: str, now: datetime) -> bool:
    """Check a sign-in code against the confirmed secret, remembering its step."""
    stored = _stored(user, vault)
    if stored is None or stored.startswith(_PENDING):
        return False
    step = check_code(user, stored, code, now)
    if step is None:
        return False
    user.totp_last_step = step
    db.flush()
    return True


def disable(db: Session, user: User, *, actor: str | User, address: str | None = None) -> None:
    """Turn the second factor off (by its owner with a code, or by an admin)."""
    user.totp_secret = None
    user.totp_last_step = None
    audit.record(db, "user.totp_disable", actor=actor, target=("user", user.id), address=address)
