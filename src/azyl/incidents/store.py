"""Reading and writing incident rows: the one place that maps records to tables.

Everything else (seed, import, queries) hands records in and gets views out,
so derived columns (stage, last possible day) are always computed the same
way, and child rows (tactics, profiles, sources) are always replaced whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from azyl.incidents.model import IncidentRow, ProfileRow, SourceRow, TacticRow
from azyl.incidents.record import IncidentRecord, IncidentView, SourceRef


def view_of(row: IncidentRow) -> IncidentView:
    """The frozen view of a stored incident."""
    return IncidentView(
        id=row.id,
        date=row.date,
        date_precision=row.date_precision,
        origin=row.origin,
        origin_region=row.origin_region,
        host=row.host,
        host_region=row.host_region,
        residence=row.residence,
        target_name=row.target_name,
        target_label=row.target_label,
        target_name_ru=row.target_name_ru,
        target_label_ru=row.target_label_ru,
        target_profiles=tuple(p.profile for p in row.profiles),
        relatives_targeted=row.relatives_targeted,
        relatives_relation=row.relatives_relation,
        relatives_relation_ru=row.relatives_relation_ru,
        tactics=tuple(t.tactic for t in row.tactics),
        outcome=row.outcome,
        mechanism=row.mechanism,
        summary=row.summary,
        mechanism_ru=row.mechanism_ru,
        summary_ru=row.summary_ru,
        sources=tuple(
            SourceRef(
                source=s.source_id,
                url=s.url,
                title=s.title,
                date=s.published,
                pinpoint=s.pinpoint,
                quote=s.quote,
            )
            for s in row.sources
        ),
        confidence=row.confidence,
        visibility=row.visibility,
        notes=row.notes,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def new_row(record: IncidentRecord, created_at: datetime, updated_at: datetime) -> IncidentRow:
    """A row for a record that is not stored yet."""
    row = IncidentRow(id=record.id, created_at=created_at, updated_at=updated_at)
    _set_fields(row, record)
    _set_children(row, record)
    return row


def update_row(session: Session, row: IncidentRow, record: IncidentRecord, now: datetime) -> None:
    """Replace a stored incident's content with `record` and stamp the change."""
    _set_fields(row, record)
    # Empty the child collections and flush before adding the new ones: a tactic kept
    # from the old version has the same primary key as the row being deleted.
    row.tactics.clear()
    row.profiles.clear()
    row.sources.clear()
    session.flush()
    _set_children(row, record)
    row.updated_at = now


def _set_fields(row: IncidentRow, record: IncidentRecord) -> None:
    row.date = record.date
    row.date_precision = record.date_precision
    row.date_end = record.date_end
    row.origin = record.origin
    row.origin_region = record.origin_region
    row.host = record.host
    row.host_region = record.host_region
    row.residence = record.residence
    row.target_name = record.target_name
    row.target_label = record.target_label
    row.target_name_ru = record.target_name_ru
    row.target_label_ru = record.target_label_ru
    row.relatives_targeted = record.relatives_targeted
    row.relatives_relation = record.relatives_relation
    row.relatives_relation_ru = record.relatives_relation_ru
    row.stage = record.stage
    row.outcome = record.outcome
    row.mechanism = record.mechanism
    row.summary = record.summary
    row.mechanism_ru = record.mechanism_ru
    row.summary_ru = record.summary_ru
    row.confidence = record.confidence
    row.visibility = record.visibility
    row.notes = record.notes


def _set_children(row: IncidentRow, record: IncidentRecord) -> None:
    row.tactics.extend(TacticRow(tactic=t, position=i) for i, t in enumerate(record.tactics))
    row.profiles.extend(
        ProfileRow(profile=p, position=i) for i, p in enumerate(record.target_profiles)
    )
    row.sources.extend(
        SourceRow(
            position=i,
            source_id=s.source,
            url=s.url,
            title=s.title,
            published=s.date,
            pinpoint=s.pinpoint,
            quote=s.quote,
        )
        for i, s in enumerate(record.sources)
    )


def rows_by_id(
    session: Session, ids: Iterable[str], *, lock: bool = False
) -> dict[str, IncidentRow]:
    """The stored rows among `ids` (in batches, to stay under bound-parameter limits).

    `lock` takes them FOR UPDATE (on SQLite the transaction's write lock already
    covers them), in id order, so that two writers cannot deadlock on them.
    """
    wanted = sorted(set(ids))
    found: dict[str, IncidentRow] = {}
    for start in range(0, len(wanted), 500):
        query = select(IncidentRow).where(IncidentRow.id.in_(wanted[start : start + 500]))
        if lock:
            query = query.order_by(IncidentRow.id).with_for_update()
        for row in session.scalars(query):
            found[row.id] = row
    return found
