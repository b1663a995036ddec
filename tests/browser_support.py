"""Real headless Chromium against a real server on loopback: what every browser test shares.

Debian's /usr/bin/chromium is driven through Playwright with the flags this
machine needs (no sandbox as root, no background traffic off loopback).
Missing Chromium is a failure, not a skip, unless AZYL_SKIP_BROWSER_TESTS=1
is set explicitly. With AZYL_SCREENSHOTS=1 the tests photograph the pages
they check into test-artifacts/screenshots/, for a person to look at; a
full-page photograph costs about half a second and checks nothing, so the
suite leaves them out unless asked.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from auth_support import PASSWORD, make_user
from azyl.appdb import open_database
from azyl.config import Settings
from azyl.incidents import load_seed
from azyl.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def photograph(page: Any, name: str) -> None:
    """A full-page screenshot in test-artifacts/screenshots/<name> when AZYL_SCREENSHOTS=1."""
    if os.environ.get("AZYL_SCREENSHOTS") != "1":
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def require_chromium() -> None:
    if os.environ.get("AZYL_SKIP_BROWSER_TESTS") == "1":
        pytest.skip("AZYL_SKIP_BROWSER_TESTS=1")
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: python3 scripts/test.py installs it")


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Run `app` under a real uvicorn server on a free loopback port; yield its base URL."""
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    port = srv.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serving_seeded(settings: Settings) -> Iterator[str]:
    """A real server over the built statistics with the incident seed loaded; its base URL."""
    require_chromium()
    load_seed(settings)
    with serving(create_app(settings)) as url:
        yield url


@contextmanager
def serving_with_account(
    settings: Settings, role: str, *, display_name: str = "", seed: bool = False
) -> Iterator[tuple[str, str]]:
    """A real server with one fresh account of `role` (and the incident seed); (url, username)."""
    require_chromium()
    if seed:
        load_seed(settings)
    engine = open_database(settings)
    name = f"{role[:5]}{uuid.uuid4().hex[:6]}"
    make_user(engine, name, role, display_name=display_name)
    engine.dispose()
    with serving(create_app(settings)) as url:
        yield url, name


@contextmanager
def chromium_page(profile: Path) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A page (1280 x 900) in a fresh profile, with the console messages and page errors it logs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        page = context.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        console: list[str] = []
        errors: list[str] = []
        page.on("console", lambda msg: console.append(msg.text))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            yield page, console, errors
        finally:
            context.close()


def sign_in(page: Any, url: str, username: str, next_path: str) -> None:
    """Sign in through the real form and land on `next_path`."""
    page.goto(f"{url}/login?next={next_path}")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(url + next_path)


def csp_violations(console: list[str]) -> list[str]:
    """Console messages that say the Content-Security-Policy blocked something."""
    return [message for message in console if "Content Security Policy" in message]
