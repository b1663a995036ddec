"""In real Chromium: screening a case file, a file too large refused before sending, an import.

The screening page fills its form from the file, the size check runs as a
static script (no CSP violation), and both pages fit a 360 px wide screen.
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from azyl.config import Settings
from browser_support import chromium_page, csp_violations, photograph, serving_with_account, sign_in
from incident_docs import doc

pytestmark = pytest.mark.browser
EXAMPLE = (
    Path(__file__).resolve().parents[1] / "kb" / "examples" / "chechen-lgbti-dublin-germany.yaml"
)


@pytest.fixture(scope="module")
def editor_server(built_settings: Settings) -> Iterator[tuple[str, str]]:
    """A real uvicorn server with one editor account; yields (url, username)."""
    with serving_with_account(built_settings, "editor") as server:
        yield server


def _fits_360(page: Any, shot: str) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    photograph(page, shot)
    assert width <= 360, (shot, width)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_case_file_is_screened_and_fills_the_form_and_an_incident_file_is_imported(
    editor_server: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url, name = editor_server
    folder = tmp_path_factory.mktemp("uploads")
    too_big = folder / "too-big.yaml"
    too_big.write_bytes(b"#" * (6 * 2**20))
    incidents = folder / "incidents.json"
    incidents.write_text(json.dumps([doc(id=f"browser-{uuid.uuid4().hex[:8]}")]))
    with chromium_page(folder / "profile") as (page, console, errors):
        sign_in(page, url, name, "/screening")
        page.click("details.upload > summary")
        page.set_input_files("#case-file", str(too_big))
        assert page.locator("#case-file-size").is_visible()
        assert page.evaluate("document.querySelector('#case-file').validity.valid") is False
        page.set_input_files("#case-file", str(EXAMPLE))
        assert page.locator("#case-file-size").is_hidden()
        page.click("details.upload button[type=submit]")
        page.wait_for_selector("#report-title")
        assert "Screened from the file chechen-lgbti-dublin-germany.yaml" in page.content()
        assert page.input_value("#citizenship") == "RUS"
        assert page.input_value("#route-1-country") == "POL"
        assert page.input_value("#route-1-role") == "first_eu_entry"
        assert page.is_checked("#profile-lgbti") and page.is_checked("#relatives_in_origin")
        photograph(page, "screening-file.png")
        _fits_360(page, "screening-file-360.png")

        page.goto(url + "/incidents/import")
        page.set_input_files("#import-file", str(incidents))
        page.click("form.upload button[type=submit]")
        page.wait_for_selector("div.notice[role=status]")
        assert "1 created, 0 updated, 0 unchanged" in page.content()
        photograph(page, "incident-import.png")
        _fits_360(page, "incident-import-360.png")
        assert csp_violations(console) == [] and errors == []
