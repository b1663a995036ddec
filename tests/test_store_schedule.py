"""The build's threads: a failed write inside the shared transaction undoes nothing else."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from azyl.config import Settings, load_settings
from azyl.store import build, build_statistics, load_labels
from azyl.store.loading import LoadResult

FILES = (
    "unhcr/PopulationStatistics_refugees/asylum_decisions.derived.csv.gz",
    "unhcr/PopulationStatistics_refugees/asylum_applications.derived.csv.gz",
    "eurostat/dw-data_quantify-europe_asylum-seekers/migr_eirtn_Data_allcitizens.csv.gz",
    "eurostat/dw-data_quantify-europe_asylum-seekers/migr_eirtn_1_Data.csv",
)


def _mirror(tmp_path: Path, mirror_dir: Path) -> Settings:
    """A mirror of a few real files: the largest is read ahead, the others queued."""
    mirror = tmp_path / "mirror"
    for name in FILES:
        (mirror / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(mirror_dir / name, mirror / name)
    data, home = str(tmp_path / "data"), str(tmp_path)
    return load_settings({"AZYL_DATA_DIR": data, "AZYL_MIRROR_DIR": str(mirror), "HOME": home})


def _counts(settings: Settings) -> dict[str, int]:
    with duckdb.connect(str(settings.stats_db_path), read_only=True) as con:
        return {
            view: int((con.execute(f"SELECT count(*) FROM {view}").fetchone() or (0,))[0])
            for view in ("unhcr_decisions", "unhcr_applications", "eurostat_eirtn_raw")
        }


@pytest.mark.parametrize("failures", [1, 99])
def test_a_write_failing_in_the_shared_transaction_is_retried_alone(
    tmp_path: Path, mirror_dir: Path, monkeypatch: pytest.MonkeyPatch, failures: int
) -> None:
    settings = _mirror(tmp_path, mirror_dir)
    reference = build_statistics(settings, progress=False)
    expected = _counts(settings)
    write = load_labels.LabelRows.write
    left = {"failures": failures}

    def flaky(self: load_labels.LabelRows, con: duckdb.DuckDBPyConnection, pid: int) -> LoadResult:
        if left["failures"] > 0:
            left["failures"] -= 1
            raise duckdb.ConversionException("a write that fails (test)")
        return write(self, con, pid)

    monkeypatch.setattr(load_labels.LabelRows, "write", flaky)
    report = build_statistics(settings, progress=False, force=True)
    counts = _counts(settings)
    assert counts["unhcr_decisions"] == expected["unhcr_decisions"] > 0
    assert counts["unhcr_applications"] == expected["unhcr_applications"] > 0
    if failures == 1:  # written again on its own, and then it works
        assert counts == expected
        assert [p.problem for p in report.problems] == [p.problem for p in reference.problems]
    else:  # it keeps failing: reported, its rows left out, the others kept
        labels = [f for f in report.files if f.adapter == "eurostat_eirtn"]
        assert all(f.rows == 0 for f in labels)
        assert sum("a write that fails" in p.problem for p in report.problems) == len(labels)
        assert counts["eurostat_eirtn_raw"] == 0


def test_a_database_that_cannot_be_created_stops_the_threads(
    tmp_path: Path, mirror_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _mirror(tmp_path, mirror_dir)

    def refuse(path: Path) -> duckdb.DuckDBPyConnection:
        raise duckdb.IOException("no room left (test)")

    monkeypatch.setattr(build, "_create", refuse)
    before = threading.active_count()
    with pytest.raises(duckdb.IOException):
        build_statistics(settings, progress=False)
    assert threading.active_count() == before  # the readers stopped; none left behind
    assert not settings.stats_db_path.exists()
    assert [p for p in settings.stats_db_path.parent.iterdir() if "building" in p.name] == []
