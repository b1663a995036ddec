"""The web app in a real headless Chromium: every page, the screening form, evidence links.

Records every request the browser makes and fails if one leaves 127.0.0.1.
Screenshots of each page (desktop and 360 px wide) go to
test-artifacts/screenshots/ (see tests/browser_support.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from azyl.config import Settings
from azyl.web.app import create_app
from browser_support import ARGS, CHROMIUM, photograph, require_chromium, serving

pytestmark = pytest.mark.browser

PAGES = {
    "atlas": "/",
    "countries": "/countries",
    "country-rus": "/countries/RUS",
    "country-pol": "/countries/POL",
    "screening": "/screening",
    "incidents": "/incidents",
    "kb": "/kb?state=NOR",
    "about": "/about",
    "api-docs": "/api/docs",
}


@pytest.fixture(scope="module")
def server(built_settings: Settings) -> Iterator[str]:
    """A real uvicorn server on the built statistics and the incident seed, on loopback."""
    require_chromium()
    from azyl.incidents import load_seed

    load_seed(built_settings)  # idempotent: the registry's reviewed seed
    with serving(create_app(built_settings)) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A fresh Chromium profile whose every request URL is recorded in `.requests`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
        )
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        context.requests = requests  # type: ignore[attr-defined]
        yield context
        context.close()


def _assert_loopback_only(requests: list[str]) -> None:
    outside = [u for u in requests if urlsplit(u).scheme in {"http", "https", "ws", "wss"}
               and urlsplit(u).hostname != "127.0.0.1"]  # fmt: skip
    assert outside == [], f"requests left 127.0.0.1: {outside}"


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_and_is_photographed(server: str, browser: Any, name: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for width, suffix in ((1280, ""), (360, "-360")):
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(server + PAGES[name])
        assert response is not None and response.status == 200
        page.wait_for_selector("h1, h2", state="visible", timeout=20000)
        photograph(page, f"{name}{suffix}.png")
        if width == 360 and name != "api-docs":
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} scrolls sideways at 360 px ({overflow} px)"
    assert errors == []
    page.close()
    _assert_loopback_only(browser.requests)


def test_screening_form_to_report_to_evidence(server: str, browser: Any) -> None:
    """A caseworker fills the form, reads the report, and follows a finding to its fact."""
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/screening")
    page.select_option("#citizenship", "TJK")
    page.check("#profile-political_activist")
    page.check("#profile-religious_opposition")
    page.check("#wanted-interpol_red_notice")
    page.fill("#route-0-country", "RUS")
    page.select_option("#route-0-role", "residence")
    page.fill("#route-1-country", "Poland")
    page.select_option("#route-1-role", "first_eu_entry")
    page.check("#route-1-fingerprinted")
    page.fill("#current_country", "DEU")
    page.select_option("#stage", "dublin_procedure")
    page.select_option("#action_type", "dublin_transfer")
    page.fill("#action_to", "POL")
    page.fill("#as_of", "2024-05-01")
    page.click("#screening-form button[type=submit]")
    page.wait_for_selector("#report-title")
    # A Red Notice from Tajikistan, where activists like this one are persecuted: likely x
    # grave = high (docs/screening.md), the most serious item, so the bottom line is high.
    assert page.locator(".bottom-line.sev-high").count() == 1
    assert page.locator(".finding.sev-high").count() >= 1
    assert page.locator("figure.chart svg").count() >= 1  # pathway diagrams
    photograph(page, "screening-report.png")
    # Evidence is named by title and date and leads to the report's own appendix entry,
    # which links to the fact's page.
    link = page.locator("a.evidence-fact").first
    fact_id = link.get_attribute("title")
    link.click()
    assert page.url.endswith(f"#fact-{fact_id}")
    page.locator(f"[id='fact-{fact_id}'] a.fact-page").click()
    page.wait_for_url(f"**/kb/facts/{fact_id}")
    assert page.url.endswith(f"/kb/facts/{fact_id}")
    assert page.locator("#citations").is_visible()
    photograph(page, "evidence-fact.png")
    page.close()
    _assert_loopback_only(browser.requests)


def test_incident_list_leads_to_an_incident_with_its_sources(server: str, browser: Any) -> None:
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/incidents?origin=TJK")
    page.locator(".timeline a").first.click()
    page.wait_for_url(lambda url: "/incidents/" in url)
    assert "/incidents/" in page.url
    assert page.locator("main ol li").count() >= 1  # its sources
    photograph(page, "incident.png")
    page.close()
    _assert_loopback_only(browser.requests)


def test_language_switch_is_a_plain_link_that_sticks(server: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(server + "/about")
    page.click("nav.langs a[hreflang=ru]")
    page.wait_for_function("document.documentElement.lang === 'ru'")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.goto(server + "/kb")
    assert page.locator("html").get_attribute("lang") == "ru"
    photograph(page, "kb-ru.png")
    page.click("nav.langs a[hreflang=en]")
    page.close()
    _assert_loopback_only(browser.requests)
