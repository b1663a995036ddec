"""The country page and the atlas in real Chromium at phone and desktop width, in both
languages: nothing scrolls sideways at 390 px and no element's text runs out of its box.

Charts that are too wide for a phone either give way to the table beside them or sit
in a container that scrolls on its own at full size (`figure.chart.wide`), so the page
itself never does. Screenshots go to test-artifacts/screenshots/ (look at them).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from azyl.config import Settings
from browser_support import ARGS, CHROMIUM, photograph, serving_seeded

pytestmark = pytest.mark.browser

PAGES = {
    "country-rus": "/countries/RUS",
    "country-deu": "/countries/DEU",
    "atlas-rus": "/?origin=RUS&rate=recognition_rate",
    "atlas-tkm-all": "/?origin=TKM&scope=all",
}

#: Elements whose box is narrower than their content, or that stick out of the viewport;
#: a chart shown at full size inside its own scrolling figure is allowed to be wider.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll("main *")) {
    if (!el.checkVisibility() || el.closest("figure.chart.wide")) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const label = `${el.tagName}.${el.className} "${(el.textContent || "").trim().slice(0, 40)}"`;
    if (box.width > 0 && (box.right > width + 1 || box.left < -1)) found.push("outside " + label);
    const scrolls = ["auto", "scroll"].includes(style.overflowX);
    if (!scrolls && el.tagName !== "svg" && el.scrollWidth > el.clientWidth + 1
        && el.clientWidth > 0 && style.display !== "inline") found.push("clipped " + label);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def server(built_settings: Settings) -> Iterator[str]:
    with serving_seeded(built_settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_text_overflows_and_nothing_scrolls_sideways(
    server: str, browser: Any, name: str, width: int, lang: str
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    separator = "&" if "?" in PAGES[name] else "?"
    response = page.goto(f"{server}{PAGES[name]}{separator}lang={lang}", wait_until="load")
    assert response is not None and response.status == 200
    photograph(page, f"{name}-{width}-{lang}.png")
    sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert sideways <= 0, f"{name} scrolls sideways by {sideways} px at {width} px"
    assert page.evaluate(OVERFLOWING) == []
    page.close()


def test_at_phone_width_the_atlas_shows_the_table_instead_of_the_bars(
    server: str, browser: Any
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(f"{server}/?origin=RUS&lang=ru", wait_until="load")
    assert not page.locator("figure.chart.reflow svg").first.is_visible()
    rate_cells = page.locator("table.stack td[data-label='Доля']")
    assert rate_cells.count() > 10
    assert rate_cells.first.is_visible()
    box = rate_cells.first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.locator("figure.chart.reflow svg").first.is_visible()
    page.close()
