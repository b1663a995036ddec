"""The statistics atlas as the pages and the API show it, built from `azyl.stats`.

Each function takes the open statistics store and returns plain data: the
lottery (ranked destinations with intervals and counts), the time series per
destination, the origins x destinations matrix, how FSU nationals fare in one
host state. Only UNHCR figures are ranked and drawn (one consistent
definition across destinations); Eurostat figures stay available through
/api/rates, side by side, never merged (see docs/statistics.md).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from azyl import countries, stats
from azyl.errors import InputError, NoData
from azyl.i18n import N_
from azyl.i18n.message import Country, failure
from azyl.stats import RateRow, StatsStore
from azyl.stats.rounding import UNHCR_SMALLEST, may_be_rounded
from azyl.store.queries import Provenance

RATES = ("protection_rate", "recognition_rate")
SOURCE = "UNHCR"
MIN_DECISIONS = 50  # below this a destination is listed but not ranked (azyl.stats.lottery)
SERIES_LINES = 6
HEATMAP_COLUMNS = 14


def check_rate(rate: str) -> str:
    if rate not in RATES:
        raise failure(
            InputError,
            N_("unknown rate {rate}: use one of {rates}"),
            {"allowed": list(RATES)},
            rate=repr(rate),
            rates=", ".join(RATES),
        )
    return rate


def _point(row: RateRow, rate: str) -> dict[str, Any]:
    ci = getattr(row, f"{rate}_ci")
    return {
        "rate": getattr(row, rate),
        "low": ci[0] if ci else None,
        "high": ci[1] if ci else None,
        "decisions": row.total_decided,
        "positive": row.positive if rate == "protection_rate" else row.recognized,
        "rounded": may_be_rounded(row),
    }


def provenance(store: StatsStore, ids: set[int]) -> list[dict[str, Any]]:
    """Provenance records as the pages cite them (id, publisher, dataset, file, licence...)."""
    return [source_record(p) for p in store.provenance(sorted(ids))]


def source_record(p: Provenance) -> dict[str, Any]:
    return {
        "id": str(p.id),
        "publisher": p.publisher,
        "dataset": p.dataset,
        "title": p.title,
        "file": p.file_name,
        "url": p.url,
        "licence": p.licence,
        "release": p.release,
        "retrieved_at": p.retrieved_at,
        "sha256": p.sha256,
        "note": p.note,
    }


def unhcr_years(store: StatsStore, origin: str | None) -> list[int]:
    return list(store.decision_years(origin)[SOURCE])


def lottery(
    store: StatsStore, origin: str, year: int | None, rate: str, small_n: int, scope: str = "all"
) -> dict[str, Any]:
    """Destinations ranked by the rate (those with fewer than 50 decisions listed last)."""
    check_rate(rate)
    years = unhcr_years(store, origin)
    if not years:
        raise failure(
            NoData,
            N_("no first-instance decisions for nationals of {origin:gen} in the UNHCR data"),
            origin=Country(origin),
        )
    year = year or years[-1]
    result = stats.lottery(
        store, origin, year, MIN_DECISIONS, source=SOURCE, small_n=small_n, scope=scope
    )
    rows = []
    for entry in result.destinations:
        if entry.row.total_decided == 0:  # reported, but no decision to draw a rate from
            continue
        point = _point(entry.row, rate)
        rows.append({"destination": entry.row.asylum, "rank": entry.rank,
                     "small_n": not entry.included or entry.row.small_n,
                     "provenance_id": str(entry.row.provenance_id), **point})  # fmt: skip
    ranked = sorted((r for r in rows if r["rank"] and r["rate"] is not None),
                    key=lambda r: (-r["rate"], r["destination"]))  # fmt: skip
    rest = sorted((r for r in rows if r not in ranked), key=lambda r: -r["decisions"])
    ids = {entry.row.provenance_id for entry in result.destinations}
    return {
        "origin": origin,
        "year": year,
        "years": years,
        "rate": rate,
        "rates": list(RATES),
        "scope": scope,
        "source": SOURCE,
        "definition": stats.DEFINITIONS[rate],
        "interval": stats.DEFINITIONS["interval"],
        "small_n": MIN_DECISIONS,
        "smallest_count": UNHCR_SMALLEST,
        "rows": ranked + rest,
        "spread": spread(ranked),
        "total_decisions": sum(r["decisions"] for r in rows),
        "dispersion": result.dispersion.to_dict() if result.dispersion else None,
        "note": result.meta.get("note"),
        "provisional": any(entry.row.provisional for entry in result.destinations),
        "provenance": provenance(store, ids),
    }


def spread(ranked: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The lowest and highest of the selected rate among the ranked destinations (those
    with at least MIN_DECISIONS decisions), each with every state that has it."""
    if not ranked:
        return None
    low = min(r["rate"] for r in ranked)
    high = max(r["rate"] for r in ranked)
    return {
        "destinations": len(ranked),
        "low": low,
        "high": high,
        "lowest": [r["destination"] for r in ranked if r["rate"] == low],
        "highest": [r["destination"] for r in ranked if r["rate"] == high],
    }


