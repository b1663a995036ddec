"""Eurostat files with codes, one observation per line, into `<dataset>_rows`.

SDMX-CSV from the data browser (`...,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG`) and,
when its fast reader declines it, the R package's flat CSV. Codes are stored as
published; those that are neither a country nor a known group are reported.

SDMX-CSV has two ways in, storing the same rows: `read_sdmx`, the fast reader
(columns split and dictionary-encoded), which declines anything unusual, and
`load_sdmx`, DuckDB's CSV reader, which also names malformed lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np
import numpy.typing as npt

from azyl.errors import DataFileError
from azyl.sources.base import Adapter, SourceFile
from azyl.store.columns import (
    Coded,
    Column,
    Numbers,
    coded,
    headed_file,
    joined,
    write_rows,
)
from azyl.store.eurostat_codes import dims, extra_sql, report_unknown_codes, unknown_code_problems
from azyl.store.loading import LoadResult, one, temp_name, typed_header
from azyl.store.readers import ident, read_csv, rejected_lines
from azyl.store.splitcsv import Mode, NotSimple, Split, split_columns, unquote

_NEEDED = ("geo", "citizen", "TIME_PERIOD", "OBS_VALUE")
_NOT_DIMENSIONS = ("DATAFLOW", "LAST UPDATE", "OBS_FLAG", "CONF_STATUS")
_FLAG = "OBS_FLAG"


def load_sdmx(
    con: duckdb.DuckDBPyConnection, source: SourceFile, adapter: Adapter, pid: int
) -> LoadResult:
    """SDMX-CSV through DuckDB: one observation per line, OBS_VALUE and OBS_FLAG."""
    header, types = typed_header(source, _NEEDED, TIME_PERIOD="SMALLINT", OBS_VALUE="BIGINT")
    flag = _FLAG if _FLAG in header else None
    dimensions = [h for h in header if h not in _NOT_DIMENSIONS]
    return insert_coded(con, source, adapter, pid, dimensions, types, "OBS_VALUE", flag)


def insert_coded(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    adapter: Adapter,
    pid: int,
    header: Sequence[str],
    types: dict[str, str],
    value: str,
    flag: str | None,
) -> LoadResult:
    """Read a coded file with DuckDB into `<dataset>_rows`; bad lines named by number.

    Lines without a year, geo or citizen are left out (uncounted), as published
    files have none.
    """
    dimensions = [h for h in header if h not in ("TIME_PERIOD", value)]
    category, extras = dims(dimensions, adapter)
    cols = {h.lower(): h for h in dimensions}
    rejects = temp_name("rejects")

    def ref(name: str) -> str:
        return f"r.{ident(name)}"

    def dim(name: str | None) -> str:
        return ref(cols[name]) if name and name in cols else "NULL"

    sql = (
        f"INSERT INTO {adapter.table}_rows SELECT {pid}, r.TIME_PERIOD, {dim('geo')}, "
        f"{dim('citizen')}, {dim('sex')}, {dim('age')}, {dim(category)}, "
        f"{extra_sql(extras, ref)}, r.{ident(value)}, {ref(flag) if flag else 'NULL'} "
        f"FROM {read_csv(source.path, types, rejects, encoding=source.encoding)} r "
        f"WHERE r.TIME_PERIOD IS NOT NULL AND {dim('geo')} IS NOT NULL "
        f"AND {dim('citizen')} IS NOT NULL"
    )
    (rows,) = one(con, sql)
    result = LoadResult(rows=rows, problems=rejected_lines(con, rejects, source.path))
    result.skipped = len(result.problems)
    result.problems += report_unknown_codes(con, f"{adapter.table}_rows", pid, source)
    return result


# --- the fast reader -------------------------------------------------------------------------

_SMALLINT = 32767


@dataclass
class CodedRows:
    """An SDMX-CSV file read into columns (in the table's order) and the codes to report."""

    table: str
    rows: int
    problems: list[DataFileError]
    columns: list[Column] = field(repr=False)

    def write(self, con: duckdb.DuckDBPyConnection, pid: int) -> LoadResult:
        """One INSERT of every row."""
        write_rows(con, self.table, pid, self.columns)
        return LoadResult(rows=self.rows, problems=list(self.problems))


def read_sdmx(source: SourceFile, adapter: Adapter) -> CodedRows | None:
    """The file read by the fast reader, or None when DuckDB must read it."""
    file = headed_file(source.path, source.encoding, _NEEDED)
    if file is None:
        return None
    data, names, start = file.data, file.names, file.start
    dimensions = [h for h in names if h not in (*_NOT_DIMENSIONS, "TIME_PERIOD", "OBS_VALUE")]
    category, extras = dims(dimensions, adapter)
    roles = {h.lower(): h for h in dimensions}
    stored = {roles[r] for r in ("geo", "citizen", "sex", "age", category) if r in roles}
    kept = {*stored, *extras, _FLAG}
    modes = [Mode.NUMBER if n in ("TIME_PERIOD", "OBS_VALUE") else
             Mode.DICT if n in kept else Mode.SKIP for n in names]  # fmt: skip
    try:
        split = split_columns(data, start, modes)
        return _rows(source, adapter, split, names, (roles, category, extras))
    except (NotSimple, UnicodeDecodeError):
        return None


def _rows(
    source: SourceFile,
    adapter: Adapter,
    split: Split,
    names: list[str],
    roles: tuple[dict[str, str], str | None, list[str]],
) -> CodedRows:
    """The stored columns; lines without a year, geo or citizen left out, as DuckDB does."""
    by_role, category, extras = roles
    index = {n: i for i, n in enumerate(names)}

    def text(name: str | None, empty: str | None = None) -> Coded | None:
        if name is None or index[name] not in split.columns:
            return None
        column = split.columns[index[name]]
        values = [unquote(v).decode(source.encoding) or empty for v in column.values]
        return coded(values, column.codes)

    year = split.numbers[index["TIME_PERIOD"]]
    if year.size and year.max() > _SMALLINT:
        raise NotSimple("a year too large for its column")
    geo, citizen = text(by_role["geo"]), text(by_role["citizen"])
    assert geo is not None and citizen is not None
    keep = (year >= 0) & _present(geo) & _present(citizen)
    extra = [text(n, "") for n in extras]
    named = [Coded(c.codes, [f"{n.lower()}={v}" for v in c.values])
             for n, c in zip(extras, extra, strict=True) if c is not None]  # fmt: skip
    columns: list[Column] = [
        Numbers(year.astype(np.int16)), geo, citizen, text(by_role.get("sex")),
        text(by_role.get("age")), text(by_role.get(category) if category else None),
        joined(named, ";"), Numbers(split.numbers[index["OBS_VALUE"]], nullable=True),
        text(_FLAG if _FLAG in index else None),
    ]  # fmt: skip
    kept = [c.take(keep) if c is not None else None for c in columns]
    # The codes in use, counted rather than sorted: np.unique would also import numpy.ma
    # (about 7 ms, paid by the first build of a process).
    found = {
        name: {c.values[k] for k in np.flatnonzero(np.bincount(c.codes)).tolist()}
        for name, c in (("geo", kept[1]), ("citizen", kept[2]))
        if isinstance(c, Coded)
    }
    problems = unknown_code_problems(source, {k: {v for v in vs if v is not None}
                                              for k, vs in found.items()})  # fmt: skip
    return CodedRows(adapter.table, int(np.count_nonzero(keep)), problems, kept)


def _present(column: Coded) -> npt.NDArray[np.bool_]:
    """Rows whose value is not NULL."""
    return np.array([v is not None for v in column.values], dtype=bool)[column.codes]
