"""The build's threads: a failed write inside the shared transaction undoes nothing else."""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import Future
from pathlib import Path

import duckdb
import pytest

from azyl.config import Settings, load_settings
from azyl.sources import adapter_for, source_files
from azyl.store import build, build_statistics, load_labels, schedule
from azyl.store.loaders import read_ahead
from azyl.store.loading import LoadResult, Ready

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


class _Failing:
    """A fast-read file whose write fails inside the shared transaction."""

    def write(self, con: duckdb.DuckDBPyConnection, pid: int) -> LoadResult:
        raise duckdb.ConversionException("a write that fails (test)")


def test_a_failed_write_never_writes_again_what_was_already_committed(
    tmp_path: Path, mirror_dir: Path
) -> None:
    """Files committed before a failure (before a file that DuckDB's reader loads in its
    own transaction) are not written a second time when the batch is redone."""
    settings = _mirror(tmp_path, mirror_dir)
    files = source_files(settings.mirror_dir, False, tmp_path)
    index = {f.path.name: i for i, f in enumerate(files)}
    small, other = index["migr_eirtn_1_Data.csv"], index["migr_eirtn_Data_allcitizens.csv.gz"]
    decisions = index["asylum_decisions.derived.csv.gz"]
    digests = {f.path: build.sha256_of(f.path) for f in files}
    con = build._create(tmp_path / "db.duckdb")
    cursor: Future[duckdb.DuckDBPyConnection] = Future()
    cursor.set_result(con)
    writer = schedule._Writer(schedule._Queue(files, digests, lambda f: None, []), cursor)

    def ready(i: int) -> Ready:
        read = read_ahead(files[i], adapter_for(files[i].adapter))
        assert read is not None
        return read

    writer.write(small, ready(small))
    writer.write(other, None)  # DuckDB's reader: the batch before it is committed first
    writer.write(decisions, ready(decisions))
    writer.write(index["asylum_applications.derived.csv.gz"], _Failing())
    writer.commit()
    counts = dict(con.execute(
        "SELECT provenance_id, count(*) FROM unhcr_decisions GROUP BY ALL UNION ALL "
        "SELECT provenance_id, count(*) FROM eurostat_eirtn_raw GROUP BY ALL"
    ).fetchall())  # fmt: skip
    con.close()
    results = writer._queue.results
    for i in (small, other, decisions):  # each file's rows once, as its report says
        assert counts[i + 1] == results[i].rows > 0
    failed = results[index["asylum_applications.derived.csv.gz"]]
    assert failed.rows == 0 and "a write that fails" in failed.problems[0].problem
