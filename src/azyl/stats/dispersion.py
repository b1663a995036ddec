"""The asylum lottery: how protection rates for one nationality differ across destinations.

Only destinations with at least `min_decisions` first-instance decisions enter
the dispersion figures, so that a state deciding three cases cannot be "the
highest"; the others are still listed, marked, never hidden. Interquartile
range uses linear interpolation between order statistics (the "inclusive"
method of Python's `statistics.quantiles`, the default of R and NumPy).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import date

from azyl import countries
from azyl.errors import InputError, NoData
from azyl.i18n import N_
from azyl.i18n.message import Country, failure
from azyl.stats.rates import DEFAULT_SMALL_N, meta, normalise_source, rates
from azyl.stats.records import Dispersion, Extreme, LotteryEntry, LotteryResult, RateRow
from azyl.store.queries import StatsStore


def dispersion(rows: Sequence[RateRow]) -> Dispersion:
    """Dispersion of protection rates over the given rows (one per destination)."""
    rated = [(r.protection_rate, r) for r in rows if r.protection_rate is not None]
    if not rated:
        raise ValueError("dispersion needs at least one row with a protection rate")
    values = sorted(rate for rate, _ in rated)
    high, low = values[-1], values[0]
    quartiles = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else None
    decisions = sum(r.total_decided for _, r in rated)
    return Dispersion(
        destinations=len(rated),
        decisions=decisions,
        highest=Extreme(high, tuple(sorted(r.asylum for v, r in rated if v == high))),
        lowest=Extreme(low, tuple(sorted(r.asylum for v, r in rated if v == low))),
        ratio=high / low if low > 0 else None,
        range_pp=(high - low) * 100,
        iqr_pp=(quartiles[2] - quartiles[0]) * 100 if quartiles else 0.0,
        median=statistics.median(values),
        weighted_mean=sum(r.positive for _, r in rated) / decisions if decisions else 0.0,
    )


def lottery(
    store: StatsStore,
    origin: str,
    year: int,
    min_decisions: int = 50,
    *,
    source: str = "UNHCR",
    small_n: int = DEFAULT_SMALL_N,
    scope: str = "all",
) -> LotteryResult:
    """Destinations ranked by protection rate for one origin and year, with dispersion.

    `scope` limits the destinations to one of `countries.SCOPES` ("europe": EU+ and
    the United Kingdom), so that the spread is measured among comparable systems.
    """
    if min_decisions < 1:
        raise failure(
            InputError,
            N_("the minimum number of decisions must be at least 1, not {value}"),
            value=min_decisions,
        )
    if scope not in countries.SCOPES:
        raise failure(
            InputError,
            N_('unknown scope "{scope}": use {allowed}'),
            scope=scope,
            allowed=" | ".join(countries.SCOPES),
        )
    (chosen,) = normalise_source(source) if source else ("UNHCR",)
    result = rates(store, origin, year, None, chosen, small_n=small_n)
    end_of_year = date(year, 12, 31)
    states = [
        r
        for r in result.rows
        if countries.lookup(r.asylum) is not None
        and countries.in_scope(r.asylum, scope, end_of_year)
    ]
    included = sorted(
        (r for r in states if r.total_decided >= min_decisions and r.protection_rate is not None),
        key=lambda r: (-(r.protection_rate or 0.0), r.asylum),
    )
    rest = sorted(
        (r for r in states if r not in included),
        key=lambda r: (-(r.protection_rate or -1.0), r.asylum),
    )
    entries = [LotteryEntry(i, True, r) for i, r in enumerate(included, start=1)]
    entries += [LotteryEntry(None, False, r) for r in rest]
    if not entries:
        raise failure(
            NoData,
            N_(
                "no destination reported first-instance decisions for nationals of "
                "{origin:gen} in {year}"
            ),
            origin=Country(countries.alpha3(origin)),
            year=year,
        )
    query = {"origin": result.meta["query"]["origin"], "year": year,
             "min_decisions": min_decisions, "source": chosen, "scope": scope}  # fmt: skip
    info = meta(store, states, query, small_n, result.meta["omitted"])
    info["note"] = (
        f"{len(included)} destination(s) with at least {min_decisions} decisions enter the "
        f"dispersion figures; {len(rest)} with fewer are listed but not ranked"
    )
    return LotteryResult(tuple(entries), dispersion(included) if included else None, info)
