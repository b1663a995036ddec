"""Append to the audit log, read it back, and verify its hash chain."""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from azyl.appdb.base import AUDITED_AS, Base, utc_now
from azyl.appdb.engine import import_models
from azyl.audit.model import AuditEntry, AuditHead

#: The `prev_hash` of the first entry: there is nothing before it.
GENESIS = "0" * 64


class Named(Protocol):
    """Anything with a username (an account), so callers can pass the user object."""

    username: str


@dataclass(frozen=True)
class AuditRecord:
    """One entry as read back: plain values, details decoded."""

    seq: int
    at: datetime
    actor: str | None
    action: str
    target_type: str | None
    target_id: str | None
    address: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str

    def to_document(self) -> dict[str, Any]:
        """The entry as JSON-ready data (exports, the admin page)."""
        doc = dict(self.__dict__)
        doc["at"] = self.at.isoformat()
        return doc


@dataclass(frozen=True)
class Verification:
    """The outcome of checking the chain: how many entries, and the first problem if any."""

    checked: int
    head_seq: int
    head_hash: str
    problem: str | None = None
    broken_at: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def entry_hash(
    *,
    seq: int,
    at: datetime,
    actor: str | None,
    action: str,
    target_type: str | None,
    target_id: str | None,
    address: str | None,
    details: str,
    prev_hash: str,
) -> str:
    """SHA-256 over a canonical JSON of every stored field and the previous entry's hash."""
    content = {
        "seq": seq,
        "at": at.isoformat(),
        "actor": actor,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "address": address,
        "details": details,
        "prev": prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _actor_name(actor: str | Named | None) -> str | None:
    if actor is None or isinstance(actor, str):
        return actor
    return actor.username


def operator_name() -> str:
    """How the audit log names someone typing `azyl` commands on the server: `cli:<OS user>`."""
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except (KeyError, OSError):  # no passwd entry or login name (some containers)
        return "cli:unknown"


#: The statements that append an entry, built once. An entry is never read back in the
#: transaction that writes it, so the ORM's unit of work (identity map, flush ordering)
#: would only add cost: it took about two thirds of an audited page view's audit time.
_HEAD = Base.metadata.tables[AuditHead.__tablename__]
_TAKE_HEAD = update(_HEAD).where(_HEAD.c.id == 1).values(seq=_HEAD.c.seq)
_READ_HEAD = select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)
_START_HEAD = insert(_HEAD).values(id=1, seq=0, hash=GENESIS)
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == 1)
    .values(seq=bindparam("head_seq"), hash=bindparam("head_hash"))
)
_APPEND = insert(Base.metadata.tables[AuditEntry.__tablename__])


def _lock_head(session: Session) -> tuple[int, str]:
    """Take the head row for this transaction and read it: concurrent writers queue here.

    The UPDATE that changes nothing takes PostgreSQL's row lock (SQLite's write
    lock is already held), so the SELECT after it reads a head no other
    transaction can move until this one ends.
    """
    session.execute(_TAKE_HEAD)
    found = session.execute(_READ_HEAD).first()
    if found is None:  # a database migrated without its head row: start the chain
        session.execute(_START_HEAD)
        return 0, GENESIS
    return found.seq, found.hash


def record(
    session: Session,
    action: str,
    *,
    actor: str | Named | None = None,
    target: tuple[str, str | int] | None = None,
    details: Mapping[str, Any] | None = None,
    address: str | None = None,
) -> None:
    """Append one entry in the caller's transaction (it commits or rolls back with the change).

    `action` is a dotted name (`auth.sign_in`, `case.view`, `incident.edit`);
    `target` is (type, id); `details` must not contain personal data of a case.
    """
    last_seq, last_hash = _lock_head(session)
    seq = last_seq + 1
    at = utc_now()
    name = _actor_name(actor)
    target_type, target_id = (target[0], str(target[1])) if target else (None, None)
    text = json.dumps(dict(details or {}), sort_keys=True, ensure_ascii=False, default=str)
    digest = entry_hash(
        seq=seq,
        at=at,
        actor=name,
        action=action,
        target_type=target_type,
        target_id=target_id,
        address=address,
        details=text,
        prev_hash=last_hash,
    )
    entry = {
        "seq": seq,
        "at": at,
        "actor": name,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "address": address,
        "details": text,
        "prev_hash": last_hash,
        "hash": digest,
    }
    session.execute(_APPEND, entry)
    session.execute(_MOVE_HEAD, {"head_seq": seq, "head_hash": digest})


