"""The tables of saved cases: every personal field is a vault token, never plaintext.

    cases        id (random), owner, times, the case's data key wrapped by the keyring,
                 and the title, profile and notes encrypted with that data key
    case_runs    one screening of a case: number, as-of date, knowledge-base version,
                 when it ran, and the assessment encrypted with the case's data key
    case_shares  which colleagues may read a case

In clear stay only what the server needs to authorize and order: ids, the
owner and the people a case is shared with, timestamps, run numbers, as-of
dates and knowledge-base versions. Case ids are random (not a counter) so an id
says nothing about how many cases a server holds or when one was made.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from azyl.appdb.base import AUDITED_AS, Base, UTCDateTime, utc_now


class Case(Base):
    """A saved case; `wrapped_key` is its data key under the keyring's active key."""

    __tablename__ = "cases"
    __table_args__ = ({"info": {AUDITED_AS: "saved case"}},)  # `case.save` is audited

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    wrapped_key: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    profile: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text)


class CaseRun(Base):
    """One screening of a case as of a date; older runs are kept when it is re-run."""

    __tablename__ = "case_runs"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[date] = mapped_column(Date)
    kb_version: Mapped[str] = mapped_column(String(120))
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    assessment: Mapped[str] = mapped_column(Text)


class CaseShare(Base):
    """A colleague who may read a case (only its owner may share, re-run or erase it)."""

    __tablename__ = "case_shares"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
