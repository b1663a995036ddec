"""The tables of versioned edits: every version of every edited record, and who made it.

`revisions` keeps, for each record (an incident, a knowledge-base proposal),
the full content after every change as JSON, so any version can be shown,
compared with the one before, or restored; `(record_type, record_id,
version)` is unique, which is the database's own guarantee that two
concurrent saves can never both become version N.

`kb_proposals` holds proposed knowledge-base facts (YAML text) and their
review status; their content history is in `revisions` like an incident's.

`registry_state` is a tiny counter table: every change to the incident
registry increments `incidents` in the same transaction, so each web worker
can tell with one indexed read whether its cached incident index is stale.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from azyl.appdb.base import Base, UTCDateTime


class RevisionRow(Base):
    """One version of one record: the full snapshot after the change."""

    __tablename__ = "revisions"
    __table_args__ = (
        UniqueConstraint("record_type", "record_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer)
    #: create, edit, revert (people), seed, import, baseline (history starting on an old row).
    action: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: The version restored, for a revert.
    reverted_to: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)
    snapshot: Mapped[str] = mapped_column(Text)


class ProposalRow(Base):
    """A proposed new knowledge-base fact, or a change to one, awaiting an admin's decision."""

    __tablename__ = "kb_proposals"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'submitted', 'accepted', 'rejected')", name="status_known"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    fact_id: Mapped[str] = mapped_column(String(120), index=True)
    #: "new" (the fact does not exist yet) or "change" (of an existing fact).
    kind: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), index=True)
    version: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)


class RegistryState(Base):
    """Named change counters (one row, `incidents`, bumped by every registry write)."""

    __tablename__ = "registry_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    counter: Mapped[int] = mapped_column(Integer)
