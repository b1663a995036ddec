"""Managing accounts: add, list, disable, enable, reset a password, change a role.

The CLI (`azyl users ...`) and the admin page are thin layers over these
functions. Each one writes its audit entry in the same transaction as the
change, so a change without its record (or the reverse) cannot happen.
Disabling an account, resetting its password or changing its role ends its
sessions: whatever it was allowed before stops at once.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from azyl import audit
from azyl.accounts import sessions
from azyl.accounts.errors import Throttled
from azyl.accounts.model import User
from azyl.accounts.passwords import check_policy, hash_password
from azyl.accounts.recheck import recheck_password
from azyl.accounts.roles import Role
from azyl.appdb import session_scope, utc_now
from azyl.errors import InputError, NotFound
from azyl.i18n import N_
from azyl.i18n.message import failure

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
Actor = str | User


def normalise_username(text: str) -> str:
    """The stored form of a username (lower case), or a clear error."""
    name = text.strip().lower()
    if not USERNAME.match(name):
        raise failure(
            InputError,
            N_(
                "the username {name} is not valid: use 1 to 64 letters a-z, digits, '.', '_' "
                "or '-', starting with a letter or digit"
            ),
            name=repr(text),
        )
    return name


def find(db: Session, username: str) -> User | None:
    """The account of a username (any case), or None."""
    name = username.strip().lower()
    return db.scalars(select(User).where(User.username == name)).first()


def get(db: Session, username: str) -> User:
    """The account of a username, or NotFound naming it."""
    user = find(db, username)
    if user is None:
        raise failure(
            NotFound,
            N_("there is no account named {name}; `azyl users list` shows them"),
            name=repr(username),
        )
    return user


def add(
    db: Session,
    username: str,
    password: str,
    role: Role,
    *,
    actor: Actor,
    display_name: str = "",
    address: str | None = None,
    now: datetime | None = None,
) -> User:
    """Create an account; refuses a username that exists and a password that is too short."""
    name = normalise_username(username)
    if find(db, name) is not None:
        raise failure(InputError, N_('an account named "{name}" already exists'), name=name)
    stamp = {"created_at": now, "password_changed_at": now} if now else {}
    user = User(
        username=name,
        display_name=display_name.strip()[:200],
        role=role.value,
        password_hash=hash_password(password),
        disabled=False,
        **stamp,
    )
    db.add(user)
    db.flush()
    audit.record(
        db, "user.add", actor=actor, target=("user", user.id),
        details={"username": name, "role": role.value}, address=address,
    )  # fmt: skip
    return user


def list_users(db: Session) -> list[User]:
    """Every account, by username."""
    return list(db.scalars(select(User).order_by(User.username)))


def set_disabled(
    db: Session, username: str, disabled: bool, *, actor: Actor, address: str | None = None
) -> User:
    """Disable (ending its sessions) or re-enable an account."""
    user = get(db, username)
    if isinstance(actor, User) and actor.id == user.id and disabled:
        raise failure(InputError, N_("you cannot disable your own account; ask another admin"))
    user.disabled = disabled
    if disabled:
        sessions.end_all(db, user.id)
    action = "user.disable" if disabled else "user.enable"
    audit.record(db, action, actor=actor, target=("user", user.id), address=address)
    return user


def set_role(
    db: Session, username: str, role: Role, *, actor: Actor, address: str | None = None
) -> User:
    """Change an account's role (its sessions end, so the new role applies at once)."""
    user = get(db, username)
    if isinstance(actor, User) and actor.id == user.id and role != Role.ADMIN:
        raise failure(InputError, N_("you cannot lower your own role; ask another admin"))
    old = user.role
    user.role = role.value
    sessions.end_all(db, user.id)
    audit.record(
        db, "user.role_change", actor=actor, target=("user", user.id),
        details={"from": old, "to": role.value}, address=address,
    )  # fmt: skip
    return user


def reset_password(
    db: Session,
    username: str,
    password: str,
    *,
    actor: Actor,
    address: str | None = None,
    now: datetime | None = None,
) -> User:
    """Set a new password chosen by an admin; the account's sessions end.

    An admin who resets someone else's password from the web could sign in
    as them and read their cases, and the audit log would name the victim.
    So such a reset holds the account's cases: until the server's operator
    has confirmed with its owner that they asked for it (`release_cases`),
    the account opens no case (`azyl.cases` refuses it), and its sign-ins are
    audited naming the admin. The operator's own reset (`azyl users
    reset-password`, a str actor) holds nothing and lifts a hold: whoever runs
    commands on the server holds the keyring and could read every case anyway.
    """
    user = get(db, username)
    _set_password(db, user, password, now)
    held = isinstance(actor, User) and actor.id != user.id
    if held:
        user.cases_held_by, user.cases_held_at = _actor_name(actor), now or utc_now()
    elif isinstance(actor, str):
        user.cases_held_by, user.cases_held_at = None, None
    audit.record(
        db, "user.reset_password", actor=actor, target=("user", user.id), address=address,
        details={"cases_held": True} if held else None,
    )  # fmt: skip
    return user


def release_cases(db: Session, username: str, *, actor: Actor) -> User:
    """The operator confirms an admin's reset with the account's owner: its cases open again."""
    if not isinstance(actor, str):
        raise InputError("only the server's operator releases held cases (`azyl users release`)")
    user = get(db, username)
    if user.cases_held_by is None:
        raise InputError(f"the cases of {user.username} are not held; nothing to release")
    audit.record(
        db, "user.release_cases", actor=actor, target=("user", user.id),
        details={"held_by": user.cases_held_by},
    )  # fmt: skip
    user.cases_held_by, user.cases_held_at = None, None
    return user


def _actor_name(actor: Actor) -> str:
    return actor if isinstance(actor, str) else actor.username


def change_own_password(
    engine: Engine, user: User, current: str, new: str, *, address: str, now: datetime
) -> User:
    """A user changes their own password; the current one must be given.

    The current password is checked through the sign-in throttle and audited
    when wrong (`azyl.accounts.recheck`), so a stolen session cannot guess it
    at full speed; a new password that breaks the policy costs no guess.
    """
    check_policy(new)
    checked = recheck_password(engine, user, current, address, now, step="password_change")
    if checked.retry_at is not None:
        raise failure(
            Throttled,
            N_("too many wrong passwords: try again after {time}; nothing was changed"),
            {"retry_at": checked.retry_at.isoformat()},
            time=checked.retry_at.strftime("%H:%M UTC"),
        )
    if checked.user is None:
        raise failure(InputError, N_("the current password is not right; nothing was changed"))
    with session_scope(engine) as db:
        row = db.get(User, user.id)
        assert row is not None
        _set_password(db, row, new, now)
        audit.record(
            db, "user.reset_password", actor=row, target=("user", row.id),
            details={"self": True}, address=address,
        )  # fmt: skip
        return row


def _set_password(db: Session, user: User, password: str, now: datetime | None) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = now or utc_now()
    sessions.end_all(db, user.id)
