"""The build: provenance on every row, idempotence, atomicity, bad lines and missing data."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import httpx
import pytest

from azyl.config import Settings, load_settings
from azyl.store import build, build_statistics, open_store
from azyl.store.queries import StatsStore

RAW = Path(__file__).resolve().parent / "fixtures" / "raw"
DECISIONS = "unhcr/PopulationStatistics_refugees/asylum_decisions.derived.csv.gz"
EIRFS = "eurostat/dw-data_quantify-europe_asylum-seekers/migr_eirfs_Data_allcitizenships.csv.gz"
TABLES = (
    "unhcr_decisions", "unhcr_applications", "eurostat_asydcfsta", "eurostat_eirtn",
    "eurostat_eirfs",
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
    built_settings: Settings, raw_unhcr_decisions: list[dict[str, str]]
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


def test_refusals_of_entry_are_the_published_figures(store: StatsStore, mirror_dir: Path) -> None:
    """Poland's refusals of Russian citizens, read here with the csv module from the export."""
    with gzip.open(mirror_dir / EIRFS, "rt", encoding="latin-1", newline="") as handle:
        expected = {
            int(r["TIME"]): int(r["Value"].replace(",", ""))
            for r in csv.DictReader(handle)
            if r["GEO"] == "Poland" and r["CITIZEN"] == "Russia" and r["REASON"] == "Total"
        }
    found = {f.year: f.value for f in store.border_figures("eirfs", "RUS", "POL")}
    assert found == expected and len(expected) == 5


def _small_mirror(tmp_path: Path, decisions: Path, online: str = "no") -> Settings:
    """A mirror holding only the UNHCR decisions file (the other datasets are missing)."""
    mirror = tmp_path / "mirror"
    target = mirror / DECISIONS
    target.parent.mkdir(parents=True)
    shutil.copyfile(decisions, target)
    return load_settings(
        {
            "AZYL_DATA_DIR": str(tmp_path / "data"),
            "AZYL_MIRROR_DIR": str(mirror),
            "AZYL_ONLINE": online,
            "HOME": str(tmp_path),
        }
    )


def test_a_second_build_changes_nothing(tmp_path: Path, mirror_dir: Path) -> None:
    settings = _small_mirror(tmp_path, mirror_dir / DECISIONS)
    first = build_statistics(settings, progress=False)
    assert first.changed and first.rows > 0
    before = build.sha256_of(settings.stats_db_path)
    second = build_statistics(settings, progress=False)
    assert not second.changed
    assert build.sha256_of(settings.stats_db_path) == before


def test_a_changed_input_is_rebuilt(tmp_path: Path, mirror_dir: Path) -> None:
    settings = _small_mirror(tmp_path, mirror_dir / DECISIONS)
    build_statistics(settings, progress=False)
    path = tmp_path / "mirror" / DECISIONS
    with gzip.open(path, "rb") as handle:
        lines = handle.read().splitlines(keepends=True)
    with gzip.open(path, "wb") as handle:
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
    before = build.sha256_of(settings.stats_db_path)

    def explode(*args: object) -> None:
        raise KeyboardInterrupt  # as if the user pressed Ctrl+C in the middle of a file

    monkeypatch.setattr(build, "load_file", explode)
    with pytest.raises(KeyboardInterrupt):
        build_statistics(settings, progress=False, force=True)
    assert build.sha256_of(settings.stats_db_path) == before
    with open_store(settings.stats_db_path) as opened:
        assert opened.unhcr_decisions("RUS", 2016) == expected
    assert [p.name for p in settings.stats_db_path.parent.iterdir() if "building" in p.name] == []


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
    lines = sorted(p.line for p in report.problems if p.line)
    assert lines == [4, 5, 7, 8]
    with open_store(settings.stats_db_path) as opened:
        assert len(opened.problems()) == len(report.problems)


def test_datasets_no_mirror_holds_are_reported_missing_and_recorded(
    tmp_path: Path, mirror_dir: Path
) -> None:
    settings = _small_mirror(tmp_path, mirror_dir / DECISIONS)
    report = build_statistics(settings, progress=False)
    assert {m.adapter for m in report.missing} == {
        "unhcr_applications", "eurostat_asydcfsta", "eurostat_eirtn", "eurostat_eirfs",
    }  # fmt: skip
    assert all("AZYL_ONLINE=no" in m.reason for m in report.missing)
    advice = report.missing_lines()
    assert "AZYL_MIRROR_DIR" in advice[-1] and len(advice) == 5
    with open_store(settings.stats_db_path) as opened:
        assert {adapter for adapter, _, _ in opened.missing()} == {
            m.adapter for m in report.missing
        }
        assert opened.border_figures("eirfs", "RUS") == []  # an empty table, not an error


def test_without_mirror_and_downloads_nothing_is_built_and_everything_is_missing(
    tmp_path: Path,
) -> None:
    settings = load_settings(
        {"AZYL_DATA_DIR": str(tmp_path), "AZYL_MIRROR_DIR": str(tmp_path / "none"),
         "AZYL_ONLINE": "no", "HOME": str(tmp_path)}
    )  # fmt: skip
    report = build_statistics(settings, progress=False)
    assert not report.changed and report.files == ()
    assert len(report.missing) == 5
    assert "no statistics" in report.summary()
    assert not settings.stats_db_path.exists()


