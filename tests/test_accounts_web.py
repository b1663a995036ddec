"""Signing in and out through the web pages: sessions, expiry, fixation, CSRF, roles."""

from __future__ import annotations

import hashlib
import re
from typing import Annotated

from fastapi import Depends
from sqlalchemy import Engine, select

from auth_support import PASSWORD, Clock, client_on, login_form_token, make_user, sign_in
from azyl import audit
from azyl.accounts import users
from azyl.accounts.model import AuthSession, User
from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.config import Settings
from azyl.web.session import require
from webtools import assert_error


def _post_login(client, username: str, password: str, next_path: str = "/account"):  # type: ignore[no-untyped-def]
    token = login_form_token(client)
    data = {"username": username, "password": password, "csrf_token": token, "next": next_path}
    return client.post("/login", data=data, follow_redirects=False)


def _actions(engine: Engine) -> list[str]:
    with session_scope(engine) as db:
        return [e.action for e in audit.entries(db)]


def test_a_user_signs_in_is_recognised_and_signs_out(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "ana", Role.CASEWORKER, display_name="Ana K.")
    client = client_on(settings, app_engine)
    response = _post_login(client, "ana", PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/account"
    cookie = response.headers["set-cookie"]
    assert "azyl_session=" in cookie and "HttpOnly" in cookie and "Path=/" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert "Secure" not in cookie  # not production: plain http on a laptop must work
    page = client.get("/account")
    assert page.status_code == 200 and "Ana K." in page.text
    client.headers["X-CSRF-Token"] = re.search(r'csrf-token" content="([^"]+)"', page.text)[1]  # type: ignore[index]
    out = client.post("/logout", follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/account", follow_redirects=False).status_code == 303
    assert _actions(app_engine) == ["user.add", "auth.sign_in", "auth.sign_out"]


def test_the_database_holds_only_a_hash_of_the_session_token(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    client = client_on(settings, app_engine)
    token = _post_login(client, "ana", PASSWORD).cookies["azyl_session"]
    with session_scope(app_engine) as db:
        stored = db.scalars(select(AuthSession.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


def test_production_cookies_are_secure(settings: Settings, app_engine: Engine) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    client = client_on(settings, app_engine, production=True)
    client.base_url = client.base_url.copy_with(scheme="https")  # type: ignore[assignment]
    response = _post_login(client, "ana", PASSWORD)
    assert "Secure" in response.headers["set-cookie"]


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    client = client_on(settings, app_engine)
    wrong = _post_login(client, "ana", "not the password at all")
    unknown = _post_login(client, "nobody", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert "azyl_session" not in wrong.cookies
    assert wrong.text.replace("ana", "X") == unknown.text.replace("nobody", "X")
    with session_scope(app_engine) as db:
        reasons = [e.details for e in audit.entries(db, action="auth.sign_in_failed")]
    assert [r["reason"] for r in reasons] == ["wrong_password", "unknown_user"]


def test_a_disabled_user_cannot_sign_in_and_their_sessions_end(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "ana", Role.CASEWORKER)
    client = client_on(settings, app_engine)
    sign_in(client, "ana")
    with session_scope(app_engine) as db:
        users.set_disabled(db, "ana", True, actor="admin")
    assert client.get("/account", follow_redirects=False).status_code == 303
    assert _post_login(client_on(settings, app_engine), "ana", PASSWORD).status_code == 401


def test_a_session_ends_after_the_absolute_lifetime_even_when_used(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    clock = Clock()
    client = client_on(settings, app_engine, clock, session_hours=2, idle_minutes=60)
    sign_in(client, "ana")
    for _ in range(3):  # active every 39 minutes: never idle
        clock.advance(minutes=39)
        assert client.get("/account", follow_redirects=False).status_code == 200
    clock.advance(minutes=4)  # 2 h 1 min after sign-in
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_a_session_ends_after_the_idle_time(settings: Settings, app_engine: Engine) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    clock = Clock()
    client = client_on(settings, app_engine, clock, idle_minutes=30)
    sign_in(client, "ana")
    clock.advance(minutes=29)
    assert client.get("/account", follow_redirects=False).status_code == 200
    clock.advance(minutes=29)  # 29 minutes since the last request: still alive
    assert client.get("/account", follow_redirects=False).status_code == 200
    clock.advance(minutes=31)
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_a_session_token_planted_before_sign_in_is_not_the_one_after(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    client = client_on(settings, app_engine)
    planted = "attacker-chosen-token-value-0123456789"
    client.cookies.set("azyl_session", planted)
    response = _post_login(client, "ana", PASSWORD)
    issued = response.cookies["azyl_session"]
    assert issued != planted
    fresh = client_on(settings, app_engine)
    fresh.cookies.set("azyl_session", planted)
    assert fresh.get("/account", follow_redirects=False).status_code == 303


def test_signing_in_again_ends_the_previous_session(settings: Settings, app_engine: Engine) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    client = client_on(settings, app_engine)
    sign_in(client, "ana")
    first = client.cookies["azyl_session"]
    sign_in(client, "ana")
    assert client.cookies["azyl_session"] != first
    stale = client_on(settings, app_engine)
    stale.cookies.set("azyl_session", first)
    assert stale.get("/account", follow_redirects=False).status_code == 303


def test_a_state_changing_request_needs_the_sessions_csrf_token(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    client = client_on(settings, app_engine)
    sign_in(client, "ana")
    right = client.headers.pop("X-CSRF-Token")
    missing = client.post("/logout", follow_redirects=False)
    wrong = client.post("/logout", headers={"X-CSRF-Token": "0" * 64}, follow_redirects=False)
    assert missing.status_code == wrong.status_code == 403
    assert_error(wrong.json(), "csrf_failed")
    in_form = client.post("/logout", data={"csrf_token": right}, follow_redirects=False)
    assert in_form.status_code == 303
    assert _actions(app_engine)[-1] == "auth.sign_out"


def test_the_sign_in_form_needs_its_double_submit_token(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    client = client_on(settings, app_engine)
    data = {"username": "ana", "password": PASSWORD}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 403
    token = login_form_token(client)
    wrong = client.post("/login", data={**data, "csrf_token": token[::-1]}, follow_redirects=False)
    assert wrong.status_code == 403
    right = client.post("/login", data={**data, "csrf_token": token}, follow_redirects=False)
    assert right.status_code == 303


def test_next_only_leads_to_a_path_on_this_site(settings: Settings, app_engine: Engine) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    for target, expected in (
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("/kb?state=NOR", "/kb?state=NOR"),
    ):
        client = client_on(settings, app_engine)
        response = _post_login(client, "ana", PASSWORD, target)
        assert response.headers["location"] == expected


def _probe_client(settings: Settings, engine: Engine):  # type: ignore[no-untyped-def]
    client = client_on(settings, engine)
    app = client.app

    @app.get("/api/probe")  # type: ignore[attr-defined, untyped-decorator]
    def probe(user: Annotated[User, Depends(require(Role.EDITOR))]) -> dict[str, str]:
        return {"user": user.username}

    @app.get("/probe-page")  # type: ignore[attr-defined, untyped-decorator]
    def probe_page(user: Annotated[User, Depends(require(Role.EDITOR))]) -> dict[str, str]:
        return {"user": user.username}

    return client


def test_require_answers_anonymous_lesser_and_sufficient_roles(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "cas", Role.CASEWORKER)
    make_user(app_engine, "edi", Role.EDITOR)
    make_user(app_engine, "adm", Role.ADMIN)
    anonymous = _probe_client(settings, app_engine)
    api = anonymous.get("/api/probe")
    assert api.status_code == 401
    assert_error(api.json(), "sign_in_required")
    page = anonymous.get("/probe-page?x=1", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/probe-page%3Fx%3D1"
    for name, status in (("cas", 403), ("edi", 200), ("adm", 200)):
        client = _probe_client(settings, app_engine)
        sign_in(client, name)
        assert client.get("/api/probe").status_code == status
        assert client.get("/probe-page", follow_redirects=False).status_code == status
        if status == 403:
            assert_error(client.get("/api/probe").json(), "forbidden")


def test_with_sign_in_required_only_sign_in_static_and_health_are_open(
    settings: Settings, app_engine: Engine
) -> None:
    client = client_on(settings, app_engine, sign_in_required=True)
    assert client.get("/login").status_code == 200
    assert client.get("/api/health").status_code == 200
    assert client.get("/static/css/azyl.css").status_code == 200
    page = client.get("/kb", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=/kb")
    assert_error(client.get("/api/kb/facts").json(), "sign_in_required")
    make_user(app_engine, "ana", Role.VIEWER)
    sign_in(client, "ana")
    assert client.get("/about", follow_redirects=False).status_code == 200


def test_one_sessions_csrf_token_does_not_work_for_another_session(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    make_user(app_engine, "bob", Role.VIEWER)
    ana, bob = client_on(settings, app_engine), client_on(settings, app_engine)
    sign_in(ana, "ana")
    sign_in(bob, "bob")
    stolen = ana.headers["X-CSRF-Token"]
    assert bob.post("/logout", headers={"X-CSRF-Token": stolen}).status_code == 403
    assert bob.post("/logout", follow_redirects=False).status_code == 303


def test_a_request_the_browser_marks_cross_site_is_refused_even_with_the_token(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    client = client_on(settings, app_engine)
    sign_in(client, "ana")
    refused = client.post("/logout", headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403
    same = client.post("/logout", headers={"Sec-Fetch-Site": "same-origin"}, follow_redirects=False)
    assert same.status_code == 303
