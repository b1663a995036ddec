"""The one writer of an incident's history: its version, the registry's counter, the audit entry.

Every way the registry changes (an edit, a revert, an import, the seed)
records the change here, in the caller's transaction, so a version never
exists without the change counter the web workers watch
(`azyl.revisions.counter`), and a person's change never without its audit
entry. The versions themselves are stored by `azyl.revisions.history`, which
knows nothing of incidents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from azyl import audit
from azyl.incidents.model import IncidentRow
from azyl.incidents.record import IncidentRecord
from azyl.incidents.store import view_of
from azyl.revisions import counter, history
from azyl.revisions.history import Change, Version

#: The record type of incidents in the history table.
RECORD = "incident"


def actor_name(actor: Any) -> str | None:
    """The name a version is signed with: a user's username, an operator's name, or None."""
    if actor is None or isinstance(actor, str):
        return actor
    name: str = actor.username
    return name


def stored_document(session: Session, incident_id: str) -> dict[str, Any]:
    """The incident's content as stored now (the snapshot a loader's version keeps).

    Flushed first: a row the loader has just added is then in the session's
    identity map, and `get` returns it without querying it and its children again.
    """
    session.flush()
    row = session.get(IncidentRow, incident_id)
    assert row is not None, incident_id
    return view_of(row).record().to_document()


def recorded_ids(session: Session) -> set[str]:
    """The ids of the incidents that have a history."""
    return history.recorded_ids(session, RECORD)


def record_loaded(
    session: Session, incident_ids: Sequence[str], *, action: str, actor: Any, changed: bool
) -> None:
    """A version (`seed`, `import`) of each incident a loader stored; the counter moves once.

    `changed` says whether any content changed: a seed that only starts the
    history of incidents stored before versioning leaves the counter alone.
    """
    for incident_id in incident_ids:
        history.append(
            session,
            RECORD,
            incident_id,
            stored_document(session, incident_id),
            action=action,
            actor=actor_name(actor),
            previous=history.latest(session, RECORD, incident_id),
        )
    if changed:
        counter.bump(session)


def record_edit(
    session: Session,
    record: IncidentRecord,
    previous: Version | None,
    *,
    action: str,
    actor: Any,
    address: str | None,
    reverted_to: int | None = None,
) -> tuple[Version, list[Change]]:
    """The version, the change counter and the audit entry (`incident.<action>`) of one edit."""
    snapshot = record.to_document()
    version = history.append(
        session,
        RECORD,
        record.id,
        snapshot,
        action=action,
        actor=actor_name(actor),
        previous=previous,
        reverted_to=reverted_to,
    )
    counter.bump(session)
    details: dict[str, Any] = {"version": version.version, "summary": version.summary}
    if reverted_to is not None:
        details["reverted_to"] = reverted_to
    audit.record(
        session,
        f"incident.{action}",
        actor=actor,
        target=(RECORD, record.id),
        details=details,
        address=address,
    )
    return version, history.diff(previous.snapshot if previous else None, snapshot)
