"""The accounts table.

A user is identified by a unique, case-insensitive username (stored lower
case). The password is kept only as an Argon2id hash. `totp_secret` holds the
second factor's secret encrypted with the keyring (`azyl.vault`), never in
clear. Disabling an account keeps its row, so the audit log and the cases it
owned still name it; its sessions end at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from azyl.appdb.base import AUDITED_AS, Base, UTCDateTime, utc_now


class User(Base):
    """One person who may sign in."""

    __tablename__ = "users"
    __table_args__ = ({"info": {AUDITED_AS: "account"}},)  # `user.create` is audited

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(Text)
    totp_secret: Mapped[str | None] = mapped_column(Text, default=None)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    #: The last TOTP time step accepted, so a code cannot be used twice.
    totp_last_step: Mapped[int | None] = mapped_column(Integer, default=None)
    #: Who reset this account's password from the web (an admin), while the reset is
    #: unconfirmed: until the operator releases it, the account opens no case (docs/cases.md).
    cases_held_by: Mapped[str | None] = mapped_column(String(64), default=None)
    cases_held_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class AuthSession(Base):
    """One sign-in: the server-side half of the `azyl_session` cookie.

    Only the SHA-256 of the cookie's token is stored, so a copy of the
    database cannot be replayed as a cookie. A session half-way through
    sign-in (password right, TOTP code still due) is `pending` and grants
    nothing until the code is confirmed.
    """

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    pending: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SignInFailure(Base):
    """A recent failed sign-in, counted by the throttle per account and per address.

    Rows older than a day (`throttle.PAIR_WINDOW`) are deleted as new
    failures arrive; the audit log keeps the lasting record.
    """

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)


class KnownAddress(Base):
    """A client address an account signed in from successfully, and when it last did.

    The throttle does not hold failures of other people against an account at
    an address it is known from (see `azyl.accounts.throttle`), so guessing
    from elsewhere cannot lock its owner out. Rows older than
    `throttle.KNOWN_FOR` are deleted as new sign-ins arrive.
    """

    __tablename__ = "known_addresses"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)
