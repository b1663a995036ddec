"""Helpers for tests that need accounts: make a user, sign a test client in.

user = make_user(engine, "ana", Role.CASEWORKER)
sign_in(client, "ana")                  # the client now carries the session and CSRF token
client.post("/cases", data={...})       # X-CSRF-Token is sent from client.headers
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from azyl.accounts import users
from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.config import Settings

#: The password make_user gives unless told otherwise (it meets the 12-character policy).
PASSWORD = "correct horse battery"
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_user(
    engine: Engine,
    username: str,
    role: Role | str = Role.VIEWER,
    password: str = PASSWORD,
    *,
    display_name: str = "",
) -> User:
    """Create an account directly in the database (audited as made by 'test')."""
    with session_scope(engine) as db:
        return users.add(
            db, username, password, Role(role), actor="test", display_name=display_name
        )


def login_form_token(client: TestClient) -> str:
    """The CSRF token of the sign-in form (fetching the form sets the matching cookie)."""
    page = client.get("/login")
    found = _CSRF_FIELD.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Sign the client in through the real form; afterwards it sends X-CSRF-Token itself."""
    token = login_form_token(client)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/account"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    account = client.get("/account")
    found = _CSRF_META.search(account.text)
    assert found, account.text[:500]
    client.headers["X-CSRF-Token"] = found.group(1)


class Clock:
    """A clock the app reads for session expiry (`app.state.clock`); tests move it by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def client_on(
    settings: Settings,
    engine: Engine,
    clock: Clock | None = None,
    *,
    peer: str = "testclient",
    **changes: Any,
) -> TestClient:
    """A test client on an app whose application database is `engine` (SQLite or PostgreSQL).

    `peer` is the socket address the app sees; `changes` override settings
    (`production=True`, `sign_in_required=True`, ...).
    """
    from azyl.web.app import create_app
    from azyl.web.services import Services

    settings = settings.model_copy(update=dict(**changes))
    services = Services.from_settings(settings)
    services._cache["engine"] = engine
    app = create_app(settings, services)
    if clock is not None:
        app.state.clock = clock
    return TestClient(app, raise_server_exceptions=False, client=(peer, 50000))
