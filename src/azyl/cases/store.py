"""Operations on saved cases: save, list, open, re-run, revise, compare, share, export, erase.

Every function takes the application database, the vault (the keyring's
cipher) and the `Actor` asking, checks what that actor may do (see
`azyl.cases.access`), and records one audit entry in the same transaction as
the change (`case.save`, `case.view`, `case.rerun`, `case.revise`, `case.compare`,
`case.share`, `case.unshare`, `case.export`, `case.erase`). Entries name the
case by id and never carry a title, profile or note. A request for a case the
actor may not read is refused exactly like a missing id, and audited as such
(`"result": "not_found"`) in a transaction of its own.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from azyl import audit
from azyl.accounts.model import User
from azyl.appdb import session_scope, utc_now
from azyl.assess import Context, assess, parse_case
from azyl.cases.access import (
    Actor,
    CaseForbidden,
    case_not_found,
    may_change,
    may_read,
)
from azyl.cases.compare import compare
from azyl.cases.crypto import CaseCipher, wrap_key
from azyl.cases.model import Case, CaseRun, CaseShare
from azyl.cases.views import CaseDetail, CaseSummary, RunView
from azyl.errors import CaseProfileError, ConfigError, InputError, NotFound
from azyl.i18n import N_
from azyl.i18n.catalogue import LANGUAGES
from azyl.i18n.message import Number, failure
from azyl.vault import Vault, VaultError

log = logging.getLogger(__name__)
#: What a case id looks like (`secrets.token_urlsafe(12)`: 16 characters).
CASE_ID = re.compile(r"[A-Za-z0-9_-]{16}")
TITLE_MAX = 200
NOTES_MAX = 20_000
#: Where a run keeps its assessment in the languages other than English: the engine's
#: sentences are rendered at save, so a saved case reads in its reader's language.
TRANSLATIONS = "translations"


@dataclass(frozen=True)
class Loaded:
    """A case row with what authorization needs: its owner and who it is shared with."""

    row: Case
    owner: str
    shared_with: dict[int, str]


def _load(session: Session, case_id: str) -> Loaded | None:
    """The case with its owner and shares, its row locked until the transaction ends.

    The lock (FOR UPDATE on PostgreSQL; SQLite transactions already hold the
    write lock) keeps a re-run, an erasure and a key rotation of the same case
    from interleaving: a run written with a data key that a concurrent
    rotation has just replaced would be lost.
    """
    row = session.get(Case, case_id, with_for_update=True)
    if row is None:
        return None
    owner = session.scalar(select(User.username).where(User.id == row.owner_id)) or "?"
    shares = session.execute(
        select(User.id, User.username)
        .join(CaseShare, CaseShare.user_id == User.id)
        .where(CaseShare.case_id == case_id)
        .order_by(User.username)
    )
    return Loaded(row, owner, {uid: name for uid, name in shares})


def record_entry(session: Session, actor: Actor, action: str, case_id: str, **details: Any) -> None:
    audit.record(
        session,
        action,
        actor=actor.name,
        target=("case", case_id),
        details=details,
        address=actor.address,
    )


@contextmanager
def case_operation(
    engine: Engine,
    actor: Actor,
    action: str,
    case_id: str,
    allowed: Callable[[Loaded], bool],
    *,
    erase: bool = False,
) -> Iterator[tuple[Session, Loaded]]:
    """One transaction on one case the actor may act on; refusals are audited apart.

    A case the actor may not read answers NotFound, like a missing id (an admin
    erasing a case is the one exception: they may erase what they cannot read).
    A case they may read but not change answers CaseForbidden.
    """
    actor.require_caseworker()
    if not CASE_ID.fullmatch(case_id):
        raise case_not_found(case_id[:40])  # never a case id: nothing to look up or audit
    refusal: Exception
    with session_scope(engine) as session:
        loaded = _load(session, case_id)
        visible = loaded is not None and (
            may_read_loaded(actor, loaded) or (erase and allowed(loaded))
        )
        if loaded is None or not visible:
            refusal = case_not_found(case_id)
        elif not allowed(loaded):
            refusal = failure(
                CaseForbidden, N_("only the owner of case {id} may do this"), id=repr(case_id)
            )
        else:
            yield session, loaded
            return
    _audit_refusal(engine, actor, action, case_id, refusal)
    raise refusal


def may_read_loaded(actor: Actor, loaded: Loaded) -> bool:
    return may_read(actor, loaded.row.owner_id, set(loaded.shared_with))


def _audit_refusal(
    engine: Engine, actor: Actor, action: str, case_id: str, refusal: Exception
) -> None:
    result = "not_found" if isinstance(refusal, NotFound) else "forbidden"
    with session_scope(engine) as session:
        record_entry(session, actor, action, case_id, result=result)


def _cipher(vault: Vault, row: Case) -> CaseCipher:
    return CaseCipher.unwrap(row.id, row.wrapped_key, vault)


def _runs(session: Session, case_id: str) -> list[CaseRun]:
    query = select(CaseRun).where(CaseRun.case_id == case_id).order_by(CaseRun.number)
    return list(session.scalars(query))


def _run_view(cipher: CaseCipher, run: CaseRun) -> RunView:
    number, token = run.number, run.assessment

    def read() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        stored = cipher.read_assessment(number, token)
        if TRANSLATIONS in stored:  # {"assessment": English, "translations": {lang: ...}}
            return stored["assessment"], stored[TRANSLATIONS]
        return stored, {}  # a run saved in English only

    return RunView(run.number, run.as_of, run.kb_version, run.ran_at, read)


def _detail(session: Session, vault: Vault, actor: Actor, loaded: Loaded) -> CaseDetail:
    row = loaded.row
    cipher = _cipher(vault, row)
    return CaseDetail(
        id=row.id,
        title=cipher.read_text("title", row.title),
        notes=cipher.read_text("notes", row.notes),
        profile=cipher.read_profile(row.profile),
        owner=loaded.owner,
        mine=actor.user_id == row.owner_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        runs=tuple(_run_view(cipher, run) for run in _runs(session, row.id)),
        shared_with=tuple(loaded.shared_with.values()),
    )


#: The texts of a case, as `_clean_text` names them.
_NEEDS = {"title": N_("the case needs a title"), "notes": N_("the case needs notes")}
_TOO_LONG = {
    "title": N_("the title is {length} characters long; at most {limit} are kept"),
    "notes": N_("the notes are {length} characters long; at most {limit} are kept"),
}


def _clean_text(value: str, what: str, limit: int, *, required: bool) -> str:
    value = value.strip()
    if required and not value:
        raise failure(InputError, _NEEDS[what])
    if len(value) > limit:
        raise failure(InputError, _TOO_LONG[what], length=Number(len(value)), limit=Number(limit))
    return value


def _screen(profile: dict[str, Any], as_of: date | None, context: Context) -> tuple[Any, Any]:
    """Validate the profile (as of `as_of` when given) and screen it."""
    if not isinstance(profile, dict):  # a JSON number or list sent where a profile belongs
        raise failure(
            CaseProfileError, N_("a case profile must be a mapping of fields (a JSON object)")
        )
    data = dict(profile)
    if as_of is not None:
        data["as_of"] = as_of.isoformat()
    case = parse_case(data)
    return case, assess(case, context)


def _add_run(
    session: Session, cipher: CaseCipher, case_id: str, number: int, assessment: Any
) -> CaseRun:
    data = {
        "assessment": assessment.to_dict(),
        TRANSLATIONS: {lang: assessment.to_dict(lang) for lang in LANGUAGES if lang != "en"},
    }
    run = CaseRun(
        case_id=case_id,
        number=number,
        as_of=assessment.trace.as_of,
        kb_version=assessment.trace.kb_version,
        ran_at=utc_now(),
        assessment=cipher.assessment(number, data),
    )
    session.add(run)
    return run


def save_case(
    engine: Engine,
    vault: Vault,
    actor: Actor,
    *,
    title: str,
    profile: dict[str, Any],
    context: Context,
    notes: str = "",
) -> CaseDetail:
    """Screen a profile and keep it as a new case owned by the actor, with that first run."""
    actor.require_caseworker()
    if actor.user_id is None:
        raise failure(CaseForbidden, N_("a case belongs to a user account; sign in to save one"))
    title = _clean_text(title, "title", TITLE_MAX, required=True)
    notes = _clean_text(notes, "notes", NOTES_MAX, required=False)
    case, assessment = _screen(profile, None, context)
    case_id = secrets.token_urlsafe(12)
    cipher, key = CaseCipher.fresh(case_id)
    with session_scope(engine) as session:
        now = utc_now()
        row = Case(
            id=case_id,
            owner_id=actor.user_id,
            created_at=now,
            updated_at=now,
            wrapped_key=wrap_key(case_id, key, vault),
            title=cipher.text("title", title),
            profile=cipher.profile(case.model_dump(mode="json")),
            notes=cipher.text("notes", notes),
        )
        session.add(row)
        session.flush()
        _add_run(session, cipher, case_id, 1, assessment)
        session.flush()
        record_entry(session, actor, "case.save", case_id, run=1)
        loaded = _load(session, case_id)
        assert loaded is not None
        return _detail(session, vault, actor, loaded)


def list_cases(
    engine: Engine, vault: Vault, actor: Actor, *, owner: str | None = None
) -> list[CaseSummary]:
    """The actor's own cases and those shared with them, newest first.

    `owner` (the operator on the command line only) lists one user's own cases.
    """
    actor.require_caseworker()
    with session_scope(engine) as session:
        if owner is not None:
            if not actor.operator:
                raise failure(
                    CaseForbidden, N_("only the server's operator may list another user's cases")
                )
            user = user_named(session, owner)
            chosen = select(Case.id).where(Case.owner_id == user.id)
        else:
            shared = select(CaseShare.case_id).where(CaseShare.user_id == actor.user_id)
            chosen = select(Case.id).where((Case.owner_id == actor.user_id) | Case.id.in_(shared))
        summaries = _summaries(session, vault, actor, chosen)
        listed = user.id if owner is not None else actor.user_id
        _record_listing(session, actor, listed, summaries)
        return summaries


def _record_listing(
    session: Session, actor: Actor, user_id: int | None, summaries: list[CaseSummary]
) -> None:
    """A listing shows every decrypted title, so it is a view: audited with the ids shown."""
    audit.record(
        session,
        "case.view",
        actor=actor.name,
        target=("user", user_id) if user_id is not None else None,
        details={"list": len(summaries), "cases": [s.id for s in summaries]},
        address=actor.address,
    )


def _summaries(session: Session, vault: Vault, actor: Actor, chosen: Any) -> list[CaseSummary]:
    """One line per chosen case, newest change first, in three queries whatever their number."""
    rows = list(session.scalars(select(Case).where(Case.id.in_(chosen))))
    owner_ids = sorted({r.owner_id for r in rows})
    owners = {
        uid: name
        for uid, name in session.execute(
            select(User.id, User.username).where(User.id.in_(owner_ids))
        ).all()
    }
    runs: dict[str, list[tuple[int, date]]] = {}
    query = select(CaseRun.case_id, CaseRun.number, CaseRun.as_of).where(
        CaseRun.case_id.in_(chosen)
    )
    for case_id, number, as_of in session.execute(query).all():
        runs.setdefault(case_id, []).append((number, as_of))
    summaries = []
    for row in rows:
        title = _title(vault, row)
        summaries.append(
            CaseSummary(
                id=row.id,
                title=title or "",
                owner=owners.get(row.owner_id, "?"),
                mine=actor.user_id == row.owner_id,
                created_at=row.created_at,
                updated_at=row.updated_at,
                runs=len(runs.get(row.id, [])),
                latest_as_of=max(runs[row.id])[1] if runs.get(row.id) else None,
                damaged=title is None,
            )
        )
    return sorted(summaries, key=lambda s: (s.updated_at, s.id), reverse=True)


def _title(vault: Vault, row: Case) -> str | None:
    """A case's title, or None (logged) when it cannot be decrypted: one damaged case must
    not take the whole list down with it; opening it still reports the damage."""
    try:
        return _cipher(vault, row).read_text("title", row.title)
    except (VaultError, ConfigError) as exc:
        log.warning("case %s cannot be decrypted: %s", row.id, exc)
        return None


def get_case(engine: Engine, vault: Vault, actor: Actor, case_id: str) -> CaseDetail:
    """The whole case, decrypted, for someone who may read it (audited as case.view)."""
    with case_operation(engine, actor, "case.view", case_id, lambda _: True) as (session, loaded):
        record_entry(session, actor, "case.view", case_id)
        return _detail(session, vault, actor, loaded)


def rerun_case(
    engine: Engine, vault: Vault, actor: Actor, case_id: str, as_of: date, context: Context
) -> RunView:
    """Screen the case again as of `as_of`, as a new run; the older runs are kept."""

    def owner_only(loaded: Loaded) -> bool:
        return may_change(actor, loaded.row.owner_id)

    with case_operation(engine, actor, "case.rerun", case_id, owner_only) as (session, loaded):
        cipher = _cipher(vault, loaded.row)
        profile = cipher.read_profile(loaded.row.profile)
        _case, assessment = _screen(profile, as_of, context)
        number = 1 + (
            session.scalar(select(func.max(CaseRun.number)).where(CaseRun.case_id == case_id)) or 0
        )
        run = _add_run(session, cipher, case_id, number, assessment)
        loaded.row.updated_at = utc_now()
        session.flush()
        record_entry(session, actor, "case.rerun", case_id, run=number, as_of=as_of.isoformat())
        return _run_view(cipher, run)


def revise_case(
    engine: Engine,
    vault: Vault,
    actor: Actor,
    case_id: str,
    profile: dict[str, Any],
    context: Context,
) -> RunView:
    """Replace the case's profile (a correction, something new about the person or the
    procedure) and screen it as a new run. Older runs are kept as they were screened;
    comparing a run before and after shows what the change did."""

    def owner_only(loaded: Loaded) -> bool:
        return may_change(actor, loaded.row.owner_id)

    case, assessment = _screen(profile, None, context)  # refuse a bad profile before opening
    with case_operation(engine, actor, "case.revise", case_id, owner_only) as (session, loaded):
        cipher = _cipher(vault, loaded.row)
        loaded.row.profile = cipher.profile(case.model_dump(mode="json"))
        number = 1 + (
            session.scalar(select(func.max(CaseRun.number)).where(CaseRun.case_id == case_id)) or 0
        )
        run = _add_run(session, cipher, case_id, number, assessment)
        loaded.row.updated_at = utc_now()
        session.flush()
        record_entry(session, actor, "case.revise", case_id, run=number)
        return _run_view(cipher, run)


def compare_runs(
    engine: Engine, vault: Vault, actor: Actor, case_id: str, first: int, second: int
) -> dict[str, Any]:
    """What changed between two runs of a case (see azyl.cases.compare)."""
    with case_operation(engine, actor, "case.compare", case_id, lambda _: True) as (
        session,
        loaded,
    ):
        detail = _detail(session, vault, actor, loaded)
        result = compare(detail.run(first), detail.run(second))
        record_entry(session, actor, "case.compare", case_id, runs=[first, second])
        result["case"] = {"id": detail.id, "title": detail.title}
        return result


def user_named(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise failure(NotFound, N_("there is no user {name}"), name=repr(username))
    return user


def export_case(engine: Engine, vault: Vault, actor: Actor, case_id: str) -> dict[str, Any]:
    """The whole case with every run, as JSON-ready data (audited as case.export)."""
    with case_operation(engine, actor, "case.export", case_id, lambda _: True) as (
        session,
        loaded,
    ):
        detail = _detail(session, vault, actor, loaded)
        record_entry(session, actor, "case.export", case_id, format="json")
        return {"format": "azyl-case-1", "case": detail.to_document()}


def export_run(
    engine: Engine, vault: Vault, actor: Actor, case_id: str, number: int | None, fmt: str
) -> tuple[CaseDetail, RunView]:
    """The case and one run (the latest when `number` is None), to render as a report."""
    with case_operation(engine, actor, "case.export", case_id, lambda _: True) as (
        session,
        loaded,
    ):
        detail = _detail(session, vault, actor, loaded)
        run = detail.latest if number is None else detail.run(number)
        record_entry(session, actor, "case.export", case_id, format=fmt, run=run.number)
        return detail, run
