"""One loader per publisher format, each a few statements of DuckDB's own CSV reader.

Every loader reads one file into a temporary table, checks it, and appends the
good rows to the dataset's table with the file's provenance id. A line DuckDB
cannot read (a count that is not a number, too many columns) is reported by
its line number from DuckDB's rejected-lines table; a row that reads but
cannot be placed (no country code, a label that is not a country) is reported
too, its line found again in Python only then, and skipped; the rest is kept.

Countries are stored as ISO 3166-1 alpha-3: UNHCR's files carry it
(`coo_iso`, `coa_iso`); Eurostat's two-letter codes and the old exports'
English labels are translated here (`codes`), and Eurostat's groups (`EU28`,
`TOTAL`) are kept as published.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import duckdb

from azyl import countries
from azyl.errors import DataFileError
from azyl.sources import eurostat, unhcr_applications, unhcr_decisions
from azyl.sources.base import Adapter, Format, SourceFile
from azyl.store.readers import (
    ident,
    locate_lines,
    open_text,
    read_csv,
    read_header,
    rejected_lines,
    sql_str,
)

_names = itertools.count(1)
_COUNT = r"^[0-9]+$"


@dataclass
class LoadResult:
    """How many rows of one file were stored and skipped, and the problems found."""

    rows: int = 0
    skipped: int = 0
    problems: list[DataFileError] = field(default_factory=list)


def load_file(
    con: duckdb.DuckDBPyConnection, source: SourceFile, adapter: Adapter, pid: int
) -> LoadResult:
    """Load one file into its adapter's table, stamped with provenance id `pid`."""
    loader = _LOADERS[source.format]
    return loader(con, source, adapter, pid)


def _temp(prefix: str) -> str:
    return f"{prefix}_{next(_names)}"


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _expect_header(source: SourceFile, expected: Sequence[str], delimiter: str = ",") -> None:
    header = read_header(source.path, source.encoding, delimiter)
    if [h.strip() for h in header] != list(expected):
        raise DataFileError(
            str(source.path), 1, f"unexpected columns {header}; expected {list(expected)}"
        )


# -- UNHCR ------------------------------------------------------------------------------------

_UNHCR_COUNTS = {
    "dec_recognized": "recognized",
    "dec_other": "complementary",
    "dec_rejected": "rejected",
    "dec_closed": "closed",
    "dec_total": "total",
    "applied": "applied",
}
_UNHCR_COLUMNS = {
    "unhcr_decisions": unhcr_decisions.COLUMNS,
    "unhcr_applications": unhcr_applications.COLUMNS,
}
_UNHCR_KEPT = {
    "unhcr_decisions": ("procedure_type", "dec_level", "dec_pc"),
    "unhcr_applications": ("procedure_type", "app_type", "dec_level", "app_pc"),
}


def _load_unhcr(
    con: duckdb.DuckDBPyConnection, source: SourceFile, adapter: Adapter, pid: int
) -> LoadResult:
    """UNHCR's CSV: counts typed by DuckDB (a negative or unreadable count is a bad line)."""
    header = read_header(source.path, source.encoding)
    _expect_header(source, _UNHCR_COLUMNS[adapter.table])
    types = {c: "UINTEGER" if c in _UNHCR_COUNTS else "VARCHAR" for c in header}
    types["year"] = "SMALLINT"
    stage, rejects = _temp("stage"), _temp("rejects")
    con.execute(
        f"CREATE TEMP TABLE {stage} AS SELECT * FROM "
        f"{read_csv(source.path, types, rejects, encoding=source.encoding)}"
    )
    result = LoadResult(problems=rejected_lines(con, rejects, source.path))
    result.skipped = len(result.problems)
    missing = "year IS NULL OR coo_iso IS NULL OR coa_iso IS NULL"
    if n_missing := _count(con, f"SELECT count(*) FROM {stage} WHERE {missing}"):
        where = [header.index(c) for c in ("year", "coo_iso", "coa_iso")]
        lines = locate_lines(source.path, source.encoding, _lacks(where), limit=n_missing)
        result.problems += [
            DataFileError(str(source.path), n, "line skipped: no year or ISO country code")
            for n in lines
        ]
        result.skipped += n_missing
    kept = ", ".join(_UNHCR_KEPT[adapter.table])
    counts = ", ".join(c for c in header if c in _UNHCR_COUNTS)
    con.execute(
        f"INSERT INTO {adapter.table} BY NAME SELECT year, coo_iso AS origin, "
        f"coa_iso AS asylum, {kept}, "
        + ", ".join(f"{c} AS {_UNHCR_COUNTS[c]}" for c in counts.split(", "))
        + f", {pid} AS provenance_id FROM {stage} WHERE NOT ({missing})"
    )
    result.rows = _count(con, f"SELECT count(*) FROM {stage} WHERE NOT ({missing})")
    con.execute(f"DROP TABLE {stage}")
    return result


