"""What every Eurostat format shares: the code table, the dimensions, unknown codes.

Eurostat files keep their own geo and citizen codes (`EL`, `UK`, `EU27_2020`);
the store translates them to ISO alpha-3 at query time through
`eurostat_codes`, and reports the codes that are neither a country nor a known
group (the rows are kept, with the code as published).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache

import duckdb

from azyl import countries
from azyl.errors import DataFileError
from azyl.sources import eurostat
from azyl.sources.base import Adapter, SourceFile
from azyl.store.readers import sql_str


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


def dims(header: Sequence[str], adapter: Adapter) -> tuple[str | None, list[str]]:
    """The category dimension (first of the adapter's names present) and the other extras."""
    lowered = [h.lower() for h in header]
    category = next((c for c in adapter.category if c in lowered), None)
    known = {"geo", "citizen", "sex", "age", "freq", "unit", category}
    return category, [h for h in header if h.lower() not in known]


def extra_sql(columns: Sequence[str], ref: Callable[[str], str]) -> str:
    """`name=value;name=value` for the dimensions with no column of their own, or NULL."""
    if not columns:
        return "NULL"
    parts = [f"{sql_str(c.lower() + '=')} || coalesce({ref(c)}, '')" for c in columns]
    return f"concat_ws(';', {', '.join(parts)})"


def report_unknown_codes(
    con: duckdb.DuckDBPyConnection, table: str, pid: int, source: SourceFile
) -> list[DataFileError]:
    """Codes kept as published because they are neither a country nor a known group."""
    found = {}
    for column in ("geo", "citizen"):
        rows = con.execute(
            f"SELECT DISTINCT {column} FROM {table} WHERE provenance_id = {pid} AND {column} "
            "NOT IN (SELECT eurostat FROM eurostat_codes)"
        ).fetchall()
        found[column] = [code for (code,) in rows]
    return unknown_code_problems(source, found)


def unknown_code_problems(
    source: SourceFile, codes: Mapping[str, Iterable[str]]
) -> list[DataFileError]:
    """One problem per geo, then citizen, code (in order) not in `eurostat_code_map`."""
    known = eurostat_code_map()
    return [
        DataFileError(
            str(source.path),
            None,
            f"{column} code {code!r} is not a known country "
            "or group; rows kept with the code as published",
        )
        for column in ("geo", "citizen")
        for code in sorted(set(codes.get(column, ())) - known.keys())
    ]
