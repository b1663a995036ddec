"""Versions of a record: append one, list them, compare two, summarise a change.

A version is the full snapshot of the record's content after a change (a
JSON document), never a delta: showing, comparing and restoring any version
needs only that row, and a damaged row damages one version, not the chain.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from azyl.appdb import utc_now
from azyl.errors import NotFound
from azyl.i18n import N_
from azyl.i18n.message import failure
from azyl.limits import MAX_ID
from azyl.revisions.model import RevisionRow

#: What made a version: people (create, edit, revert) or the registry's loaders.
ACTIONS: tuple[str, ...] = ("create", "edit", "revert", "seed", "import", "baseline")
#: Fields named in a summary before "and N more".
SUMMARY_FIELDS = 6


@dataclass(frozen=True)
class Version:
    """One stored version of a record."""

    record_type: str
    record_id: str
    version: int
    action: str
    actor: str | None
    at: dt.datetime
    reverted_to: int | None
    summary: str
    snapshot: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The version as the API shows it (the snapshot included)."""
        return {
            "version": self.version,
            "action": self.action,
            "actor": self.actor,
            "at": self.at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "reverted_to": self.reverted_to,
            "summary": self.summary,
            "snapshot": self.snapshot,
        }


@dataclass(frozen=True)
class Change:
    """One field that differs between two versions, with both values as display text."""

    field: str
    before: str
    after: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "before": self.before, "after": self.after}


def _version(row: RevisionRow) -> Version:
    return Version(
        record_type=row.record_type,
        record_id=row.record_id,
        version=row.version,
        action=row.action,
        actor=row.actor,
        at=row.at,
        reverted_to=row.reverted_to,
        summary=row.summary,
        snapshot=json.loads(row.snapshot),
    )


def versions(session: Session, record_type: str, record_id: str) -> list[Version]:
    """Every version of a record, oldest first (empty if it has no history)."""
    rows = session.scalars(
        select(RevisionRow)
        .where(RevisionRow.record_type == record_type, RevisionRow.record_id == record_id)
        .order_by(RevisionRow.version)
    )
    return [_version(row) for row in rows]


def latest(session: Session, record_type: str, record_id: str) -> Version | None:
    """The newest version of a record, or None if it has no history."""
    row = session.scalars(
        select(RevisionRow)
        .where(RevisionRow.record_type == record_type, RevisionRow.record_id == record_id)
        .order_by(RevisionRow.version.desc())
        .limit(1)
    ).first()
    return _version(row) if row is not None else None


def get_version(session: Session, record_type: str, record_id: str, number: int) -> Version:
    """One version; NotFound if the record has no such version."""
    if not 1 <= number <= MAX_ID:
        raise _no_version(record_type, record_id, number)
    row = session.scalars(
        select(RevisionRow).where(
            RevisionRow.record_type == record_type,
            RevisionRow.record_id == record_id,
            RevisionRow.version == number,
        )
    ).first()
    if row is None:
        raise _no_version(record_type, record_id, number)
    return _version(row)


#: "has no version" by kind of record, in a sentence each language words its own way.
_NO_VERSION = {
    "incident": N_("incident {id} has no version {number}"),
    "kb_proposal": N_("proposal {id} has no version {number}"),
}


def _no_version(record_type: str, record_id: str, number: int) -> NotFound:
    msgid = _NO_VERSION.get(record_type)
    if msgid is None:
        return NotFound(f"{record_type} {record_id!r} has no version {number}")
    return failure(NotFound, msgid, id=repr(record_id), number=number)


def recorded_ids(session: Session, record_type: str) -> set[str]:
    """The ids of the records of a type that have a history."""
    return set(
        session.scalars(
            select(RevisionRow.record_id).where(RevisionRow.record_type == record_type).distinct()
        )
    )


def append(
    session: Session,
    record_type: str,
    record_id: str,
    snapshot: dict[str, Any],
    *,
    action: str,
    actor: str | None,
    previous: Version | None,
    reverted_to: int | None = None,
) -> Version:
    """Store the next version after `previous` (the caller holds the record's lock).

    The unique (record_type, record_id, version) constraint refuses a second
    version N even if a caller forgot to lock: the transaction then fails
    instead of silently forking the history.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown revision action {action!r}")
    changes = diff(previous.snapshot if previous else None, snapshot)
    row = RevisionRow(
        record_type=record_type,
        record_id=record_id,
        version=(previous.version if previous else 0) + 1,
        action=action,
        actor=actor,
        at=utc_now(),
        reverted_to=reverted_to,
        summary=summarise(changes, created=previous is None, reverted_to=reverted_to),
        snapshot=json.dumps(snapshot, ensure_ascii=False),
    )
    session.add(row)
    session.flush()
    return _version(row)


def _display(value: Any) -> str:
    """A value as one line of text: lists of words joined, nothing shown as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(_display(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _flatten(value: Any, prefix: str, out: dict[str, str]) -> None:
    """Field paths to display text: `target.name`, `sources[0].pinpoint`, `tactics`."""
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        for i, item in enumerate(value):
            _flatten(item, f"{prefix}[{i}]", out)
    else:
        out[prefix] = _display(value)


def flatten(snapshot: dict[str, Any] | None) -> dict[str, str]:
    """A snapshot as {field path: display text}, in the document's order."""
    out: dict[str, str] = {}
    if snapshot:
        _flatten(snapshot, "", out)
    return out


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[Change]:
    """The fields that differ between two snapshots (a missing field counts as empty)."""
    old, new = flatten(before), flatten(after)
    fields = list(new) + [f for f in old if f not in new]
    return [
        Change(f, old.get(f, ""), new.get(f, ""))
        for f in fields
        if old.get(f, "") != new.get(f, "")
    ]


def summarise(
    changes: list[Change], *, created: bool = False, reverted_to: int | None = None
) -> str:
    """A short line naming what changed: `changed summary, sources[0].quote`."""
    if reverted_to is not None:
        head = f"restored version {reverted_to}"
    elif created:
        return "created"
    else:
        head = "changed"
    names: list[str] = []
    for change in changes:
        top = change.field.split("[")[0]
        name = change.field if len(names) < SUMMARY_FIELDS else top
        if name not in names:
            names.append(name)
    if not names:
        return f"{head}: no field changed" if reverted_to is None else head
    shown = names[:SUMMARY_FIELDS]
    more = len(names) - len(shown)
    return f"{head}: {', '.join(shown)}" + (f" and {more} more" if more else "")


def line_diff(before: str, after: str) -> list[str]:
    """A unified diff of two texts (a proposal's YAML), without the file header lines."""
    import difflib

    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2)
    return [line for line in lines if not line.startswith(("---", "+++"))]


def with_changes(versions: list[Version]) -> list[dict[str, Any]]:
    """Versions newest first, each as {"v": version, "changes": its changes since the one before}.

    What the history pages of incidents and proposals show.
    """
    rows = []
    previous: Version | None = None
    for version in versions:
        rows.append(
            {"v": version, "changes": diff(previous.snapshot if previous else None,
                                           version.snapshot)}
        )  # fmt: skip
        previous = version
    return list(reversed(rows))
