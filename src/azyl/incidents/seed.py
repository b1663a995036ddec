"""Loading the reviewed seed file (incidents/seed.yaml) into the application database.

The seed is read strictly, like the knowledge base: `azyl.validation` reads
the YAML with its lines and validates each incident against the models of
`azyl.incidents.documents`. Duplicate keys, unknown keys, unknown vocabulary,
dates that are not on the calendar, citations of sources the knowledge base
does not have, and quotes missing from the archived text are all reported as
`file:line: field: problem`, every one of them, and nothing is loaded.

Loading is idempotent and never overwrites work done in the database. Each
seeded row remembers the digest of the seed version it was loaded from:

- an incident not in the database is inserted;
- one whose database content still matches the digest it was seeded with
  (nobody edited it) is brought up to date with the seed;
- one edited in the database since (or created there under the same id) is
  left alone and reported as a conflict, for a person to reconcile;
- incidents in the database that the seed no longer lists are reported, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from azyl.appdb import open_database, session_scope, utc_now
from azyl.config import Settings
from azyl.incidents import versions
from azyl.incidents.documents import IncidentDoc, Rules
from azyl.incidents.errors import SeedError
from azyl.incidents.model import IncidentRow
from azyl.incidents.record import IncidentRecord
from azyl.incidents.references import SourceCatalogue, catalogue_for
from azyl.incidents.store import new_row, rows_by_id, update_row, view_of
from azyl.limits import LimitExceeded, read_file
from azyl.validation import Problems, read_yaml, validate

#: The largest seed file read (the reviewed seed is under 100 KB).
SEED_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class SeedConflict:
    """A seeded incident the loader did not touch, and why."""

    id: str
    reason: str


@dataclass(frozen=True)
class SeedReport:
    """What loading the seed did (or, in a dry run, would do)."""

    path: Path
    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    conflicts: tuple[SeedConflict, ...]
    not_in_seed: tuple[str, ...]
    quotes_checked: int
    quotes_unchecked: int
    dry_run: bool = False

    def lines(self) -> list[str]:
        """A short human summary, one fact per line."""
        verb = "would be" if self.dry_run else "were"
        out = [
            f"{self.path}: {len(self.created)} incidents {verb} added, "
            f"{len(self.updated)} updated, {len(self.unchanged)} already up to date",
            f"quotes checked against their sources' texts here: {self.quotes_checked}"
            + (
                f" ({self.quotes_unchecked} not checked here: no copy of the text at hand)"
                if self.quotes_unchecked
                else ""
            ),
        ]
        out += [f"conflict: {c.id}: {c.reason}" for c in self.conflicts]
        out += [f"not in the seed (kept): {i}" for i in self.not_in_seed]
        return out


def read_seed(
    path: Path, catalogue: SourceCatalogue, today: date
) -> tuple[list[IncidentRecord], int, int]:
    """Validate the seed file; return its records and how many quotes were (not) checkable.

    Raises SeedError listing every problem with its line. An empty file is a seed
    without incidents.
    """
    name = str(path)
    try:
        text = read_file(path, SEED_MAX_BYTES).decode("utf-8")
    except OSError as exc:
        raise SeedError(name, [f"{name}: cannot be read: {exc.strerror}"]) from None
    except (UnicodeDecodeError, LimitExceeded) as exc:
        raise SeedError(name, [f"{name}: cannot be read: {exc}"]) from None
    problems = Problems()
    parsed = read_yaml(text, name, problems, empty_ok=True)
    if parsed is None:
        raise SeedError(name, problems.sorted_lines())
    if not isinstance(parsed.data, list | None):
        raise SeedError(
            name, [f"{name}:1: the seed is a list of incidents (each starting with '- id:')"]
        )
    rules = Rules(
        catalogue=catalogue, today=today, strict_codes=True, require_quotes=True, allow_notes=False
    )
    records: list[IncidentRecord] = []
    first_line: dict[str, int] = {}
    for item in parsed.items() if parsed.data else []:
        doc = validate(IncidentDoc, item, name, problems, context=rules.context())
        if doc is None:
            continue
        start = item.line(())
        if doc.id in first_line:
            problems.add(name, start, f"id {doc.id!r} is already used at line {first_line[doc.id]}")
            continue
        first_line[doc.id] = start
        records.append(doc.record())
    if problems:
        raise SeedError(name, problems.sorted_lines())
    checked = unchecked = 0
    for record in records:
        for ref in record.sources:
            if ref.source is not None and ref.quote is not None:
                if catalogue.archived_text(ref.source) is None:
                    unchecked += 1
                else:
                    checked += 1
    return records, checked, unchecked


def apply_seed(
    session: Session, records: list[IncidentRecord]
) -> tuple[list[str], list[str], list[str], list[SeedConflict], list[str]]:
    """Insert new incidents, update untouched seeded ones, report the rest (see module doc)."""
    now = utc_now()
    stored = rows_by_id(session, (r.id for r in records))
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    conflicts: list[SeedConflict] = []
    for record in records:
        digest = record.content_digest()
        row = stored.get(record.id)
        if row is None:
            row = new_row(record, now, now)
            row.seed_digest = digest
            session.add(row)
            # Held here until the versions are written: the session only keeps weak
            # references, and a collected row would be read back with its children.
            stored[record.id] = row
            created.append(record.id)
            continue
        current = view_of(row).record()
        current_digest = current.content_digest()
        if current_digest == digest:
            row.seed_digest = digest  # adopt it: later seed changes can flow in
            unchanged.append(record.id)
        elif row.seed_digest is None:
            conflicts.append(
                SeedConflict(record.id, "created in the database, not from the seed; left as it is")
            )
        elif row.seed_digest != current_digest:
            conflicts.append(
                SeedConflict(
                    record.id,
                    "edited in the database since it was seeded; "
                    "the seed's changes were not applied",
                )
            )
        else:
            update_row(session, row, _keep_notes(record, current), now)
            row.seed_digest = digest
            updated.append(record.id)
    _record_versions(session, created + updated, unchanged)
    seeded = set(
        session.scalars(select(IncidentRow.id).where(IncidentRow.seed_digest.is_not(None)))
    )
    not_in_seed = sorted(seeded - {r.id for r in records})
    return created, updated, unchanged, conflicts, not_in_seed


def _record_versions(session: Session, changed: list[str], unchanged: list[str]) -> None:
    """A `seed` version for each incident the seed created or updated, and version 1 for
    seeded incidents stored before versioning; the registry's change counter moves if any
    content changed (docs/editing.md)."""
    recorded = versions.recorded_ids(session)
    fresh = [*changed, *(i for i in unchanged if i not in recorded)]
    versions.record_loaded(session, fresh, action="seed", actor=None, changed=bool(changed))


def _keep_notes(record: IncidentRecord, current: IncidentRecord) -> IncidentRecord:
    """The seed does not carry notes; the team's notes on a seeded incident are kept."""
    return replace(record, notes=current.notes)


def load_seed(
    settings: Settings, *, engine: Engine | None = None, dry_run: bool = False
) -> SeedReport:
    """Validate `settings.incidents_seed` and load it into the application database.

    All or nothing: a seed with any problem raises SeedError and changes
    nothing. `dry_run` reports what would change and rolls back.
    """
    path = settings.incidents_seed
    records, checked, unchecked = read_seed(path, catalogue_for(settings), date.today())
    engine = engine or open_database(settings)
    with session_scope(engine, commit=not dry_run) as session:
        created, updated, unchanged, conflicts, not_in_seed = apply_seed(session, records)
    return SeedReport(
        path=path,
        created=tuple(created),
        updated=tuple(updated),
        unchanged=tuple(unchanged),
        conflicts=tuple(conflicts),
        not_in_seed=tuple(not_in_seed),
        quotes_checked=checked,
        quotes_unchecked=unchecked,
        dry_run=dry_run,
    )
