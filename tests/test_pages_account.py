"""The account page (own password, two-step sign-in) and the admins' accounts page."""

from __future__ import annotations

import re
from typing import Any

import pyotp
from sqlalchemy import Engine

from auth_support import PASSWORD, Clock, client_on, login_form_token, make_user, sign_in
from azyl import audit
from azyl.accounts import passwords, users
from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.config import Settings


def _user(engine: Engine, name: str) -> Any:
    with session_scope(engine) as db:
        return users.get(db, name)


def test_an_admin_manages_accounts_on_the_admin_page(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "root", Role.ADMIN)
    client = client_on(settings, app_engine)
    sign_in(client, "root")
    assert client.get("/admin/users").status_code == 200
    added = client.post("/admin/users", data={"username": "bob", "role": "caseworker",
                        "password": "bob's long password"}, follow_redirects=False)  # fmt: skip
    assert added.status_code == 303
    assert _user(app_engine, "bob").role == "caseworker"
    short = client.post("/admin/users", data={"username": "eve", "password": "short"})
    assert short.status_code == 422 and "at least 12 characters" in short.text
    client.post("/admin/users/bob/role", data={"role": "editor"})
    client.post("/admin/users/bob/disable")
    bob = _user(app_engine, "bob")
    assert bob.role == "editor" and bob.disabled
    client.post("/admin/users/bob/enable")
    client.post("/admin/users/bob/password", data={"password": "a new long password"})
    bob = _user(app_engine, "bob")
    assert not bob.disabled and passwords.verify_password(bob.password_hash, "a new long password")
    with session_scope(app_engine) as db:
        actions = [(e.action, e.actor) for e in audit.entries(db)][1:]
    assert [a for a, _ in actions] == [
        "auth.sign_in", "user.add", "user.role_change", "user.disable", "user.enable",
        "user.reset_password",
    ]  # fmt: skip
    assert {actor for a, actor in actions if a.startswith("user.")} == {"root"}


def test_an_admin_cannot_lock_themselves_out(settings: Settings, app_engine: Engine) -> None:
    make_user(app_engine, "root", Role.ADMIN)
    client = client_on(settings, app_engine)
    sign_in(client, "root")
    assert client.post("/admin/users/root/disable").status_code == 422
    assert client.post("/admin/users/root/role", data={"role": "viewer"}).status_code == 422
    assert _user(app_engine, "root").role == "admin"


def test_the_admin_page_is_refused_to_an_editor_and_anonymous(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "edi", Role.EDITOR)
    anonymous = client_on(settings, app_engine)
    assert anonymous.get("/admin/users", follow_redirects=False).status_code == 303
    client = client_on(settings, app_engine)
    sign_in(client, "edi")
    assert client.get("/admin/users").status_code == 403
    refused = client.post("/admin/users", data={"username": "x", "password": "x" * 12})
    assert refused.status_code == 403


def test_navigation_shows_links_by_role(settings: Settings, app_engine: Engine) -> None:
    make_user(app_engine, "cas", Role.CASEWORKER)
    make_user(app_engine, "adm", Role.ADMIN)
    anonymous = client_on(settings, app_engine).get("/about").text
    assert 'href="/login?next=/about"' in anonymous and "/cases" not in anonymous
    seen = {}
    for name in ("cas", "adm"):
        client = client_on(settings, app_engine)
        sign_in(client, name)
        seen[name] = client.get("/about").text
    assert 'href="/cases"' in seen["cas"] and "/admin/users" not in seen["cas"]
    assert all(f'href="{p}"' in seen["adm"] for p in ("/cases", "/admin/users", "/admin/audit"))
    assert 'action="/logout"' in seen["cas"]


def test_a_user_changes_their_own_password(settings: Settings, app_engine: Engine) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    client = client_on(settings, app_engine)
    sign_in(client, "ana")
    other = client_on(settings, app_engine)
    sign_in(other, "ana")
    new = {"new": "my new long password", "repeat": "my new long password"}
    wrong = client.post("/account/password", data={"current": "not it at all", **new})
    assert wrong.status_code == 422 and "current password is not right" in wrong.text
    done = client.post("/account/password", data={"current": PASSWORD, **new})
    assert done.status_code == 200 and "Your password was changed" in done.text
    assert other.get("/account", follow_redirects=False).status_code == 303  # other session ended
    assert passwords.verify_password(_user(app_engine, "ana").password_hash, "my new long password")


def _code(secret: str, clock: Clock, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(clock.now.timestamp() + 30 * steps)


def test_an_admin_enrols_in_totp_and_then_signs_in_with_a_code(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "root", Role.ADMIN)
    clock = Clock()
    client = client_on(settings, app_engine, clock)
    sign_in(client, "root")
    page = client.post("/account/totp/begin").text
    secret = re.search(r"<dt>Key</dt><dd><code>([A-Z2-7]+)</code>", page)[1]  # type: ignore[index]
    assert "otpauth://totp/azyl:root?secret=" in page
    stored = _user(app_engine, "root").totp_secret
    assert secret not in stored  # encrypted with the keyring
    assert client.post("/account/totp/confirm", data={"code": "000000"}).status_code == 422
    confirmed = client.post("/account/totp/confirm", data={"code": _code(secret, clock)})
    assert "Two-step sign-in is on" in confirmed.text

    clock.advance(minutes=2)
    fresh = client_on(settings, app_engine, clock)
    token = login_form_token(fresh)
    form = {"username": "root", "password": PASSWORD, "csrf_token": token, "next": "/admin/users"}
    step1 = fresh.post("/login", data=form, follow_redirects=False)
    assert step1.headers["location"] == "/login/totp?next=/admin/users"
    assert "azyl_session" not in step1.cookies  # not signed in yet
    assert fresh.get("/admin/users", follow_redirects=False).status_code == 303
    bad = fresh.post("/login/totp", data={"code": "123456", "csrf_token": token})
    assert bad.status_code == 401
    code = _code(secret, clock)
    good = fresh.post("/login/totp", data={"code": code, "csrf_token": token,
                      "next": "/admin/users"}, follow_redirects=False)  # fmt: skip
    assert good.status_code == 303 and good.headers["location"] == "/admin/users"
    assert fresh.get("/admin/users").status_code == 200

    replay = client_on(settings, app_engine, clock)
    token = login_form_token(replay)
    replay.post("/login", data={"username": "root", "password": PASSWORD, "csrf_token": token})
    reused = replay.post("/login/totp", data={"code": code, "csrf_token": token})
    assert reused.status_code == 401  # the same code cannot be used twice
    with session_scope(app_engine) as db:
        assert [e.action for e in audit.entries(db, action="user.totp_enable")] == [
            "user.totp_enable"
        ]


def test_totp_is_turned_off_only_with_a_current_code(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "root", Role.ADMIN)
    clock = Clock()
    client = client_on(settings, app_engine, clock)
    sign_in(client, "root")
    page = client.post("/account/totp/begin").text
    secret = re.search(r"<dt>Key</dt><dd><code>([A-Z2-7]+)</code>", page)[1]  # type: ignore[index]
    client.post("/account/totp/confirm", data={"code": _code(secret, clock)})
    assert client.post("/account/totp/disable", data={"code": "000000"}).status_code == 422
    clock.advance(seconds=30)
    off = client.post("/account/totp/disable", data={"code": _code(secret, clock)})
    assert "Two-step sign-in is off" in off.text
    assert _user(app_engine, "root").totp_secret is None