def _lacks(columns: Sequence[int]) -> Callable[[list[str]], bool]:
    def empty(row: list[str]) -> bool:
        return len(row) > max(columns) and any(not row[i].strip() for i in columns)

    return empty


# -- Eurostat ---------------------------------------------------------------------------------


@cache
def eurostat_codes() -> dict[str, str]:
    """Every two-letter code `countries` knows (with Eurostat's EL, UK, XK) to its ISO
    alpha-3, plus Eurostat's groups, kept as they are."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    pairs = {}
    for code in (a + b for a in letters for b in letters):
        if country := countries.lookup(code):
            pairs[code] = country.alpha3
    pairs.update((code, code) for code in eurostat.AGGREGATES)
    return pairs


def _label_code(label: str) -> str | None:
    """An old export's country or group label as the store's code (None: not a place)."""
    if label in eurostat.AGGREGATE_LABELS:
        return eurostat.AGGREGATE_LABELS[label]
    country = countries.lookup(label)
    return country.alpha3 if country else None


@dataclass(frozen=True)
class _Layout:
    """Where a Eurostat file's dimensions are, once read into a stage table."""

    citizen: str
    geo: str
    sex: str | None
    age: str | None
    category: str | None
    extras: tuple[str, ...]


def _layout(columns: Sequence[str], adapter: Adapter, skip: set[str]) -> _Layout:
    """The dimension columns of a file: the known ones, the category, and the rest."""
    by_lower = {c.lower(): c for c in columns}
    category = next((by_lower[c] for c in adapter.category if c in by_lower), None)
    known = {"citizen", "geo", "sex", "age", *(c.lower() for c in [category] if c)} | skip
    return _Layout(
        citizen=by_lower["citizen"],
        geo=by_lower["geo"],
        sex=by_lower.get("sex"),
        age=by_lower.get("age"),
        category=category,
        extras=tuple(c for c in columns if c.lower() not in known),
    )


def _insert_eurostat(
    con: duckdb.DuckDBPyConnection,
    stage: str,
    layout: _Layout,
    adapter: Adapter,
    pid: int,
    *,
    year: str,
    value: str,
    flag: str,
    codes: Mapping[str, str],
    translate: Mapping[str, Mapping[str, str]] | None = None,
) -> int:
    """Append a stage table's rows to the dataset's table; return how many were stored.

    `codes` turns the file's citizen and geo values into the store's codes (rows
    whose values are not in it are left out: the caller reports them).
    `translate` turns labels of the other dimensions into Eurostat's codes.
    A dimension that has one value throughout the file distinguishes nothing and
    is dropped; the others go into `extra` as `name=value;...`.
    """
    codes_table = _temp("codes")
    con.execute(f"CREATE TEMP TABLE {codes_table} (label VARCHAR, code VARCHAR)")
    if codes:
        con.execute(
            f"INSERT INTO {codes_table} SELECT unnest(?), unnest(?)",
            [list(codes), list(codes.values())],
        )

    def dim(column: str | None) -> str:
        if column is None:
            return "NULL"
        mapping = (translate or {}).get(column.upper(), {})
        if not mapping:
            return ident(column)
        cases = " ".join(f"WHEN {sql_str(k)} THEN {sql_str(v)}" for k, v in mapping.items())
        return f"CASE {ident(column)} {cases} ELSE {ident(column)} END"

    varying = [
        c
        for c in layout.extras
        if _count(con, f"SELECT count(DISTINCT {ident(c)}) FROM {stage}") > 1
    ]
    parts = [f"{sql_str(c.lower() + '=')} || coalesce({ident(c)}, '')" for c in varying]
    extra = f"concat_ws(';', {', '.join(parts)})" if parts else "NULL"
    before = _count(con, f"SELECT count(*) FROM {adapter.table}")
    con.execute(
        f"INSERT INTO {adapter.table} BY NAME SELECT {year} AS year, c.code AS citizen, "
        f"g.code AS geo, {dim(layout.sex)} AS sex, {dim(layout.age)} AS age, "
        f"{dim(layout.category)} AS category, {extra} AS extra, {value} AS value, "
        f"{flag} AS flag, {pid} AS provenance_id FROM {stage} s "
        f"JOIN {codes_table} c ON c.label = s.{ident(layout.citizen)} "
        f"JOIN {codes_table} g ON g.label = s.{ident(layout.geo)}"
    )
    con.execute(f"DROP TABLE {codes_table}")
    return _count(con, f"SELECT count(*) FROM {adapter.table}") - before


