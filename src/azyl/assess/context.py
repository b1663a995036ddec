"""What the screening engine reads: facts, figures and incidents, behind small interfaces.

The engine is pure: it takes a case profile and a `Context` and returns an
assessment, without touching a file, a database or the network. The context
holds the knowledge base and two lookups, one over the statistics store and one
over the incident registry, described here as Protocols so that the engine does
not depend on how they are stored. `azyl.assess.adapters` builds a real context
from the stores; tests can build one from plain objects.

`CaseFacts` narrows the knowledge base to one case: the facts in force on the
as-of date (never any other) that apply to this person.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Protocol

from azyl import countries
from azyl.assess.profile import CaseProfile

# --- what the engine needs from the knowledge base -------------------------------------


class AppliesToLike(Protocol):
    @property
    def nationalities(self) -> Sequence[str]: ...
    @property
    def regions(self) -> Sequence[str]: ...
    @property
    def profiles(self) -> Sequence[str]: ...
    @property
    def except_profiles(self) -> Sequence[str]: ...


class FactLike(Protocol):
    """A knowledge-base fact, as the engine reads it (see kb/README.md)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def actor(self) -> str: ...
    @property
    def subject(self) -> Sequence[str]: ...
    @property
    def applies_to(self) -> AppliesToLike: ...
    @property
    def valid_from(self) -> date: ...
    @property
    def valid_until(self) -> date | None: ...
    @property
    def statement(self) -> str: ...
    @property
    def confidence(self) -> str: ...
    @property
    def overturns(self) -> Sequence[str]: ...
    @property
    def related(self) -> Sequence[str]: ...
    @property
    def protection(self) -> str | None: ...
    @property
    def nature(self) -> str: ...
    @property
    def last_confirmed(self) -> date | None: ...
    @property
    def unverified(self) -> bool: ...


# --- what the engine needs from the statistics ------------------------------------------


