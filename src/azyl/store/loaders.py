"""Load one publisher file into its table, whatever the publisher's format.

One function per `Format`. Each validates the header first (a publisher that
renames a column must not be read silently wrong), then lets DuckDB's CSV
reader parse and insert in one statement. Problems are collected, never
raised for a single bad line: the good rows are kept, and the caller learns
how many were skipped and why, with the file and line.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import cache
from itertools import count

import duckdb

from azyl import countries
from azyl.errors import DataFileError
from azyl.sources import eurostat, unhcr_applications, unhcr_decisions
from azyl.sources.base import Adapter, Format, SourceFile
from azyl.store.flatcsv import FlatCells, NotFlat, read_flat
from azyl.store.readers import (
    ident,
    insert_rows,
    locate_lines,
    read_csv,
    read_header,
    rejected_lines,
    sql_str,
)
from azyl.store.sparse import write_cells


@dataclass
class LoadResult:
    """What loading one file did."""

    rows: int = 0
    skipped: int = 0
    problems: list[DataFileError] = field(default_factory=list)


_temp_names = count(1)


def _temp(prefix: str) -> str:
    return f"{prefix}_{next(_temp_names)}"


#: The fast reader's result for a flat file, started before the database is open.
Ahead = Future["FlatCells | None"]


def load_file(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    adapter: Adapter,
    pid: int,
    ahead: Ahead | None = None,
) -> LoadResult:
    """Load `source` into `adapter.table`, every row stamped with provenance id `pid`.

    `ahead` is `read_ahead(source, adapter)` run in another thread, for a flat
    file: the build starts inflating and parsing it before it opens the database.
    """
    if source.format is Format.EUROSTAT_FLAT:
        return _load_flat(con, source, adapter, pid, ahead)
    loader = _LOADERS[source.format]
    return loader(con, source, adapter, pid)


def read_ahead(source: SourceFile, adapter: Adapter) -> FlatCells | None:
    """The fast reader's cells of a flat file, or None (then `load_file` reads it itself).

    Needs no database, so it can run while the database is being created; a
    header problem is left for `load_file` to report.
    """
    try:
        header = read_header(source.path, source.encoding)
        _require(source, header, ("geo", "citizen", "TIME_PERIOD", "values"))
    except DataFileError:
        return None
    return _read_fast(source, adapter, header)


# --- UNHCR -----------------------------------------------------------------------------

_UNHCR_COUNTS = {
    "dec_recognized", "dec_other", "dec_rejected", "dec_closed", "dec_total", "applied",
}  # fmt: skip

_UNHCR_SELECT = {
    "unhcr_decisions": (
        unhcr_decisions.COLUMNS,
        "year, coo_iso, coa_iso, coo, coa, procedure_type, dec_level, dec_pc, "
        "dec_recognized, dec_other, dec_rejected, dec_closed, dec_total",
    ),
    "unhcr_applications": (
        unhcr_applications.COLUMNS,
        "year, coo_iso, coa_iso, coo, coa, procedure_type, app_type, dec_level, app_pc, applied",
    ),
}


def _load_unhcr(
    con: duckdb.DuckDBPyConnection, source: SourceFile, adapter: Adapter, pid: int
) -> LoadResult:
    """UNHCR CSV: typed columns; counts are unsigned, so a negative count is a bad line."""
    expected, select = _UNHCR_SELECT[adapter.table]
    _expect_header(source, list(expected))
    types = {c: "UINTEGER" if c in _UNHCR_COUNTS else "VARCHAR" for c in expected}
    types["year"] = "SMALLINT"
    rejects, stage = _temp("rejects"), _temp("stage")
    con.execute(
        f"CREATE TEMP TABLE {stage} AS SELECT * FROM {read_csv(source.path, types, rejects)}"
    )
    rejected = rejected_lines(con, rejects, source.path)
    result = LoadResult(problems=list(rejected))
    missing = "coo_iso IS NULL OR coa_iso IS NULL OR year IS NULL"
    (n_missing,) = _one(con, f"SELECT count(*) FROM {stage} WHERE {missing}")
    if n_missing:
        lines = locate_lines(source.path, source.encoding, _lacks_codes(list(expected)), limit=5)
        for line in lines:
            result.problems.append(
                DataFileError(str(source.path), line, "no year, origin or asylum code; row skipped")
            )
    (result.rows,) = _one(
        con,
        f"INSERT INTO {adapter.table} SELECT {pid}, {select} FROM {stage} "
        f"WHERE NOT ({missing}) ORDER BY coo_iso, year",
    )
    con.execute(f"DROP TABLE {stage}")
    result.skipped = len(rejected) + n_missing
    return result


def _lacks_codes(header: list[str]) -> Callable[[list[str]], bool]:
    i_year, i_coo, i_coa = header.index("year"), header.index("coo_iso"), header.index("coa_iso")

    def match(row: list[str]) -> bool:
        return len(row) == len(header) and not (row[i_year] and row[i_coo] and row[i_coa])

    return match


# --- Eurostat: shared -------------------------------------------------------------------


def fill_code_table(con: duckdb.DuckDBPyConnection) -> None:
    """Fill `eurostat_codes`: Eurostat geo/citizen codes to the store's codes (ISO alpha-3)."""
    pairs = eurostat_code_map()
    con.execute(
        "INSERT INTO eurostat_codes SELECT unnest(?), unnest(?)",
        [list(pairs), list(pairs.values())],
    )


