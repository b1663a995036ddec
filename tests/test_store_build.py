"""The build: provenance on every row, idempotence, atomicity, bad lines reported."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from azyl.config import Settings, load_settings
from azyl.store import build, build_statistics, open_store, schedule
from azyl.store.queries import StatsStore

RAW = Path(__file__).resolve().parent / "fixtures" / "raw"
DECISIONS = "unhcr/PopulationStatistics_refugees/asylum_decisions.derived.csv.gz"
TABLES = (
    "unhcr_decisions", "unhcr_applications", "eurostat_asyappctza_raw",
    "eurostat_asydcfsta_raw", "eurostat_eirtn_raw", "eurostat_eirfs_raw",
)  # fmt: skip


def test_every_row_links_to_a_provenance_record_with_its_sha256(built_settings: Settings) -> None:
    with duckdb.connect(str(built_settings.stats_db_path), read_only=True) as con:
        for table in TABLES:
            (orphans,) = con.execute(
                f"SELECT count(*) FROM {table} WHERE provenance_id NOT IN "
                "(SELECT id FROM provenance WHERE length(sha256) = 64)"
            ).fetchone() or (None,)
            assert orphans == 0, table
            (rows,) = con.execute(f"SELECT count(*) FROM {table}").fetchone() or (0,)
            assert rows > 0, table


def test_new_applications_level_and_namibia_survive_ingest(
    store: StatsStore, built_settings: Settings, raw_unhcr_decisions: list[dict[str, str]]
) -> None:
    levels = Counter(r["dec_level"] for r in raw_unhcr_decisions)
    namibia = sum(1 for r in raw_unhcr_decisions if "NAM" in (r["coo_iso"], r["coa_iso"]))
    with duckdb.connect(str(built_settings.stats_db_path), read_only=True) as con:
        stored = dict(
            con.execute("SELECT dec_level, count(*) FROM unhcr_decisions GROUP BY 1").fetchall()
        )
        (nam,) = con.execute(
            "SELECT count(*) FROM unhcr_decisions WHERE 'NAM' IN (origin, asylum)"
        ).fetchone() or (0,)
    assert stored == dict(levels)
    assert levels["NA"] > 0 and nam == namibia > 0


def _small_mirror(tmp_path: Path, decisions: Path) -> Settings:
    """A mirror holding only the UNHCR decisions file (the other files are reported missing)."""
    mirror = tmp_path / "mirror"
    target = mirror / DECISIONS
    target.parent.mkdir(parents=True)
    shutil.copyfile(decisions, target)
    return load_settings(
        {
            "AZYL_DATA_DIR": str(tmp_path / "data"),
            "AZYL_MIRROR_DIR": str(mirror),
            "HOME": str(tmp_path),
        }
    )


def _digest(path: Path) -> str | None:
    return build.sha256_of(path)


def test_a_second_build_changes_nothing(tmp_path: Path, mirror_dir: Path) -> None:
    settings = _small_mirror(tmp_path, mirror_dir / DECISIONS)
    first = build_statistics(settings, progress=False)
    assert first.changed and first.rows > 0
    before = _digest(settings.stats_db_path)
    second = build_statistics(settings, progress=False)
    assert not second.changed
    assert _digest(settings.stats_db_path) == before


def test_a_changed_input_is_rebuilt(tmp_path: Path, mirror_dir: Path) -> None:
    settings = _small_mirror(tmp_path, mirror_dir / DECISIONS)
    build_statistics(settings, progress=False)
    with gzip.open(settings.mirror_dir / DECISIONS, "rb") as handle:  # type: ignore[operator]
        lines = handle.read().splitlines(keepends=True)
    with gzip.open(settings.mirror_dir / DECISIONS, "wb") as handle:  # type: ignore[operator]
        handle.writelines(lines[:1001])
    report = build_statistics(settings, progress=False)
    assert report.changed and report.files[0].rows == 1000


def test_a_failed_build_leaves_the_previous_database_intact(
    tmp_path: Path, mirror_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _small_mirror(tmp_path, mirror_dir / DECISIONS)
    build_statistics(settings, progress=False)
    with open_store(settings.stats_db_path) as opened:
        expected = opened.unhcr_decisions("RUS", 2016)
    before = _digest(settings.stats_db_path)

    def explode(*args: object) -> None:
        raise KeyboardInterrupt  # as if the user pressed Ctrl+C in the middle of a file

    monkeypatch.setattr(schedule, "read_ahead", explode)
    monkeypatch.setattr(schedule, "load_file", explode)
    with pytest.raises(KeyboardInterrupt):
        build_statistics(settings, progress=False, force=True)
    assert _digest(settings.stats_db_path) == before
    with open_store(settings.stats_db_path) as opened:
        assert opened.unhcr_decisions("RUS", 2016) == expected
    leftovers = [p.name for p in settings.stats_db_path.parent.iterdir() if "building" in p.name]
    assert leftovers == []


def test_a_rebuild_leaves_one_database_and_removes_a_killed_builds_leftovers(
    tmp_path: Path, mirror_dir: Path
) -> None:
    settings = _small_mirror(tmp_path, mirror_dir / DECISIONS)
    build_statistics(settings, progress=False)
    folder = settings.stats_db_path.parent
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead = int(gone.stdout)  # a process that has ended
    leftover = folder / f".{settings.stats_db_path.name}.{dead}.1.previous"
    leftover.write_bytes(b"a replaced database a killed build did not get to delete")
    report = build_statistics(settings, progress=False, force=True)
    for thread in threading.enumerate():
        if thread.name == "azyl-previous-db":
            thread.join()
    assert report.changed and not leftover.exists()
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []


def test_malformed_lines_are_reported_by_file_and_line_and_the_rest_is_kept(
    tmp_path: Path,
) -> None:
    compressed = tmp_path / "bad.csv.gz"
    compressed.write_bytes(
        gzip.compress((RAW / "unhcr_asylum_decisions_malformed.csv").read_bytes())
    )
    settings = _small_mirror(tmp_path, compressed)
    report = build_statistics(settings, progress=False)
    decisions = next(f for f in report.files if f.adapter == "unhcr_decisions")
    assert (decisions.rows, decisions.skipped) == (3, 4)
    path = str(settings.mirror_dir / DECISIONS)  # type: ignore[operator]
    lines = sorted(p.line for p in report.problems if p.path == path and p.line)
    assert lines == [4, 5, 7, 8]
    missing = [p for p in report.problems if p.problem == "file not found"]
    assert len(missing) == len(report.files) - 1
    with open_store(settings.stats_db_path) as opened:
        assert len(opened.problems()) == len(report.problems)


def test_eurostat_decisions_answer_what_the_documented_view_holds(
    store: StatsStore, built_settings: Settings
) -> None:
    """The store asks the rows as published (the publisher's codes for the origin) and
    translates them; the view `eurostat_asydcfsta` translates every row first. Same rows."""
    with duckdb.connect(str(built_settings.stats_db_path), read_only=True) as con:
        citizens = [c for (c,) in con.execute(
            "SELECT DISTINCT citizen FROM eurostat_asydcfsta ORDER BY 1").fetchall()]  # fmt: skip
        assert {"GEO", "AFG", "TOTAL"} <= set(citizens)
        compared = 0
        for origin in citizens:
            for year, asylum in ((None, None), (2016, None), (2015, "DEU"), (None, "FRA")):
                sql = (
                    "SELECT year, citizen, geo, category, value, flag, provenance_id "
                    "FROM eurostat_asydcfsta WHERE citizen = ? AND coalesce(sex, 'T') = 'T' "
                    "AND coalesce(age, 'TOTAL') = 'TOTAL' AND extra IS NULL"
                    + (" AND year = ?" if year is not None else "")
                    + (" AND geo = ?" if asylum is not None else "")
                    + " ORDER BY year, geo, category, provenance_id"
                )
                params = [origin, *(p for p in (year, asylum) if p is not None)]
                expected = con.execute(sql, params).fetchall()
                got = store.eurostat_decisions(origin, year, asylum)
                assert [tuple(vars(d).values()) for d in got] == expected, (origin, year, asylum)
                compared += len(expected)
            years = con.execute("SELECT DISTINCT year FROM eurostat_asydcfsta WHERE citizen = ? "
                                "ORDER BY 1", [origin]).fetchall()  # fmt: skip
            assert store.decision_years(origin)["Eurostat"] == [y for (y,) in years], origin
        assert compared > 1000
