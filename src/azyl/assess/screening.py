"""One screening in progress: the case, its date, and the questions rules ask of it.

Rules stay short because the recurring questions live here, answered the same
way for every rule: which states the person passed through, which facts apply,
how their nationality fares in a state, whether a state is dangerous for them,
which incidents show their origin's reach.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from azyl import countries
from azyl.assess.context import CaseFacts, Context, FactLike, IncidentLike, RateLike
from azyl.assess.model import Evidence, Hop, Pathway, StatCell
from azyl.assess.profile import CaseProfile
from azyl.assess.rules.base import Edge

#: A destination where fewer than this share of decisions protect the person's
#: nationality is "low recognition"; below VERY_LOW_RATE the finding is high.
LOW_RATE = 0.25
VERY_LOW_RATE = 0.10


@dataclass(frozen=True)
class Danger:
    """Why a state is a place of danger for this person, and how serious it is."""

    state: str
    severity: str
    reason: str
    evidence: Evidence


def evidence(
    facts: Iterable[FactLike] = (),
    cells: Iterable[StatCell] = (),
    incidents: Iterable[IncidentLike] = (),
) -> Evidence:
    """Evidence from fact, statistics-cell and incident objects (ids kept in order, once)."""
    return Evidence(
        tuple(dict.fromkeys(f.id for f in facts)),
        tuple(dict.fromkeys(cells)),
        tuple(dict.fromkeys(i.id for i in incidents)),
    )


def cell_of(rate: RateLike) -> StatCell:
    """A statistics row as evidence."""
    ci = rate.protection_rate_ci
    return StatCell(
        source=rate.source,
        origin=rate.origin,
        asylum=rate.asylum,
        year=rate.year,
        protection_rate=rate.protection_rate,
        ci_low=ci[0] if ci else None,
        ci_high=ci[1] if ci else None,
        total_decided=rate.total_decided,
        decision_level=rate.decision_level,
        provenance_id=rate.provenance_id,
    )


def names(codes: Iterable[str]) -> str:
    """'Poland, Belarus and Russia' for a sequence of codes."""
    items = [countries.name(c) for c in codes]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class Screening:
    """A case under screening as of a date, with the context it reads from."""

    def __init__(self, case: CaseProfile, context: Context, as_of: date) -> None:
        self.case = case
        self.context = context
        self.as_of = as_of
        self.facts = CaseFacts(context.facts, case, as_of)
        #: Full-year statistics for year Y are published during Y+1.
        self.max_stat_year = as_of.year - 1
        self.dublin = countries.dublin_states(as_of)
        self.edges: list[Edge] = []
        self.hops: dict[tuple[str, str], Hop] = {}
        self.pathways: list[Pathway] = []
        self._rates: dict[str, dict[str, RateLike]] = {}

    # --- the person and the route -------------------------------------------------------

    @property
    def current(self) -> str:
        return self.case.current_country

    @property
    def origins(self) -> tuple[str, ...]:
        return tuple(self.case.person.citizenship)

    @property
    def transit(self) -> tuple[str, ...]:
        """States the person passed through before the current one."""
        return self.case.transit_states

    @property
    def stage(self) -> str:
        return self.case.stage

    def proposed(self, action_type: str, to: str) -> bool:
        """True when the case says a state proposes this action towards `to`."""
        action = self.case.proposed_action
        return action is not None and action.type == action_type and action.to == to

    def has_profile(self, *profiles: str) -> bool:
        return bool(set(profiles) & set(self.case.person.profiles))

    def states_on_pathways(self) -> set[str]:
        return {state for p in self.pathways for state in p.states}

    # --- statistics ------------------------------------------------------------------------

    def rate(self, nationality: str, asylum: str) -> RateLike | None:
        """The latest protection rate for a nationality in a state (year <= max_stat_year)."""
        if nationality not in self._rates:
            rows = self.context.rates.latest_rates(nationality, self.max_stat_year)
            self._rates[nationality] = {r.asylum: r for r in rows}
        return self._rates[nationality].get(asylum)

    def rates_for(self, nationality: str) -> Sequence[RateLike]:
        self.rate(nationality, "")
        return list(self._rates[nationality].values())

    def low_recognition(self, asylum: str) -> tuple[str, StatCell] | None:
        """(severity, cell) when the person's nationality is rarely protected in `asylum`."""
        worst: tuple[str, StatCell] | None = None
        for nationality in self.origins:
            rate = self.rate(nationality, asylum)
            if rate is None or rate.protection_rate is None:
                continue
            if rate.total_decided < self.context.small_n or rate.protection_rate >= LOW_RATE:
                continue
            severity = "high" if rate.protection_rate < VERY_LOW_RATE else "elevated"
            if worst is None or severity == "high":
                worst = (severity, cell_of(rate))
        return worst

    # --- danger ------------------------------------------------------------------------------

    def danger(self, state: str) -> Danger | None:
        """Whether the person faces documented danger in `state`, and why."""
        if state in self.origins:
            persecution = self.facts.of("persecution_practice", actor=state)
            severity = "critical" if persecution or self.case.person.wanted else "high"
            reason = f"{countries.name(state)} is the person's own state"
            return Danger(state, severity, reason, evidence(persecution))
        unsafe = self.facts.of("unsafe_for_profile", actor=state)
        if unsafe:
            pursued = bool(set(self.case.person.pursuers) & {s for f in unsafe for s in f.subject})
            public = self.case.person.public_profile
            severity = "critical" if pursued or public else "high"
            reason = f"people with this profile face documented danger in {countries.name(state)}"
            return Danger(state, severity, reason, evidence(unsafe))
        return None

    # --- incidents ---------------------------------------------------------------------------

    def incidents_in(self, host: str) -> list[IncidentLike]:
        """Incidents in which one of the person's own states acted in `host`, up to as_of."""
        found: dict[str, IncidentLike] = {}
        for origin in self.origins:
            for incident in self.context.incidents.matching(origin, host, as_of=self.as_of):
                found.setdefault(incident.id, incident)
        return sorted(found.values(), key=lambda i: (i.date, i.id))


def deciding_states(s: Screening) -> list[str]:
    """States that would examine the claim: the current one, then Dublin destinations.

    None once the person is protected: there is no claim left to examine, so
    procedural findings (safe country of origin, internal protection, a low
    recognition rate where they are) no longer apply.
    """
    if s.stage == "protected":
        return []
    dublin = [h.target for h in s.hops.values() if h.mechanism == "dublin_transfer"]
    return list(dict.fromkeys([s.current, *sorted(dublin)]))
