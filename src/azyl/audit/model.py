"""The audit tables: the entries, and one head row that serialises writers.

`audit_head` holds the sequence number and hash of the newest entry. Writers
update it first, which takes a row lock on PostgreSQL (and the write lock on
SQLite), so two transactions can never both append after the same entry and
fork the chain. It also lets `verify` notice that the newest entries were
deleted: the head would point past the end.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from azyl.appdb.base import Base, UTCDateTime


class AuditEntry(Base):
    """One event: sequence number, time, actor, action, target, details, and the chain."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row naming the newest entry (id is always 1)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