class RateLike(Protocol):
    """One first-instance outcome cell (see azyl.stats)."""

    @property
    def origin(self) -> str: ...
    @property
    def asylum(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def source(self) -> str: ...
    @property
    def decision_level(self) -> str | None: ...
    @property
    def total_decided(self) -> int: ...
    @property
    def protection_rate(self) -> float | None: ...
    @property
    def protection_rate_ci(self) -> tuple[float, float] | None: ...
    @property
    def provenance_id(self) -> int | str | None: ...


class FigureLike(Protocol):
    """A published enforcement figure: refusals of entry or returns (Eurostat)."""

    @property
    def dataset(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def origin(self) -> str: ...
    @property
    def asylum(self) -> str: ...
    @property
    def value(self) -> int | None: ...
    @property
    def provenance_id(self) -> int: ...


class RateLookup(Protocol):
    """Protection rates for one nationality, from the statistics store."""

    def latest_rates(self, origin: str, max_year: int) -> Sequence[RateLike]:
        """For each country of asylum, the latest cell with decisions in a year <= max_year."""
        ...

    def latest_year(self, origin: str) -> int | None:
        """The latest year with any decision for this nationality."""
        ...

    def figures(self, dataset: str, origin: str, state: str) -> Sequence[FigureLike]:
        """Refusals of entry (`eirfs`) or returns (`eirtn`) of nationals of `origin` by
        `state`, by year."""
        ...


# --- what the engine needs from the incident registry -------------------------------------


class IncidentLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def date(self) -> date: ...
    @property
    def origin(self) -> str: ...
    @property
    def host(self) -> str | None: ...
    @property
    def tactics(self) -> Sequence[str]: ...
    @property
    def stage(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def target_profiles(self) -> Sequence[str]: ...
    @property
    def summary(self) -> str: ...


class IncidentLookup(Protocol):
    def matching(
        self, origin: str, host: str, profile: str | None = None, as_of: date | None = None
    ) -> Sequence[IncidentLike]:
        """Public incidents in which `origin` acted in `host`, dated on or before as_of."""

    def from_state(
        self, origin: str, state: str, as_of: date | None = None
    ) -> Sequence[IncidentLike]:
        """Incidents in which `origin` reached a person in `state` or who lived there."""
        ...


@dataclass(frozen=True)
class Context:
    """Everything a screening reads, loaded once and shared by many screenings."""

    facts: Sequence[FactLike]
    kb_version: str
    rates: RateLookup
    incidents: IncidentLookup
    #: Rates from fewer decisions than this are not used to call a destination "low".
    small_n: int = 30


# --- the knowledge base narrowed to one case ----------------------------------------------

#: How long practice stays current after the latest source that shows it, by kind
#: (docs/screening.md). Border regimes open and close within months; persecution and the
#: treatment of relatives change over years.
STALE_AFTER_YEARS: dict[str, int] = {
    "border_access_restriction": 2,
    "travel_restriction": 2,
    "deportation_practice": 3,
    "dublin_practice": 3,
    "detention_conditions": 3,
    "extradition_cooperation": 3,
    "interpol_practice": 3,
    "unsafe_for_profile": 3,
    "persecution_practice": 4,
    "family_reprisal_practice": 4,
    "ipa_practice": 4,
    "protection_practice": 4,
    "recognition_practice": 3,
}
DEFAULT_STALE_AFTER_YEARS = 3


def in_force(fact: FactLike, on: date) -> bool:
    """A fact holds on a date from valid_from to valid_until, both included."""
    return fact.valid_from <= on and (fact.valid_until is None or on <= fact.valid_until)


def stale(fact: FactLike, on: date) -> bool:
    """Whether a fact is older evidence on a date: practice not shown by any source for
    longer than its kind's window, or a fact whose sources never stored their text."""
    if fact.unverified:
        return True
    if fact.nature != "practice" or fact.valid_until is not None or fact.last_confirmed is None:
        return False
    years = STALE_AFTER_YEARS.get(fact.kind, DEFAULT_STALE_AFTER_YEARS)
    return on > _years_after(fact.last_confirmed, years)


@lru_cache(maxsize=4096)
def _years_after(day: date, years: int) -> date:
    """The same day `years` later (28 February for a 29 February): asked for every fact in
    force at every screening, of a few hundred distinct dates."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def applies_to_person(fact: FactLike, case: CaseProfile) -> bool:
    """Empty lists mean everyone; otherwise the person must match each non-empty list.

    A fact limited to a region (say RU-CE, Chechnya) applies only when the case
    names that region: the engine does not guess where a person comes from. A
    person with a profile the fact excepts is outside it.
    """
    return _Person.of(case).matches(fact)


@dataclass(frozen=True)
class _Person:
    """What `applies_to_person` compares, read from the case once for all the facts."""

    profiles: frozenset[str]
    citizenship: frozenset[str]
    region: str | None

    @classmethod
    def of(cls, case: CaseProfile) -> _Person:
        person = case.person
        return cls(frozenset(person.all_profiles), frozenset(person.citizenship), person.region)

    def matches(self, fact: FactLike) -> bool:
        who = fact.applies_to
        if not self.profiles.isdisjoint(who.except_profiles):
            return False
        if who.nationalities and self.citizenship.isdisjoint(who.nationalities):
            return False
        if who.regions and self.region not in who.regions:
            return False
        return not who.profiles or not self.profiles.isdisjoint(who.profiles)


class CaseFacts:
    """The facts in force on the as-of date, those that apply to this person, and which of
    them are current."""

    def __init__(self, facts: Iterable[FactLike], case: CaseProfile, as_of: date) -> None:
        every = list(facts)
        person = _Person.of(case)
        self.as_of = as_of
        self.in_force = [f for f in every if in_force(f, as_of)]
        self.not_in_force = len(every) - len(self.in_force)
        self.applicable = [f for f in self.in_force if person.matches(f)]
        self._by_id = {f.id: f for f in self.in_force}
        self._stale = {f.id for f in self.in_force if stale(f, as_of)}
        self._eu = countries.eu_members(as_of)
        # The rules ask for facts of one kind some fifty times a screening: by kind, in order.
        self._kinds: dict[bool, dict[str, list[FactLike]]] = {
            True: _by_kind(self.in_force),
            False: _by_kind(self.applicable),
        }

    def acts(self, fact: FactLike, state: str) -> bool:
        """True when `state` is the fact's actor, counting an EU fact for each member state
        bound by EU law on the date (it never names a destination by itself)."""
        return fact.actor == state or (fact.actor == "EU" and state in self._eu)

    def is_stale(self, fact: FactLike) -> bool:
        return fact.id in self._stale

    def current(self, facts: Iterable[FactLike]) -> list[FactLike]:
        """The facts among these that are current (neither stale nor unverified)."""
        return [f for f in facts if f.id not in self._stale]

    def of(
        self,
        kind: str,
        *,
        actor: str | None = None,
        subject: str | Iterable[str] | None = None,
        everyone: bool = False,
    ) -> list[FactLike]:
        """Applicable facts of a kind, optionally by actor and subject.

        `everyone=True` searches all facts in force, including those whose
        applies_to does not match the person (for context such as treaties).
        """
        pool = self._kinds[everyone].get(kind, [])
        subjects = {subject} if isinstance(subject, str) else set(subject or ())
        return [
            f
            for f in pool
            if (actor is None or self.acts(f, actor))
            and (not subjects or not subjects.isdisjoint(f.subject))
        ]

    def protections(self, kind: str, *, everyone: bool = False) -> list[FactLike]:
        """Protection-practice facts in force that offer this kind of protection."""
        return [
            f for f in self.of("protection_practice", everyone=everyone) if f.protection == kind
        ]

    def overturning(self, fact: FactLike) -> list[FactLike]:
        """Court rulings in force that set this fact aside."""
        return [f for f in self.in_force if f.kind == "court_ruling" and fact.id in f.overturns]

    def get(self, fact_id: str) -> FactLike | None:
        return self._by_id.get(fact_id)


def _by_kind(facts: Iterable[FactLike]) -> dict[str, list[FactLike]]:
    """Facts grouped by kind, each group in the order given."""
    groups: dict[str, list[FactLike]] = {}
    for fact in facts:
        groups.setdefault(fact.kind, []).append(fact)
    return groups
