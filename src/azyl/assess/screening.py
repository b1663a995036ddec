"""One screening in progress: the case, its date, and the questions rules ask of it.

Rules stay short because the recurring questions live here, answered the same
way for every rule: which states the person is linked with, which facts apply
and whether they are current, how their nationality fares in a state, whether
a state is dangerous for them and how gravely, which incidents show their
origin's reach.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from azyl import countries
from azyl.assess.context import CaseFacts, Context, FactLike, IncidentLike, RateLike
from azyl.assess.model import Danger, Evidence, Figure, Hop, Pathway, StatCell
from azyl.assess.profile import CaseProfile
from azyl.assess.severity import at_most
from azyl.i18n import N_
from azyl.i18n.message import Country, Message

#: A destination where fewer than this share of decisions protect the person's nationality
#: is "low recognition"; below VERY_LOW_RATE the refusal that leads onward is likely.
LOW_RATE = 0.25
VERY_LOW_RATE = 0.10
#: Incidents older than this (years before the as-of date) are older evidence.
INCIDENT_YEARS = 5
#: Tactics by which an origin state gets a person back from a third state.
HANDOVER_TACTICS = frozenset({"rendition", "abduction", "deportation", "extradition"})
#: Tactics by which the person's own state's agents reach exiles inside a third state. An
#: extradition or deportation is the host state's own decision: it makes a step onward
#: (HANDOVER_TACTICS), not danger in the host itself.
REACH_TACTICS = frozenset({"rendition", "abduction", "assault", "assassination", "disappearance"})
#: Dublin III applies to claims registered until this day, the AMMR after (AMMR art. 84).
AMMR_FROM = date(2026, 7, 1)

_OWN_STATE_PERSECUTES = N_(
    "{state} is the person's own state, where persecution of people like them is documented."
)
_OWN_STATE_SEEKS = N_("{state} is the person's own state and seeks them.")
_OWN_STATE_UNDOCUMENTED = N_(
    "{state} is the person's own state; a risk for this profile is not documented."
)
_THIRD_STATE_UNSAFE = N_("People with this profile face documented danger in {state}.")
_THIRD_STATE_ATTACKS = N_(
    "The person's own state has rendered, abducted or attacked exiles in {state}."
)


def evidence(
    facts: Iterable[FactLike] = (),
    cells: Iterable[StatCell] = (),
    incidents: Iterable[IncidentLike] = (),
    figures: Iterable[Figure] = (),
    stale: Iterable[FactLike] = (),
) -> Evidence:
    """Evidence from fact, statistics-cell and incident objects (ids kept in order, once)."""
    facts = list(facts)
    stale_ids = {f.id for f in stale}
    return Evidence(
        tuple(dict.fromkeys(f.id for f in facts)),
        tuple(dict.fromkeys(cells)),
        tuple(dict.fromkeys(i.id for i in incidents)),
        tuple(dict.fromkeys(figures)),
        tuple(dict.fromkeys(f.id for f in facts if f.id in stale_ids)),
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
        self.hops: dict[tuple[str, str], list[Hop]] = {}
        self.pathways: list[Pathway] = []
        self._rates: dict[str, dict[str, RateLike]] = {}
        self._dangers: dict[str, Danger | None] = {}

    # --- the person and the route -------------------------------------------------------

    @property
    def current(self) -> str:
        return self.case.current_country

    @property
    def origins(self) -> tuple[str, ...]:
        return tuple(self.case.person.citizenship)

    @property
    def profiles(self) -> tuple[str, ...]:
        return self.case.person.all_profiles

    @property
    def route(self) -> tuple[str, ...]:
        """States on the route before the current one, in order, without repeats."""
        return self.case.transit_states

    @property
    def stage(self) -> str:
        return self.case.stage

    @property
    def ammr(self) -> bool:
        """True when the claim falls under the AMMR rather than Dublin III (AMMR art. 84)."""
        registered = self.case.application_date or self.as_of
        return registered >= AMMR_FROM

    def proposed(self, action_type: str, to: str) -> bool:
        """True when the case says a state proposes this action towards `to`."""
        action = self.case.proposed_action
        return action is not None and action.type == action_type and action.to == to

    def linked(self, state: str) -> bool:
        """Whether the person has a legal link with `state` that a removal there can use
        (docs/screening.md, "Links")."""
        person = self.case.person
        action = self.case.proposed_action
        return (
            state in self.origins
            or state in self.route
            or state in person.relatives_in
            or any(p.country == state for p in person.protected_in)
            or (action is not None and action.to == state)
        )

    def protected_in(self, state: str) -> bool:
        return any(p.country == state for p in self.case.person.protected_in)

    def has_profile(self, *profiles: str) -> bool:
        return bool(set(profiles) & set(self.profiles))

    def states_on_pathways(self) -> set[str]:
        return {state for p in self.pathways for state in p.states}

    # --- evidence currency ---------------------------------------------------------------------

    def capped(self, likelihood: str, facts: Sequence[FactLike]) -> str:
        """A likelihood resting on these facts: at most possible when none of them is
        current (all stale or unverified)."""
        if facts and not self.facts.current(facts):
            return at_most(likelihood, "possible")
        return likelihood

    def evidence_of(
        self,
        facts: Iterable[FactLike] = (),
        cells: Iterable[StatCell] = (),
        incidents: Iterable[IncidentLike] = (),
        figures: Iterable[Figure] = (),
    ) -> Evidence:
        """Evidence, with the stale facts among it marked."""
        facts = list(facts)
        stale = [f for f in facts if self.facts.is_stale(f)]
        return evidence(facts, cells, incidents, figures, stale)

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

    def low_recognition(self, asylum: str) -> RateLike | None:
        """The latest figure showing the person's nationality rarely protected in `asylum`
        (below LOW_RATE, with enough decisions), or None."""
        lowest: RateLike | None = None
        for nationality in self.origins:
            rate = self.rate(nationality, asylum)
            if rate is None or rate.protection_rate is None:
                continue
            if rate.total_decided < self.context.small_n or rate.protection_rate >= LOW_RATE:
                continue
            if lowest is None or rate.protection_rate < (lowest.protection_rate or 0.0):
                lowest = rate
        return lowest

    def figures(self, dataset: str, state: str) -> list[Figure]:
        """Published refusals of entry or returns of the person's nationality by `state`, up
        to the latest full year before the as-of date."""
        found = []
        for origin in self.origins:
            for row in self.context.rates.figures(dataset, origin, state):
                if row.value is not None and row.year <= self.max_stat_year:
                    found.append(
                        Figure(dataset, origin, state, row.year, row.value, row.provenance_id)
                    )
        return found

    # --- incidents ---------------------------------------------------------------------------

    def incidents_in(self, host: str, origin: str | None = None) -> list[IncidentLike]:
        """Incidents in which one of the person's own states (or `origin`) acted in `host`,
        up to the as-of date."""
        found: dict[str, IncidentLike] = {}
        for state in (origin,) if origin else self.origins:
            for incident in self.context.incidents.matching(state, host, as_of=self.as_of):
                found.setdefault(incident.id, incident)
        return sorted(found.values(), key=lambda i: (i.date, i.id))

    def recent(self, incidents: Iterable[IncidentLike]) -> list[IncidentLike]:
        """The incidents dated within INCIDENT_YEARS before the as-of date."""
        horizon = self.as_of.replace(year=self.as_of.year - INCIDENT_YEARS)
        return [i for i in incidents if i.date >= horizon]

    def handovers(self, host: str, origin: str) -> list[IncidentLike]:
        """Incidents in which `origin` got people back from `host` (rendition, abduction,
        deportation, extradition)."""
        found = self.context.incidents.from_state(origin, host, as_of=self.as_of)
        return [i for i in found if HANDOVER_TACTICS & set(i.tactics)]

    # --- danger ------------------------------------------------------------------------------

    def danger(self, state: str) -> Danger | None:
        """Whether the person faces documented danger in `state`, how gravely, and why."""
        if state not in self._dangers:
            self._dangers[state] = (
                self._own_state_danger(state)
                if state in self.origins
                else self._third_state_danger(state)
            )
        return self._dangers[state]

    def _own_state_danger(self, state: str) -> Danger:
        persecution = self.facts.of("persecution_practice", actor=state)
        if "family_member_of_target" in self.profiles:
            # Reprisals against relatives at home are persecution of the relative.
            persecution += self.facts.of("family_reprisal_practice", actor=state)
        if state in self.case.person.pursuers:
            return Danger(
                state,
                "grave",
                Message.of(_OWN_STATE_SEEKS, state=Country(state)),
                self.evidence_of(persecution),
            )
        if persecution:
            return Danger(
                state,
                "grave",
                Message.of(_OWN_STATE_PERSECUTES, state=Country(state)),
                self.evidence_of(persecution),
                current=bool(self.facts.current(persecution)),
            )
        return Danger(
            state,
            "undocumented",
            Message.of(_OWN_STATE_UNDOCUMENTED, state=Country(state)),
            Evidence(),
        )

    def _third_state_danger(self, state: str) -> Danger | None:
        unsafe = self.facts.of("unsafe_for_profile", actor=state)
        attacks = [
            i
            for i in self.recent(self.incidents_in(state))
            if REACH_TACTICS & set(i.tactics) and self._concerns_person(i)
        ]
        if unsafe:
            return Danger(
                state,
                "serious",
                Message.of(_THIRD_STATE_UNSAFE, state=Country(state)),
                self.evidence_of(unsafe, incidents=attacks),
                current=bool(self.facts.current(unsafe) or attacks),
            )
        if attacks:
            return Danger(
                state,
                "serious",
                Message.of(_THIRD_STATE_ATTACKS, state=Country(state)),
                self.evidence_of(incidents=attacks),
            )
        return None

    def _concerns_person(self, incident: IncidentLike) -> bool:
        """An incident bears on the person when its target shared a profile with them, or
        the person is wanted or publicly known (the same reach then applies)."""
        person = self.case.person
        shared = bool(set(incident.target_profiles) & set(self.profiles))
        return shared or bool(person.wanted) or person.public_profile


def deciding_states(s: Screening) -> list[str]:
    """States that would examine the claim: the current one, then Dublin destinations.

    None once the person is protected where they are: there is no claim left to
    examine, so procedural findings no longer apply.
    """
    if s.stage == "protected":
        return []
    dublin = [
        hop.target
        for hops in s.hops.values()
        for hop in hops
        if hop.mechanism == "dublin_transfer" and hop.source == s.current
    ]
    return list(dict.fromkeys([s.current, *sorted(dublin)]))
