"""Low-level reading helpers: DuckDB `read_csv` calls, headers, rejected lines.

DuckDB's native CSV reader does the heavy lifting (parallel, typed, gzip
aware). Lines it cannot read are not fatal: `store_rejects` collects them with
their line numbers, and `rejected_lines()` turns them into `DataFileError`s
that name the file and the line. Lines are located again in Python only when
something is wrong, which keeps the common path free of Python row loops.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import duckdb

from azyl.errors import DataFileError


def sql_str(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def ident(name: str) -> str:
    """A SQL identifier, quoted (column names such as "Flag and Footnotes")."""
    return '"' + name.replace('"', '""') + '"'


def open_text(path: Path, encoding: str) -> io.TextIOBase:
    """Open a possibly gzipped text file."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding=encoding, newline="")
    return path.open("r", encoding=encoding, newline="")


def read_header(path: Path, encoding: str, delimiter: str = ",") -> list[str]:
    """The column names on line 1, or a DataFileError saying why they cannot be read."""
    try:
        with open_text(path, encoding) as handle:
            line = handle.readline()
    except FileNotFoundError:
        raise DataFileError(str(path), None, "file not found") from None
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise DataFileError(str(path), 1, f"cannot read the file: {exc}") from None
    line = line.lstrip("\ufeff").rstrip("\r\n")
    if not line:
        raise DataFileError(str(path), 1, "the file is empty (no header line)")
    return next(csv.reader([line], delimiter=delimiter))


def insert_rows(
    con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Sequence[object]]
) -> None:
    """INSERT a few Python rows in one statement (`executemany` runs one per row)."""
    if not rows:
        return
    columns = [list(column) for column in zip(*rows, strict=True)]
    unnest = ", ".join("unnest(?)" for _ in columns)
    con.execute(f"INSERT INTO {table} SELECT {unnest}", columns)


def read_csv(
    path: Path,
    columns: Mapping[str, str],
    rejects: str,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    nullstr: Sequence[str] = ("",),
    thousands: str | None = None,
    quote: str = '"',
) -> str:
    """A `read_csv(...)` table expression with explicit columns and rejected-line capture."""
    cols = ", ".join(f"{sql_str(name)}: {sql_str(kind)}" for name, kind in columns.items())
    options = [
        "header = true",
        "auto_detect = false",
        f"columns = {{{cols}}}",
        f"delim = {sql_str(delimiter)}",
        f"quote = {sql_str(quote)}",
        f"escape = {sql_str(quote)}",
        f"encoding = {sql_str(encoding)}",
        "ignore_errors = true",
        "store_rejects = true",
        f"rejects_table = {sql_str(rejects)}",
        f"rejects_scan = {sql_str(rejects + '_scan')}",
    ]
    if nullstr:
        options.append(f"nullstr = [{', '.join(sql_str(n) for n in nullstr)}]")
    if thousands:
        options.append(f"thousands = {sql_str(thousands)}")
    return f"read_csv({sql_str(str(path))}, {', '.join(options)})"


def rejected_lines(con: duckdb.DuckDBPyConnection, rejects: str, path: Path) -> list[DataFileError]:
    """The lines DuckDB could not read, one error per line, then drop the rejects tables."""
    try:
        rows = con.execute(
            f"SELECT line, error_type, error_message FROM {ident(rejects)} "
            "ORDER BY line, column_idx"
        ).fetchall()
    except duckdb.CatalogException:
        return []
    finally:
        con.execute(f"DROP TABLE IF EXISTS {ident(rejects)}")
        con.execute(f"DROP TABLE IF EXISTS {ident(rejects + '_scan')}")
    seen: dict[int, DataFileError] = {}
    for line, kind, message in rows:
        if line not in seen:
            what = str(kind).lower().replace("_", " ")
            seen[line] = DataFileError(str(path), int(line), f"line skipped ({what}): {message}")
    return list(seen.values())


def locate_lines(
    path: Path,
    encoding: str,
    match: Callable[[list[str]], bool],
    delimiter: str = ",",
    limit: int = 1,
) -> list[int]:
    """Line numbers (1-based, header is line 1) of the first rows for which `match` is true.

    Only called when a problem was found, to point at the offending line.
    """
    found: list[int] = []
    with open_text(path, encoding) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        next(reader, None)
        for row in reader:
            if match(row):
                found.append(reader.line_num)
                if len(found) >= limit:
                    break
    return found
