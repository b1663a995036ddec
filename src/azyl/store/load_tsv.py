"""Eurostat's bulk TSV (what the dissemination API serves) into `<dataset>_rows`.

`freq,unit,citizen,...,geo\\TIME_PERIOD` then one column per year; a cell is a
number or ":" with optional flag letters ("12 p", ": c"). Read by DuckDB only:
the mirror holds no such file, so the online build is the only one to read it.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from azyl.errors import DataFileError
from azyl.sources.base import Adapter, SourceFile
from azyl.store.eurostat_codes import dims as dims_of
from azyl.store.eurostat_codes import extra_sql, report_unknown_codes
from azyl.store.loading import LoadResult, one, require, temp_name
from azyl.store.readers import locate_lines, read_csv, read_header, rejected_lines, sql_str

#: A bulk TSV cell: a number or ":" then optional flag letters ("12 p", ": c", "5").
TSV_CELL = r"^\s*(:|[0-9]+)\s*([a-z]*)\s*$"


def load_tsv(
    con: duckdb.DuckDBPyConnection, source: SourceFile, adapter: Adapter, pid: int
) -> LoadResult:
    """Bulk TSV: `freq,unit,citizen,...,geo\\TIME_PERIOD` then one column per year."""
    header = read_header(source.path, source.encoding, delimiter="\t")
    first, *periods = header
    if "\\" not in first or not periods:
        raise DataFileError(
            str(source.path),
            1,
            "not a Eurostat bulk TSV: the first header cell should read "
            "like 'freq,unit,citizen,geo\\TIME_PERIOD', followed by one column per year",
        )
    dims = first.split("\\", 1)[0].split(",")
    require(source, dims, ("geo", "citizen"))
    years = [p.strip() for p in periods]
    if not all(y.isdigit() for y in years):
        raise DataFileError(str(source.path), 1, f"year columns expected, found {periods!r}")
    types = {"key": "VARCHAR", **{f"y{y}": "VARCHAR" for y in years}}
    rejects, wide, long = temp_name("rejects"), temp_name("tsv"), temp_name("tsv_long")
    reader = read_csv(source.path, types, rejects, delimiter="\t", quote="", nullstr=())
    con.execute(f"CREATE TEMP TABLE {wide} AS SELECT * FROM {reader}")
    rejected = rejected_lines(con, rejects, source.path)
    result = LoadResult(problems=list(rejected))
    con.execute(
        f"CREATE TEMP TABLE {long} AS SELECT key, string_split(key, ',') AS parts, "
        f"CAST(substr(period, 2) AS SMALLINT) AS year, cell, "
        f"regexp_extract(cell, {sql_str(TSV_CELL)}, ['v', 'f']) AS m "
        f"FROM (UNPIVOT {wide} ON COLUMNS(* EXCLUDE key) INTO NAME period VALUE cell)"
    )
    bad = con.execute(
        f"SELECT key, year, cell FROM {long} WHERE m.v = '' OR len(parts) != {len(dims)} "
        "ORDER BY key, year"
    ).fetchall()
    result.problems += _locate_tsv_problems(source, bad, len(dims))
    category, extras = dims_of(dims, adapter)
    position = {d.lower(): i + 1 for i, d in enumerate(dims)}

    def part(name: str | None) -> str:
        return f"parts[{position[name]}]" if name and name in position else "NULL"

    def extra_ref(name: str) -> str:
        return part(name.lower())

    (result.rows,) = one(
        con,
        f"INSERT INTO {adapter.table}_rows SELECT {pid}, year, {part('geo')}, "
        f"{part('citizen')}, {part('sex')}, {part('age')}, {part(category)}, "
        f"{extra_sql(extras, extra_ref)}, "
        "TRY_CAST(m.v AS BIGINT), nullif(m.f, '') "
        f"FROM {long} WHERE m.v != '' AND len(parts) = {len(dims)}",
    )
    con.execute(f"DROP TABLE {wide}")
    con.execute(f"DROP TABLE {long}")
    result.skipped = len(rejected) + len(bad)
    result.problems += report_unknown_codes(con, f"{adapter.table}_rows", pid, source)
    return result


def _locate_tsv_problems(
    source: SourceFile, bad: list[tuple[str, int, str]], ndims: int
) -> list[DataFileError]:
    """Point at the lines of unreadable TSV cells (the first 20), by their unique row key."""
    problems = []
    for key, year, cell in bad[:20]:
        lines = locate_lines(source.path, source.encoding, _first_cell_is(key), delimiter="\t")
        line = lines[0] if lines else None
        if len(key.split(",")) != ndims:
            problem = f"the row key {key!r} does not have {ndims} dimensions; row skipped"
        else:
            problem = (
                f"{year}: cannot read the cell {cell!r} (expected a number or ':' with optional "
                "flag letters); cell skipped"
            )
        problems.append(DataFileError(str(source.path), line, problem))
    if len(bad) > 20:
        problems.append(DataFileError(str(source.path), None, f"{len(bad) - 20} more bad cells"))
    return problems


def _first_cell_is(key: str) -> Callable[[list[str]], bool]:
    return lambda row: row[:1] == [key]
