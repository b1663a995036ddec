"""The incident list: a wrong filter is marked, not fatal; downloads hold exactly the list.

Expected incidents are computed here from incidents/seed.yaml (public ones,
filtered by plain comparisons), never by the code under test.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from azyl.i18n import translations
from azyl.incidents import load_seed
from webtools import client_for

SEED = Path(__file__).resolve().parent.parent / "incidents" / "seed.yaml"


def _public() -> list[dict[str, Any]]:
    docs = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    return [d for d in docs if d["visibility"] == "public"]


def _expected(
    origin: str | None = None, year: int | None = None, tactic: str | None = None
) -> list[str]:
    """Ids the list should show, newest first (ties: the larger id first)."""
    kept = [
        d for d in _public()
        if (origin is None or d["origin"] == origin)
        and (year is None or str(d["date"]).startswith(f"{year}-"))
        and (tactic is None or tactic in d["tactics"])
    ]  # fmt: skip
    return [d["id"] for d in sorted(kept, key=lambda d: (str(d["date"]), d["id"]), reverse=True)]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, mirror_dir: Path) -> Iterator[TestClient]:
    from azyl.config import load_settings

    root = tmp_path_factory.mktemp("incident-list")
    settings = load_settings(
        {"AZYL_DATA_DIR": str(root / "data"), "AZYL_MIRROR_DIR": str(mirror_dir),
         "AZYL_ONLINE": "no", "HOME": str(root)}
    )  # fmt: skip
    load_seed(settings)
    yield client_for(settings)


def _listed(html: str) -> list[str]:
    timeline = html[html.index('<ul class="timeline">') :]
    return re.findall(r'<li><a href="/incidents/([^"]+)"', timeline)


def test_a_year_that_is_not_a_number_is_marked_and_the_other_filters_still_apply(
    client: TestClient,
) -> None:
    page = client.get("/incidents", params={"origin": "RUS", "year": "abc"},
                      headers={"accept": "text/html"})  # fmt: skip
    assert page.status_code == 422
    assert '<form class="filters"' in page.text
    assert 'value="RUS" selected' in page.text
    assert (
        'id="f-year" name="year" inputmode="numeric" value="abc" aria-invalid="true"' in page.text
    )
    assert 'id="f-year-error"' in page.text and "four digits" in page.text
    assert _listed(page.text) == _expected(origin="RUS")


@pytest.mark.parametrize(
    "params",
    [{}, {"origin": "TJK"}, {"year": 2015}, {"origin": "RUS", "tactic": "extradition_request"}],
    ids=["all", "origin", "year", "origin-tactic"],
)
def test_downloads_hold_exactly_the_filtered_list_in_its_order(
    client: TestClient, params: dict[str, Any]
) -> None:
    expected = _expected(**params)
    assert expected
    page = client.get("/incidents", params=params)
    assert _listed(page.text) == expected
    as_csv = client.get("/incidents/export.csv", params=params)
    assert [row["id"] for row in csv.DictReader(io.StringIO(as_csv.text))] == expected
    as_json = client.get("/incidents/export.json", params=params).json()
    assert [i["id"] for i in as_json["incidents"]] == expected
    api = client.get("/api/exports/incidents", params={**params, "format": "json"}).json()
    assert [i["id"] for i in api["incidents"]] == expected
    query = "&amp;".join(f"{k}={v}" for k, v in params.items())
    assert f'href="/incidents/export.csv{"?" + query if query else ""}"' in page.text


def test_the_list_sorts_by_a_column_named_in_the_address(client: TestClient) -> None:
    page = client.get("/incidents", params={"origin": "TJK", "_sort": "date"})
    assert _listed(page.text) == list(reversed(_expected(origin="TJK")))
    refused = client.get("/incidents", params={"_sort": "nonsense"})
    assert refused.status_code == 422 and 'id="f-_sort-error"' in refused.text


def test_one_incident_is_counted_in_the_singular(client: TestClient) -> None:
    years = {}
    for d in _public():
        years.setdefault((d["origin"], str(d["date"])[:4]), []).append(d["id"])
    origin, year = next(key for key, ids in sorted(years.items()) if len(ids) == 1)
    page = client.get("/incidents", params={"origin": origin, "year": year})
    assert "1 incident matches." in page.text


@pytest.mark.parametrize(
    ("n", "word"),
    [(1, "инцидент"), (2, "инцидента"), (5, "инцидентов"), (11, "инцидентов"), (21, "инцидент"),
     (22, "инцидента"), (111, "инцидентов")],
)  # fmt: skip
def test_russian_counts_take_the_three_plural_forms(n: int, word: str) -> None:
    text = translations("ru").ngettext("%(num)s incident matches.", "%(num)s incidents match.", n)
    assert word in re.findall(r"\w+", text % {"num": n})


def _coverage_rows(page: str, caption: str) -> list[tuple[str, str]]:
    """(label, count) of one coverage table, its label's tags removed."""
    table = re.search(rf"<caption>{caption}</caption>.*?<tbody>(.*?)</tbody>", page, re.S)
    assert table, f"no coverage table {caption!r}"
    rows = re.findall(r"<tr><td>(.*?)</td><td class=\"num\">([^<]*)</td></tr>", table[1])
    return [(re.sub(r"<[^>]+>", "", label), count) for label, count in rows]


def test_the_list_says_what_the_registry_covers_by_year_and_origin(client: TestClient) -> None:
    from collections import Counter

    from azyl.i18n import country_name

    public = _public()
    page = client.get("/incidents").text
    assert "What this registry covers" in page
    by_year = Counter(str(d["date"])[:4] for d in public)
    assert _coverage_rows(page, "By year") == [(y, str(n)) for y, n in sorted(by_year.items())]
    by_origin = Counter(d["origin"] for d in public)
    shown = dict(_coverage_rows(page, "By origin"))
    assert shown == {country_name(code, "en"): f"{n:,}" for code, n in by_origin.items()}
    russian = client.get("/incidents", params={"lang": "ru"}).text
    assert "Что охватывает этот реестр" in russian
