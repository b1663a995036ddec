"""The knowledge-base page: grouped, filtered, sortable, downloadable; facts read cleanly.

Expected facts come from the YAML files in kb/facts, filtered here by the
definition in azyl/kb/resolver.py's docstring ("a fact concerns state X when X
is its actor or one of its subjects"; Norway is no EU member, so no EU-wide
fact concerns it).
"""

from __future__ import annotations

import csv
import functools
import html
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from azyl import countries
from webtools import client_for

FACTS = Path(__file__).resolve().parent.parent / "kb" / "facts"


@functools.cache
def _facts() -> dict[str, dict[str, Any]]:
    """Every fact file, read once (the tests only read it)."""
    return {
        f"{path.parent.name}.{path.stem}": yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(FACTS.glob("*/*.yaml"))
    }


def _concerning(state: str) -> list[str]:
    """Ids of the facts about `state`, newest first (ties: the larger id first)."""
    kept = [(str(f["valid_from"]), key) for key, f in _facts().items()
            if f["actor"] == state or state in (f.get("subject") or [])]  # fmt: skip
    return [key for _, key in sorted(kept, reverse=True)]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, mirror_dir: Path) -> Iterator[TestClient]:
    from azyl.config import load_settings

    root = tmp_path_factory.mktemp("kb-page")
    settings = load_settings(
        {"AZYL_DATA_DIR": str(root / "data"), "AZYL_MIRROR_DIR": str(mirror_dir),
         "AZYL_ONLINE": "no", "HOME": str(root)}
    )  # fmt: skip
    yield client_for(settings)


def _listed(page: str) -> list[str]:
    return re.findall(r'<li><a href="/kb/facts/([^"]+)">', page)


def test_facts_are_grouped_in_folded_sections_one_per_kind(client: TestClient) -> None:
    expected = _concerning("NOR")
    page = client.get("/kb", params={"state": "NOR"}).text
    kinds = {_facts()[key]["kind"] for key in expected}
    assert page.count('<details class="fact-group"') == len(kinds)
    assert sorted(_listed(page)) == sorted(expected)


def test_downloads_hold_exactly_the_listed_facts_in_their_order(client: TestClient) -> None:
    expected = _concerning("NOR")
    as_csv = client.get("/kb/export.csv", params={"state": "NOR"})
    assert as_csv.status_code == 200
    assert [row["id"] for row in csv.DictReader(io.StringIO(as_csv.text))] == expected
    as_json = client.get("/kb/export.json", params={"state": "NOR"}).json()
    assert [f["id"] for f in as_json["facts"]] == expected
    by_id = client.get("/kb/export.json", params={"state": "NOR", "_sort": "id"}).json()
    assert [f["id"] for f in by_id["facts"]] == sorted(expected)


def test_a_bad_date_is_marked_and_the_state_filter_still_applies(client: TestClient) -> None:
    page = client.get("/kb", params={"state": "NOR", "as_of": "2020-13-45"},
                      headers={"accept": "text/html"})  # fmt: skip
    assert page.status_code == 422
    assert 'id="k-as_of-error"' in page.text
    assert sorted(_listed(page.text)) == sorted(_concerning("NOR"))


def test_applies_to_lists_each_profile_and_nationality_apart(client: TestClient) -> None:
    key, fact = next(
        (k, f) for k, f in _facts().items()
        if len((f.get("applies_to") or {}).get("profiles") or []) >= 2
        and (f.get("applies_to") or {}).get("nationalities")
    )  # fmt: skip
    page = client.get(f"/kb/facts/{key}").text
    block = page[page.index("<dt>Applies to</dt>") :]
    text = html.unescape(re.sub(r"<[^>]+>|\s+", " ", block[: block.index("</dd>")]))
    applies = fact["applies_to"]
    assert text.count(",") == len(applies["profiles"]) + len(applies["nationalities"]) - 1
    for code in applies["nationalities"]:
        assert f", {countries.name(code)}" in text


def test_the_coverage_page_has_a_row_for_each_origin(client: TestClient) -> None:
    page = client.get("/kb/coverage", params={"on": "2024-05-01"})
    assert page.status_code == 200
    assert page.text.count('<th scope="row">') == len(countries.FSU_ORIGINS) + 1
    assert client.get("/kb/coverage", params={"on": "2024-02-30"}).status_code == 422


def test_the_whole_knowledge_base_is_a_page_of_headings_that_open_one_at_a_time(
    client: TestClient,
) -> None:
    facts = _facts()
    page = client.get("/kb").text
    assert _listed(page) == []
    kinds = sorted({f["kind"] for f in facts.values()})
    assert page.count('<h2 class="fact-group-link">') == len(kinds)
    kind = kinds[0]
    opened = client.get("/kb", params={"show": kind}).text
    assert sorted(_listed(opened)) == sorted(k for k, f in facts.items() if f["kind"] == kind)