# -- downloads, replayed ------------------------------------------------------------------------


class Publisher:
    """Replays recorded publisher answers and records what was asked; nothing goes online."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.host == "api.unhcr.org":
            if "asylum-decisions" in request.url.path:
                page = request.url.params["page"]
                body = (RAW / f"unhcr_asylum_decisions_page{page}.json").read_bytes()
                return httpx.Response(200, content=body)
            return httpx.Response(200, json={"page": 1, "maxPages": 1, "items": []})
        if request.url.host == "ec.europa.eu":
            data = (RAW / "migr_asydcfsta_extract.tsv.gz").read_bytes()
            start = int(request.headers.get("range", "bytes=0-")[6:].rstrip("-") or 0)
            status = 206 if start else 200
            return httpx.Response(status, content=data[start:])
        raise AssertionError(f"unexpected request to {request.url}")


def _online(tmp_path: Path) -> Settings:
    return load_settings(
        {"AZYL_DATA_DIR": str(tmp_path / "data"), "AZYL_MIRROR_DIR": str(tmp_path / "none"),
         "AZYL_ONLINE": "yes", "HOME": str(tmp_path)}
    )  # fmt: skip


def test_without_a_mirror_the_publishers_files_are_downloaded_with_their_provenance(
    tmp_path: Path,
) -> None:
    settings = _online(tmp_path)
    publisher = Publisher()
    report = build_statistics(settings, progress=False, transport=httpx.MockTransport(publisher))
    assert report.missing == () and len(report.downloaded) == 5
    decisions = settings.downloads_dir / "unhcr" / "asylum_decisions.csv.gz"
    record = json.loads(decisions.with_name(decisions.name + ".provenance.json").read_text())
    assert record["url"].startswith("https://api.unhcr.org/population/v1/asylum-decisions/")
    with open_store(settings.stats_db_path) as opened:
        rows = opened.unhcr_decisions("RUS", 2023)
        pages = [json.loads((RAW / f"unhcr_asylum_decisions_page{n}.json").read_text())
                 for n in (1, 2)]  # fmt: skip
        assert {r.asylum for r in rows} == {i["coa_iso"] for p in pages for i in p["items"]}
        (source,) = opened.provenance([rows[0].provenance_id])
        assert source.retrieved_at == record["retrieved_at"] and source.url == record["url"]
        assert source.sha256 == build.sha256_of(decisions)
        germany = {d.decision: d.value for d in opened.eurostat_decisions("RUS", 2022, "DEU")}
        assert germany["SUB_PROT"] == 30  # the extract's "SUB_PROT,DE ... 30" cell
    # Offline afterwards, the downloads are used as they are: nothing is asked again.
    offline = settings.model_copy(update={"online": False})
    again = build_statistics(offline, progress=False, transport=httpx.MockTransport(publisher))
    assert again.missing == () and not again.changed


def test_an_interrupted_download_resumes_where_it_stopped(tmp_path: Path) -> None:
    settings = _online(tmp_path)
    tsv = settings.downloads_dir / "eurostat" / "migr_asydcfsta.tsv.gz"
    tsv.parent.mkdir(parents=True)
    data = (RAW / "migr_asydcfsta_extract.tsv.gz").read_bytes()
    tsv.with_name(tsv.name + ".part").write_bytes(data[:100])
    publisher = Publisher()
    build_statistics(settings, progress=False, transport=httpx.MockTransport(publisher))
    asked = [r for r in publisher.requests if "migr_asydcfsta" in r.url.path]
    assert asked[0].headers["range"] == "bytes=100-"
    assert tsv.read_bytes() == data and not tsv.with_name(tsv.name + ".part").exists()


def test_an_unreachable_publisher_is_asked_once_and_the_build_goes_on(tmp_path: Path) -> None:
    settings = _online(tmp_path)
    asked: list[httpx.Request] = []

    def offline(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    report = build_statistics(settings, progress=False, transport=httpx.MockTransport(offline))
    assert len(asked) == 1 and len(report.missing) == 5
    assert all("could not reach api.unhcr.org" in m.reason for m in report.missing)
    assert not list(settings.downloads_dir.rglob("*.gz"))


def test_an_unknown_group_is_one_problem_per_file_with_its_count(
    store: StatsStore, mirror_dir: Path
) -> None:
    """'Oceania' is a label of the old exports that is no country: its rows are skipped, and
    the report says so once per file, with how many lines it cost (counted here with csv)."""
    with gzip.open(mirror_dir / EIRFS, "rt", encoding="latin-1", newline="") as handle:
        lines = [n for n, r in enumerate(csv.reader(handle), start=1) if "Oceania" in r]
    found = [p for p in store.problems() if "'Oceania'" in p.problem and p.line == lines[0]]
    assert len(found) == 1
    assert f"{len(lines)} lines skipped, the first on line {lines[0]}" in found[0].problem