def series(
    store: StatsStore, origin: str, destination: str | None, rate: str, small_n: int
) -> dict[str, Any]:
    """Rates by year for the destinations that decided most claims (or one destination)."""
    check_rate(rate)
    result = stats.rates(store, origin, None, destination, SOURCE, small_n=small_n)
    by_destination: dict[str, list[Any]] = defaultdict(list)
    for row in result.rows:
        by_destination[row.asylum].append(row)
    if destination is None:
        weight = {d: sum(r.total_decided for r in rows) for d, rows in by_destination.items()}
        chosen = sorted(weight, key=lambda d: -weight[d])[:SERIES_LINES]
    else:
        chosen = [destination]
    lines = [
        {
            "destination": d,
            "points": [{"year": r.year, **_point(r, rate)} for r in by_destination[d]],
        }
        for d in chosen
        if countries.lookup(d) is not None
    ]
    ids = {r.provenance_id for d in chosen for r in by_destination[d]}
    return {"origin": origin, "destination": destination, "rate": rate, "source": SOURCE,
            "definition": stats.DEFINITIONS[rate], "series": lines,
            "provenance": provenance(store, ids)}  # fmt: skip


def heatmap(
    store: StatsStore, year: int | None, rate: str, small_n: int, scope: str = "all"
) -> dict[str, Any]:
    """Every FSU origin against the destinations (within `scope`) that decided most of
    their claims in one year."""
    check_rate(rate)
    year = year or unhcr_years(store, None)[-1]
    end_of_year = date(year, 12, 31)
    cells: dict[tuple[str, str], Any] = {}
    for origin in countries.FSU_ORIGINS:
        try:
            result = stats.rates(store, origin, year, None, SOURCE, small_n=small_n)
        except NoData:
            continue
        for row in result.rows:
            if countries.lookup(row.asylum) is not None and countries.in_scope(
                row.asylum, scope, end_of_year
            ):
                cells[(origin, row.asylum)] = row
    weight: dict[str, int] = defaultdict(int)
    for (_, destination), row in cells.items():
        weight[destination] += row.total_decided
    columns = sorted(weight, key=lambda d: -weight[d])[:HEATMAP_COLUMNS]
    origins = [o for o in countries.FSU_ORIGINS if any((o, d) in cells for d in columns)]
    values = [[_value(cells.get((o, d)), rate) for d in columns] for o in origins]
    ids = {cells[(o, d)].provenance_id for o in origins for d in columns if (o, d) in cells}
    return {
        "year": year,
        "rate": rate,
        "scope": scope,
        "source": SOURCE,
        "small_n": MIN_DECISIONS,
        "origins": origins,
        "destinations": columns,
        "values": values,
        "provenance": provenance(store, ids),
    }


