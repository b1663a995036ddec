"""Load one publisher file into its table, whatever the publisher's format.

Every format but the bulk TSV has a fast reader that needs no database: the
build runs them before and beside the database's creation (`read_ahead`), and
each hands back a `Ready` file that one INSERT (a few, for the flat file's
sparse tables) writes. A fast reader takes only files exactly in the expected
shape; anything else, or a header that does not match, goes to the format's
DuckDB loader, which validates the header first (a publisher that renames a
column must not be read silently wrong), names malformed lines with the file
and line, and keeps the good rows. Both ways store the very same rows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future

import duckdb

from azyl.sources.base import Adapter, Format, SourceFile
from azyl.store.eurostat_codes import fill_code_table
from azyl.store.load_coded import load_sdmx, read_sdmx
from azyl.store.load_flat import load_flat, read_flat_file
from azyl.store.load_labels import load_labels, read_labels
from azyl.store.load_tsv import load_tsv
from azyl.store.load_unhcr import load_unhcr, read_unhcr
from azyl.store.loading import LoadResult, Ready

#: A fast reader's result, started in another thread before the database is open.
Ahead = Future["Ready | None"]

Loader = Callable[[duckdb.DuckDBPyConnection, SourceFile, Adapter, int], LoadResult]
FastReader = Callable[[SourceFile, Adapter], "Ready | None"]

_LOADERS: dict[Format, Loader] = {
    Format.UNHCR_CSV: load_unhcr,
    Format.SDMX_CSV: load_sdmx,
    Format.EUROSTAT_TSV: load_tsv,
    Format.EUROSTAT_LABELS: load_labels,
    Format.EUROSTAT_FLAT: load_flat,
}

_FAST: dict[Format, FastReader] = {
    Format.UNHCR_CSV: read_unhcr,
    Format.SDMX_CSV: read_sdmx,
    Format.EUROSTAT_LABELS: read_labels,
    Format.EUROSTAT_FLAT: read_flat_file,
}


def load_file(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    adapter: Adapter,
    pid: int,
    ahead: Ahead | None = None,
) -> LoadResult:
    """Load `source` into `adapter.table`, every row stamped with provenance id `pid`.

    `ahead` is `read_ahead(source, adapter)` run in another thread; without it,
    the fast reader runs here.
    """
    ready = ahead.result() if ahead is not None else read_ahead(source, adapter)
    if ready is not None:
        return ready.write(con, pid)
    return _LOADERS[source.format](con, source, adapter, pid)


def read_ahead(
    source: SourceFile, adapter: Adapter, stop: threading.Event | None = None
) -> Ready | None:
    """The file read by its format's fast reader, or None (then DuckDB reads it).

    Needs no database, so it can run while the database is being created; a
    header problem is left for `load_file` to report. Setting `stop` makes the
    long read of a flat file give up early (the build found nothing to do).
    """
    if source.format is Format.EUROSTAT_FLAT and Format.EUROSTAT_FLAT in _FAST:
        return read_flat_file(source, adapter, stop)
    fast = _FAST.get(source.format)
    return fast(source, adapter) if fast is not None else None


__all__ = ["Ahead", "LoadResult", "Ready", "fill_code_table", "load_file", "read_ahead"]
