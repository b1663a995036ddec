"""Source adapters: the mirror files they name, and downloads through a mock transport."""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

import httpx
import pytest

from azyl.sources import ADAPTERS, Format, source_files
from azyl.sources.fetch import DownloadError
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
    files = source_files(mirror_dir, False, tmp_path)
    assert {f.adapter for f in files} == {a.key for a in ADAPTERS}
    for f in files:
        relative = f.path.relative_to(mirror_dir).as_posix()
        assert sha256_of(f.path) == listed[relative], relative


def _handler(request: httpx.Request) -> httpx.Response:
    """Replays recorded publisher answers; fails the test on any other request."""
    if request.url.host == "api.unhcr.org":
        assert request.url.params["coo_all"] == "true"
        assert request.url.params["coa_all"] == "true"
        if "asylum-decisions" in request.url.path:
            page = request.url.params["page"]
            body = (RAW / f"unhcr_asylum_decisions_page{page}.json").read_bytes()
            return httpx.Response(200, content=body, headers={"content-type": "application/json"})
        return httpx.Response(200, json={"page": 1, "maxPages": 1, "items": []})
    if request.url.host == "ec.europa.eu":
        assert request.url.params["format"] == "TSV"
        return httpx.Response(200, content=(RAW / "migr_asydcfsta_extract.tsv.gz").read_bytes())
    raise AssertionError(f"unexpected request to {request.url}")


def test_online_download_writes_unhcr_pages_in_the_mirror_layout(tmp_path: Path) -> None:
    files = source_files(None, True, tmp_path, transport=httpx.MockTransport(_handler))
    decisions = next(f for f in files if f.adapter == "unhcr_decisions")
    assert decisions.format is Format.UNHCR_CSV
    assert decisions.url.startswith("https://api.unhcr.org/population/v1/asylum-decisions/")
    with gzip.open(decisions.path, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 1 + 3  # two items on page 1, one on page 2
    germany = next(r for r in rows[1:] if r[6] == "DEU")
    assert germany[8] == "NA"  # the decision level "new applications", not a missing value
    assert germany[13] == ""  # the API's "-" becomes an empty (missing) cell


def test_online_download_saves_eurostat_bulk_tsv_per_dataset(tmp_path: Path) -> None:
    files = source_files(None, True, tmp_path, transport=httpx.MockTransport(_handler))
    tsv = [f for f in files if f.publisher == "Eurostat"]
    assert {f.dataset for f in tsv} == {
        "migr_asyappctza", "migr_asydcfsta", "migr_eirtn", "migr_eirfs",
    }  # fmt: skip
    assert all(f.format is Format.EUROSTAT_TSV and f.path.exists() for f in tsv)
    assert all("format=TSV" in f.url for f in tsv)


def test_a_publisher_error_is_a_one_line_download_error(tmp_path: Path) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(503))
    with pytest.raises(DownloadError) as caught:
        source_files(None, True, tmp_path, transport=transport)
    assert "503" in caught.value.message and "\n" not in caught.value.message
    assert not list(tmp_path.rglob("*.part"))
