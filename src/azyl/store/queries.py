"""Read access to the statistics store: typed records out, no SQL outside this module.

`StatsStore` answers the few questions `azyl.stats`, the web app and screening
ask (the decisions for one origin, which decision levels a country reported,
applications, refusals of entry and returns, where a figure came from). It
returns frozen records, so the statistics functions stay pure and can be
tested without a database.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from azyl.errors import NoData
from azyl.store.schema import SCHEMA_VERSION

#: UNHCR decision levels that can stand for "first instance", in order of preference.
FIRST_INSTANCE_LEVELS = ("FI", "NA", "FA")
#: Eurostat rows that are totals over sex and age, with no other dimension split out.
_EUROSTAT_TOTALS = "coalesce(sex, 'T') = 'T' AND coalesce(age, 'TOTAL') = 'TOTAL' AND extra IS NULL"


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
class Applications:
    """UNHCR: applications lodged by nationals of `origin` in `asylum` in one year."""

    year: int
    origin: str
    asylum: str
    applied: int
    provenance_id: int


@dataclass(frozen=True)
class BorderFigure:
    """A Eurostat enforcement figure: refusals of entry (`migr_eirfs`) or returns
    (`migr_eirtn`) of nationals of `origin` by `asylum` (the reporting state)."""

    dataset: str
    year: int
    origin: str
    asylum: str
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


class StatsStore:
    """A read-only connection to the statistics database, safe to share between threads."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self._con = con
        self.path = path
        self._lock = threading.Lock()
        self._levels: dict[tuple[str, int, str], frozenset[str]] | None = None
        self._all_years: dict[str, list[int]] | None = None
        self._provenance: dict[int, Provenance] | None = None

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
        """How and when the database was built (schema, fingerprint, versions)."""
        return dict(self._rows("SELECT key, value FROM build_info ORDER BY key"))

    def missing(self) -> list[tuple[str, str, str]]:
        """The datasets the build could not find: (adapter, title, reason)."""
        raw = self.build_info().get("missing", "[]")
        return [(str(a), str(t), str(r)) for a, t, r in json.loads(raw)]

    def unhcr_decisions(
        self,
        origin: str,
        year: int | None = None,
        asylum: str | None = None,
        levels: Sequence[str] = FIRST_INSTANCE_LEVELS,
    ) -> list[UnhcrDecision]:
        """UNHCR decision rows for one origin at the given decision levels, ordered by year,
        asylum, procedure type and level."""
        sql = (
            "SELECT year, origin, asylum, procedure_type, dec_level, dec_pc, "
            "coalesce(recognized, 0), coalesce(complementary, 0), coalesce(rejected, 0), "
            "coalesce(closed, 0), provenance_id FROM unhcr_decisions "
            "WHERE origin = ? AND list_contains(?, dec_level)"
        )
        params: list[object] = [origin, list(levels)]
        if year is not None:
            sql += " AND year = ?"
            params.append(year)
        if asylum is not None:
            sql += " AND asylum = ?"
            params.append(asylum)
        sql += " ORDER BY year, asylum, procedure_type NULLS LAST, dec_level, provenance_id"
        return [UnhcrDecision(*row) for row in self._rows(sql, params)]

    def unhcr_levels(self) -> dict[tuple[str, int, str], frozenset[str]]:
        """Decision levels each country of asylum reported, per (asylum, year, procedure type)."""
        if self._levels is None:
            rows = self._rows(
                "SELECT asylum, year, procedure_type, list(DISTINCT dec_level) "
                "FROM unhcr_decisions WHERE dec_level IS NOT NULL GROUP BY ALL"
            )
            self._levels = {(a, y, p): frozenset(levels) for a, y, p, levels in rows}
        return self._levels

    def eurostat_decisions(
        self, origin: str, year: int | None = None, asylum: str | None = None
    ) -> list[EurostatDecision]:
        """Eurostat first-instance decisions for one citizenship, all sexes and ages, ordered
        by year, country of asylum and decision."""
        sql = (
            "SELECT year, citizen, geo, category, value, flag, provenance_id "
            f"FROM eurostat_asydcfsta WHERE citizen = ? AND {_EUROSTAT_TOTALS}"
        )
        params: list[object] = [origin]
        if year is not None:
            sql += " AND year = ?"
            params.append(year)
        if asylum is not None:
            sql += " AND geo = ?"
            params.append(asylum)
        sql += " ORDER BY year, geo, category NULLS LAST, provenance_id"
        return [EurostatDecision(*row) for row in self._rows(sql, params)]

    def decision_years(self, origin: str | None = None) -> dict[str, list[int]]:
        """Years with first-instance decisions, per source (for one origin, or any)."""
        if origin is None and self._all_years is not None:
            return self._all_years
        where_u, where_e, params = "", "", []
        if origin is not None:
            where_u, where_e, params = "AND origin = ?", "WHERE citizen = ?", [origin]
        unhcr = self._rows(
            "SELECT DISTINCT year FROM unhcr_decisions WHERE list_contains(?, dec_level) "
            f"{where_u} ORDER BY year",
            [list(FIRST_INSTANCE_LEVELS), *params],
        )
        eurostat = self._rows(
            f"SELECT DISTINCT year FROM eurostat_asydcfsta {where_e} ORDER BY year", params
        )
        years = {"UNHCR": [y for (y,) in unhcr], "Eurostat": [y for (y,) in eurostat]}
        if origin is None:
            self._all_years = years
        return years

    def applications(self, origin: str, asylum: str | None = None) -> list[Applications]:
        """UNHCR: applications by nationals of `origin` per country of asylum and year
        (all procedure types and application types added up), ordered by year and asylum."""
        sql = (
            "SELECT year, origin, asylum, sum(coalesce(applied, 0))::BIGINT, "
            "min(provenance_id) FROM unhcr_applications WHERE origin = ?"
        )
        params: list[object] = [origin]
        if asylum is not None:
            sql += " AND asylum = ?"
            params.append(asylum)
        sql += " GROUP BY year, origin, asylum ORDER BY year, asylum"
        return [Applications(*row) for row in self._rows(sql, params)]

    def unhcr_small_counts(self) -> dict[str, int]:
        """How small counts appear in UNHCR's decision cells (recognized, complementary,
        rejected): cells of 1 to 4, cells of exactly 5, and all non-zero cells; and the
        same three for `recognized` alone (azyl's About page reports them)."""
        columns = ("recognized", "complementary", "rejected")
        parts = []
        for name in columns:
            parts += [
                f"count(*) FILTER (WHERE {name} BETWEEN 1 AND 4)",
                f"count(*) FILTER (WHERE {name} = 5)",
                f"count(*) FILTER (WHERE {name} > 0)",
            ]
        (row,) = self._rows(f"SELECT {', '.join(parts)} FROM unhcr_decisions")
        small = sum(row[0::3])
        return {
            "one_to_four": int(small),
            "five": int(sum(row[1::3])),
            "nonzero": int(sum(row[2::3])),
            "recognized_five": int(row[1]),
            "recognized_nonzero": int(row[2]),
        }

    def asylum_countries(self, origins: Sequence[str]) -> dict[str, int]:
        """Countries of asylum that decided or received claims of nationals of `origins`:
        code -> first-instance decisions over all years (0 when only applications)."""
        rows = self._rows(
            "SELECT asylum, sum(CASE WHEN list_contains(?, dec_level) THEN coalesce(recognized, 0)"
            " + coalesce(complementary, 0) + coalesce(rejected, 0) ELSE 0 END)::BIGINT "
            "FROM unhcr_decisions WHERE list_contains(?, origin) GROUP BY asylum "
            "UNION ALL SELECT DISTINCT asylum, 0 FROM unhcr_applications "
            "WHERE list_contains(?, origin) AND applied > 0",
            [list(FIRST_INSTANCE_LEVELS), list(origins), list(origins)],
        )
        found: dict[str, int] = {}
        for code, decisions in rows:
            found[code] = found.get(code, 0) + int(decisions)
        return found

    def border_figures(
        self, dataset: str, origin: str, asylum: str | None = None
    ) -> list[BorderFigure]:
        """Refusals of entry (`eirfs`) or returns (`eirtn`) of nationals of `origin`,
        totals only, ordered by year and reporting state."""
        table = {"eirfs": "eurostat_eirfs", "eirtn": "eurostat_eirtn"}[dataset]
        sql = (
            f"SELECT '{dataset}', year, citizen, geo, value, flag, provenance_id FROM {table} "
            f"WHERE citizen = ? AND {_EUROSTAT_TOTALS} AND coalesce(category, 'TOTAL') = 'TOTAL'"
        )
        params: list[object] = [origin]
        if asylum is not None:
            sql += " AND geo = ?"
            params.append(asylum)
        # Two downloads of one export overlap: one figure per year and state, the first file's.
        sql += " QUALIFY row_number() OVER (PARTITION BY year, geo ORDER BY provenance_id) = 1"
        sql += " ORDER BY year, geo"
        return [BorderFigure(*row) for row in self._rows(sql, params)]

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
        raise NoData(
            f"the statistics database {path} was built by another azyl version: "
            "run `azyl build` to rebuild it"
        )
    return StatsStore(con, path)
