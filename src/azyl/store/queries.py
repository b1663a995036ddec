"""Read access to the statistics store: typed records out, no SQL outside this module.

`StatsStore` answers the few questions `azyl.stats` asks (the decisions for
one origin, which decision levels a country reported, where a figure came
from). It returns frozen records, so the statistics functions stay pure and
can be tested without a database.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from azyl.errors import NoData
from azyl.store.schema import SCHEMA_VERSION

#: UNHCR decision levels that can stand for "first instance", in order of preference.
FIRST_INSTANCE_LEVELS = ("FI", "NA", "FA")


@dataclass(frozen=True)
class UnhcrDecision:
    """One row of UNHCR's asylum decisions (one procedure type, one decision level)."""

    year: int
    origin: str
    asylum: str
    procedure_type: str
    dec_level: str
    dec_pc: str
    recognized: int
    complementary: int
    rejected: int
    closed: int
    provenance_id: int


@dataclass(frozen=True)
class EurostatDecision:
    """One Eurostat first-instance figure (all sexes, all ages) for one decision type."""

    year: int
    origin: str
    asylum: str
    decision: str
    value: int | None
    flag: str | None
    provenance_id: int


@dataclass(frozen=True)
class Provenance:
    """Where a figure came from: enough to cite it and to check the file's bytes."""

    id: int
    publisher: str
    dataset: str
    title: str
    file_name: str
    sha256: str
    retrieved_at: str
    licence: str
    release: str
    url: str
    note: str
    format: str
    rows_loaded: int
    rows_skipped: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Problem:
    """A problem the build reported for a file (kept so `azyl sources` can show it)."""

    provenance_id: int
    line: int | None
    problem: str


#: The decision columns a query reads, and those of them that are text.
_DECISION_COLUMNS = (
    "year", "origin", "asylum", "procedure_type", "dec_level", "dec_pc",
    "recognized", "complementary", "rejected", "closed", "provenance_id",
)  # fmt: skip
_DECISION_TEXTS = frozenset({"origin", "asylum", "procedure_type", "dec_level", "dec_pc"})