def _value(row: Any, rate: str) -> float | None:
    """A cell's rate, left blank when fewer than 50 decisions make it unreliable."""
    if row is None or row.total_decided < MIN_DECISIONS:
        return None
    value: float | None = getattr(row, rate)
    return value


def destination_rates(
    store: StatsStore, destination: str, rate: str, small_n: int
) -> dict[str, Any]:
    """How nationals of each FSU origin fared in one state, in the latest year it decided
    any of their claims; origins it never decided on are left out (listed by name only),
    so the table holds figures, not rows of zeros."""
    check_rate(rate)
    rows = []
    ids = set()
    for origin in countries.FSU_ORIGINS:
        try:
            result = stats.rates(store, origin, None, destination, SOURCE, small_n=small_n)
        except NoData:
            continue
        decided = [r for r in result.rows if r.total_decided > 0]
        if not decided:
            continue
        latest = max(decided, key=lambda r: r.year)
        rows.append({"origin": origin, "year": latest.year,
                     "small_n": latest.total_decided < MIN_DECISIONS,
                     **_point(latest, rate)})  # fmt: skip
        ids.add(latest.provenance_id)
    rows.sort(key=lambda r: (-r["decisions"], r["origin"]))
    return {"destination": destination, "rate": rate, "rows": rows, "source": SOURCE,
            "definition": stats.DEFINITIONS[rate], "small_n": MIN_DECISIONS,
            "smallest_count": UNHCR_SMALLEST, "provenance": provenance(store, ids)}  # fmt: skip


def origin_figures(store: StatsStore, origin: str) -> dict[str, Any]:
    """Refusals of entry and returns of nationals of `origin`, by reporting state, in each
    state's latest year with a figure (Eurostat); states with neither are left out."""
    by_state: dict[str, dict[str, Any]] = {}
    ids: set[int] = set()
    for key, dataset in (("refused", "eirfs"), ("returned", "eirtn")):
        for figure in store.border_figures(dataset, origin):
            if figure.value and countries.lookup(figure.asylum) is not None:
                by_state.setdefault(figure.asylum, {"state": figure.asylum})[key] = {
                    "year": figure.year,
                    "value": figure.value,
                    "id": figure.provenance_id,
                }
    for row in by_state.values():
        ids.update(row[k].pop("id") for k in ("refused", "returned") if k in row)
    rows = sorted(
        by_state.values(), key=lambda r: (-r.get("refused", {}).get("value", 0), r["state"])
    )
    return {"origin": origin, "rows": rows, "provenance": provenance(store, ids)}


def host_figures(store: StatsStore, destination: str) -> dict[str, Any]:
    """What else the statistics hold on FSU nationals in one state, each figure with its
    year and source: asylum applications (UNHCR), refusals of entry at its external border
    and returns after an order to leave (Eurostat). Origins with no figure are left out."""
    rows = []
    ids: set[int] = set()
    for origin in countries.FSU_ORIGINS:
        row: dict[str, Any] = {"origin": origin}
        applied = [a for a in store.applications(origin, destination) if a.applied > 0]
        if applied:
            row["applications"] = {"year": applied[-1].year, "value": applied[-1].applied}
            ids.add(applied[-1].provenance_id)
        for key, dataset in (("refused", "eirfs"), ("returned", "eirtn")):
            found = [f for f in store.border_figures(dataset, origin, destination) if f.value]
            if found:
                row[key] = {"year": found[-1].year, "value": found[-1].value}
                ids.add(found[-1].provenance_id)
        if len(row) > 1:
            rows.append(row)
    columns = [k for k in ("applications", "refused", "returned") if any(k in r for r in rows)]
    return {"destination": destination, "rows": rows, "columns": columns,
            "provenance": provenance(store, ids)}  # fmt: skip
