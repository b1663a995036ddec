"""The knowledge base's coverage on a date, for the destinations that matter most.

Joins the two stores' views: the statistics choose the destinations (the
Dublin states that decided most first-instance claims of nationals of the
twelve origins in the five full years before the date, UNHCR), and the
knowledge base is counted against them (`azyl.kb.coverage`). Without built
statistics every Dublin state on the date is shown, and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from azyl import countries
from azyl.errors import NoData
from azyl.kb.coverage import Coverage, coverage
from azyl.kb.model import KnowledgeBase
from azyl.stats import open_store
from azyl.stats.rates import main_destinations

#: How many destinations the knowledge base must cover, and over how many years of
#: decisions they are chosen.
MAIN_DESTINATIONS = 15
YEARS = 5


@dataclass(frozen=True)
class CoverageReport:
    coverage: Coverage
    #: Decisions behind the choice of each destination ({} when statistics are missing).
    decided: dict[str, int]
    years: range
    #: Why the destinations are every Dublin state rather than the main ones, if so.
    fallback: str | None = None


def kb_coverage(kb: KnowledgeBase, stats_db: Path, on: date) -> CoverageReport:
    """Coverage of the twelve origins and the main destinations on `on`."""
    years = range(on.year - YEARS, on.year)
    among = countries.dublin_states(on)
    decided: dict[str, int] = {}
    fallback = None
    try:
        with open_store(stats_db) as store:
            decided = dict(
                main_destinations(store, countries.FSU_ORIGINS, years, among, MAIN_DESTINATIONS)
            )
    except NoData as exc:
        fallback = exc.message
    destinations = list(decided) or sorted(among)
    counted = coverage(kb.facts.values(), on, countries.FSU_ORIGINS, destinations)
    return CoverageReport(counted, decided, years, fallback)
