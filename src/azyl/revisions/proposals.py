"""Knowledge-base proposals: a new fact or a change to one, as YAML, reviewed by an admin.

The knowledge base lives in git and is stamped and reviewed like law, so the
web app never writes `kb/`. An editor writes a proposal (the fact's YAML
file, pre-filled with the committed fact for a change); it must pass the
strict loader against the current sources and vocabularies (`kbcheck`) to be
saved. Its content is versioned like an incident (history, diff, revert,
optimistic concurrency on the version it was based on). Its status moves
draft -> submitted (the editor) -> accepted or rejected (an admin, audited
`kb.proposal_decide`); decided proposals are final. An accepted proposal is
exported as the file to commit (`export_proposal`), and the reviewer's steps
are in docs/editing.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from azyl import audit
from azyl.appdb import session_scope, utc_now
from azyl.config import Settings
from azyl.errors import InputError, NotFound
from azyl.i18n import N_
from azyl.i18n.message import Message, failure, text_of
from azyl.limits import MAX_ID
from azyl.revisions import history
from azyl.revisions.errors import EditConflict, RecordInvalid
from azyl.revisions.history import Version
from azyl.revisions.kbcheck import check_fact, existing_fact_text, fact_path
from azyl.revisions.model import ProposalRow

RECORD = "kb_proposal"
STATUSES: tuple[str, ...] = ("draft", "submitted", "accepted", "rejected")
#: What an editor may set, and what an admin decides.
EDITOR_STATUSES: tuple[str, ...] = ("draft", "submitted")
DECISIONS: tuple[str, ...] = ("accepted", "rejected")


@dataclass(frozen=True)
class Proposal:
    """A proposal as pages and the API show it."""

    id: int
    fact_id: str
    kind: str
    text: str
    status: str
    version: int
    created_by: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str | None

    @property
    def path(self) -> str:
        """Where the fact's file goes in the repository."""
        return fact_path(self.fact_id)

    def to_dict(self) -> dict[str, Any]:
        def stamp(moment: dt.datetime | None) -> str | None:
            return moment.isoformat().replace("+00:00", "Z") if moment else None

        return {
            "id": self.id,
            "fact_id": self.fact_id,
            "kind": self.kind,
            "path": self.path,
            "text": self.text,
            "status": self.status,
            "version": self.version,
            "created_by": self.created_by,
            "created_at": stamp(self.created_at),
            "updated_at": stamp(self.updated_at),
            "decided_by": self.decided_by,
            "decided_at": stamp(self.decided_at),
            "decision_note": self.decision_note,
        }


def _view(row: ProposalRow) -> Proposal:
    return Proposal(
        id=row.id,
        fact_id=row.fact_id,
        kind=row.kind,
        text=row.text,
        status=row.status,
        version=row.version,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_note=row.decision_note,
    )


#: A proposal's status inside a sentence ("proposal 3 is draft"), as its own word.
_STATUS_WORDS = {
    "draft": N_("draft"),
    "submitted": N_("submitted"),
    "accepted": N_("accepted"),
    "rejected": N_("rejected"),
}


def _status(status: str) -> Message | str:
    return Message.of(_STATUS_WORDS[status]) if status in _STATUS_WORDS else status


def _name(actor: Any) -> str | None:
    return actor if actor is None or isinstance(actor, str) else str(actor.username)


def validate_proposal(settings: Settings, fact_id: str, text: str) -> str:
    """The kind ("new" or "change") of a valid proposal; RecordInvalid listing every problem."""
    try:
        fact_path(fact_id)
    except InputError as exc:
        raise RecordInvalid("proposal", [("fact_id", text_of(exc) or exc.message)]) from None
    if not text.strip():
        raise RecordInvalid("proposal", [("text", Message.of(N_("is required: the fact's YAML")))])
    problems = check_fact(settings, fact_id, text)
    if problems:
        raise RecordInvalid("proposal", [("text", p) for p in problems])
    return "change" if existing_fact_text(settings, fact_id) is not None else "new"


