"""Web hardening: headers on every kind of answer, no inline code anywhere, size limits,
production error pages that leak nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from auth_support import client_on, make_user, sign_in
from azyl.accounts.roles import Role
from azyl.config import Settings
from test_pages_screening import FORM as SCREENING_FORM
from webtools import assert_error

EXPECTED = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


def _boom_client(settings: Settings, engine: Engine, **changes: Any) -> TestClient:
    client = client_on(settings, engine, **changes)

    @client.app.get("/api/boom")  # type: ignore[attr-defined, untyped-decorator]
    def boom() -> None:
        raise RuntimeError("postgresql://azyl:hunter2-secret@db/azyl exploded")

    @client.app.get("/boom")  # type: ignore[attr-defined, untyped-decorator]
    def boom_page() -> None:
        raise RuntimeError("postgresql://azyl:hunter2-secret@db/azyl exploded")

    return client


def _check_headers(response: Any, production: bool) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.request.url)
    assert "camera=()" in response.headers["permissions-policy"]
    assert ("strict-transport-security" in response.headers) == production


@pytest.mark.parametrize("production", [False, True])
def test_every_kind_of_answer_carries_the_security_headers(
    settings: Settings, app_engine: Engine, production: bool
) -> None:
    client = _boom_client(settings, app_engine, production=production)
    html = {"accept": "text/html"}
    answers = [
        client.get("/about"),  # page
        client.get("/api/health"),  # API
        client.get("/static/css/azyl.css"),  # static file
        client.get("/api/docs"),  # the API's documentation page
        client.get("/nowhere", headers=html),  # error page
        client.get("/api/nowhere"),  # error envelope
        client.get("/api/boom"),  # unexpected error
        client.get("/boom", headers=html),
        client.post("/api/assess", content=b"x" * (settings.max_upload_bytes + 1)),  # 413
        client.post("/login", data={"username": "a", "password": "b"}),  # CSRF refusal
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 404, 404, 500, 500, 413, 403]
    for answer in answers:
        _check_headers(answer, production)


def test_personal_answers_are_not_stored_and_public_pages_may_be(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "ana", Role.CASEWORKER)
    client = client_on(settings, app_engine)
    assert client.get("/about").headers.get("cache-control") != "no-store"
    assert client.get("/login").headers["cache-control"] == "no-store"
    screening = client.post("/screening", data=SCREENING_FORM)
    assert screening.headers["cache-control"] == "no-store"
    assessed = client.post("/api/assess", json={})
    assert assessed.headers["cache-control"] == "no-store"
    sign_in(client, "ana")
    assert client.get("/about").headers["cache-control"] == "no-store"


def test_a_body_over_the_limit_is_refused_whether_announced_or_streamed(
    settings: Settings, app_engine: Engine
) -> None:
    client = client_on(settings, app_engine, max_upload_bytes=1000)
    announced = client.post("/api/assess", content=b"{" + b" " * 2000 + b"}")
    assert announced.status_code == 413
    assert_error(announced.json(), "too_large")

    def chunks() -> Iterator[bytes]:
        for _ in range(5):
            yield b" " * 400

    streamed = client.post("/api/assess", content=chunks())
    assert "content-length" not in streamed.request.headers
    assert streamed.status_code == 413
    assert_error(streamed.json(), "too_large")
    small = client.post("/api/assess", json={})
    assert small.status_code == 422  # read and judged on its content


@pytest.mark.parametrize("production", [False, True])
def test_an_unexpected_error_never_shows_its_text(
    settings: Settings, app_engine: Engine, production: bool
) -> None:
    client = _boom_client(settings, app_engine, production=production)
    api = client.get("/api/boom")
    page = client.get("/boom", headers={"accept": "text/html"})
    assert_error(api.json(), "internal_error")
    for answer in (api, page):
        assert answer.status_code == 500
        assert "hunter2" not in answer.text and "exploded" not in answer.text
        assert "Traceback" not in answer.text and "RuntimeError" not in answer.text


def test_in_production_a_server_side_failure_message_is_replaced(
    settings: Settings, app_engine: Engine
) -> None:
    from azyl.errors import ConfigError

    for production, shown in ((False, True), (True, False)):
        client = client_on(settings, app_engine, production=production)

        @client.app.get("/api/misconfigured")  # type: ignore[attr-defined, untyped-decorator]
        def misconfigured() -> None:
            raise ConfigError("AZYL_KEYS='s3cr3t-key-material' is not valid")

        answer = client.get("/api/misconfigured")
        assert answer.status_code == 500
        assert ("s3cr3t-key-material" in answer.text) == shown


class InlineCode(HTMLParser):
    """Everything the CSP would block: inline scripts, on* handlers, style attributes/elements."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.links: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower() for name, _ in attrs}
        a = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not a.get("src"):
                self.problems.append("<script> without src")
        if tag == "style":
            self.problems.append("<style> element")
        self.problems += [f"{tag} {n}=" for n in names if n.startswith("on") or n == "style"]
        for key in ("href", "src", "action", "formaction"):
            value = a.get(key) or ""
            if value.lower().startswith("javascript:"):
                self.problems.append(f"{tag} {key}=javascript:")
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("<script> with inline content")


def _pattern(path: str) -> str:
    """One page per kind: /countries/RUS and /countries/DEU are the same template."""
    parts = path.split("/")
    return "/".join(parts[:2] + ["*" for _ in parts[2:]])


def test_no_page_has_inline_script_handlers_or_styles(built_settings: Settings) -> None:
    from azyl.appdb import open_database
    from azyl.incidents.seed import load_seed

    load_seed(built_settings)
    engine = open_database(built_settings)
    name = f"root{uuid.uuid4().hex[:8]}"
    make_user(engine, name, Role.ADMIN)
    client = client_on(built_settings, engine)
    sign_in(client, name)
    queue = ["/", "/account", "/admin/users", "/admin/audit", "/cases", "/kb/proposals"]
    queue += ["/kb/proposals/new", "/incidents/new", "/api/docs", "/screening", "/incidents", "/kb"]
    seen: set[str] = set()
    checked: dict[str, str] = {}
    while queue and len(checked) < 80:
        url = queue.pop(0)
        parts = urlsplit(url)
        foreign = parts.scheme or parts.netloc or not parts.path.startswith("/")
        if foreign or url in seen or "lang=" in parts.query:
            continue
        seen.add(url)
        if parts.path.startswith(("/static", "/api/")) and parts.path != "/api/docs":
            continue
        if _pattern(parts.path) in checked.values():
            continue
        response = client.get(url, headers={"accept": "text/html"})
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        checked[url] = _pattern(parts.path)
        parser = InlineCode()
        parser.feed(response.text)
        assert parser.problems == [], (url, parser.problems)
        queue += [link for link in parser.links if link not in seen]
    screened = client.post("/screening", data=SCREENING_FORM)
    parser = InlineCode()
    parser.feed(screened.text)
    assert "report-title" in screened.text and parser.problems == []
    error = client.get("/countries/Atlantis", headers={"accept": "text/html"})
    parser = InlineCode()
    parser.feed(error.text)
    assert parser.problems == []
    kinds = set(checked.values())
    expected = {
        "/countries/*",
        "/kb/*/*",
        "/incidents/*",
        "/admin/*",
        "/account",
        "/cases",
        "/kb/*",
    }
    assert expected <= kinds, kinds


def test_the_inline_code_check_catches_what_it_looks_for() -> None:
    parser = InlineCode()
    parser.feed('<p style="x"><script>alert(1)</script><a onclick="y" href="javascript:z">')
    assert len(parser.problems) == 5
