"""Editing the incident registry: create, edit and revert, each a new version, audited.

Every function here is one transaction that (1) locks the incident's row,
(2) checks that the editor started from the current version (optimistic
concurrency: a stale save raises `EditConflict` showing the other change),
(3) validates the document with exactly the rules of `azyl incidents import`
(`incidents.validate.parse_document`), (4) writes the row, then the new version
with its full snapshot, the registry's change counter and the audit entry
through the registry's one writer of history (`incidents.versions`).
Either all of it is committed or none of it.

A version's snapshot is the incident's document (`IncidentRecord.to_document`,
restricted fields included); history is therefore for editors only.
History starts with the first recorded version: `azyl build` records a
`seed` version for each seeded incident, `azyl incidents import` an `import`
version, and an incident stored before versioning existed gets its content
as a `baseline` version the first time it is edited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from azyl.appdb import session_scope, utc_now
from azyl.errors import InputError, NotFound
from azyl.i18n import N_
from azyl.i18n.message import Message, failure
from azyl.incidents.model import IncidentRow
from azyl.incidents.record import IncidentRecord, IncidentView
from azyl.incidents.references import SourceCatalogue
from azyl.incidents.store import new_row, update_row, view_of
from azyl.incidents.validate import Rules, parse_document
from azyl.incidents.versions import RECORD, record_edit
from azyl.revisions import history
from azyl.revisions.errors import EditConflict, RecordInvalid
from azyl.revisions.history import Change, Version
from azyl.validation import field_name


@dataclass(frozen=True)
class Saved:
    """The outcome of a save: the stored incident, its version, and what changed."""

    incident: IncidentView
    version: int
    changes: tuple[Change, ...]


def import_rules(catalogue: SourceCatalogue, today: dt.date | None = None) -> Rules:
    """The rules `azyl incidents import` applies; the web forms use the very same ones."""
    return Rules(catalogue=catalogue, today=today or dt.date.today(), allow_derived=True)


def validate_incident(document: Any, rules: Rules) -> IncidentRecord:
    """The record a document describes, or RecordInvalid listing every field's problems."""
    record, problems = parse_document(document, rules)
    if record is None:
        raise RecordInvalid("incident", [(field_name(p.path), p.message) for p in problems])
    return record


def _locked_row(session: Session, incident_id: str) -> IncidentRow:
    """The incident's row, locked for this transaction (SQLite's BEGIN IMMEDIATE already is)."""
    row = session.scalars(
        select(IncidentRow).where(IncidentRow.id == incident_id).with_for_update()
    ).first()
    if row is None:
        raise _no_incident(incident_id)
    return row


_ID_FIXED = N_("an incident's id cannot change ({id}); create a new one")


def _no_incident(incident_id: str) -> NotFound:
    return failure(NotFound, N_("no incident with id {id}"), id=repr(incident_id))


def _check_base(session: Session, incident_id: str, base_version: int) -> Version | None:
    """The current version, after checking the editor started from it."""
    current = history.latest(session, RECORD, incident_id)
    number = current.version if current else 0
    if base_version > number or base_version < 0:
        raise failure(
            InputError,
            N_("version {base} of incident {id} does not exist (the current version is {current})"),
            base=base_version,
            id=repr(incident_id),
            current=number,
        )
    if current is not None and base_version != number:
        base = (
            history.get_version(session, RECORD, incident_id, base_version)
            if 0 < base_version < number
            else None
        )
        changes = history.diff(base.snapshot if base else None, current.snapshot)
        raise EditConflict("incident", base_version, current, changes)
    return current


def create_incident(
    engine: Engine,
    document: Any,
    *,
    rules: Rules,
    actor: Any,
    address: str | None = None,
) -> Saved:
    """Validate and store a new incident as version 1; audited `incident.create`."""
    record = validate_incident(document, rules)
    now = utc_now()
    try:
        with session_scope(engine) as session:
            if session.get(IncidentRow, record.id) is not None:
                raise _taken(record.id)
            session.add(new_row(record, now, now))
            session.flush()
            saved = _record_version(session, record, None, "create", actor, address)
    except IntegrityError:  # created at the same moment by someone else
        raise _taken(record.id) from None
    return saved


def _taken(incident_id: str) -> RecordInvalid:
    taken = Message.of(N_("{id} is already used by another incident"), id=repr(incident_id))
    return RecordInvalid("incident", [("id", taken)])


def update_incident(
    engine: Engine,
    incident_id: str,
    document: Any,
    base_version: int,
    *,
    rules: Rules,
    actor: Any,
    address: str | None = None,
) -> Saved:
    """Save an edit made on `base_version`; EditConflict if the incident changed since."""
    record = validate_incident(document, rules)
    if record.id != incident_id:
        raise RecordInvalid(
            "incident",
            [("id", Message.of(_ID_FIXED, id=repr(incident_id)))],
        )
    with session_scope(engine) as session:
        row = _locked_row(session, incident_id)
        current = _check_base(session, incident_id, base_version)
        return _save(session, row, record, current, "edit", actor, address)


def revert_incident(
    engine: Engine,
    incident_id: str,
    to_version: int,
    base_version: int,
    *,
    rules: Rules,
    actor: Any,
    address: str | None = None,
) -> Saved:
    """Restore an earlier version's content as a new version; audited `incident.revert`.

    The old content is validated again with today's rules: a version that
    cites a source the knowledge base has since dropped is refused, listing why.
    """
    with session_scope(engine) as session:
        row = _locked_row(session, incident_id)
        current = _check_base(session, incident_id, base_version)
        old = history.get_version(session, RECORD, incident_id, to_version)
        record = validate_incident(old.snapshot, rules)
        return _save(session, row, record, current, "revert", actor, address, to_version)


def _save(
    session: Session,
    row: IncidentRow,
    record: IncidentRecord,
    current: Version | None,
    action: str,
    actor: Any,
    address: str | None,
    reverted_to: int | None = None,
) -> Saved:
    if current is None:  # stored before versioning: its content becomes version 1
        current = history.append(
            session,
            RECORD,
            row.id,
            view_of(row).record().to_document(),
            action="baseline",
            actor=None,
            previous=None,
        )
    update_row(session, row, record, utc_now())
    return _record_version(session, record, current, action, actor, address, reverted_to)


def _record_version(
    session: Session,
    record: IncidentRecord,
    previous: Version | None,
    action: str,
    actor: Any,
    address: str | None,
    reverted_to: int | None = None,
) -> Saved:
    """The version, the change counter and the audit entry of one change (`versions`)."""
    version, changes = record_edit(
        session, record, previous, action=action, actor=actor, address=address,
        reverted_to=reverted_to,
    )  # fmt: skip
    row = session.get(IncidentRow, record.id)
    assert row is not None
    session.flush()
    session.refresh(row)
    return Saved(view_of(row), version.version, tuple(changes))


def incident_history(engine: Engine, incident_id: str) -> list[Version]:
    """Every version of an incident, oldest first; NotFound for an unknown incident."""
    with session_scope(engine, commit=False) as session:
        if session.get(IncidentRow, incident_id) is None:
            raise _no_incident(incident_id)
        return history.versions(session, RECORD, incident_id)


def current_version(engine: Engine, incident_id: str) -> int:
    """The version an edit form starts from (0: no history recorded yet)."""
    with session_scope(engine, commit=False) as session:
        found = history.latest(session, RECORD, incident_id)
    return found.version if found else 0
