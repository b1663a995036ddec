"""The R `eurostat` package's flat CSV into the sparse tables of its dataset.

`freq,unit,citizen,sex,age,asyl_app,geo,TIME_PERIOD,values`, codes and no flags.
The fast reader (`azyl.store.flatcsv`) takes the file when it is exactly in the
R package's shape, into the sparse tables; otherwise, or at the first surprise,
DuckDB reads it into `_rows` and reports bad lines by number.
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass

import duckdb

from azyl.errors import DataFileError
from azyl.sources.base import Adapter, SourceFile
from azyl.store.eurostat_codes import dims, unknown_code_problems
from azyl.store.flatcsv import FlatCells, NotFlat, read_flat
from azyl.store.load_coded import insert_coded
from azyl.store.loading import LoadResult, typed_header
from azyl.store.readers import read_header
from azyl.store.sparse import write_cells

_NEEDED = ("geo", "citizen", "TIME_PERIOD", "values")


@dataclass
class FlatRows:
    """A flat file read by the fast reader, as sparse cells."""

    table: str
    cells: FlatCells
    problems: list[DataFileError]

    def write(self, con: duckdb.DuckDBPyConnection, pid: int) -> LoadResult:
        write_cells(con, self.table, pid, self.cells)
        return LoadResult(rows=self.cells.lines, problems=list(self.problems))


def load_flat(
    con: duckdb.DuckDBPyConnection, source: SourceFile, adapter: Adapter, pid: int
) -> LoadResult:
    """The flat file through DuckDB's reader, into `_rows` (the fast reader declined it)."""
    header, types = typed_header(source, _NEEDED, TIME_PERIOD="SMALLINT", values="BIGINT")
    return insert_coded(con, source, adapter, pid, header, types, "values", None)


def read_flat_file(
    source: SourceFile, adapter: Adapter, stop: threading.Event | None = None
) -> FlatRows | None:
    """The file read by the fast reader, or None when DuckDB must read it (or when `stop`
    was set before the end: nobody needs it any more)."""
    try:
        header = read_header(source.path, source.encoding)
    except DataFileError:
        return None
    if any(n not in header for n in _NEEDED):
        return None
    if source.encoding.lower().replace("-", "") not in ("utf8", "ascii"):
        return None
    category, extras = dims(header[:-2], adapter)
    roles = {d: d.lower() for d in header if d.lower() in ("geo", "citizen", "sex", "age")}
    if category is None or extras or len(roles) != 4:
        return None
    roles[next(d for d in header if d.lower() == category)] = "category"
    try:
        cells = read_flat(source.path, header, roles, stop=stop)
    except (NotFlat, zlib.error, EOFError):
        return None
    problems = unknown_code_problems(source, cells.labels)
    return FlatRows(adapter.table, cells, problems)
