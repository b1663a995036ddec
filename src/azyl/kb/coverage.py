"""What the knowledge base covers on a date: origins by destinations by kinds of fact.

A screening is only as good as the facts in force on its date. This module
counts them, so a researcher sees which origin, which destination and which
pairing has nothing behind it before a caseworker relies on an empty answer.

A fact *concerns an origin* when the origin is among the nationalities it
applies to, among its subjects, or is its actor (the origin's own practice).
A fact *concerns a destination* when the destination is its actor; the
matrix's cells are the facts that concern both. An EU-wide fact (actor `EU`)
counts for the origins it concerns but in no member state's column: a state's
column shows what is known about that state itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from azyl.kb.model import Fact

#: What the issue of the knowledge base asks for (docs/kb-content.md): facts in force on
#: the date for each origin, and for each main destination state.
ORIGIN_MINIMUM = 10
DESTINATION_MINIMUM = 5


def concerns_origin(fact: Fact, origin: str) -> bool:
    """Whether the fact bears on people of this nationality (or is that state's own act)."""
    return origin in fact.applies_to.nationalities or origin in fact.subject or fact.actor == origin


@dataclass(frozen=True)
class Coverage:
    """Counts of facts in force on one date (see the module docstring for what counts)."""

    on: date
    origins: tuple[str, ...]
    destinations: tuple[str, ...]
    by_origin: dict[str, Counter[str]] = field(default_factory=dict)
    by_destination: dict[str, Counter[str]] = field(default_factory=dict)
    cells: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)

    def origin_total(self, origin: str) -> int:
        return sum(self.by_origin[origin].values())

    def destination_total(self, destination: str) -> int:
        return sum(self.by_destination[destination].values())

    def cell_total(self, origin: str, destination: str) -> int:
        return sum(self.cells[(origin, destination)].values())

    def empty_cells(self) -> list[tuple[str, str]]:
        """Origin-destination pairs with no fact in force, in the matrix's order."""
        return [
            (o, d) for o in self.origins for d in self.destinations if not self.cell_total(o, d)
        ]

    def thin_origins(self) -> list[str]:
        return [o for o in self.origins if self.origin_total(o) < ORIGIN_MINIMUM]

    def thin_destinations(self) -> list[str]:
        return [d for d in self.destinations if self.destination_total(d) < DESTINATION_MINIMUM]

    def to_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "origins": {o: dict(self.by_origin[o]) for o in self.origins},
            "destinations": {d: dict(self.by_destination[d]) for d in self.destinations},
            "cells": {
                f"{o}>{d}": dict(self.cells[(o, d)])
                for o in self.origins
                for d in self.destinations
            },
            "empty_cells": [f"{o}>{d}" for o, d in self.empty_cells()],
            "minimums": {"origin": ORIGIN_MINIMUM, "destination": DESTINATION_MINIMUM},
            "thin_origins": self.thin_origins(),
            "thin_destinations": self.thin_destinations(),
        }


def coverage(
    facts: Iterable[Fact], on: date, origins: Sequence[str], destinations: Sequence[str]
) -> Coverage:
    """Count the facts in force on `on` by origin, by destination and by pair, per kind."""
    in_force = [f for f in facts if f.in_force(on)]
    by_origin = {o: Counter(f.kind for f in in_force if concerns_origin(f, o)) for o in origins}
    by_destination = {d: Counter(f.kind for f in in_force if f.actor == d) for d in destinations}
    cells = {
        (o, d): Counter(f.kind for f in in_force if f.actor == d and concerns_origin(f, o))
        for o in origins
        for d in destinations
    }
    return Coverage(on, tuple(origins), tuple(destinations), by_origin, by_destination, cells)