@dataclass(frozen=True)
class _FileTexts:
    """The texts of one file stored as numbers (`text_values`): each text's number and
    each number's text (a file numbers every distinct text once, whatever its column)."""

    text: dict[int, str]
    code: dict[str, int]

    def decode(self, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """`rows` of `columns` with the numbers of the text columns turned into their text."""
        text = [c in _DECISION_TEXTS for c in columns]
        return [
            tuple(self.text[v] if t and v is not None else v
                  for t, v in zip(text, row, strict=True))
            for row in rows
        ]  # fmt: skip


def _where(
    asked: dict[str, str | None],
    levels: Sequence[str],
    year: int | None,
    stored: Callable[[str], object | None],
) -> tuple[str, list[object]] | None:
    """The SQL condition for the `asked` texts (None: any), one of `levels` and the year
    (None: any), on the values `stored` for each text (the text itself, or a file's number
    for it); None when a text asked for is not stored at all: no row can match."""
    codes = [code for code in map(stored, levels) if code is not None]
    if not codes:
        return None
    conditions, params = ["list_contains(?, dec_level)"], list[object]([codes])
    for column, text in asked.items():
        if text is None:
            continue
        if (code := stored(text)) is None:
            return None
        conditions.append(f"{column} = ?")
        params.append(code)
    if year is not None:
        conditions.append("year = ?")
        params.append(year)
    return " AND ".join(conditions), params


def _published(codes: dict[str, str], code: str) -> list[str]:
    """The publisher's codes that the view `eurostat_<dataset>` shows as `code`: those
    translated to it, and the code itself unless it is translated to another."""
    return [e for e, c in codes.items() if c == code] + ([code] if code not in codes else [])


def _decision_order(row: UnhcrDecision) -> tuple[object, ...]:
    """The order the rates read the decisions in: year, asylum, procedure type, level
    (a missing procedure type last, as DuckDB orders NULL), then file."""
    return (row.year, row.asylum, row.procedure_type is None, row.procedure_type or "",
            row.dec_level, row.provenance_id)  # fmt: skip


def _eurostat_order(row: EurostatDecision) -> tuple[object, ...]:
    """Year, country of asylum, decision (a missing one last), then file."""
    return (row.year, row.asylum, row.decision is None, row.decision or "", row.provenance_id)


class StatsStore:
    """A read-only connection to the statistics database, safe to share between threads."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self._con = con
        self.path = path
        self._lock = threading.Lock()
        self._levels: dict[tuple[str, int, str], frozenset[str]] | None = None
        self._all_years: dict[str, list[int]] | None = None
        self._provenance: dict[int, Provenance] | None = None
        self._texts: dict[int, _FileTexts] | None = None
        self._text_decisions: bool | None = None
        self._codes: dict[str, str] | None = None

    # -- plumbing -------------------------------------------------------------------------

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> StatsStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            cursor = self._con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._cursor() as cur:
            return cur.execute(sql, list(params)).fetchall()

    # -- questions ------------------------------------------------------------------------

    def build_info(self) -> dict[str, str]:
        """How and when the database was built (schema, fingerprint, mode, versions)."""
        return dict(self._rows("SELECT key, value FROM build_info ORDER BY key"))

    def unhcr_decisions(
        self,
        origin: str,
        year: int | None = None,
        asylum: str | None = None,
        levels: Sequence[str] = FIRST_INSTANCE_LEVELS,
    ) -> list[UnhcrDecision]:
        """UNHCR decision rows for one origin at the given decision levels, ordered by year,
        asylum, procedure type and level."""
        asked = {"origin": origin, "asylum": asylum}
        rows = self._decision_rows(_DECISION_COLUMNS, asked, levels, year)
        found = [
            UnhcrDecision(y, o, a, p, lvl, pc, rec or 0, comp or 0, rej or 0, cl or 0, pid)
            for y, o, a, p, lvl, pc, rec, comp, rej, cl, pid in rows
        ]
        return sorted(found, key=_decision_order)

    def _decision_rows(
        self,
        columns: Sequence[str],
        asked: dict[str, str | None],
        levels: Sequence[str],
        year: int | None = None,
        *,
        distinct: bool = False,
    ) -> list[tuple[Any, ...]]:
        """`columns` of the decision rows with the `asked` texts (None: any), one of
        `levels` and, if given, that year: from the coded rows of each file, their
        numbers turned back into text, and from the rows stored as text."""
        select = f"SELECT {'DISTINCT ' if distinct else ''}{', '.join(columns)}"
        rows: list[tuple[Any, ...]] = []
        for pid, texts in self._decision_texts().items():
            where = _where(asked, levels, year, texts.code.get)
            if where is not None:
                sql, params = where
                sql = f"{select} FROM unhcr_decisions_coded WHERE provenance_id = ? AND {sql}"
                rows += texts.decode(columns, self._rows(sql, [pid, *params]))
        where = _where(asked, levels, year, str)
        if where is not None and self._has_text_decisions():
            rows += self._rows(f"{select} FROM unhcr_decisions_rows WHERE {where[0]}", where[1])
        return rows

    def _decision_texts(self) -> dict[int, _FileTexts]:
        """The texts of each file of coded decisions, by provenance id (read once)."""
        if self._texts is None:
            rows = self._rows(
                "SELECT provenance_id, code, text FROM text_values WHERE provenance_id IN "
                "(SELECT id FROM provenance WHERE adapter = 'unhcr_decisions') ORDER BY ALL"
            )
            texts: dict[int, _FileTexts] = {}
            for pid, code, text in rows:
                file = texts.setdefault(pid, _FileTexts({}, {}))
                file.text[code] = text
                file.code[text] = code
            self._texts = texts
        return self._texts

    def _has_text_decisions(self) -> bool:
        """Whether any decisions are stored as text (files DuckDB's reader loaded)."""
        if self._text_decisions is None:
            self._text_decisions = bool(self._rows("SELECT 1 FROM unhcr_decisions_rows LIMIT 1"))
        return self._text_decisions

    def unhcr_levels(self) -> dict[tuple[str, int, str], frozenset[str]]:
        """Decision levels each country of asylum reported, per (asylum, year, procedure type)."""
        if self._levels is None:
            rows = self._rows("SELECT asylum, year, procedure_type, levels FROM unhcr_levels")
            self._levels = {(a, y, p): frozenset(levels) for a, y, p, levels in rows}
        return self._levels

    def eurostat_decisions(
        self, origin: str, year: int | None = None, asylum: str | None = None
    ) -> list[EurostatDecision]:
        """Eurostat first-instance decisions for one citizenship, all sexes and ages, ordered
        by year, country of asylum and decision.

        What the view `eurostat_asydcfsta` gives, asked of the rows as published: the
        origin and asylum become the publisher's codes for them (RU for RUS), so that
        DuckDB reads only that citizenship's rows, and the rows found are translated back.
        """
        codes = self._eurostat_codes()
        citizens = _published(codes, origin)
        sql = (
            "SELECT year, citizen, geo, category, value, flag, provenance_id "
            "FROM eurostat_asydcfsta_raw WHERE list_contains(?, citizen) "
            "AND coalesce(sex, 'T') = 'T' AND coalesce(age, 'TOTAL') = 'TOTAL' AND extra IS NULL"
        )
        params: list[object] = [citizens]
        if year is not None:
            sql += " AND year = ?"
            params.append(year)
        if asylum is not None:
            sql += " AND list_contains(?, geo)"
            params.append(_published(codes, asylum))
        found = [
            EurostatDecision(y, codes.get(c, c), codes.get(g, g), k, v, f, pid)
            for y, c, g, k, v, f, pid in self._rows(sql, params)
        ]
        return sorted(found, key=_eurostat_order)

    def _eurostat_codes(self) -> dict[str, str]:
        """Eurostat's geo and citizen codes to the store's (`eurostat_codes`, read once)."""
        if self._codes is None:
            self._codes = dict(self._rows("SELECT eurostat, code FROM eurostat_codes"))
        return self._codes

    def decision_years(self, origin: str | None = None) -> dict[str, list[int]]:
        """Years with first-instance decisions, per source (for one origin, or any)."""
        if origin is None and self._all_years is not None:
            return self._all_years
        found = self._decision_rows(["year"], {"origin": origin}, FIRST_INSTANCE_LEVELS,
                                    distinct=True)  # fmt: skip
        unhcr = sorted({y for (y,) in found})
        # as in `eurostat_decisions`: the publisher's codes for the origin, not the view
        where_e, params = ("WHERE list_contains(?, citizen)", [
            _published(self._eurostat_codes(), origin)]) if origin else ("", [])  # fmt: skip
        eurostat = self._rows(
            f"SELECT DISTINCT year FROM eurostat_asydcfsta_raw {where_e} ORDER BY year", params
        )
        years = {"UNHCR": unhcr, "Eurostat": [y for (y,) in eurostat]}
        if origin is None:
            self._all_years = years
        return years

    def provenance(self, ids: Sequence[int] | None = None) -> list[Provenance]:
        """Provenance records (all, or the given ids), in load order (read once, then cached)."""
        if self._provenance is None:
            rows = self._rows(
                "SELECT id, publisher, dataset, title, file_name, sha256, retrieved_at, licence, "
                "release, url, note, format, rows_loaded, rows_skipped FROM provenance ORDER BY id"
            )
            self._provenance = {row[0]: Provenance(*row) for row in rows}
        wanted = self._provenance.keys() if ids is None else set(ids)
        return [self._provenance[i] for i in sorted(wanted) if i in self._provenance]

    def problems(self) -> list[Problem]:
        """Every problem the build reported, by file."""
        rows = self._rows("SELECT provenance_id, line, problem FROM problems ORDER BY 1, 2")
        return [Problem(*row) for row in rows]


def open_store(path: Path, read_only: bool = True) -> StatsStore:
    """Open the statistics database; a clear error if it was never built or is outdated."""
    if not path.exists():
        raise NoData(f"the statistics database {path} does not exist yet: run `azyl build`")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise NoData(f"cannot open the statistics database {path}: {exc}") from None
    try:
        row = con.execute("SELECT value FROM build_info WHERE key = 'schema_version'").fetchone()
    except duckdb.Error:
        row = None
    if row is None or row[0] != SCHEMA_VERSION:
        con.close()
        raise NoData(f"the statistics database {path} was built by another azyl version: "
                     "run `azyl build` to rebuild it")  # fmt: skip
    return StatsStore(con, path)
