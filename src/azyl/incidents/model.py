"""The incident registry's tables.

One row per incident, with its tactics, target profiles and sources as child
rows. Tactics and profiles are rows rather than a JSON column because the
screening engine and the filters ask "which incidents used tactic T / concern
profile P", and a plain indexed column answers that the same way on SQLite and
PostgreSQL; a `position` keeps the order the documenter wrote them in, so an
export gives back exactly what was imported.

The CAPE stage and the last possible day (`date_end`) are derived from the
content and stored only so that queries can filter on them; `store.py` is the
one place that writes them. Closed vocabularies (tactics, outcomes, profiles)
are checked by the library, not by database constraints, so extending a
vocabulary never needs a migration; structural rules (a target has a name or a
label, a source is a knowledge-base id or a URL) are constraints.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from azyl.appdb.base import Base, UTCDateTime


class IncidentRow(Base):
    """An incident of transnational repression."""

    __tablename__ = "incidents"
    __table_args__ = (
        CheckConstraint(
            "target_name IS NOT NULL OR target_label IS NOT NULL", name="target_named_or_labelled"
        ),
        CheckConstraint(
            "date_precision IN ('day', 'month', 'year', 'before')", name="date_precision_known"
        ),
        CheckConstraint("visibility IN ('public', 'restricted')", name="visibility_known"),
        Index("ix_incidents_origin_host", "origin", "host"),
    )

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    date_precision: Mapped[str] = mapped_column(String(8))
    date_end: Mapped[dt.date] = mapped_column(Date, index=True)
    origin: Mapped[str] = mapped_column(String(3))
    origin_region: Mapped[str | None] = mapped_column(String(8))
    host: Mapped[str | None] = mapped_column(String(3), index=True)
    host_region: Mapped[str | None] = mapped_column(String(8))
    residence: Mapped[str | None] = mapped_column(String(3))
    target_name: Mapped[str | None] = mapped_column(String(200))
    target_label: Mapped[str | None] = mapped_column(String(200))
    target_label_ru: Mapped[str | None] = mapped_column(String(200))
    target_name_ru: Mapped[str | None] = mapped_column(String(200))
    relatives_targeted: Mapped[bool] = mapped_column(Boolean)
    relatives_relation: Mapped[str | None] = mapped_column(String(200))
    relatives_relation_ru: Mapped[str | None] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(32), index=True)
    outcome: Mapped[str] = mapped_column(String(32))
    mechanism: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    mechanism_ru: Mapped[str | None] = mapped_column(Text)
    summary_ru: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[str] = mapped_column(String(8))
    visibility: Mapped[str] = mapped_column(String(12), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    #: Digest of the seed record this row was last loaded from (None: not from the seed).
    seed_digest: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    tactics: Mapped[list[TacticRow]] = relationship(
        order_by="TacticRow.position", cascade="all, delete-orphan", lazy="selectin"
    )
    profiles: Mapped[list[ProfileRow]] = relationship(
        order_by="ProfileRow.position", cascade="all, delete-orphan", lazy="selectin"
    )
    sources: Mapped[list[SourceRow]] = relationship(
        order_by="SourceRow.position", cascade="all, delete-orphan", lazy="selectin"
    )


class TacticRow(Base):
    """A tactic used in an incident."""

    __tablename__ = "incident_tactics"

    incident_id: Mapped[str] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    tactic: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class ProfileRow(Base):
    """A profile (knowledge-base vocabulary) of an incident's target."""

    __tablename__ = "incident_profiles"

    incident_id: Mapped[str] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    profile: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class SourceRow(Base):
    """A citation supporting an incident."""

    __tablename__ = "incident_sources"
    __table_args__ = (
        CheckConstraint("source_id IS NOT NULL OR url IS NOT NULL", name="kb_source_or_url"),
    )

    incident_id: Mapped[str] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(120))
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date)
    pinpoint: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