@cache
def eurostat_code_map() -> dict[str, str]:
    """Every two-letter code that `countries` knows (with Eurostat's EL, UK, XK) to its
    ISO alpha-3, plus the Eurostat groups, which are kept as they are."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    pairs = {}
    for code in (a + b for a in letters for b in letters):
        if country := countries.lookup(code):
            pairs[code] = country.alpha3
    pairs.update((code, code) for code in eurostat.AGGREGATES)
    return pairs


def _dims(header: Sequence[str], adapter: Adapter) -> tuple[str | None, list[str]]:
    """The category dimension (first of the adapter's names present) and the other extras."""
    lowered = [h.lower() for h in header]
    category = next((c for c in adapter.category if c in lowered), None)
    known = {"geo", "citizen", "sex", "age", "freq", "unit", category}
    return category, [h for h in header if h.lower() not in known]


def _extra_sql(columns: Sequence[str], ref: Callable[[str], str]) -> str:
    """`name=value;name=value` for the dimensions with no column of their own, or NULL."""
    if not columns:
        return "NULL"
    parts = [f"{sql_str(c.lower() + '=')} || coalesce({ref(c)}, '')" for c in columns]
    return f"concat_ws(';', {', '.join(parts)})"


def _report_unknown_codes(
    con: duckdb.DuckDBPyConnection, table: str, pid: int, source: SourceFile
) -> list[DataFileError]:
    """Codes kept as published because they are neither a country nor a known group."""
    problems = []
    for column in ("geo", "citizen"):
        rows = con.execute(
            f"SELECT DISTINCT {column} FROM {table} WHERE provenance_id = {pid} AND {column} "
            "NOT IN (SELECT eurostat FROM eurostat_codes) ORDER BY 1"
        ).fetchall()
        for (code,) in rows:
            problems.append(
                DataFileError(
                    str(source.path),
                    None,
                    f"{column} code {code!r} is not a known country "
                    "or group; rows kept with the code as published",
                )
            )
    return problems


# --- Eurostat: the R package's flat CSV and SDMX-CSV ------------------------------------


def _load_flat(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    adapter: Adapter,
    pid: int,
    ahead: Ahead | None = None,
) -> LoadResult:
    """Long CSV with codes: `freq,unit,citizen,...,geo,TIME_PERIOD,values` (no flags).

    The fast reader (`azyl.store.flatcsv`) takes the file when it is exactly in
    the R package's shape, into the sparse tables; otherwise, or at the first
    surprise, DuckDB reads it into `_rows` and reports bad lines by number.
    """
    header = read_header(source.path, source.encoding)
    _require(source, header, ("geo", "citizen", "TIME_PERIOD", "values"))
    cells = ahead.result() if ahead is not None else _read_fast(source, adapter, header)
    if cells is not None:
        write_cells(con, adapter.table, pid, cells)
        return LoadResult(rows=cells.lines, problems=_unknown_labels(cells, source))
    types = {h: "VARCHAR" for h in header}
    types.update(TIME_PERIOD="SMALLINT", values="BIGINT")
    return _insert_coded(con, source, adapter, pid, header, types, "values", None)


def _read_fast(source: SourceFile, adapter: Adapter, header: list[str]) -> FlatCells | None:
    """The file read by the fast reader, or None when it must go through DuckDB."""
    if source.encoding.lower().replace("-", "") not in ("utf8", "ascii"):
        return None
    category, extras = _dims(header[:-2], adapter)
    roles = {d: d.lower() for d in header if d.lower() in ("geo", "citizen", "sex", "age")}
    if category is None or extras or len(roles) != 4:
        return None
    roles[next(d for d in header if d.lower() == category)] = "category"
    try:
        return read_flat(source.path, header, roles)
    except (NotFlat, zlib.error, EOFError):
        return None


def _unknown_labels(cells: FlatCells, source: SourceFile) -> list[DataFileError]:
    """Like `_report_unknown_codes`, from the codes of a file read by the fast reader."""
    known = eurostat_code_map()
    return [
        DataFileError(
            str(source.path),
            None,
            f"{column} code {code!r} is not a known country "
            "or group; rows kept with the code as published",
        )
        for column in ("geo", "citizen")
        for code in sorted(set(cells.labels[column]) - known.keys())
    ]


def _load_sdmx(
    con: duckdb.DuckDBPyConnection, source: SourceFile, adapter: Adapter, pid: int
) -> LoadResult:
    """SDMX-CSV from the data browser: one observation per line, OBS_VALUE and OBS_FLAG."""
    header = read_header(source.path, source.encoding)
    _require(source, header, ("geo", "citizen", "TIME_PERIOD", "OBS_VALUE"))
    types = {h: "VARCHAR" for h in header}
    types.update(TIME_PERIOD="SMALLINT", OBS_VALUE="BIGINT")
    flag = "OBS_FLAG" if "OBS_FLAG" in header else None
    dims = [h for h in header if h not in ("DATAFLOW", "LAST UPDATE", "OBS_FLAG", "CONF_STATUS")]
    return _insert_coded(con, source, adapter, pid, dims, types, "OBS_VALUE", flag)


def _insert_coded(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    adapter: Adapter,
    pid: int,
    header: Sequence[str],
    types: dict[str, str],
    value: str,
    flag: str | None,
) -> LoadResult:
    dimensions = [h for h in header if h not in ("TIME_PERIOD", value)]
    category, extras = _dims(dimensions, adapter)
    cols = {h.lower(): h for h in dimensions}
    rejects = _temp("rejects")

    def ref(name: str) -> str:
        return f"r.{ident(name)}"

    def dim(name: str | None) -> str:
        return ref(cols[name]) if name and name in cols else "NULL"

    sql = (
        f"INSERT INTO {adapter.table}_rows SELECT {pid}, r.TIME_PERIOD, {dim('geo')}, "
        f"{dim('citizen')}, {dim('sex')}, {dim('age')}, {dim(category)}, "
        f"{_extra_sql(extras, ref)}, r.{ident(value)}, {ref(flag) if flag else 'NULL'} "
        f"FROM {read_csv(source.path, types, rejects, encoding=source.encoding)} r "
        f"WHERE r.TIME_PERIOD IS NOT NULL AND {dim('geo')} IS NOT NULL "
        f"AND {dim('citizen')} IS NOT NULL"
    )
    (rows,) = _one(con, sql)
    result = LoadResult(rows=rows, problems=rejected_lines(con, rejects, source.path))
    result.skipped = len(result.problems)
    result.problems += _report_unknown_codes(con, f"{adapter.table}_rows", pid, source)
    return result


# --- Eurostat: bulk TSV -----------------------------------------------------------------

#: A bulk TSV cell: a number or ":" then optional flag letters ("12 p", ": c", "5").
TSV_CELL = r"^\s*(:|[0-9]+)\s*([a-z]*)\s*$"


def _load_tsv(
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
    _require(source, dims, ("geo", "citizen"))
    years = [p.strip() for p in periods]
    if not all(y.isdigit() for y in years):
        raise DataFileError(str(source.path), 1, f"year columns expected, found {periods!r}")
    types = {"key": "VARCHAR", **{f"y{y}": "VARCHAR" for y in years}}
    rejects, wide, long = _temp("rejects"), _temp("tsv"), _temp("tsv_long")
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
    category, extras = _dims(dims, adapter)
    position = {d.lower(): i + 1 for i, d in enumerate(dims)}

    def part(name: str | None) -> str:
        return f"parts[{position[name]}]" if name and name in position else "NULL"

    def extra_ref(name: str) -> str:
        return part(name.lower())

    (result.rows,) = _one(
        con,
        f"INSERT INTO {adapter.table}_rows SELECT {pid}, year, {part('geo')}, "
        f"{part('citizen')}, {part('sex')}, {part('age')}, {part(category)}, "
        f"{_extra_sql(extras, extra_ref)}, "
        "TRY_CAST(m.v AS BIGINT), nullif(m.f, '') "
        f"FROM {long} WHERE m.v != '' AND len(parts) = {len(dims)}",
    )
    con.execute(f"DROP TABLE {wide}")
    con.execute(f"DROP TABLE {long}")
    result.skipped = len(rejected) + len(bad)
    result.problems += _report_unknown_codes(con, f"{adapter.table}_rows", pid, source)
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


# --- Eurostat: the old label-based exports -----------------------------------------------

_LABEL_VALUE, _LABEL_FLAG = "Value", "Flag and Footnotes"


def _load_labels(
    con: duckdb.DuckDBPyConnection, source: SourceFile, adapter: Adapter, pid: int
) -> LoadResult:
    """Label export: `"TIME","GEO","CITIZEN",...,"Value","Flag and Footnotes"` in English."""
    header = read_header(source.path, source.encoding)
    _require(source, header, ("TIME", "GEO", "CITIZEN", _LABEL_VALUE))
    types = {h: "VARCHAR" for h in header}
    types.update(TIME="SMALLINT", Value="BIGINT")
    rejects, stage = _temp("rejects"), _temp("stage")
    reader = read_csv(
        source.path, types, rejects, encoding=source.encoding, nullstr=(":", ""), thousands=","
    )
    con.execute(f"CREATE TEMP TABLE {stage} AS SELECT * FROM {reader} WHERE TIME IS NOT NULL")
    result = LoadResult(problems=rejected_lines(con, rejects, source.path))
    dims = [h for h in header if h not in ("TIME", _LABEL_VALUE, _LABEL_FLAG)]
    category, extras = _dims(dims, adapter)
    extras = [e for e in extras if e != "UNIT"]
    mapped = [d for d in dims if d.lower() in ("geo", "citizen", "sex", "age", category)]
    label_map = _temp("label_map")
    con.execute(f"CREATE TEMP TABLE {label_map} (dim VARCHAR, label VARCHAR, code VARCHAR)")
    unknown_states: list[tuple[str, str]] = []
    for d in mapped:
        labels = [r[0] for r in con.execute(f"SELECT DISTINCT {ident(d)} FROM {stage}").fetchall()]
        pairs = []
        for label in labels:
            code = _label_code(d, label, adapter)
            if code is None:
                unknown_states.append((d, label))
            pairs.append((d, label, code))
        insert_rows(con, label_map, pairs)

    def mapped_col(name: str | None) -> str:
        col = next((d for d in mapped if d.lower() == name), None)
        return f"m_{col.lower()}.code" if col else "NULL"

    joins = " ".join(
        f"LEFT JOIN {label_map} m_{d.lower()} ON m_{d.lower()}.dim = {sql_str(d)} "
        f"AND m_{d.lower()}.label = s.{ident(d)}"
        for d in mapped
    )
    flag = f"s.{ident(_LABEL_FLAG)}" if _LABEL_FLAG in header else "NULL"
    (result.rows,) = _one(
        con,
        f"INSERT INTO {adapter.table}_rows SELECT {pid}, s.TIME, {mapped_col('geo')}, "
        f"{mapped_col('citizen')}, {mapped_col('sex')}, {mapped_col('age')}, "
        f"{mapped_col(category)}, {_extra_sql(extras, lambda c: f's.{ident(c)}')}, "
        f"s.Value, {flag} FROM {stage} s {joins} "
        f"WHERE {mapped_col('geo')} IS NOT NULL AND {mapped_col('citizen')} IS NOT NULL",
    )
    (total,) = _one(con, f"SELECT count(*) FROM {stage}")
    con.execute(f"DROP TABLE {stage}")
    con.execute(f"DROP TABLE {label_map}")
    result.skipped = len(result.problems) + (total - result.rows)
    for d, label in unknown_states:
        position = header.index(d)
        lines = locate_lines(source.path, source.encoding, _cell_is(position, label))
        result.problems.append(
            DataFileError(
                str(source.path),
                lines[0] if lines else None,
                f"{d} {label!r} is not a country or a known Eurostat group; its rows are skipped",
            )
        )
    return result


def _label_code(dimension: str, label: str, adapter: Adapter) -> str | None:
    """The code for a label: ISO alpha-3 for states, Eurostat codes for the rest.

    Geo and citizen labels that name no state and no known group give None (the
    rows are skipped and reported); other unknown labels are kept verbatim.
    """
    if dimension in ("GEO", "CITIZEN"):
        if label in eurostat.AGGREGATE_LABELS:
            return eurostat.AGGREGATE_LABELS[label]
        country = countries.lookup(label)
        return country.alpha3 if country else None
    return adapter.label_codes.get(dimension, {}).get(label, label)


# --- shared helpers ------------------------------------------------------------------------


def _first_cell_is(key: str) -> Callable[[list[str]], bool]:
    return lambda row: row[:1] == [key]


def _cell_is(position: int, value: str) -> Callable[[list[str]], bool]:
    return lambda row: len(row) > position and row[position] == value


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[int]:
    row = con.execute(sql).fetchone()
    assert row is not None
    return (int(row[0]),)


def _expect_header(source: SourceFile, expected: list[str]) -> None:
    found = read_header(source.path, source.encoding)
    if found != expected:
        raise DataFileError(
            str(source.path),
            1,
            f"unexpected columns: expected {','.join(expected)}; found {','.join(found)}",
        )


def _require(source: SourceFile, header: Sequence[str], needed: Sequence[str]) -> None:
    missing = [n for n in needed if n not in header]
    if missing:
        raise DataFileError(
            str(source.path),
            1,
            f"missing column(s) {', '.join(missing)}; found {', '.join(header)}",
        )


_LOADERS: dict[
    Format, Callable[[duckdb.DuckDBPyConnection, SourceFile, Adapter, int], LoadResult]
] = {
    Format.UNHCR_CSV: _load_unhcr,
    Format.SDMX_CSV: _load_sdmx,
    Format.EUROSTAT_TSV: _load_tsv,
    Format.EUROSTAT_LABELS: _load_labels,
}

__all__ = ["Ahead", "LoadResult", "fill_code_table", "load_file", "read_ahead"]
