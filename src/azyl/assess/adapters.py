"""Build the screening context from the configured stores (the engine's only I/O edge).

The engine (`azyl.assess.engine` and the rules) is pure; this module is where
its inputs come from: the knowledge base loaded from `kb/`, the statistics
store (DuckDB), and the incident registry (the application database). The CLI
and the web app call `load(settings)` once and reuse the result for every
screening: its `context` feeds the engine, and its knowledge base and incident
index resolve the evidence a report cites.

A missing statistics store is not an error: the context then knows no figure,
and the assessment says so (no destination rates) rather than inventing any.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from azyl.appdb import open_database
from azyl.assess.context import Context, FigureLike, RateLike
from azyl.config import Settings
from azyl.errors import NoData
from azyl.incidents.query import IncidentIndex, load_incident_index
from azyl.kb import KnowledgeBase, load_configured_kb
from azyl.stats import StatsStore, open_store, rates

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass
class StoreRates:
    """Protection rates from the statistics store, cached per nationality.

    UNHCR first-instance figures cover every state and year (2000-2025), so they
    are the ones the engine compares; Eurostat figures, where they exist, stay
    available in the atlas. For each country of asylum the latest year with
    decisions at or before `max_year` is returned.
    """

    store: StatsStore
    small_n: int
    _rows: dict[str, list[RateLike]] = field(default_factory=dict, repr=False)
    _figures: dict[tuple[str, str, str], list[FigureLike]] = field(default_factory=dict, repr=False)

    def _all(self, origin: str) -> list[RateLike]:
        if origin not in self._rows:
            try:
                found = rates(self.store, origin, source="UNHCR", small_n=self.small_n).rows
            except NoData:
                found = ()
            self._rows[origin] = [r for r in found if r.total_decided > 0]
        return self._rows[origin]

    def latest_rates(self, origin: str, max_year: int) -> Sequence[RateLike]:
        latest: dict[str, RateLike] = {}
        for row in self._all(origin):
            held = latest.get(row.asylum)
            if row.year <= max_year and (held is None or row.year > held.year):
                latest[row.asylum] = row
        return list(latest.values())

    def latest_year(self, origin: str) -> int | None:
        years = [row.year for row in self._all(origin)]
        return max(years) if years else None

    def figures(self, dataset: str, origin: str, state: str) -> Sequence[FigureLike]:
        """Refusals of entry (`eirfs`) or returns (`eirtn`), by year, from the store."""
        key = (dataset, origin, state)
        if key not in self._figures:
            self._figures[key] = list(self.store.border_figures(dataset, origin, state))
        return self._figures[key]


class NoRates:
    """The lookup used when no statistics store has been built: it knows no figure."""

    def latest_rates(self, origin: str, max_year: int) -> Sequence[RateLike]:
        return []

    def latest_year(self, origin: str) -> int | None:
        return None

    def figures(self, dataset: str, origin: str, state: str) -> Sequence[FigureLike]:
        return []


@dataclass(frozen=True)
class Loaded:
    """The engine's context, with the knowledge base and incident index it was built from."""

    context: Context
    kb: KnowledgeBase
    incidents: IncidentIndex


def load(settings: Settings, engine: Engine | None = None) -> Loaded:
    """Load the knowledge base, the statistics and the public incidents once.

    `engine` is the application database when the caller already has it open
    (the web app); otherwise the one of `settings` is opened and closed here.
    """
    kb = load_configured_kb(settings)
    path = settings.stats_db_path
    lookup = StoreRates(open_store(path), settings.small_n) if path.exists() else NoRates()
    if engine is not None:
        incidents = load_incident_index(engine)
    else:
        own = open_database(settings)
        try:
            incidents = load_incident_index(own)
        finally:
            own.dispose()  # a pool of its own: close it rather than leave a connection open
    context = Context(
        facts=tuple(kb.facts.values()),
        kb_version=kb.version.label,
        rates=lookup,
        incidents=incidents,
        small_n=settings.small_n,
    )
    return Loaded(context, kb, incidents)


def build_context(settings: Settings) -> Context:
    """Only the engine's context (see `load`)."""
    return load(settings).context
