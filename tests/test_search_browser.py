"""Search, the knowledge base and the incident list in Chromium: 390 and 1280 px, both languages.

At 390 px (a phone) nothing may scroll sideways; every view is photographed
into test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from azyl.config import Settings
from browser_support import chromium_page, photograph, serving_seeded

pytestmark = pytest.mark.browser

PAGES = {
    "search": "/search?q=extradition",
    "search-ru-word": "/search?q=экстрадиция",
    "kb": "/kb",
    "kb-filtered": "/kb?state=NOR&group=actor",
    "kb-coverage": "/kb/coverage?on=2024-05-01",
    "incidents": "/incidents?origin=RUS",
    "incidents-bad-year": "/incidents?origin=TJK&year=abc",
}


@pytest.fixture(scope="module")
def server(built_settings: Settings) -> Iterator[str]:
    with serving_seeded(built_settings) as url:
        yield url


@pytest.fixture(scope="module")
def page(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium_page(tmp_path_factory.mktemp("chromium")) as (page, _console, errors):
        yield page
        assert errors == []


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_sideways_scroll_at_390_px(server: str, page: Any, name: str, lang: str) -> None:
    path = PAGES[name]
    url = f"{server}{path}{'&' if '?' in path else '?'}lang={lang}"
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url)
        assert response is not None and response.status in (200, 422)
        assert page.locator("html").get_attribute("lang") == lang
        photograph(page, f"{name}-{lang}-{width}.png")
        if width == 390:
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} ({lang}) scrolls sideways at 390 px ({overflow} px)"


def test_the_search_form_on_the_kb_page_leads_to_marked_results(server: str, page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{server}/kb?lang=ru")
    page.fill("#s-q", "экстрадиция")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**/search?q=*")
    assert page.locator("ol.results mark").count() >= 1
    page.locator("ol.results a.result-title").first.click()
    page.wait_for_url(lambda url: "/search" not in url)
    assert "/kb/facts/" in page.url or "/incidents/" in page.url or "/kb/sources/" in page.url
