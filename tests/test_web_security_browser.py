"""In real Chromium: no page breaks the Content-Security-Policy, and the account pages work.

The CSP forbids inline code; a violation is not an exception, only a console
message, so this test listens for those on every page, including the API docs
(Swagger UI) and the htmx-driven atlas, signed in as an admin.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from auth_support import PASSWORD, make_user
from azyl.config import Settings
from azyl.web.app import create_app
from test_browser import ARGS, CHROMIUM, SHOTS, _require_chromium, serving

PAGES = ["/", "/countries/RUS", "/screening", "/incidents", "/kb", "/about", "/api/docs"]


@pytest.fixture(scope="module")
def admin_server(built_settings: Settings) -> Iterator[tuple[str, str]]:
    """A real uvicorn server with one admin account; yields (url, username)."""
    _require_chromium()
    from azyl.appdb import open_database
    from azyl.incidents import load_seed

    load_seed(built_settings)
    engine = open_database(built_settings)
    name = f"admin{uuid.uuid4().hex[:6]}"
    make_user(engine, name, "admin", display_name="Test Admin")
    engine.dispose()
    with serving(create_app(built_settings)) as url:
        yield url, name


def test_signed_in_pages_raise_no_csp_violation(
    admin_server: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from playwright.sync_api import sync_playwright

    url, name = admin_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("csp-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
        )
        page = context.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        console: list[str] = []
        errors: list[str] = []
        page.on("console", lambda msg: console.append(msg.text))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url + "/login?next=/account")
        page.screenshot(path=str(SHOTS / "login.png"), full_page=True)
        page.fill("#username", name)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(url + "/account")
        assert page.locator("h1").inner_text() == "Your account"
        page.screenshot(path=str(SHOTS / "account.png"), full_page=True)
        page.goto(url + "/admin/users")
        page.screenshot(path=str(SHOTS / "admin-users.png"), full_page=True)
        for path in PAGES:
            response = page.goto(url + path, wait_until="networkidle")
            assert response is not None and response.status == 200, path
        page.set_viewport_size({"width": 360, "height": 900})
        for path, shot in (("/account", "account-360"), ("/admin/users", "admin-users-360")):
            page.goto(url + path)
            page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} scrolls sideways at 360 px ({overflow} px)"
        violations = [m for m in console if "Content Security Policy" in m]
        assert violations == [] and errors == []
        context.close()
