"""Source adapters: the mirror files they name, and downloads through a mock transport."""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

import httpx
import pytest

from azyl.sources import ADAPTERS, locate, unhcr_api
from azyl.sources.fetch import DownloadError, make_client
from azyl.sources.unhcr_decisions import COLUMNS
from azyl.store.build import sha256_of

RAW = Path(__file__).resolve().parent / "fixtures" / "raw"


def _provenance_digests(mirror: Path) -> dict[str, str]:
    """sha256 of every file as listed in the mirror's PROVENANCE.md files."""
    listed = {}
    for doc in mirror.glob("*/PROVENANCE.md"):
        for line in doc.read_text(encoding="utf-8").splitlines():
            if m := re.fullmatch(r"([0-9a-f]{64})\s+(\S+)", line.strip()):
                listed[f"{doc.parent.name}/{m.group(2)}"] = m.group(1)
    return listed


def test_every_mirror_file_an_adapter_names_matches_its_published_sha256(
    mirror_dir: Path, tmp_path: Path
) -> None:
    listed = _provenance_digests(mirror_dir)
    found = locate(mirror_dir, tmp_path, online=False)
    assert found.missing == []
    assert {f.adapter for f in found.files} == {a.key for a in ADAPTERS}
    for f in found.files:
        assert f.relpath == f.path.relative_to(mirror_dir).as_posix()
        assert sha256_of(f.path) == listed[f.relpath], f.relpath


def test_every_download_is_laid_out_like_a_mirror(tmp_path: Path) -> None:
    """A download folder can serve another machine as its mirror: publisher folders first."""
    for adapter in ADAPTERS:
        top = adapter.download.relpath.split("/", 1)[0]
        assert top == adapter.publisher.lower(), adapter.key
        assert adapter.download.relpath not in {e.relpath for e in adapter.mirror}


def test_a_publisher_error_is_a_missing_dataset_with_a_one_line_reason(tmp_path: Path) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(503))
    found = locate(None, tmp_path, online=True, transport=transport)
    assert found.files == [] and len(found.missing) == len(ADAPTERS)
    assert all("503" in m.reason and "\n" not in m.reason for m in found.missing)
    assert not list(tmp_path.rglob("*.gz"))


def test_a_download_writes_unhcr_pages_in_the_mirror_layout(tmp_path: Path) -> None:
    def replay(request: httpx.Request) -> httpx.Response:
        assert request.url.params["coo_all"] == "true"
        assert request.url.params["coa_all"] == "true"
        page = request.url.params["page"]
        body = (RAW / f"unhcr_asylum_decisions_page{page}.json").read_bytes()
        return httpx.Response(200, content=body)

    dest = tmp_path / "unhcr" / "asylum_decisions.csv.gz"
    with make_client(httpx.MockTransport(replay)) as client:
        url = unhcr_api.fetch_to_csv(client, "asylum-decisions", COLUMNS, dest, year_to=2025)
    assert url.startswith("https://api.unhcr.org/population/v1/asylum-decisions/")
    with gzip.open(dest, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 1 + 3  # two items on page 1, one on page 2
    germany = next(r for r in rows[1:] if r[6] == "DEU")
    assert germany[8] == "NA"  # the decision level "new applications", not a missing value
    assert germany[13] == ""  # the API's "-" becomes an empty (missing) cell


def test_a_cut_off_unhcr_download_resumes_at_the_next_page(tmp_path: Path) -> None:
    asked: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        page = request.url.params["page"]
        asked.append(page)
        if page == "2" and asked.count("2") == 1:
            raise httpx.ReadTimeout("the connection dropped", request=request)
        return httpx.Response(
            200, content=(RAW / f"unhcr_asylum_decisions_page{page}.json").read_bytes()
        )

    dest = tmp_path / "asylum_decisions.csv.gz"
    with make_client(httpx.MockTransport(flaky)) as client:
        with pytest.raises(DownloadError):
            unhcr_api.fetch_to_csv(client, "asylum-decisions", COLUMNS, dest, year_to=2025)
        assert not dest.exists()
        unhcr_api.fetch_to_csv(client, "asylum-decisions", COLUMNS, dest, year_to=2025)
    assert asked == ["1", "2", "2"]
    with gzip.open(dest, "rt", encoding="utf-8", newline="") as handle:
        assert len(list(csv.reader(handle))) == 1 + 3
