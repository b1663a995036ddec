"""What the loaders of every format share: their result, header checks, small SQL helpers.

Each format has two ways in: a fast reader that needs no database (it runs
before the database exists, beside the other files) and hands back a `Ready`
file, or, when it declines, DuckDB's general CSV reader, which also names
malformed lines. Problems are collected, never raised for a single bad line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Protocol

import duckdb

from azyl.errors import DataFileError
from azyl.sources.base import SourceFile
from azyl.store.readers import ident, read_header


@dataclass
class LoadResult:
    """What loading one file did."""

    rows: int = 0
    skipped: int = 0
    problems: list[DataFileError] = field(default_factory=list)


class Ready(Protocol):
    """A file read by a fast reader, waiting only to be written into the database."""

    def write(self, con: duckdb.DuckDBPyConnection, pid: int) -> LoadResult:
        """Insert the file's rows, stamped with provenance id `pid`."""
        ...


_temp_names = count(1)


def temp_name(prefix: str) -> str:
    """A fresh name for a temporary table (unique in this process)."""
    return f"{prefix}_{next(_temp_names)}"


def cursor_like(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A new cursor of `con`, in the same database (a cursor starts in the default one)."""
    row = con.execute("SELECT current_database()").fetchone()
    cursor = con.cursor()
    if row is not None:
        cursor.execute(f"USE {ident(str(row[0]))}")
    return cursor


def one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[int]:
    """The single number a statement returns (a count, or the rows an INSERT wrote)."""
    row = con.execute(sql).fetchone()
    assert row is not None
    return (int(row[0]),)


def expect_header(source: SourceFile, expected: list[str]) -> None:
    """DataFileError on line 1 unless the header is exactly `expected`."""
    found = read_header(source.path, source.encoding)
    if found != expected:
        raise DataFileError(
            str(source.path),
            1,
            f"unexpected columns: expected {','.join(expected)}; found {','.join(found)}",
        )


def typed_header(
    source: SourceFile, needed: Sequence[str], **numbers: str
) -> tuple[list[str], dict[str, str]]:
    """The header (DataFileError on line 1 without a `needed` column) and the types DuckDB's
    reader gets: every column text except the `numbers` named (`TIME="SMALLINT"`)."""
    header = read_header(source.path, source.encoding)
    require(source, header, needed)
    return header, {h: numbers.get(h, "VARCHAR") for h in header}


def require(source: SourceFile, header: Sequence[str], needed: Sequence[str]) -> None:
    """DataFileError on line 1 unless every `needed` column is in the header."""
    missing = [n for n in needed if n not in header]
    if missing:
        raise DataFileError(
            str(source.path),
            1,
            f"missing column(s) {', '.join(missing)}; found {', '.join(header)}",
        )
