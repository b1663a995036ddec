"""Counting the registry: incidents by origin, host, tactic, year..., and escalation per host.

Pure functions over views (from `find_incidents` or an `IncidentIndex`), so
the web app, the reports and the command line count the same way.

- `count_incidents(views, by)` groups by any combination of dimensions.
  Tactics and profiles are multi-valued: an incident counts once under each
  tactic (profile) it has, so those counts add up to more than the number of
  incidents. `freedom_house` is the category of physical transnational
  repression each tactic counts under in Freedom House's data (an incident
  counts once per category; `None` when no tactic is physical in that sense).
  `year` is the year of the incident's date (for `before` dates,
  the year by which it had happened). An unknown host counts as `None`.
- `escalation_profile(views)` answers the CAPE model's question for each host
  state: of the targets there, how many reached each stage? A target's
  furthest stage over all their incidents counts; reaching a stage includes
  reaching a later one (a person rendered home had, in the model, been put
  on notice and detained). Targets are told apart by their public name or
  their pseudonymous label, so one person keeps one label across incidents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from azyl.errors import InputError
from azyl.i18n import N_
from azyl.i18n.message import Message, failure
from azyl.incidents.record import IncidentRecord
from azyl.incidents.vocabulary import STAGES, TACTIC_FREEDOM_HOUSE

Key = tuple[str | None, ...]

#: Dimensions `count_incidents` can group by.
DIMENSIONS: tuple[str, ...] = (
    "origin", "host", "tactic", "year", "stage", "outcome", "profile", "freedom_house",
)  # fmt: skip


def _values(record: IncidentRecord, dimension: str) -> tuple[str | None, ...]:
    if dimension == "tactic":
        return record.tactics
    if dimension == "freedom_house":
        # Once per category, however many of the incident's tactics fall under it.
        found = dict.fromkeys(TACTIC_FREEDOM_HOUSE.get(t) for t in record.tactics)
        found.pop(None, None)
        return tuple(found) or (None,)
    if dimension == "profile":
        return record.target_profiles or (None,)
    if dimension == "year":
        return (str(record.date.year),)
    value: str | None = getattr(record, dimension)
    return (value,)


def check_dimensions(by: Sequence[str]) -> None:
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown or not by:
        asked = ", ".join(unknown) or Message.of(N_("nothing"))
        raise failure(
            InputError,
            N_("cannot count by {asked}; choose from {dimensions}"),
            asked=asked,
            dimensions=", ".join(DIMENSIONS),
        )


def count_incidents(records: Iterable[IncidentRecord], by: Sequence[str]) -> list[tuple[Key, int]]:
    """(key, count) for each combination of the dimensions in `by`, most frequent first."""
    check_dimensions(by)
    counts: Counter[Key] = Counter()
    for record in records:
        keys: list[Key] = [()]
        for dimension in by:
            keys = [(*k, v) for k in keys for v in _values(record, dimension)]
        counts.update(keys)
    # Most frequent first; ties in key order, with unknown values (None) last.
    return sorted(counts.items(), key=lambda kv: (-kv[1], [(v is None, v or "") for v in kv[0]]))


@dataclass(frozen=True)
class Escalation:
    """How far targets in one host state got through the CAPE stages."""

    host: str | None
    targets: int
    incidents: int
    reached: dict[str, int]  # stage -> targets who reached it (or a later stage)

    def share(self, stage: str) -> float:
        """Share of the targets who reached `stage` (0 to 1)."""
        return self.reached[stage] / self.targets if self.targets else 0.0


def escalation_profile(records: Iterable[IncidentRecord]) -> list[Escalation]:
    """One `Escalation` per host state, most targets first."""
    order = list(STAGES)
    furthest: dict[str | None, dict[str, int]] = {}
    incidents: Counter[str | None] = Counter()
    for record in records:
        incidents[record.host] += 1
        targets = furthest.setdefault(record.host, {})
        level = order.index(record.stage)
        targets[record.target] = max(targets.get(record.target, 0), level)
    profile = []
    for host, targets in furthest.items():
        reached = {
            stage: sum(1 for lvl in targets.values() if lvl >= i) for i, stage in enumerate(order)
        }
        profile.append(Escalation(host, len(targets), incidents[host], reached))
    return sorted(profile, key=lambda e: (-e.targets, e.host or "~"))
