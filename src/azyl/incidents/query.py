"""Asking the registry: incidents by origin, host, profile, tactic and date.

Two ways in, with the same answers:

- `find_incidents(session_or_engine, ...)` queries the database (the CLI, the
  web app, exports);
- `load_incident_index(engine)` reads the visible incidents once into an
  `IncidentIndex` of frozen views, whose `matching(origin, host, profile,
  as_of)` the pure screening engine calls as often as it likes, with no I/O.

Audiences: `visibility="public"` (the default, what an anonymous visitor may
see) leaves out restricted incidents and blanks the restricted fields;
`visibility="all"` is for signed-in team members and the command line.

Dates: an incident's date has a precision. `as_of=D` keeps incidents that
certainly happened on or before D (their last possible day, `date_end`, is
not after D), which is what "the evidence available on D" means. `since=D`
keeps incidents that may have happened on or after D (`date_end` not before
D), so that a listing never hides an incident known only by its year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine, Select, exists, select
from sqlalchemy.orm import Session

from azyl import countries
from azyl.errors import InputError, NotFound
from azyl.i18n import N_
from azyl.i18n.message import failure
from azyl.incidents.model import IncidentRow, ProfileRow, TacticRow
from azyl.incidents.record import IncidentView
from azyl.incidents.store import view_of
from azyl.incidents.vocabulary import TACTICS
from azyl.kb.vocabulary import PROFILES

#: Who is looking: the public, or the whole team.
AUDIENCES: tuple[str, ...] = ("public", "all")


def check_visibility(visibility: str) -> None:
    if visibility not in AUDIENCES:
        raise failure(
            InputError,
            N_('visibility "{value}" is not one of {allowed}'),
            value=visibility,
            allowed=", ".join(AUDIENCES),
        )


def _term(value: str | None, vocabulary: Iterable[str], what: str) -> str | None:
    if value is not None and value not in vocabulary:
        raise failure(InputError, N_('unknown {what} "{value}"'), what=what, value=value)
    return value


def _statement(
    *,
    origin: str | None,
    host: str | None,
    profile: str | None,
    tactic: str | None,
    as_of: dt.date | None,
    since: dt.date | None,
    visibility: str,
) -> Select[IncidentRow]:
    query = select(IncidentRow)
    if origin is not None:
        query = query.where(IncidentRow.origin == countries.alpha3(origin))
    if host is not None:
        query = query.where(IncidentRow.host == countries.alpha3(host))
    if profile is not None:
        query = query.where(
            exists().where(ProfileRow.incident_id == IncidentRow.id, ProfileRow.profile == profile)
        )
    if tactic is not None:
        query = query.where(
            exists().where(TacticRow.incident_id == IncidentRow.id, TacticRow.tactic == tactic)
        )
    if as_of is not None:
        query = query.where(IncidentRow.date_end <= as_of)
    if since is not None:
        query = query.where(IncidentRow.date_end >= since)
    if visibility == "public":
        query = query.where(IncidentRow.visibility == "public")
    return query.order_by(IncidentRow.date, IncidentRow.id)


def find_incidents(
    session_or_engine: Session | Engine,
    *,
    origin: str | None = None,
    host: str | None = None,
    profile: str | None = None,
    tactic: str | None = None,
    as_of: dt.date | None = None,
    visibility: str = "public",
    since: dt.date | None = None,
) -> list[IncidentView]:
    """Incidents in which `origin` acted against someone in `host`, filtered; by date, then id.

    Countries may be given as alpha-2, alpha-3 or English names; an unknown
    country, profile or tactic raises InputError rather than matching nothing.
    """
    check_visibility(visibility)
    statement = _statement(
        origin=origin,
        host=host,
        profile=_term(profile, PROFILES, "profile"),
        tactic=_term(tactic, TACTICS, "tactic"),
        as_of=as_of,
        since=since,
        visibility=visibility,
    )
    if isinstance(session_or_engine, Session):
        rows = list(session_or_engine.scalars(statement))
        views = [view_of(row) for row in rows]
    else:
        with Session(session_or_engine) as session:
            views = [view_of(row) for row in session.scalars(statement)]
    return [v.public() for v in views] if visibility == "public" else views


def get_incident(
    session_or_engine: Session | Engine, incident_id: str, *, visibility: str = "public"
) -> IncidentView:
    """One incident by id; NotFound if it does not exist or the audience may not see it."""
    check_visibility(visibility)
    if isinstance(session_or_engine, Session):
        row = session_or_engine.get(IncidentRow, incident_id)
        view = view_of(row) if row is not None else None
    else:
        with Session(session_or_engine) as session:
            row = session.get(IncidentRow, incident_id)
            view = view_of(row) if row is not None else None
    if view is None or (visibility == "public" and view.visibility != "public"):
        raise _not_found(incident_id)
    return view.public() if visibility == "public" else view


def _not_found(incident_id: str) -> NotFound:
    return failure(NotFound, N_('no incident with id "{id}"'), id=incident_id)


@dataclass(frozen=True)
class IncidentIndex:
    """An in-memory snapshot of the registry for the screening engine (no I/O after loading)."""

    incidents: tuple[IncidentView, ...]
    visibility: str = "public"
    _by_pair: dict[tuple[str, str | None], tuple[IncidentView, ...]] = field(
        init=False, repr=False, compare=False
    )
    _by_id: dict[str, IncidentView] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        groups: dict[tuple[str, str | None], list[IncidentView]] = {}
        for view in self.incidents:
            groups.setdefault((view.origin, view.host), []).append(view)
        object.__setattr__(self, "_by_pair", {k: tuple(v) for k, v in groups.items()})
        object.__setattr__(self, "_by_id", {view.id: view for view in self.incidents})

    def __len__(self) -> int:
        return len(self.incidents)

    def get(self, incident_id: str) -> IncidentView:
        """One incident of the snapshot by id; NotFound, as `get_incident` says it, if absent."""
        view = self._by_id.get(incident_id)
        if view is None:
            raise _not_found(incident_id)
        return view

    def matching(
        self,
        origin: str,
        host: str,
        profile: str | None = None,
        as_of: dt.date | None = None,
    ) -> list[IncidentView]:
        """Incidents in which `origin` acted in `host` (ISO alpha-3), for a profile, as of a date.

        Same semantics as `find_incidents`: `as_of` keeps incidents that
        certainly happened by that day. Ordered by date, then id.
        """
        found = self._by_pair.get((origin.upper(), host.upper()), ())
        return [
            v
            for v in found
            if (profile is None or profile in v.target_profiles)
            and (as_of is None or v.date_end <= as_of)
        ]

    def from_state(
        self, origin: str, state: str, as_of: dt.date | None = None
    ) -> list[IncidentView]:
        """Incidents in which `origin` reached a person in `state` or who lived in `state`.

        A returnee deported from Sweden and killed in Chechnya is recorded with
        host RUS and residence SWE: for the question "does Russia get people
        back from Sweden?" both that incident and those with host SWE count.
        """
        origin, state = origin.upper(), state.upper()
        there = self.matching(origin, state, as_of=as_of)
        home = [v for v in self.matching(origin, origin, as_of=as_of) if v.residence == state]
        return sorted({v.id: v for v in [*there, *home]}.values(), key=lambda v: (v.date, v.id))


def load_incident_index(engine: Engine, visibility: str = "public") -> IncidentIndex:
    """Read every incident the audience may see into an `IncidentIndex`."""
    return IncidentIndex(tuple(find_incidents(engine, visibility=visibility)), visibility)
