"""Columns read by the fast readers, and their way into DuckDB: one INSERT per file.

DuckDB scans numpy arrays in place, so a file read into columns is written
without a Python loop over its rows. Text stays dictionary-encoded until DuckDB
reads it: each row holds the number of its value among the column's distinct
values (`Coded`), and the INSERT picks the text from the list of those values,
passed as a parameter. So no Python string is made per row, and writing holds
the GIL only briefly: the other threads of the build keep running.
"""

from __future__ import annotations

import csv
import itertools
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

from azyl.store.decompress import decompressed_file
from azyl.store.schema import coded_table, rows_table

_names = itertools.count(1)

#: Row numbers into a column's distinct values.
Codes = npt.NDArray[np.uint32]


@dataclass(frozen=True)
class Coded:
    """A text column: `values[codes[row]]` is the row's text (None: NULL)."""

    codes: Codes
    values: list[str | None]

    def take(self, rows: npt.NDArray[Any]) -> Coded:
        """The column of the rows `rows` (a mask or an order)."""
        return Coded(self.codes[rows], self.values)


@dataclass(frozen=True)
class Numbers:
    """A number column; with `nullable`, -1 stands for NULL (the values are never negative)."""

    values: npt.NDArray[np.integer[Any]]
    nullable: bool = False

    def take(self, rows: npt.NDArray[Any]) -> Numbers:
        return Numbers(self.values[rows], self.nullable)


#: A stored column: numbers, coded text, or None for a column that is NULL throughout.
Column = Numbers | Coded | None


def insert_columns(
    con: duckdb.DuckDBPyConnection, table: str, pid: int | None, columns: Sequence[Column]
) -> None:
    """`INSERT INTO table SELECT pid, <columns...>`, in the table's column order (without
    `pid` when it is None: a table whose rows hold their provenance otherwise)."""
    name = f"azyl_columns_{next(_names)}"
    arrays: dict[str, npt.NDArray[Any]] = {}
    select, params = [] if pid is None else [str(pid)], []
    for k, column in enumerate(columns):
        if column is None:
            select.append("NULL")
            continue
        arrays[f"c{k}"] = column.codes if isinstance(column, Coded) else column.values
        if isinstance(column, Coded):
            params.append(column.values)
            select.append(f"${len(params)}[c{k} + 1]")
        else:
            select.append(f"nullif(c{k}, -1)" if column.nullable else f"c{k}")
    if not arrays:  # the row count comes from the arrays: every table has a number column
        raise ValueError(f"no column of {table} holds values to insert")
    con.register(name, arrays)
    try:
        con.execute(f"INSERT INTO {table} SELECT {', '.join(select)} FROM {name}", params)
    finally:
        con.unregister(name)


def write_rows(
    con: duckdb.DuckDBPyConnection, table: str, pid: int, columns: Sequence[Column]
) -> None:
    """A file's rows into dataset `table`, in its columns' order (after provenance_id).

    As text, or, for the datasets stored coded (`schema.CODED`), text as numbers
    into the file's own `text_values`: every distinct text of the file once.
    """
    target = coded_table(table)
    if target is None:
        insert_columns(con, rows_table(table), pid, columns)
        return
    # Every distinct text of the file numbered in text order, so that rows stored in text
    # order (the UNHCR files, by origin) are in number order too: DuckDB's zone maps then
    # skip the row groups a query on one origin's number does not need.
    distinct = {v for c in columns if isinstance(c, Coded) for v in c.values if v is not None}
    texts = {text: code for code, text in enumerate(sorted(distinct))}
    numbered: list[Column] = []
    for column in columns:
        if not isinstance(column, Coded):
            numbered.append(column)
            continue
        numbered.append(_numbered(column, texts))
    con.execute(
        "INSERT INTO text_values SELECT ?, unnest(?), unnest(?)",
        [pid, list(texts.values()), list(texts)],
    )
    insert_columns(con, target, pid, numbered)


def _numbered(column: Coded, texts: dict[str, int]) -> Numbers:
    """A coded column's rows as the numbers of their texts in `texts`.

    Without a NULL, as the stored column's own type (UINTEGER): DuckDB then
    neither casts nor checks each value (measured: the ten small files written
    in 100 ms of processor time instead of 108, median of 10); with one, as
    int64 with -1 for NULL.
    """
    lookup = [-1 if v is None else texts[v] for v in column.values]
    if None not in column.values:
        return Numbers(np.array(lookup, dtype=np.uint32)[column.codes])
    return Numbers(np.array(lookup, dtype=np.int64)[column.codes], nullable=True)


def coded(values: Sequence[str | None], codes: Codes) -> Coded:
    """A `Coded` column (values as a list, for DuckDB's parameter)."""
    return Coded(codes, list(values))


def joined(parts: Sequence[Coded], separator: str) -> Coded | None:
    """Row by row, the texts of `parts` joined with `separator` (None without parts).

    Each distinct combination of values is joined once (parts hold no NULL).
    """
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    if math.prod(len(p.values) for p in parts) >= 2**62:
        raise ValueError("too many combinations to number")  # dimensions have few values
    key = np.zeros(parts[0].codes.size, dtype=np.int64)
    for part in parts:
        key = key * len(part.values) + part.codes
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    texts = [separator.join(str(p.values[p.codes[row]]) for p in parts) for row in first]
    return Coded(inverse.reshape(-1).astype(np.uint32), list(texts))


def file_bytes(path: Path) -> bytes | None:
    """The whole file, gunzipped with the build's reader (small files only); None when it
    cannot be read (DuckDB's reader then says why)."""
    try:
        return decompressed_file(path)
    except (OSError, EOFError, zlib.error):
        return None


def headed_file(path: Path, encoding: str, needed: Sequence[str]) -> HeadedFile | None:
    """The file's bytes, header names and where line 2 starts, for a fast reader; None to
    decline it (DuckDB's reader then reports why): unreadable, without the `needed`
    columns, or with a column named twice."""
    data = file_bytes(path)
    header = split_header(data, encoding)
    if data is None or header is None or not all(n in header[0] for n in needed):
        return None
    names, start = header
    if len(set(names)) < len(names):
        return None
    return HeadedFile(data, names, start)


@dataclass(frozen=True)
class HeadedFile:
    """A small file read whole: its bytes, its header's names, where its lines start."""

    data: bytes
    names: list[str]
    start: int


def split_header(
    data: bytes | None, encoding: str, delimiter: str = ","
) -> tuple[list[str], int] | None:
    """The header's names, read as `readers.read_header` reads them, and where line 2 starts.

    None when there is no complete header line or it cannot be decoded.
    """
    start = data.find(b"\n") + 1 if data is not None else 0
    if data is None or start == 0:
        return None
    try:
        line = data[:start].decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    line = line.lstrip("\ufeff").rstrip("\r\n")
    return next(csv.reader([line], delimiter=delimiter)), start