def _places(
    con: duckdb.DuckDBPyConnection, stage: str, layout: _Layout, decode: Callable[[str], str | None]
) -> tuple[dict[str, str], set[str]]:
    """The file's citizen and geo values as store codes, and those that are no place."""
    values = {
        v
        for column in (layout.citizen, layout.geo)
        for (v,) in con.execute(f"SELECT DISTINCT {ident(column)} FROM {stage}").fetchall()
        if v is not None
    }
    known = {v: code for v in values if (code := decode(v)) is not None}
    return known, values - known.keys()


def _report_unknown(
    source: SourceFile,
    unknown: set[str],
    columns: Sequence[int],
    delimiter: str,
    result: LoadResult,
    skipped: int,
) -> None:
    """One problem per unknown country or group: how many lines it cost, and the first one."""
    lines: dict[str, list[int]] = {}
    with open_text(source.path, source.encoding) as handle:
        rows = csv.reader(handle, delimiter=delimiter)
        next(rows, None)
        for row in rows:
            for value in sorted({row[i] for i in columns if i < len(row)} & unknown):
                lines.setdefault(value, []).append(rows.line_num)
    for value, found in sorted(lines.items()):
        many = f"{len(found)} lines skipped, the first" if len(found) > 1 else "line skipped"
        message = f"{value!r} is not a known country or group: {many} on line {found[0]}"
        result.problems.append(DataFileError(str(source.path), found[0], message))
    result.skipped += skipped


def _load_labels(
    con: duckdb.DuckDBPyConnection, source: SourceFile, adapter: Adapter, pid: int
) -> LoadResult:
    """An old "appsso" export: English labels, "1,385", ":" for not available."""
    header = read_header(source.path, source.encoding)
    types = dict.fromkeys(header, "VARCHAR")
    types["TIME"], types["Value"] = "SMALLINT", "BIGINT"
    stage, rejects = _temp("stage"), _temp("rejects")
    con.execute(
        f"CREATE TEMP TABLE {stage} AS SELECT * FROM "
        + read_csv(
            source.path,
            types,
            rejects,
            encoding=source.encoding,
            nullstr=("", ":"),
            thousands=",",
        )
    )
    result = LoadResult(problems=rejected_lines(con, rejects, source.path))
    result.skipped = len(result.problems)
    layout = _layout(header, adapter, {"time", "unit", "value", "flag and footnotes"})
    known, unknown = _places(con, stage, layout, _label_code)
    if unknown:
        n = _unknown_rows(con, stage, layout, unknown)
        columns = [header.index(layout.citizen), header.index(layout.geo)]
        _report_unknown(source, unknown, columns, ",", result, n)
    result.rows = _insert_eurostat(
        con, stage, layout, adapter, pid,
        year="TIME", value="Value", flag='nullif(trim("Flag and Footnotes"), \'\')',
        codes=known, translate=adapter.label_codes,
    )  # fmt: skip
    con.execute(f"DROP TABLE {stage}")
    return result


def _unknown_rows(
    con: duckdb.DuckDBPyConnection, stage: str, layout: _Layout, unknown: set[str]
) -> int:
    return _count(
        con,
        f"SELECT count(*) FROM {stage} WHERE list_contains({_list(unknown)}, "
        f"{ident(layout.citizen)}) OR list_contains({_list(unknown)}, {ident(layout.geo)})",
    )


def _list(values: set[str]) -> str:
    return "[" + ", ".join(sql_str(v) for v in sorted(values)) + "]"


def _load_sdmx(
    con: duckdb.DuckDBPyConnection, source: SourceFile, adapter: Adapter, pid: int
) -> LoadResult:
    """Eurostat's SDMX-CSV: one observation per line, OBS_VALUE and OBS_FLAG."""
    header = read_header(source.path, source.encoding)
    types = dict.fromkeys(header, "VARCHAR")
    types["TIME_PERIOD"], types["OBS_VALUE"] = "SMALLINT", "BIGINT"
    stage, rejects = _temp("stage"), _temp("rejects")
    con.execute(
        f"CREATE TEMP TABLE {stage} AS SELECT * FROM "
        f"{read_csv(source.path, types, rejects, encoding=source.encoding)}"
    )
    result = LoadResult(problems=rejected_lines(con, rejects, source.path))
    result.skipped = len(result.problems)
    skip = {"dataflow", "last update", "freq", "unit", "time_period", "obs_value", "obs_flag"}
    layout = _layout(header, adapter, skip)
    known, unknown = _places(con, stage, layout, eurostat_codes().get)
    if unknown:
        columns = [header.index(layout.citizen), header.index(layout.geo)]
        _report_unknown(
            source, unknown, columns, ",", result, _unknown_rows(con, stage, layout, unknown)
        )
    result.rows = _insert_eurostat(
        con, stage, layout, adapter, pid,
        year="TIME_PERIOD", value="OBS_VALUE", flag="nullif(trim(OBS_FLAG), '')", codes=known,
    )  # fmt: skip
    con.execute(f"DROP TABLE {stage}")
    return result


