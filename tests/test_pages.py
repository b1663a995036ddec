"""Server-rendered pages: each answers, in the right language, with the basics of accessibility."""

from __future__ import annotations

import pytest

from azyl.config import Settings
from azyl.store.queries import StatsStore
from webtools import audit, client_for

PAGES = [
    "/",
    "/countries",
    "/countries/RUS",
    "/countries/DEU",
    "/screening",
    "/incidents",
    "/kb",
    "/kb?state=NOR&as_of=2017-01-01",
    "/about",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_with_lang_one_h1_and_labelled_controls(settings: Settings, path: str) -> None:
    response = client_for(settings).get(path)
    assert response.status_code == 200, response.text[:500]
    page = audit(response.text)
    assert page.html_lang == "en"
    assert page.headings.count("h1") == 1
    assert page.unlabelled() == []


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_nothing_from_another_host(settings: Settings, path: str) -> None:
    page = audit(client_for(settings).get(path).text)
    assert page.assets and all(a.startswith("/") for a in page.assets)


def test_russian_is_chosen_by_query_then_remembered_by_cookie(settings: Settings) -> None:
    client = client_for(settings)
    first = client.get("/about?lang=ru")
    assert '<html lang="ru">' in first.text and "О данных" in first.text
    assert first.cookies.get("azyl_lang") == "ru"
    again = client.get("/about")
    assert '<html lang="ru">' in again.text


def test_accept_language_picks_russian_when_nothing_else_says(settings: Settings) -> None:
    html = client_for(settings).get("/", headers={"accept-language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert '<html lang="ru">' in html.text


def test_every_page_links_the_whole_navigation(settings: Settings) -> None:
    links = audit(client_for(settings).get("/").text).links
    for path in ("/", "/countries", "/screening", "/incidents", "/kb", "/about"):
        assert path in links


def test_an_unknown_country_page_is_a_readable_error(settings: Settings) -> None:
    response = client_for(settings).get("/countries/Atlantis", headers={"accept": "text/html"})
    assert response.status_code == 422
    assert "unknown country" in response.text and "<h1>" in response.text


def test_knowledge_base_page_lists_facts_with_links(settings: Settings) -> None:
    html = client_for(settings).get("/kb?state=NOR").text
    assert "/kb/facts/" in html


def test_fact_page_shows_citations_with_source_links(settings: Settings) -> None:
    client = client_for(settings)
    fact = client.get("/api/facts").json()["data"][0]
    html = client.get(f"/kb/facts/{fact['id']}").text
    assert fact["statement"].split()[0] in html
    for citation in fact["citations"]:
        assert f"/kb/sources/{citation['source']}" in html


def test_about_page_lists_every_knowledge_base_source(settings: Settings) -> None:
    client = client_for(settings)
    html = client.get("/about").text
    for source in client.get("/api/sources").json()["data"]:
        assert f"/kb/sources/{source['id']}" in html


def test_the_atlas_says_when_its_year_is_the_provisional_latest_year(
    built_settings: Settings, store: StatsStore
) -> None:
    latest = max(store.decision_years(None)["UNHCR"])
    client = client_for(built_settings)
    assert 'id="provisional"' in client.get("/?origin=RUS").text
    assert f"{latest} is the latest year" in client.get(f"/?origin=RUS&year={latest}").text
    assert 'id="provisional"' not in client.get(f"/?origin=RUS&year={latest - 1}").text
