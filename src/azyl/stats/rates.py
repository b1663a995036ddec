"""Recognition and protection rates for one origin: the public API over the store.

`rates`, `series` and `available_years` validate what the user asked for
(countries as codes or names, a year within the data, a known source), fetch
the records from the store, and compute the rows with `outcomes`. Every result
carries its definitions and the provenance of the files it used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any

from azyl import __version__, countries
from azyl.errors import InputError, NoData
from azyl.i18n import N_
from azyl.i18n.message import Country, failure
from azyl.stats.definitions import DEFINITIONS
from azyl.stats.outcomes import eurostat_rows, unhcr_rows
from azyl.stats.records import RateRow, RatesResult
from azyl.store.queries import StatsStore

#: Default small-number threshold (the `AZYL_SMALL_N` setting overrides it at the edges).
DEFAULT_SMALL_N = 30
SOURCES = ("UNHCR", "Eurostat")


def normalise_source(source: str | None) -> tuple[str, ...]:
    """The sources to show: both by default, or the one named (any letter case)."""
    if source is None or source.lower() in ("", "all", "both"):
        return SOURCES
    for known in SOURCES:
        if source.lower() == known.lower():
            return (known,)
    raise failure(
        InputError,
        N_('unknown source "{source}": use UNHCR or Eurostat (or leave it out for both)'),
        source=source,
    )


def available_years(store: StatsStore, origin: str) -> list[int]:
    """Years with first-instance decisions for an origin, in any source."""
    code = countries.alpha3(origin)
    years = store.decision_years(code)
    return sorted(set(years["UNHCR"]) | set(years["Eurostat"]))


def latest_year(store: StatsStore, origin: str, source: str | None = None) -> int:
    """The most recent year with first-instance decisions for an origin (in one source)."""
    code = countries.alpha3(origin)
    years = store.decision_years(code)
    have = [y for s in normalise_source(source) for y in years[s]]
    if not have:
        raise failure(
            NoData,
            N_("no first-instance decisions for nationals of {origin:gen} in any year"),
            origin=Country(code),
        )
    return max(have)


def check_year(store: StatsStore, year: int) -> None:
    """Refuse a year outside the span of the data, saying what the span is."""
    spans = [y for ys in store.decision_years(None).values() for y in ys]
    if not spans:
        raise failure(NoData, N_("the statistics database holds no decisions: run `azyl build`"))
    low, high = min(spans), max(spans)
    if not low <= year <= high:
        raise failure(
            InputError,
            N_("year {year} is out of range: first-instance decisions cover {low}–{high}"),
            {"year": year, "first": low, "last": high},
            year=year,
            low=low,
            high=high,
        )


def rates(
    store: StatsStore,
    origin: str,
    year: int | None = None,
    asylum: str | None = None,
    source: str | None = None,
    *,
    small_n: int = DEFAULT_SMALL_N,
) -> RatesResult:
    """First-instance outcomes and rates for one origin (per destination, year and source)."""
    code = countries.alpha3(origin)
    dest = countries.alpha3(asylum) if asylum else None
    sources = normalise_source(source)
    if year is not None:
        check_year(store, year)
    rows: list[RateRow] = []
    omitted: list[dict[str, object]] = []
    if "UNHCR" in sources:
        decisions = store.unhcr_decisions(code, year, dest)
        unhcr, omitted = unhcr_rows(decisions, store.unhcr_levels(), small_n)
        rows += unhcr
    if "Eurostat" in sources:
        rows += eurostat_rows(store.eurostat_decisions(code, year, dest), small_n)
    if not rows:
        raise _no_data(store, code, year, dest, sources)
    rows = _mark_provisional(store, rows)
    rows.sort(key=lambda r: (r.year, r.asylum, SOURCES.index(r.source)))
    query = {"origin": code, "year": year, "asylum": dest, "source": list(sources)}
    return RatesResult(tuple(rows), meta(store, rows, query, small_n, omitted))


def provisional_year(store: StatsStore) -> int | None:
    """The latest UNHCR year in the loaded release: its figures may still be revised."""
    years = store.decision_years(None)["UNHCR"]
    return max(years) if years else None


def _mark_provisional(store: StatsStore, rows: list[RateRow]) -> list[RateRow]:
    latest = provisional_year(store)
    return [
        replace(r, provisional=True) if r.source == "UNHCR" and r.year == latest else r
        for r in rows
    ]


def series(
    store: StatsStore,
    origin: str,
    asylum: str,
    *,
    source: str | None = None,
    small_n: int = DEFAULT_SMALL_N,
) -> list[RateRow]:
    """Every year of one origin in one destination (both sources unless one is named)."""
    return list(rates(store, origin, None, asylum, source, small_n=small_n).rows)


def meta(
    store: StatsStore,
    rows: list[RateRow],
    query: dict[str, Any],
    small_n: int,
    omitted: list[dict[str, object]] | None = None,
) -> dict[str, Any]:
    """Definitions, provenance and citation for a set of rows."""
    records = store.provenance(sorted({r.provenance_id for r in rows}))
    return {
        "query": query,
        "definitions": DEFINITIONS,
        "small_n_threshold": small_n,
        "provisional_year": {"UNHCR": provisional_year(store)},
        "provenance": [p.to_dict() for p in records],
        "cite": [
            f"{p.publisher}, {p.title} ({p.dataset}); {p.release}; file {p.file_name} "
            f"(sha256 {p.sha256[:12]}...); licence {p.licence}; rates computed with azyl "
            f"{__version__}"
            for p in records
        ],
        "omitted": omitted or [],
    }


def _no_data(
    store: StatsStore, origin: str, year: int | None, asylum: str | None, sources: tuple[str, ...]
) -> NoData:
    """A NoData error that says what exists instead."""
    years = store.decision_years(origin)
    have = sorted({y for s in sources for y in years[s]})
    what = f"{origin} ({countries.name(origin)})"
    where = f" in {asylum} ({countries.name(asylum)})" if asylum else ""
    when = f" in {year}" if year is not None else ""
    if not have:
        return NoData(f"no first-instance decisions for nationals of {what} in {'/'.join(sources)}"
                      " data", {"origin": origin})  # fmt: skip
    hint = f"years with data for {origin}: {_span_text(have)}"
    if asylum:
        dest_years = sorted(
            {r.year for r in store.unhcr_decisions(origin, None, asylum)}
            | {r.year for r in store.eurostat_decisions(origin, None, asylum)}
        )
        if dest_years:
            hint = f"years with data for {origin} in {asylum}: {_span_text(dest_years)}"
        else:
            hint = f"no year has data for {origin} in {asylum}; {hint}"
    message = f"no first-instance decisions for nationals of {what}{where}{when}; {hint}"
    return NoData(message, {"origin": origin, "asylum": asylum, "year": year, "years": have})


def _span_text(years: list[int]) -> str:
    """2000-2005, 2008, 2010-2025: contiguous runs joined."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def main_destinations(
    store: StatsStore,
    origins: Sequence[str],
    years: range,
    among: Collection[str],
    count: int = 15,
) -> list[tuple[str, int]]:
    """The states among `among` that decided most first-instance claims of these origins'
    nationals in `years` (UNHCR), most first, with their totals.

    Used to choose which destinations the knowledge base must cover: the states
    whose decisions most people from these origins actually receive.
    """
    totals: Counter[str] = Counter()
    for origin in origins:
        try:
            found = rates(store, origin, source="UNHCR").rows
        except NoData:  # no decisions on this nationality at all
            continue
        for row in found:
            if row.year in years and row.asylum in among:
                totals[row.asylum] += row.total_decided
    return totals.most_common(count)
