"""The fast readers of the small files store exactly what DuckDB's reader stores.

Each format is loaded twice into fresh stores, once by its fast reader and once
with the fast reader turned off (DuckDB's general CSV reader, which also names bad
lines), and every table and report is compared. The real mirror is compared too,
with the compiled splitter and with its numpy twin.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from azyl.config import Settings, load_settings
from azyl.sources import adapter_for
from azyl.sources.base import Format, MirrorEntry, SourceFile
from azyl.store import build_statistics, loaders, open_store
from azyl.store.load_unhcr import _row_order
from azyl.store.loaders import LoadResult, fill_code_table, load_file, read_ahead
from azyl.store.schema import DDL

RAW = Path(__file__).resolve().parent / "fixtures" / "raw"

UNHCR = (
    "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,dec_level,dec_pc,"
    "dec_recognized,dec_other,dec_rejected,dec_closed,dec_total\n"
    "2016,Russian Federation,RUS,RUS,Austria,AUS,AUT,G,FA,P,460,92,359,181,1092\n"
    '2016,"Korea, Republic of",ROK,KOR,Germany,GFR,DEU,G,NA,P,323,,5458,5004,11036\n'
    "2015,Russian Federation,RUS,RUS,Germany,GFR,DEU,,NA,C,1,2,3,4,10\n"
    '2016,Namibia,NAM,NAM,Germany,GFR,DEU,"G",NA,P,0,0,5,0,5\n'
    "2014,Russian Federation,RUS,RUS,France,FRA,FRA,G,FI,P,5,19,11,0,35\n"
)


def _source(adapter: str, path: Path, fmt: Format, encoding: str = "utf-8") -> SourceFile:
    entry = MirrorEntry(path.name, fmt, "test extract", "2026-01-01", "file://test", encoding)
    return adapter_for(adapter).source_file(path, entry)


@contextlib.contextmanager
def _store() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect()
    for statement in DDL:
        con.execute(statement)
    fill_code_table(con)
    try:
        yield con
    finally:
        con.close()


def _load_both(
    source: SourceFile, monkeypatch: pytest.MonkeyPatch
) -> tuple[LoadResult, LoadResult, dict[str, list[tuple[object, ...]]]]:
    """Load `source` fast and through DuckDB; the two results and the tables that differ."""
    adapter = adapter_for(source.adapter)
    assert read_ahead(source, adapter) is not None, "the fast reader declined the file"
    tables: list[dict[str, list[tuple[object, ...]]]] = []
    results = []
    for fast in (True, False):
        with monkeypatch.context() as patch, _store() as con:
            if not fast:
                patch.delitem(loaders._FAST, source.format)
            results.append(load_file(con, source, adapter, 1))
            tables.append({t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                           for t in _relations(con)})  # fmt: skip
    differ = {t: rows for t, rows in tables[0].items() if rows != tables[1][t]}
    return results[0], results[1], differ


def _relations(con: duckdb.DuckDBPyConnection, database: str = "memory") -> list[str]:
    """What a store shows: its views, and its tables but those behind a view (a dataset's
    rows as text and coded, and the texts of the coded ones), which differ by reader."""
    where = f"database_name = '{database}'"
    views = con.execute(
        f"SELECT view_name FROM duckdb_views() WHERE NOT internal AND {where}"
    ).fetchall()
    tables = con.execute(f"SELECT table_name FROM duckdb_tables() WHERE {where}").fetchall()
    hidden = [t for (t,) in tables if t.endswith(("_rows", "_coded")) or t == "text_values"]
    return sorted({name for (name,) in [*views, *tables]} - set(hidden))


def _same_result(fast: LoadResult, slow: LoadResult) -> None:
    assert (fast.rows, fast.skipped) == (slow.rows, slow.skipped)
    assert sorted(p.message for p in fast.problems) == sorted(p.message for p in slow.problems)


@given(
    st.lists(
        st.tuples(st.integers(0, 300), st.sampled_from([-1, 0, 1999, 2000, 2025, 10**17])),
        max_size=300,
    )
)
def test_unhcr_rows_are_ordered_as_lexsort_orders_them(rows: list[tuple[int, int]]) -> None:
    """The combined-key sort gives numpy's lexsort order exactly (stable: file order within),
    whether the key fits 16 bits (radix sort), 64 bits, or neither (lexsort itself)."""
    rank = np.array([r for r, _ in rows], dtype=np.int64)
    year = np.array([y for _, y in rows], dtype=np.int64)
    assert _row_order(rank, year).tolist() == np.lexsort((year, rank)).tolist()


@pytest.mark.usefixtures("splitter")
def test_unhcr_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text(UNHCR)
    fast, slow, differ = _load_both(_source("unhcr_decisions", path, Format.UNHCR_CSV), monkeypatch)
    _same_result(fast, slow)
    assert differ == {} and fast.rows == 5


@pytest.mark.usefixtures("splitter")
def test_label_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = (RAW / "migr_eirtn_labels_extract.csv").read_text().splitlines(keepends=True)
    path = tmp_path / "labels.csv"
    path.write_text("".join(line for line in lines if '"five"' not in line))
    source = _source("eurostat_eirtn", path, Format.EUROSTAT_LABELS, "latin-1")
    fast, slow, differ = _load_both(source, monkeypatch)
    _same_result(fast, slow)
    assert differ == {}
    assert (fast.rows, fast.skipped) == (4, 1)
    (problem,) = fast.problems
    assert (problem.line, "Oceania" in problem.problem) == (5, True)


@pytest.mark.usefixtures("splitter")
def test_label_export_with_two_extra_dimensions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        '"TIME","GEO","REASON","CITIZEN","INDIC_MG","PARTNER","UNIT","Value",'
        '"Flag and Footnotes"\n'
        '"2012","Poland","Total","Russia","Refused entry","EU","Person","3,675","d"\n'
        '"2013","Poland","Total","Russia","Refused entry",":","Person",":",""\n'
        '"2013","Greece","Other","Georgia","Returned","EU","Person","12",""\n'
        '":","Greece","Total","Georgia","Returned","EU","Person","12",""\n'
    )
    path = tmp_path / "eirfs.csv"
    path.write_text(text)
    source = _source("eurostat_eirfs", path, Format.EUROSTAT_LABELS)
    fast, slow, differ = _load_both(source, monkeypatch)
    _same_result(fast, slow)
    assert differ == {} and fast.rows == 3
    with _store() as con:
        load_file(con, source, adapter_for("eurostat_eirfs"), 1)
        extras = con.execute("SELECT extra FROM eurostat_eirfs_raw ORDER BY ALL").fetchall()
    assert extras == [("indic_mg=Refused entry;partner=",), ("indic_mg=Refused entry;partner=EU",),
                      ("indic_mg=Returned;partner=EU",)]  # fmt: skip


@pytest.mark.usefixtures("splitter")
def test_sdmx_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = (RAW / "migr_asydcfsta_sdmx_extract.csv").read_text().splitlines(keepends=True)
    path = tmp_path / "sdmx.csv"
    path.write_text("".join(line for line in lines if "2.5.1" not in line)
                    + "ESTAT:MIGR_ASYDCFSTA(1.0),03/06/21 11:00:00,A,PER,QQ,T,TOTAL,"
                    "REJECTED,FR,2019,,\n")  # fmt: skip
    fast, slow, differ = _load_both(
        _source("eurostat_asydcfsta", path, Format.SDMX_CSV), monkeypatch
    )
    _same_result(fast, slow)
    assert differ == {} and fast.rows == 4
    assert any("'QQ'" in p.problem for p in fast.problems)


@pytest.mark.parametrize(
    ("adapter", "name", "fmt", "encoding"),
    [
        ("unhcr_decisions", "unhcr_asylum_decisions_malformed.csv", Format.UNHCR_CSV, "utf-8"),
        ("eurostat_eirtn", "migr_eirtn_labels_extract.csv", Format.EUROSTAT_LABELS, "latin-1"),
        ("eurostat_asydcfsta", "migr_asydcfsta_sdmx_extract.csv", Format.SDMX_CSV, "utf-8"),
    ],
)
@pytest.mark.usefixtures("splitter")
def test_files_with_bad_lines_are_left_to_duckdb(
    adapter: str, name: str, fmt: Format, encoding: str
) -> None:
    assert read_ahead(_source(adapter, RAW / name, fmt, encoding), adapter_for(adapter)) is None


def _built(root: Path, mirror: Path) -> Settings:
    settings = load_settings(
        {"AZYL_DATA_DIR": str(root), "AZYL_MIRROR_DIR": str(mirror), "HOME": str(root)}
    )
    build_statistics(settings, progress=False, force=True)
    return settings


@pytest.mark.slow
@pytest.mark.usefixtures("splitter")
def test_the_real_mirror_is_stored_the_same_by_both_readers(
    tmp_path: Path, mirror_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _built(tmp_path / "fast", mirror_dir)
    with monkeypatch.context() as patch:
        for fmt in (Format.UNHCR_CSV, Format.EUROSTAT_LABELS, Format.SDMX_CSV):
            patch.delitem(loaders._FAST, fmt)
        slow = _built(tmp_path / "slow", mirror_dir)
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{fast.stats_db_path}' AS fast (READ_ONLY)")
        con.execute(f"ATTACH '{slow.stats_db_path}' AS slow (READ_ONLY)")
        tables = _relations(con, "fast")
        assert {"unhcr_decisions", "unhcr_applications", "eurostat_eirtn_raw"} <= set(tables)
        for table in tables:
            columns = "* EXCLUDE (loaded_at)" if table == "provenance" else "*"
            if table == "build_info":
                continue
            for a, b in (("fast", "slow"), ("slow", "fast")):
                (extra,) = con.execute(
                    f"SELECT count(*) FROM (SELECT {columns} FROM {a}.{table} "
                    f"EXCEPT ALL SELECT {columns} FROM {b}.{table})"
                ).fetchone() or (None,)
                assert extra == 0, (table, a)
        # Stored in the order the rates read it: by origin (as text), then year; the texts
        # are numbered in text order, so the origins' numbers go up too (zone maps).
        (stored, unsorted, numbers_down) = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE down), count(*) FILTER (WHERE code_down) "
            "FROM (SELECT (o.text, c.year) < lag((o.text, c.year)) OVER (ORDER BY c.rowid) AS "
            "down, c.origin < lag(c.origin) OVER (ORDER BY c.rowid) AS code_down "
            "FROM fast.unhcr_decisions_coded c JOIN fast.text_values o "
            "ON o.provenance_id = c.provenance_id AND o.code = c.origin)"
        ).fetchone() or (None, None, None)
        assert stored and unsorted == 0 and numbers_down == 0
        held = [con.execute(f"SELECT count(*) FROM {db}.unhcr_decisions_{form}").fetchone()
                for db, form in (("fast", "rows"), ("slow", "coded"))]  # fmt: skip
        assert held == [(0,), (0,)]  # each store answers below from one form only
    _answers_agree(fast, slow)


def _answers_agree(fast: Settings, slow: Settings) -> None:
    """The store's questions get the same answers from decisions stored as numbers (`fast`)
    and as text (`slow`): texts asked for are turned into each file's numbers and back."""
    with open_store(fast.stats_db_path) as one, open_store(slow.stats_db_path) as other:
        assert one.decision_years() == other.decision_years()
        for origin in ("RUS", "TJK", "AZE", "BLR", "NAM", "XXA", "NOWHERE"):
            assert one.decision_years(origin) == other.decision_years(origin)
            for year, asylum in ((None, None), (2016, None), (2023, "FRA"), (None, "DEU")):
                assert one.unhcr_decisions(origin, year, asylum) == other.unhcr_decisions(
                    origin, year, asylum
                )
        levels = ("FI", "NA", "FA", "AR", "RA", "JR")
        everything = one.unhcr_decisions("RUS", levels=levels)
        assert everything == other.unhcr_decisions("RUS", levels=levels)
        assert everything and len({d.dec_level for d in everything}) > 1
        assert one.unhcr_levels() == other.unhcr_levels()
