"""Statistics over the store: rates, Wilson intervals, the asylum lottery, time series.

The public API the CLI, the screening engine and the web app call:

    open_store(path, read_only=True) -> StatsStore
    rates(store, origin, year=None, asylum=None, source=None) -> RatesResult
    lottery(store, origin, year, min_decisions=50) -> LotteryResult
    series(store, origin, asylum) -> list[RateRow]
    available_years(store, origin) -> list[int]

Pure functions over store records; no I/O of their own. Definitions are in
`DEFINITIONS` and docs/statistics.md.
"""

from azyl.stats.definitions import DEFINITIONS
from azyl.stats.dispersion import dispersion, lottery
from azyl.stats.intervals import wilson
from azyl.stats.rates import DEFAULT_SMALL_N, available_years, latest_year, rates, series
from azyl.stats.records import (
    Dispersion,
    Extreme,
    LotteryEntry,
    LotteryResult,
    RateRow,
    RatesResult,
)
from azyl.store.queries import StatsStore, open_store

__all__ = [
    "DEFAULT_SMALL_N",
    "DEFINITIONS",
    "Dispersion",
    "Extreme",
    "LotteryEntry",
    "LotteryResult",
    "RateRow",
    "RatesResult",
    "StatsStore",
    "available_years",
    "dispersion",
    "latest_year",
    "lottery",
    "open_store",
    "rates",
    "series",
    "wilson",
]
