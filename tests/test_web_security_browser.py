"""In real Chromium: no page breaks the Content-Security-Policy, and the account pages work.

The CSP forbids inline code; a violation is not an exception, only a console
message, so this test listens for those on every page, including the API docs
(Swagger UI) and the htmx-driven atlas, signed in as an admin.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from azyl.config import Settings
from browser_support import chromium_page, csp_violations, photograph, serving_with_account, sign_in

pytestmark = pytest.mark.browser
PAGES = ["/", "/countries/RUS", "/screening", "/incidents", "/kb", "/about", "/api/docs"]


@pytest.fixture(scope="module")
def admin_server(built_settings: Settings) -> Iterator[tuple[str, str]]:
    """A real uvicorn server with one admin account; yields (url, username)."""
    with serving_with_account(built_settings, "admin", display_name="Test Admin", seed=True) as s:
        yield s


def test_signed_in_pages_raise_no_csp_violation(
    admin_server: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url, name = admin_server
    with chromium_page(tmp_path_factory.mktemp("csp-profile")) as (page, console, errors):
        page.goto(url + "/login?next=/account")
        photograph(page, "login.png")
        sign_in(page, url, name, "/account")
        assert page.locator("h1").inner_text() == "Your account"
        photograph(page, "account.png")
        page.goto(url + "/admin/users")
        photograph(page, "admin-users.png")
        for path in PAGES:
            response = page.goto(url + path)
            assert response is not None and response.status == 200, path
        page.set_viewport_size({"width": 360, "height": 900})
        for path, shot in (("/account", "account-360"), ("/admin/users", "admin-users-360")):
            page.goto(url + path)
            photograph(page, f"{shot}.png")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} scrolls sideways at 360 px ({overflow} px)"
        assert csp_violations(console) == [] and errors == []
