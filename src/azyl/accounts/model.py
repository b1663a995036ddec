"""The accounts table.

A user is identified by a unique, case-insensitive username (stored lower
case). The password is kept only as an Argon2id hash. `totp_secret` holds the
second factor's secret encrypted with the keyring (`azyl.vault`), never in
clear. Disabling an account keeps its row, so the audit log and the cases it
owned still name it; its sessions end at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from azyl.appdb.base import Base, UTCDateTime, utc_now


class User(Base):
    """One person who may sign in."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(Text)
    totp_secret: Mapped[str | None] = mapped_column(Text, default=None)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
