"""In real Chromium: no page breaks the Content-Security-Policy, and the account pages work.

The CSP forbids inline code; a violation is not an exception, only a console
message, so this test listens for those on every page, including the API docs
(Swagger UI) and the htmx-driven atlas, signed in as an admin.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import uvicorn

from auth_support import PASSWORD, make_user
from azyl.config import Settings
from azyl.web.app import create_app
from test_browser import ARGS, CHROMIUM, SHOTS, _require_chromium

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
    config = uvicorn.Config(create_app(built_settings), host="127.0.0.1", port=0, log_level="error")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    port = srv.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", name
    srv.should_exit = True
    thread.join(timeout=10)


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
        violations = [m for m in console if "Content Security Policy" in m]
        assert violations == [] and errors == []
        context.close()