def _as_record(entry: AuditEntry) -> AuditRecord:
    return AuditRecord(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        address=entry.address,
        details=json.loads(entry.details),
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )


def entries(
    session: Session,
    *,
    action: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
    newest_first: bool = False,
    offset: int = 0,
) -> list[AuditRecord]:
    """Entries matching the filters (an action ending in `.` matches a prefix: `case.`)."""
    query = select(AuditEntry)
    if action:
        if action.endswith("."):
            query = query.where(AuditEntry.action.startswith(action, autoescape=True))
        else:
            query = query.where(AuditEntry.action == action)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if since:
        query = query.where(AuditEntry.at >= since)
    order = AuditEntry.seq.desc() if newest_first else AuditEntry.seq
    query = query.order_by(order)
    if limit:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return [_as_record(e) for e in session.scalars(query)]


def head(session: Session) -> tuple[int, str]:
    """The newest entry's sequence number and hash (write it down elsewhere to anchor the log)."""
    row = session.execute(_READ_HEAD).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


def _stream(session: Session) -> Generator[AuditEntry, None, None]:
    """Every entry in order, fetched a thousand at a time; the cursor closes even on early exit."""
    result = session.scalars(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=1000)
    )
    try:
        yield from result
    finally:
        result.close()


def verify(session: Session, expect: tuple[int, str] | None = None) -> Verification:
    """Recompute the chain; report the first entry that was changed, removed or inserted.

    `expect` is a (seq, hash) written down earlier: the log must still contain
    that entry unchanged, which catches a rewrite of the whole chain.
    """
    head_seq, head_hash = head(session)
    previous, checked = GENESIS, 0
    stream = _stream(session)
    for entry in stream:
        checked += 1
        problem = None
        if entry.seq != checked:
            problem = f"entry {checked} is missing (the next entry is {entry.seq})"
        elif entry.prev_hash != previous:
            problem = f"entry {entry.seq} does not follow entry {entry.seq - 1}"
        elif entry.hash != entry_hash(
            seq=entry.seq,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
            address=entry.address,
            details=entry.details,
            prev_hash=entry.prev_hash,
        ):
            problem = f"entry {entry.seq} was changed after it was written"
        if problem:
            stream.close()
            return Verification(checked, head_seq, head_hash, problem, min(entry.seq, checked))
        if expect and entry.seq == expect[0] and entry.hash != expect[1]:
            stream.close()
            return Verification(
                checked,
                head_seq,
                head_hash,
                f"entry {entry.seq} is not the one written down",
                entry.seq,
            )
        previous = entry.hash
    if head_seq != checked or head_hash != previous:
        problem = (
            f"the log ends at entry {checked} but its head says {head_seq}: entries were removed"
        )
        return Verification(checked, head_seq, head_hash, problem, checked + 1)
    if expect and expect[0] > checked:
        problem = f"entry {expect[0]} written down earlier is no longer in the log"
        return Verification(checked, head_seq, head_hash, problem, expect[0])
    if checked == 0 and (emptied := _audited_rows(session)):
        problem = f"the log is empty, but the database holds {emptied}: entries were removed"
        return Verification(checked, head_seq, head_hash, problem, 1)
    return Verification(checked, head_seq, head_hash)


def _audited_rows(session: Session) -> str:
    """What the database holds that was audited when it was made (accounts, saved cases).

    An empty log with its head row reset (or deleted) is a consistent chain of
    nothing; it is intact only for a database that holds nothing whose
    creation writes an entry. The tables that say so in their `info`
    (`AUDITED_AS`) are counted. Empty when there is none.
    """
    import_models()
    found = []
    for table in Base.metadata.sorted_tables:
        what = table.info.get(AUDITED_AS)
        count = session.scalar(select(func.count()).select_from(table)) if what else 0
        if count:
            found.append(f"{count} {what}{'s' if count != 1 else ''}")
    return " and ".join(found)
