"""Write a flat file's cells (`FlatCells`) into the sparse tables of its dataset.

A few statements whatever the file's size: the numpy columns are handed to
DuckDB as they are (no Python row loop), and the few labels go in as lists. The
non-zero values and the coverage are written at the same time, on two cursors:
at that point of the build the flat file is the last thing being written, so the
second core would otherwise wait. The view `<dataset>_raw` is switched to show
the result as one row per cell again, zeros included (see `azyl.store.schema`).
"""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor

import duckdb
import numpy as np

from azyl.store.columns import Numbers, insert_columns
from azyl.store.flatcsv import FlatCells
from azyl.store.loading import cursor_like
from azyl.store.schema import raw_view


def write_cells(con: duckdb.DuckDBPyConnection, table: str, pid: int, cells: FlatCells) -> None:
    """Insert `cells`, read from the file of provenance `pid`, into `table`'s sparse tables."""
    with (
        contextlib.closing(cursor_like(con)) as cursor,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="azyl-nonzero") as pool,
    ):
        nonzero = pool.submit(_write_nonzero, cursor, table, pid, cells)
        _write_coverage(con, table, pid, cells)
        nonzero.result()
    con.execute(raw_view(table, cells=True))


def _write_coverage(con: duckdb.DuckDBPyConnection, table: str, pid: int, cells: FlatCells) -> None:
    """The labels, the breakdowns and the coverage, in one transaction."""
    labels = [(dim, code, label) for dim, codes in cells.labels.items()
              for code, label in enumerate(codes)]  # fmt: skip
    sexes, ages = zip(*cells.breakdowns, strict=True)
    con.execute("BEGIN")
    con.execute(
        "INSERT INTO eurostat_labels SELECT ?, unnest(?), unnest(?), unnest(?)",
        [pid, *(list(column) for column in zip(*labels, strict=True))],
    )
    con.execute(
        f"INSERT INTO {table}_breakdowns SELECT ?, unnest(?), unnest(?), unnest(?)",
        [pid, list(range(len(sexes))), list(sexes), list(ages)],
    )
    insert_columns(con, f"{table}_coverage", pid, [
        Numbers(np.arange(cells.group_year.size, dtype=np.uint32)),
        Numbers(cells.group_year),
        Numbers(cells.group_geo),
        Numbers(cells.group_citizen),
        Numbers(cells.group_category),
        Numbers(cells.group_breakdowns),
    ])  # fmt: skip
    con.execute("COMMIT")


def _write_nonzero(
    cursor: duckdb.DuckDBPyConnection, table: str, pid: int, cells: FlatCells
) -> None:
    """The non-zero values, on a cursor of their own (their own transaction), keyed by
    the provenance id in the high 32 bits and the file's cell number in the low 32."""
    cell = (cells.nonzero_group * np.uint32(64) + cells.nonzero_breakdown).astype(np.uint64)
    cell |= np.uint64(pid) << np.uint64(32)  # the cell number < 2**32: MAX_GROUPS
    insert_columns(cursor, f"{table}_nonzero", None, [
        Numbers(cell), Numbers(cells.nonzero_value),
    ])  # fmt: skip
