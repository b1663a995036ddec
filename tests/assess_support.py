"""Builders for engine unit tests: facts, rates and incidents as plain objects.

These are test doubles for the engine's inputs, not claims about the world:
the unit tests check the engine's logic (dates, applicability, graph, ranking)
on small hand-made inputs whose answers can be worked out by hand. Scenario
tests (tests/cases/) run the engine on the real knowledge base instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from azyl.assess import Context, parse_case
from azyl.assess.profile import CaseProfile
from azyl.kb.model import AppliesTo, Citation, Fact
from azyl.kb.vocabulary import DEFAULT_NATURE


def fact(
    fid: str,
    kind: str,
    actor: str,
    subject: Sequence[str] = (),
    *,
    start: date = date(2010, 1, 1),
    end: date | None = None,
    nationalities: Sequence[str] = (),
    regions: Sequence[str] = (),
    profiles: Sequence[str] = (),
    except_profiles: Sequence[str] = (),
    overturns: Sequence[str] = (),
    related: Sequence[str] = (),
    confirmed: date | None = None,
    nature: str | None = None,
    protection: str | None = None,
    unverified: bool = False,
) -> Fact:
    """A fact with a placeholder citation (the engine never reads citations).

    Without `nature`, designations, agreements, treaties and rulings are law or rulings,
    and everything else practice (kb/README.md); `confirmed` is its last confirmation."""
    return Fact(
        id=fid,
        kind=kind,
        actor=actor,
        subject=tuple(subject),
        applies_to=AppliesTo(
            tuple(nationalities), tuple(regions), tuple(profiles), tuple(except_profiles)
        ),
        valid_from=start,
        valid_until=end,
        statement=f"test fact {fid}",
        citations=(Citation("test-source", "p. 1", "test"),),
        confidence="medium",
        reviewed=date(2026, 11, 22),
        overturns=tuple(overturns),
        related=tuple(related),
        nature=nature or DEFAULT_NATURE.get(kind, "practice"),
        last_confirmed=confirmed,
        protection=protection,
        unverified=unverified,
    )


@dataclass(frozen=True)
class Rate:
    origin: str
    asylum: str
    year: int
    protection_rate: float | None
    total_decided: int
    source: str = "UNHCR"
    decision_level: str | None = "FI"
    protection_rate_ci: tuple[float, float] | None = None
    provenance_id: str | None = "test"


@dataclass
class FakeRates:
    rows: list[Rate] = field(default_factory=list)

    def latest_rates(self, origin: str, max_year: int) -> list[Rate]:
        latest: dict[str, Rate] = {}
        for r in self.rows:
            fits = r.origin == origin and r.year <= max_year
            if fits and (r.asylum not in latest or r.year > latest[r.asylum].year):
                latest[r.asylum] = r
        return list(latest.values())

    def latest_year(self, origin: str) -> int | None:
        years = [r.year for r in self.rows if r.origin == origin]
        return max(years) if years else None

    def figures(self, dataset: str, origin: str, state: str) -> list[Any]:
        return []


@dataclass(frozen=True)
class Incident:
    id: str
    date: date
    origin: str
    host: str
    tactics: tuple[str, ...]
    stage: str
    outcome: str = "unknown"
    target_profiles: tuple[str, ...] = ()
    summary: str = "test incident"
    residence: str | None = None


@dataclass
class FakeIncidents:
    items: list[Incident] = field(default_factory=list)

    def matching(
        self, origin: str, host: str, profile: str | None = None, as_of: date | None = None
    ) -> list[Incident]:
        return [
            i
            for i in self.items
            if i.origin == origin
            and i.host == host
            and (as_of is None or i.date <= as_of)
            and (profile is None or profile in i.target_profiles)
        ]

    def from_state(self, origin: str, state: str, as_of: date | None = None) -> list[Incident]:
        there = self.matching(origin, state, as_of=as_of)
        home = [i for i in self.matching(origin, origin, as_of=as_of) if i.residence == state]
        return sorted([*there, *home], key=lambda i: (i.date, i.id))


def context(
    facts: Sequence[Fact] = (), rates: Sequence[Rate] = (), incidents: Sequence[Incident] = ()
) -> Context:
    return Context(
        facts=list(facts),
        kb_version="test+000000000000",
        rates=FakeRates(list(rates)),
        incidents=FakeIncidents(list(incidents)),
    )


def case(**overrides: Any) -> CaseProfile:
    """A Russian citizen in Germany in a Dublin procedure, first entry Poland, unless overridden."""
    data: dict[str, Any] = {
        "as_of": "2025-06-01",
        "person": {"citizenship": ["RUS"]},
        "route": [
            {"country": "BLR", "role": "transit"},
            {"country": "POL", "role": "first_eu_entry", "fingerprinted": True},
        ],
        "current_country": "DEU",
        "stage": "dublin_procedure",
    }
    for key, value in overrides.items():
        if key == "person":
            data["person"] = {**data["person"], **value}
        else:
            data[key] = value
    return parse_case(data)