_TSV_CELL = r"^\s*(:|[0-9]+)\s*([a-z]*)\s*$"


def _load_tsv(
    con: duckdb.DuckDBPyConnection, source: SourceFile, adapter: Adapter, pid: int
) -> LoadResult:
    """Eurostat's bulk TSV: `dims\\TIME_PERIOD` then a column per year, cells "12 p" or ":"."""
    header = read_header(source.path, source.encoding, "\t")
    first, years = header[0], [h.strip() for h in header[1:]]
    if "\\" not in first or not all(y.isdigit() for y in years):
        raise DataFileError(str(source.path), 1, f"not a Eurostat bulk TSV header: {header[:3]}")
    dims = first.split("\\", 1)[0].split(",")
    wide, rejects = _temp("wide"), _temp("rejects")
    columns = {"key": "VARCHAR", **dict.fromkeys(years, "VARCHAR")}
    con.execute(
        f"CREATE TEMP TABLE {wide} AS SELECT * FROM "
        + read_csv(source.path, columns, rejects, delimiter="\t", encoding=source.encoding)
    )
    result = LoadResult(problems=rejected_lines(con, rejects, source.path))
    result.skipped = len(result.problems)
    long = _temp("long")
    split = ", ".join(f"string_split(key, ',')[{i + 1}] AS {ident(d)}" for i, d in enumerate(dims))
    con.execute(
        f"CREATE TEMP TABLE {long} AS SELECT {split}, CAST(year AS SMALLINT) AS year, cell "
        f"FROM (UNPIVOT {wide} ON COLUMNS(* EXCLUDE (key)) INTO NAME year VALUE cell)"
    )
    bad = f"NOT regexp_matches(coalesce(cell, ':'), {sql_str(_TSV_CELL)})"
    if n_bad := _count(con, f"SELECT count(*) FROM {long} WHERE {bad}"):
        result.problems += _bad_tsv_cells(source, n_bad)
        result.skipped += n_bad
        con.execute(f"DELETE FROM {long} WHERE {bad}")
    layout = _layout(dims, adapter, {"freq", "unit"})
    known, unknown = _places(con, long, layout, eurostat_codes().get)
    if unknown:
        result.problems += [
            DataFileError(str(source.path), None, f"code {c!r} is not a known country or group; "
                          "its rows are skipped")
            for c in sorted(unknown)
        ]  # fmt: skip
        result.skipped += _unknown_rows(con, long, layout, unknown)
    value = f"CAST(nullif(regexp_extract(cell, {sql_str(_TSV_CELL)}, 1), ':') AS BIGINT)"
    flag = f"nullif(regexp_extract(cell, {sql_str(_TSV_CELL)}, 2), '')"
    result.rows = _insert_eurostat(
        con, long, layout, adapter, pid, year="year", value=value, flag=flag, codes=known
    )
    con.execute(f"DROP TABLE {wide}; DROP TABLE {long}")
    return result


def _bad_tsv_cells(source: SourceFile, limit: int) -> list[DataFileError]:
    """The lines holding cells that are neither a count (with flags) nor ':'."""
    pattern = re.compile(_TSV_CELL)
    found: list[DataFileError] = []
    with open_text(source.path, source.encoding) as handle:
        for number, line in enumerate(handle, start=1):
            if number == 1:
                continue
            cells = line.rstrip("\r\n").split("\t")[1:]
            for cell in cells:
                if not pattern.match(cell):
                    found.append(
                        DataFileError(str(source.path), number, f"cell skipped: {cell!r} is not "
                                      "a count, a count with flags, or ':'")
                    )  # fmt: skip
            if len(found) >= limit:
                break
    return found


_LOADERS: dict[
    Format, Callable[[duckdb.DuckDBPyConnection, SourceFile, Adapter, int], LoadResult]
] = {
    Format.UNHCR_CSV: _load_unhcr,
    Format.EUROSTAT_LABELS: _load_labels,
    Format.SDMX_CSV: _load_sdmx,
    Format.EUROSTAT_TSV: _load_tsv,
}
