"""In real Chromium: a caseworker screens, saves, re-runs, compares and erases a case.

No step may break the Content-Security-Policy (violations are console
messages, not exceptions, so the test listens for them), and the case page
must fit a 360 px wide screen. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from azyl.config import Settings
from browser_support import chromium_page, csp_violations, photograph, serving_with_account, sign_in
from cases_support import ENTERING_FACT, knowledge_base

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def caseworker_server(built_settings: Settings) -> Iterator[tuple[str, str]]:
    """A real uvicorn server with one caseworker account; yields (url, username)."""
    with serving_with_account(built_settings, "caseworker") as server:
        yield server


def test_a_caseworker_saves_reruns_compares_and_erases_a_case_in_chromium(
    caseworker_server: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url, name = caseworker_server
    fact = knowledge_base().facts[ENTERING_FACT]
    with chromium_page(tmp_path_factory.mktemp("cases-profile")) as (page, console, _):
        sign_in(page, url, name, "/screening")
        page.select_option("#citizenship", "RUS")
        page.check("#profile-anti_war")
        page.fill("#route-0-country", "POL")
        page.select_option("#route-0-role", "first_eu_entry")
        page.fill("#current_country", "DEU")
        page.select_option("#stage", "dublin_procedure")
        page.select_option("#action_type", "dublin_transfer")
        page.fill("#action_to", "POL")
        page.fill("#as_of", "2024-05-01")
        page.click("#screening-form button[type=submit]:not([formaction])")
        page.click("#save-case-title")  # the save form folds under the report's bottom line
        page.fill("#case-title", "R., Chechen deserter")
        page.fill("#case-notes", "Hearing in June")
        page.click(".save-case button[type=submit]")
        page.wait_for_url(url + "/cases/**")
        assert page.locator("h1").inner_text() == "R., Chechen deserter"
        photograph(page, "case.png")

        for day in (fact.valid_from.replace(day=fact.valid_from.day - 1), fact.valid_from):
            page.fill("#as_of", day.isoformat())
            page.click("form[action*='/runs'] button[type=submit]")
            page.wait_for_url("**done=rerun")
        page.select_option("#first", "2")
        page.select_option("#second", "3")
        page.click("form[action$='/compare'] button[type=submit]")
        page.wait_for_url("**/compare?**")
        assert page.locator(f"a[href='/kb/facts/{ENTERING_FACT}']").count() >= 1
        photograph(page, "case-compare.png")

        page.click("text=Back to the case")
        page.set_viewport_size({"width": 360, "height": 800})
        width = page.evaluate("document.documentElement.scrollWidth")
        photograph(page, "case-360.png")
        assert width <= 360, width
        page.set_viewport_size({"width": 1280, "height": 900})

        page.click("text=Erase this case…")
        photograph(page, "case-erase.png")
        page.check("#confirm")
        page.click("form[action*='/erase'] button[type=submit]")
        page.wait_for_url("**/cases?**done=erased")
        photograph(page, "cases.png")
        assert "You have not saved a case yet." in page.content()
        assert csp_violations(console) == []
