"""The statistics store (DuckDB): the only place in azyl that knows SQL.

`build_statistics()` builds or refreshes the database from the publishers'
files; `open_store()` opens it for the statistics functions in `azyl.stats`.
"""

from azyl.store.build import BuildReport, FileReport, build_statistics
from azyl.store.queries import StatsStore, open_store

__all__ = ["BuildReport", "FileReport", "StatsStore", "build_statistics", "open_store"]
