"""UNHCR's CSV (Refugee Data Finder columns) into `unhcr_decisions` or `unhcr_applications`.

Two ways in, storing the very same rows, sorted by origin and year (the order
the rates read them in):

* `read_unhcr`, the fast reader: the columns split and dictionary-encoded
  (`azyl.store.splitcsv`), each distinct code decoded once, the rows sorted
  with numpy and written with one INSERT. It declines (None) anything unusual:
  a missing year or code, a count that is not plain digits or too large, a
  field the splitter does not take;
* `load_unhcr`, DuckDB's CSV reader, typed: a negative or unreadable count is a
  bad line, reported with its number, and the rest is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import numpy as np
import numpy.typing as npt

from azyl.errors import DataFileError
from azyl.sources import unhcr_applications, unhcr_decisions
from azyl.sources.base import Adapter, SourceFile
from azyl.store.columns import (
    Coded,
    Column,
    Numbers,
    coded,
    file_bytes,
    split_header,
    write_rows,
)
from azyl.store.loading import LoadResult, expect_header, one, temp_name
from azyl.store.readers import locate_lines, read_csv, rejected_lines
from azyl.store.schema import rows_table
from azyl.store.splitcsv import Mode, NotSimple, Split, split_columns, unquote

_COUNTS = {
    "dec_recognized", "dec_other", "dec_rejected", "dec_closed", "dec_total", "applied",
}  # fmt: skip
_NAMES = {"coo_name", "coa_name"}

#: Per table: the file's columns, and the ones stored (after provenance_id), in order.
_COLUMNS = {
    "unhcr_decisions": (
        unhcr_decisions.COLUMNS,
        ("year", "coo_iso", "coa_iso", "coo", "coa", "procedure_type", "dec_level", "dec_pc",
         "dec_recognized", "dec_other", "dec_rejected", "dec_closed", "dec_total"),
    ),
    "unhcr_applications": (
        unhcr_applications.COLUMNS,
        ("year", "coo_iso", "coa_iso", "coo", "coa", "procedure_type", "app_type", "dec_level",
         "app_pc", "applied"),
    ),
}  # fmt: skip

_MISSING = "coo_iso IS NULL OR coa_iso IS NULL OR year IS NULL"
_SMALLINT, _UINTEGER = 32767, 2**32 - 1


def load_unhcr(
    con: duckdb.DuckDBPyConnection, source: SourceFile, adapter: Adapter, pid: int
) -> LoadResult:
    """UNHCR CSV through DuckDB: typed columns; a negative count is a bad line."""
    expected, stored = _COLUMNS[adapter.table]
    expect_header(source, list(expected))
    types = {c: "UINTEGER" if c in _COUNTS else "VARCHAR" for c in expected}
    types["year"] = "SMALLINT"
    rejects, stage = temp_name("rejects"), temp_name("stage")
    con.execute(
        f"CREATE TEMP TABLE {stage} AS SELECT * FROM {read_csv(source.path, types, rejects)}"
    )
    rejected = rejected_lines(con, rejects, source.path)
    result = LoadResult(problems=list(rejected))
    (n_missing,) = one(con, f"SELECT count(*) FROM {stage} WHERE {_MISSING}")
    if n_missing:
        lines = locate_lines(source.path, source.encoding, _lacks_codes(list(expected)), limit=5)
        for line in lines:
            result.problems.append(
                DataFileError(str(source.path), line, "no year, origin or asylum code; row skipped")
            )
    (result.rows,) = one(
        con,
        f"INSERT INTO {rows_table(adapter.table)} SELECT {pid}, {', '.join(stored)} FROM {stage} "
        f"WHERE NOT ({_MISSING}) ORDER BY coo_iso, year",
    )
    con.execute(f"DROP TABLE {stage}")
    result.skipped = len(rejected) + n_missing
    return result


def _lacks_codes(header: list[str]) -> Callable[[list[str]], bool]:
    i_year, i_coo, i_coa = header.index("year"), header.index("coo_iso"), header.index("coa_iso")

    def match(row: list[str]) -> bool:
        return len(row) == len(header) and not (row[i_year] and row[i_coo] and row[i_coa])

    return match


# --- the fast reader -------------------------------------------------------------------------


@dataclass
class UnhcrRows:
    """A UNHCR file read into columns (in the table's order), sorted by origin and year."""

    table: str
    rows: int
    columns: list[Column] = field(repr=False)

    def write(self, con: duckdb.DuckDBPyConnection, pid: int) -> LoadResult:
        """One INSERT of every row."""
        write_rows(con, self.table, pid, self.columns)
        return LoadResult(rows=self.rows)


def read_unhcr(source: SourceFile, adapter: Adapter) -> UnhcrRows | None:
    """The file read by the fast reader, or None when DuckDB must read it."""
    expected, stored = _COLUMNS[adapter.table]
    data = file_bytes(source.path)
    header = split_header(data, "utf-8")
    if data is None or header is None or header[0] != list(expected):
        return None
    modes = [Mode.SKIP if c in _NAMES else Mode.NUMBER if c in _COUNTS or c == "year"
             else Mode.DICT for c in expected]  # fmt: skip
    try:
        split = split_columns(data, header[1], modes)
        origin = split.columns[expected.index("coo_iso")]
        rank = _sorted_rank([unquote(v) for v in origin.values])[origin.codes]
        year = split.numbers[expected.index("year")]
        order = _row_order(rank, year)
        columns: list[Column] = [_column(c, split, expected.index(c)).take(order) for c in stored]
    except (NotSimple, UnicodeDecodeError):
        return None
    return UnhcrRows(adapter.table, split.lines, columns)


def _column(name: str, split: Split, index: int) -> Numbers | Coded:
    """One stored column; NotSimple for what DuckDB would read otherwise."""
    if name in _COUNTS or name == "year":
        numbers = split.numbers[index]
        if name == "year":
            if numbers.size and (numbers.min() < 0 or numbers.max() > _SMALLINT):
                raise NotSimple("a missing or too large year")
            return Numbers(numbers.astype(np.int16))
        if numbers.size and numbers.max() > _UINTEGER:
            raise NotSimple("a count too large for its column")
        return Numbers(numbers, nullable=True)
    column = split.columns[index]
    values = [unquote(v).decode("utf-8") or None for v in column.values]
    if name in ("coo_iso", "coa_iso") and None in values:
        raise NotSimple("a missing origin or asylum code")
    return coded(values, column.codes)


def _row_order(rank: npt.NDArray[np.int64], year: npt.NDArray[np.int64]) -> npt.NDArray[np.intp]:
    """The rows by origin (`rank`: its place in byte order), then year, in file order within.

    One stable sort of a combined key; below 2**16 numpy sorts it by counting (a
    radix sort), about six times faster than `lexsort` on the two columns (UNHCR
    files hold some 230 origins over 26 years). The same order either way.
    """
    if not year.size:
        return np.arange(0)
    low = int(year.min())
    span, ranks = int(year.max()) - low + 1, int(rank.max()) + 1
    if span * ranks > 2**62:  # a year far out of range: the key would overflow
        return np.lexsort((year, rank))
    key = rank * span + (year - low)
    return np.argsort(key.astype(np.uint16) if span * ranks <= 2**16 else key, kind="stable")


def _sorted_rank(values: list[bytes]) -> npt.NDArray[np.int64]:
    """Each value's place in byte order (DuckDB's order for text), by value number."""
    rank = np.empty(len(values), dtype=np.int64)
    rank[sorted(range(len(values)), key=values.__getitem__)] = np.arange(len(values))
    return rank
