"""Write a flat file's cells (`FlatCells`) into the sparse tables of its dataset.

Four statements whatever the file's size: the numpy columns are handed to
DuckDB as they are (no Python row loop), and the few labels go in as lists.
The view `<dataset>_raw` is switched to show the result as one row per cell
again, zeros included (see `azyl.store.schema`).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

from azyl.store.flatcsv import FlatCells
from azyl.store.schema import raw_view_with_cells

_names = itertools.count(1)


def write_cells(con: duckdb.DuckDBPyConnection, table: str, pid: int, cells: FlatCells) -> None:
    """Insert `cells`, read from the file of provenance `pid`, into `table`'s sparse tables."""
    labels = [(dim, code, label) for dim, codes in cells.labels.items()
              for code, label in enumerate(codes)]  # fmt: skip
    con.execute(
        "INSERT INTO eurostat_labels SELECT ?, unnest(?), unnest(?), unnest(?)",
        [pid, *(list(column) for column in zip(*labels, strict=True))],
    )
    sexes, ages = zip(*cells.breakdowns, strict=True)
    con.execute(
        f"INSERT INTO {table}_breakdowns SELECT ?, unnest(?), unnest(?), unnest(?)",
        [pid, list(range(len(sexes))), list(sexes), list(ages)],
    )
    groups = cells.group_year.size
    _insert(con, f"{table}_coverage", pid, {
        "cell_group": np.arange(groups, dtype=np.uint32),
        "year": cells.group_year,
        "geo": cells.group_geo,
        "citizen": cells.group_citizen,
        "category": cells.group_category,
        "breakdowns": cells.group_breakdowns,
    })  # fmt: skip
    _insert(con, f"{table}_nonzero", pid, {
        "cell_group": cells.nonzero_group,
        "breakdown": cells.nonzero_breakdown,
        "value": cells.nonzero_value,
    })  # fmt: skip
    con.execute(raw_view_with_cells(table))


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, pid: int, columns: Mapping[str, npt.NDArray[Any]]
) -> None:
    """INSERT numpy columns (in the table's column order, after provenance_id)."""
    name = f"azyl_columns_{next(_names)}"
    con.register(name, dict(columns))
    try:
        con.execute(f"INSERT INTO {table} SELECT {pid}, * FROM {name}")
    finally:
        con.unregister(name)