def template_text(settings: Settings, fact_id: str | None) -> str:
    """What the form starts with: the committed fact for a change, else an empty skeleton."""
    if fact_id:
        found = existing_fact_text(settings, fact_id)
        if found is not None:
            return found
    return (
        "kind: \nactor: \nsubject: []\nvalid_from: \nstatement: >-\n  \ncitations:\n"
        "- source: \n  pinpoint: \n  quote: >-\n    \nconfidence: \nreviewed: \n"
    )


def propose(
    engine: Engine,
    settings: Settings,
    fact_id: str,
    text: str,
    *,
    actor: Any,
    submit: bool = False,
    address: str | None = None,
) -> Proposal:
    """Store a valid proposal as version 1 (a draft, or submitted); audited `kb.propose`."""
    fact_id = fact_id.strip()
    kind = validate_proposal(settings, fact_id, text)
    now = utc_now()
    with session_scope(engine) as session:
        row = ProposalRow(
            fact_id=fact_id,
            kind=kind,
            text=text,
            status="submitted" if submit else "draft",
            version=1,
            created_by=_name(actor),
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        version = history.append(
            session, RECORD, str(row.id), _snapshot(row), action="create", actor=_name(actor),
            previous=None,
        )  # fmt: skip
        audit.record(
            session, "kb.propose", actor=actor, target=("kb_proposal", row.id),
            details={"fact_id": fact_id, "kind": kind, "version": version.version},
            address=address,
        )  # fmt: skip
        return _view(row)


def _snapshot(row: ProposalRow) -> dict[str, Any]:
    return {"fact_id": row.fact_id, "text": row.text}


def _no_such(proposal_id: int) -> NotFound:
    return failure(NotFound, N_("no knowledge-base proposal {id}"), id=proposal_id)


def _locked(session: Session, proposal_id: int) -> ProposalRow:
    if not 1 <= proposal_id <= MAX_ID:  # no row has it, and the databases cannot even look
        raise _no_such(proposal_id)
    row = session.scalars(
        select(ProposalRow).where(ProposalRow.id == proposal_id).with_for_update()
    ).first()
    if row is None:
        raise _no_such(proposal_id)
    return row


def _check_base(session: Session, row: ProposalRow, base_version: int) -> Version:
    current = history.latest(session, RECORD, str(row.id))
    assert current is not None  # every proposal is created with version 1
    if base_version < 1 or base_version > current.version:
        raise failure(
            InputError,
            N_("version {base} of proposal {id} does not exist (the current version is {current})"),
            base=base_version,
            id=row.id,
            current=current.version,
        )
    if base_version != current.version:
        base = history.get_version(session, RECORD, str(row.id), base_version)
        raise EditConflict(
            "proposal", base_version, current, history.diff(base.snapshot, current.snapshot)
        )
    return current


def _open(row: ProposalRow) -> None:
    if row.status not in EDITOR_STATUSES:
        raise failure(
            InputError,
            N_(
                "proposal {id} was {status} on {day}; a decided proposal is final: make a new "
                "proposal instead"
            ),
            id=row.id,
            status=_status(row.status),
            day=f"{row.decided_at:%Y-%m-%d}",
        )


def edit_proposal(
    engine: Engine,
    settings: Settings,
    proposal_id: int,
    text: str,
    base_version: int,
    *,
    actor: Any,
    status: str | None = None,
    address: str | None = None,
) -> Proposal:
    """Save new text (and optionally draft/submitted) made on `base_version`; audited."""
    if status is not None and status not in EDITOR_STATUSES:
        raise failure(InputError, N_("an editor sets a proposal to draft or submitted"))
    with session_scope(engine) as session:
        row = _locked(session, proposal_id)
        _open(row)
        current = _check_base(session, row, base_version)
        row.kind = validate_proposal(settings, row.fact_id, text)
        changed = text != row.text
        row.text = text
        if status is not None:
            row.status = status
        row.updated_at = utc_now()
        details: dict[str, Any] = {"status": row.status}
        if changed:
            version = history.append(
                session, RECORD, str(row.id), _snapshot(row), action="edit",
                actor=_name(actor), previous=current,
            )  # fmt: skip
            row.version = version.version
            details["version"] = version.version
        audit.record(
            session, "kb.proposal_edit", actor=actor, target=("kb_proposal", row.id),
            details=details, address=address,
        )  # fmt: skip
        return _view(row)


def revert_proposal(
    engine: Engine,
    settings: Settings,
    proposal_id: int,
    to_version: int,
    base_version: int,
    *,
    actor: Any,
    address: str | None = None,
) -> Proposal:
    """Restore an earlier version's text as a new version (checked again); audited."""
    with session_scope(engine) as session:
        row = _locked(session, proposal_id)
        _open(row)
        current = _check_base(session, row, base_version)
        old = history.get_version(session, RECORD, str(row.id), to_version)
        row.kind = validate_proposal(settings, row.fact_id, str(old.snapshot["text"]))
        row.text = str(old.snapshot["text"])
        row.updated_at = utc_now()
        version = history.append(
            session, RECORD, str(row.id), _snapshot(row), action="revert", actor=_name(actor),
            previous=current, reverted_to=to_version,
        )  # fmt: skip
        row.version = version.version
        audit.record(
            session, "kb.proposal_revert", actor=actor, target=("kb_proposal", row.id),
            details={"version": version.version, "reverted_to": to_version}, address=address,
        )  # fmt: skip
        return _view(row)


def decide(
    engine: Engine,
    settings: Settings,
    proposal_id: int,
    decision: str,
    base_version: int,
    *,
    actor: Any,
    note: str | None = None,
    address: str | None = None,
) -> Proposal:
    """Accept or reject a submitted proposal, exactly the version the admin read; audited.

    Acceptance checks the text again against the knowledge base as it is now:
    a source removed or a fact added since the proposal was written is caught
    before anyone is told to commit it.
    """
    if decision not in DECISIONS:
        raise failure(
            InputError,
            N_("a decision is accepted or rejected, not {decision}"),
            decision=repr(decision),
        )
    with session_scope(engine) as session:
        row = _locked(session, proposal_id)
        if row.status != "submitted":
            raise failure(
                InputError,
                N_("proposal {id} is {status}; only a submitted proposal can be decided"),
                id=row.id,
                status=_status(row.status),
            )
        _check_base(session, row, base_version)
        if decision == "accepted":
            row.kind = validate_proposal(settings, row.fact_id, row.text)
        row.status = decision
        row.decided_by, row.decided_at = _name(actor), utc_now()
        row.decision_note = (note or "").strip() or None
        audit.record(
            session, "kb.proposal_decide", actor=actor, target=("kb_proposal", row.id),
            details={"decision": decision, "version": row.version, "fact_id": row.fact_id},
            address=address,
        )  # fmt: skip
        return _view(row)


def get_proposal(engine: Engine, proposal_id: int) -> Proposal:
    if not 1 <= proposal_id <= MAX_ID:
        raise _no_such(proposal_id)
    with session_scope(engine, commit=False) as session:
        row = session.get(ProposalRow, proposal_id)
        if row is None:
            raise _no_such(proposal_id)
        return _view(row)


def list_proposals(engine: Engine, status: str | None = None) -> list[Proposal]:
    """Proposals, newest first, optionally of one status."""
    if status is not None and status not in STATUSES:
        raise failure(
            InputError,
            N_("unknown status {status}; use one of {statuses}"),
            status=repr(status),
            statuses=", ".join(STATUSES),
        )
    query = select(ProposalRow).order_by(ProposalRow.id.desc())
    if status is not None:
        query = query.where(ProposalRow.status == status)
    with session_scope(engine, commit=False) as session:
        return [_view(row) for row in session.scalars(query)]


def proposal_history(engine: Engine, proposal_id: int) -> list[Version]:
    get_proposal(engine, proposal_id)
    with session_scope(engine, commit=False) as session:
        return history.versions(session, RECORD, str(proposal_id))


def export_proposal(engine: Engine, proposal_id: int) -> tuple[str, str]:
    """(path in the repository, file content) of an accepted proposal, ready to commit."""
    proposal = get_proposal(engine, proposal_id)
    if proposal.status != "accepted":
        raise failure(
            InputError,
            N_("proposal {id} is {status}; only an accepted proposal is exported"),
            id=proposal_id,
            status=_status(proposal.status),
        )
    text = proposal.text if proposal.text.endswith("\n") else proposal.text + "\n"
    return proposal.path, text
