"""Importing and exporting the registry (CSV, XLSX, JSON).

Import is all or nothing: every row is validated first, with the database's
current version of the incident filling in any column the file leaves out;
if any row has a problem, nothing is written and every problem is reported
as `row N: column: problem`. Incidents are matched by id: a new id is
created, a known id is updated, an identical one is left untouched. The
knowledge base's sources and the list of states are never extended by an
import: citing an unknown source or country is a problem like any other.

Export writes every incident the audience may see. The `public` audience
gets no restricted incident and none of the restricted fields
(`record.RESTRICTED_FIELDS`). Exporting, importing into an empty database and
exporting again gives the same bytes (CSV, JSON) or the same cells (XLSX).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from azyl import audit
from azyl.appdb import session_scope, utc_now
from azyl.errors import InputError
from azyl.i18n import N_
from azyl.i18n.message import Message, failure
from azyl.incidents import versions
from azyl.incidents.errors import IncidentImportError
from azyl.incidents.formats import (
    FORMATS,
    READERS,
    WRITERS,
    IncomingRow,
    Unreadable,
    is_public,
    row_label,
)
from azyl.incidents.model import IncidentRow
from azyl.incidents.query import check_visibility, find_incidents
from azyl.incidents.record import IncidentRecord, IncidentView, parse_timestamp
from azyl.incidents.references import SourceCatalogue
from azyl.incidents.store import new_row, rows_by_id, update_row, view_of
from azyl.incidents.validate import Problem, Rules, parse_document
from azyl.limits import check_size, read_file

#: The largest file imported: far more than a registry needs (the seed exports to under 80 KB).
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    name: str  # the file, as the person importing it named it
    created: tuple[str, ...]
    updated: tuple[tuple[str, tuple[str, ...]], ...]  # (id, the fields that changed)
    unchanged: tuple[str, ...]
    dry_run: bool = False

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        head = (
            f"{self.name}: {len(self.created)} incidents {verb} created, "
            f"{len(self.updated)} updated, {len(self.unchanged)} unchanged"
        )
        return [
            head,
            *(f"created: {i}" for i in self.created),
            *(f"updated: {i} ({', '.join(fields)})" for i, fields in self.updated),
        ]


def detect_format(name: str, fmt: str | None) -> str:
    """The format named, or the one the file name's extension says."""
    suffix = PurePath(name).suffix
    chosen = (fmt or suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise failure(
            InputError,
            N_("{name}: cannot tell the format from {suffix}; use --format {formats}"),
            name=name,
            suffix=repr(suffix) if suffix else Message.of(N_("'a name without extension'")),
            formats="|".join(FORMATS),
        )
    return chosen


def import_incidents(
    engine: Engine,
    path: Path,
    catalogue: SourceCatalogue,
    *,
    fmt: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    actor: Any = None,
) -> ImportReport:
    """Import the file at `path` (see `import_incident_file`)."""
    fmt = detect_format(path.name, fmt)
    try:
        data = read_file(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    return import_incident_file(
        engine, data, str(path), catalogue, fmt=fmt, dry_run=dry_run, today=today, actor=actor
    )


def import_incident_file(
    engine: Engine,
    data: bytes,
    name: str,
    catalogue: SourceCatalogue,
    *,
    fmt: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    actor: Any = None,
    address: str | None = None,
) -> ImportReport:
    """Validate every row of a file's bytes, then create and update incidents in one transaction.

    The rows are locked while they are compared and written, so an editor's
    save at the same moment is never overwritten unseen. A real import (not a
    dry run) records a version per incident it changes, named after `actor`,
    and one `incident.import` audit entry with the counts and the file's
    SHA-256.
    """
    fmt = detect_format(name, fmt)
    check_size(data, name, MAX_FILE_BYTES)
    try:
        rows, unread = READERS[fmt](data)
    except (OSError, ValueError, KeyError) as exc:  # not text, not a workbook, ...
        said = exc.message if isinstance(exc, Unreadable) else str(exc)
        problem = Message.of(N_("cannot be read as {format}: {problem}"), format=fmt, problem=said)
        raise IncidentImportError(name, [problem]) from None
    if unread:
        raise IncidentImportError(name, unread)
    rules = Rules(catalogue=catalogue, today=today or dt.date.today(), allow_derived=True)
    try:
        with session_scope(engine, commit=not dry_run) as session:
            accepted, stored, problems = _validated(session, rows, rules)
            if problems:
                raise IncidentImportError(name, problems)
            report = _write(session, accepted, stored, name, dry_run)
            if not dry_run:
                _record_versions(session, [*report.created, *(i for i, _ in report.updated)],
                                 actor)  # fmt: skip
                _audit(session, report, data, fmt, actor, address)
    except IntegrityError:  # an incident of the same id was created at the same moment
        meanwhile = N_("another incident with one of these ids was saved meanwhile; import again")
        raise IncidentImportError(name, [Message.of(meanwhile)]) from None
    return report


Accepted = list[tuple[IncidentRecord, dict[str, Any]]]


def _validated(
    session: Session, rows: list[IncomingRow], rules: Rules
) -> tuple[Accepted, dict[str, IncidentRow], list[str | Message]]:
    """Every row checked against the stored incident it updates (locked): records and problems."""
    ids = [str(r.document.get("id") or "").strip() for r in rows]
    stored = rows_by_id(session, (i for i in ids if i), lock=True)
    now = utc_now()
    problems: list[str | Message] = []
    accepted: Accepted = []
    seen: dict[str, str] = {}
    for row, incident_id in zip(rows, ids, strict=True):
        current = view_of(stored[incident_id]).to_document() if incident_id in stored else {}
        record, found = parse_document(_merge(current, row.document), rules)
        problems += [_row_problem(row, p) for p in (*row.problems, *found)]
        if record is None:
            continue
        if record.id in seen:
            twice = N_("{row}: id: {id} already appears in {first}")
            problems.append(
                Message.of(twice, row=_said_row(row.label), id=repr(record.id),
                           first=_said_row(seen[record.id]))
            )  # fmt: skip
            continue
        seen[record.id] = row.label
        stamps = _timestamps(row, problems, now) if record.id not in stored else {}
        accepted.append((record, stamps))
    return accepted, stored, problems


def _said_row(label: str) -> Message | str:
    """A row's label ("row 17") in any language."""
    numbered = re.fullmatch(r"row (\d+)", label)
    return row_label(int(numbered[1])) if numbered else label


def _row_problem(row: IncomingRow, problem: Problem) -> Message:
    """ "row 2: source_1_quote: is 301 characters long; the limit is 300", in any language."""
    return Message.of(
        "{row}: {field}: {problem}",
        row=_said_row(row.label),
        field=row.name_field(problem.path),
        problem=problem.message,
    )


def _write(
    session: Session,
    accepted: Accepted,
    stored: dict[str, IncidentRow],
    name: str,
    dry_run: bool,
) -> ImportReport:
    created: list[str] = []
    updated: list[tuple[str, tuple[str, ...]]] = []
    unchanged: list[str] = []
    now = utc_now()
    for record, stamps in accepted:
        existing = stored.get(record.id)
        if existing is None:
            # Held in `stored` until the versions are written: the session keeps only weak
            # references, and a collected row would be read back with its children.
            stored[record.id] = new_row(record, stamps["created_at"], stamps["updated_at"])
            session.add(stored[record.id])
            created.append(record.id)
            continue
        changed = _changed_fields(view_of(existing).record(), record)
        if changed:
            update_row(session, existing, record, now)
            updated.append((record.id, changed))
        else:
            unchanged.append(record.id)
    session.flush()
    return ImportReport(name, tuple(created), tuple(updated), tuple(unchanged), dry_run)


def _audit(
    session: Session, report: ImportReport, data: bytes, fmt: str, actor: Any, address: str | None
) -> None:
    """One entry for the whole import: counts and the file's digest, not its content."""
    audit.record(
        session,
        "incident.import",
        actor=actor,
        details={
            "format": fmt,
            "sha256": hashlib.sha256(data).hexdigest(),
            "created": len(report.created),
            "updated": len(report.updated),
            "unchanged": len(report.unchanged),
        },
        address=address,
    )


def _record_versions(session: Session, changed: list[str], actor: Any) -> None:
    """An `import` version of each incident the file created or changed (docs/editing.md)."""
    versions.record_loaded(session, changed, action="import", actor=actor, changed=bool(changed))


def _merge(current: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """The incoming fields over the stored ones (the target's sub-fields one by one)."""
    merged = {**current, **incoming}
    if isinstance(current.get("target"), dict) and isinstance(incoming.get("target"), dict):
        merged["target"] = {**current["target"], **incoming["target"]}
    return merged


def _timestamps(
    row: IncomingRow, problems: list[str | Message], now: dt.datetime
) -> dict[str, dt.datetime]:
    """Creation and update times for a new incident: the file's, or now.

    Keeping the file's times lets an archive move between installations with its history.
    """
    stamps: dict[str, dt.datetime] = {}
    for key in ("created_at", "updated_at"):
        raw = row.document.get(key)
        if raw in (None, ""):
            continue
        try:
            stamps[key] = parse_timestamp(str(raw))
        except ValueError:
            not_time = N_("{row}: {key}: {value} is not a timestamp (2026-11-22T18:04:05Z)")
            problems.append(
                Message.of(not_time, row=_said_row(row.label), key=key, value=repr(raw))
            )
    created = stamps.setdefault("created_at", now)
    updated = stamps.setdefault("updated_at", created)
    if updated < created:
        before = N_("{row}: updated_at: is before created_at")
        problems.append(Message.of(before, row=_said_row(row.label)))
    return stamps


def _changed_fields(old: IncidentRecord, new: IncidentRecord) -> tuple[str, ...]:
    before, after = old.to_document(), new.to_document()
    return tuple(key for key in after if before.get(key) != after.get(key))


def render_incidents(views: Sequence[IncidentView], fmt: str, visibility: str) -> bytes:
    """Serialise views (already filtered for the audience) in one of the formats."""
    if fmt not in WRITERS:
        raise failure(
            InputError,
            N_("unknown format {format}; use {formats}"),
            format=repr(fmt),
            formats="|".join(FORMATS),
        )
    return WRITERS[fmt](views, is_public(visibility))


def export_incidents(
    engine: Engine,
    fmt: str,
    *,
    visibility: str = "all",
    actor: Any = None,
    address: str | None = None,
    views: Sequence[IncidentView] | None = None,
) -> bytes:
    """Every incident the audience may see, in `fmt` (csv, xlsx or json).

    `views`, when given, are the incidents to write instead (a filtered list,
    already chosen for this audience): the web app's downloads of a list.

    An export that holds restricted incidents is audited (`incident.export`)
    when an `actor` is named: it is a copy of the team's confidential material
    leaving the server.
    """
    check_visibility(visibility)
    if views is None:
        views = find_incidents(engine, visibility=visibility)
    content = render_incidents(views, fmt, visibility)
    audit_export(engine, fmt, visibility, len(views), actor=actor, address=address)
    return content


def audit_export(
    engine: Engine, fmt: str, visibility: str, count: int, *, actor: Any, address: str | None
) -> None:
    """Record an export that holds restricted incidents (`incident.export`); public ones are
    not audited. Apart from the rendering, so that a server can keep the rendered file
    and still audit every download of it."""
    if actor is None or is_public(visibility):
        return
    with session_scope(engine) as session:
        audit.record(
            session,
            "incident.export",
            actor=actor,
            details={"format": fmt, "visibility": visibility, "incidents": count},
            address=address,
        )
