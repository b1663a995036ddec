"""Eurostat's old label exports ("appsso") into `<dataset>_rows`.

`"TIME","GEO","CITIZEN",...,"Value","Flag and Footnotes"`: English labels,
"10,985" with thousands separators, ":" for not available. States become ISO
alpha-3 codes and the other labels Eurostat codes (`_label_code`); a geo or
citizen label that names no state and no known group is reported with the line
it first appears on, and its rows are skipped.

Two ways in, storing the same rows: `read_labels`, the fast reader (the
columns split and dictionary-encoded, each distinct label translated once),
which declines anything unusual, and `load_labels`, DuckDB's CSV reader, which
also names malformed lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np
import numpy.typing as npt

from azyl import countries
from azyl.errors import DataFileError
from azyl.sources import eurostat
from azyl.sources.base import Adapter, SourceFile
from azyl.store.columns import (
    Coded,
    Numbers,
    coded,
    headed_file,
    joined,
    write_rows,
)
from azyl.store.columns import Column as StoredColumn
from azyl.store.eurostat_codes import dims, extra_sql
from azyl.store.loading import LoadResult, one, temp_name, typed_header
from azyl.store.readers import (
    ident,
    insert_rows,
    locate_lines,
    read_csv,
    rejected_lines,
    sql_str,
)
from azyl.store.splitcsv import Column, Mode, NotSimple, Split, split_columns, unquote

VALUE, FLAG = "Value", "Flag and Footnotes"
_NEEDED = ("TIME", "GEO", "CITIZEN", VALUE)
#: What the exports print for "no value" (DuckDB reads both as NULL, quoted or not).
_NULLS = (":", "")


def load_labels(
    con: duckdb.DuckDBPyConnection, source: SourceFile, adapter: Adapter, pid: int
) -> LoadResult:
    """Label export through DuckDB: a value it cannot read is a bad line, named by number."""
    header, types = typed_header(source, _NEEDED, TIME="SMALLINT", Value="BIGINT")
    rejects, stage = temp_name("rejects"), temp_name("stage")
    reader = read_csv(
        source.path, types, rejects, encoding=source.encoding, nullstr=_NULLS, thousands=","
    )
    con.execute(f"CREATE TEMP TABLE {stage} AS SELECT * FROM {reader} WHERE TIME IS NOT NULL")
    result = LoadResult(problems=rejected_lines(con, rejects, source.path))
    category, extras, mapped = _roles(header, adapter)
    label_map = temp_name("label_map")
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
    flag = f"s.{ident(FLAG)}" if FLAG in header else "NULL"
    (result.rows,) = one(
        con,
        f"INSERT INTO {adapter.table}_rows SELECT {pid}, s.TIME, {mapped_col('geo')}, "
        f"{mapped_col('citizen')}, {mapped_col('sex')}, {mapped_col('age')}, "
        f"{mapped_col(category)}, {extra_sql(extras, lambda c: f's.{ident(c)}')}, "
        f"s.Value, {flag} FROM {stage} s {joins} "
        f"WHERE {mapped_col('geo')} IS NOT NULL AND {mapped_col('citizen')} IS NOT NULL",
    )
    (total,) = one(con, f"SELECT count(*) FROM {stage}")
    con.execute(f"DROP TABLE {stage}")
    con.execute(f"DROP TABLE {label_map}")
    result.skipped = len(result.problems) + (total - result.rows)
    for d, label in unknown_states:
        position = header.index(d)
        lines = locate_lines(source.path, source.encoding, _cell_is(position, label))
        result.problems.append(_unknown_state(source, d, label, lines[0] if lines else None))
    return result


def _roles(header: Sequence[str], adapter: Adapter) -> tuple[str | None, list[str], list[str]]:
    """The category dimension, the extra dimensions and the dimensions mapped from labels."""
    dimensions = [h for h in header if h not in ("TIME", VALUE, FLAG)]
    category, extras = dims(dimensions, adapter)
    extras = [e for e in extras if e != "UNIT"]
    wanted = ("geo", "citizen", "sex", "age", category)
    return category, extras, [d for d in dimensions if d.lower() in wanted]


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


def _unknown_state(source: SourceFile, dim: str, label: str, line: int | None) -> DataFileError:
    return DataFileError(
        str(source.path),
        line,
        f"{dim} {label!r} is not a country or a known Eurostat group; its rows are skipped",
    )


def _cell_is(position: int, value: str) -> Callable[[list[str]], bool]:
    return lambda row: len(row) > position and row[position] == value


# --- the fast reader -------------------------------------------------------------------------

#: A value as the exports print it: digits, in groups of three after the first when long.
_NUMBER = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*|[0-9]+")
_SMALLINT, _BIGINT_DIGITS = 32767, 18


@dataclass
class LabelRows:
    """A label export read into columns (in the table's order): the rows to store and what
    was skipped."""

    table: str
    rows: int
    skipped: int
    problems: list[DataFileError]
    columns: list[StoredColumn] = field(repr=False)

    def write(self, con: duckdb.DuckDBPyConnection, pid: int) -> LoadResult:
        """One INSERT of every row."""
        write_rows(con, self.table, pid, self.columns)
        return LoadResult(self.rows, self.skipped, list(self.problems))


def read_labels(source: SourceFile, adapter: Adapter) -> LabelRows | None:
    """The file read by the fast reader, or None when DuckDB must read it."""
    file = headed_file(source.path, source.encoding, _NEEDED)
    if file is None:
        return None
    data, names, start = file.data, file.names, file.start
    category, extras, mapped = _roles(names, adapter)
    kept = {"TIME", VALUE, FLAG, *extras, *mapped}
    modes = [Mode.DICT if n in kept else Mode.SKIP for n in names]
    try:
        split = split_columns(data, start, modes)
        return _rows(source, adapter, split, names, (category, extras, mapped))
    except (NotSimple, UnicodeDecodeError):
        return None


def _rows(
    source: SourceFile,
    adapter: Adapter,
    split: Split,
    names: list[str],
    roles: tuple[str | None, list[str], list[str]],
) -> LabelRows:
    """The stored columns, the rows of unknown states left out and reported."""
    category, extras, mapped = roles
    column = {n: split.columns[i] for i, n in enumerate(names) if i in split.columns}
    decode = _decoder(source.encoding)
    years = _numbers(column["TIME"], decode, _SMALLINT)
    dated = years >= 0  # DuckDB's reader drops lines without a year, uncounted
    codes: dict[str, Coded] = {}
    keep = dated.copy()
    problems = []
    for d in mapped:
        labels = [decode(v) for v in column[d].values]
        if any(label in _NULLS for label in labels):
            raise NotSimple(f"a {d} without a label")
        found = [_label_code(d, label, adapter) for label in labels]
        codes[d.lower()] = coded(found, column[d].codes)
        unknown = [k for k, code in enumerate(found) if code is None]
        if unknown:
            keep &= ~np.isin(column[d].codes, unknown)
            problems += _unknown_states(source, d, labels, column[d], unknown, dated)
    stored: list[StoredColumn] = [
        Numbers(years.astype(np.int16)), codes["geo"], codes["citizen"], codes.get("sex"),
        codes.get("age"), codes.get(category) if category else None,
        _extra(column, extras, decode),
        Numbers(_numbers(column[VALUE], decode, None, thousands=True), nullable=True),
        _text(column.get(FLAG), decode),
    ]  # fmt: skip
    rows = int(np.count_nonzero(keep))
    skipped = int(np.count_nonzero(dated)) - rows
    return LabelRows(adapter.table, rows, skipped, problems,
                     [c.take(keep) if c is not None else None for c in stored])  # fmt: skip


def _decoder(encoding: str) -> Callable[[bytes], str]:
    def decode(raw: bytes) -> str:
        return unquote(raw).decode(encoding)

    return decode


def _numbers(
    column: Column, decode: Callable[[bytes], str], limit: int | None, thousands: bool = False
) -> npt.NDArray[np.int64]:
    """A number column from its distinct values, -1 for ':' or empty; NotSimple otherwise."""
    numbers = []
    for raw in column.values:
        text = decode(raw)
        if text in _NULLS:
            numbers.append(-1)
            continue
        if not (_NUMBER.fullmatch(text) if thousands else text.isascii() and text.isdigit()):
            raise NotSimple(f"an unexpected number {text!r}")
        digits = text.replace(",", "")
        if len(digits.lstrip("0")) > _BIGINT_DIGITS or (limit and int(digits) > limit):
            raise NotSimple(f"a number out of range {text!r}")
        numbers.append(int(digits))
    return np.array(numbers, dtype=np.int64)[column.codes]


def _text(column: Column | None, decode: Callable[[bytes], str]) -> Coded | None:
    """A text column, ':' and empty as NULL (a column the file lacks is all NULL)."""
    if column is None:
        return None
    values = [decode(v) for v in column.values]
    return coded([v if v not in _NULLS else None for v in values], column.codes)


def _extra(
    columns: dict[str, Column], extras: list[str], decode: Callable[[bytes], str]
) -> Coded | None:
    """`name=value;name=value` of the extra dimensions (NULL without any)."""
    parts = []
    for name in extras:
        values = [decode(v) for v in columns[name].values]
        text = [f"{name.lower()}={v if v not in _NULLS else ''}" for v in values]
        parts.append(coded(text, columns[name].codes))
    return joined(parts, ";")


def _unknown_states(
    source: SourceFile,
    dim: str,
    labels: list[str],
    column: Column,
    unknown: list[int],
    dated: npt.NDArray[np.bool_],
) -> list[DataFileError]:
    """One problem per unknown label on a dated line, at the first line it appears on."""
    present = np.bincount(column.codes[dated], minlength=len(labels)) > 0
    first: dict[str, int] = {}
    for k in unknown:
        if present[k]:
            first[labels[k]] = min(first.get(labels[k], column.first_lines[k]),
                                   column.first_lines[k])  # fmt: skip
    return [_unknown_state(source, dim, label, line + 2)
            for label, line in sorted(first.items(), key=lambda item: item[1])]  # fmt: skip
