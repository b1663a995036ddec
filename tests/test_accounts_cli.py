"""`azyl users ...`: add, list, disable, enable, reset-password, set-role, all audited."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine

from azyl import audit
from azyl.accounts import passwords, users
from azyl.appdb import session_scope
from azyl.config import Settings


@pytest.fixture
def azyl_users(
    settings: Settings,
    app_engine: Engine,
    run_azyl: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., Any]:
    """Run `azyl users ...` against the test database, with text on standard input."""
    env = {
        "AZYL_DATA_DIR": str(settings.data_dir),
        "AZYL_DATABASE_URL": app_engine.url.render_as_string(hide_password=False),
    }

    def run(*args: str, stdin: str = "") -> Any:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        return run_azyl("users", *args, env=env)

    return run


def _user(engine: Engine, name: str) -> Any:
    with session_scope(engine) as db:
        return users.get(db, name)


def test_the_first_admin_is_added_with_a_password_from_stdin(
    azyl_users: Callable[..., Any], app_engine: Engine
) -> None:
    run = azyl_users("add", "Ana", "--role", "admin", "--name", "Ana K.", "--password-stdin",
                     stdin="a long enough secret\n")  # fmt: skip
    assert run.code == 0, run.err
    assert "added ana (admin)" in run.out
    user = _user(app_engine, "ana")
    assert user.role == "admin" and user.display_name == "Ana K."
    assert passwords.verify_password(user.password_hash, "a long enough secret")
    with session_scope(app_engine) as db:
        entry = audit.entries(db, action="user.add")[0]
    assert entry.actor is not None and entry.actor.startswith("cli:")
    assert "a long enough secret" not in str(entry.details)


def test_a_short_password_or_a_taken_name_is_refused_in_one_line(
    azyl_users: Callable[..., Any],
) -> None:
    short = azyl_users("add", "ana", "--password-stdin", stdin="short\n")
    assert short.code == 1 and "at least 12 characters" in short.err
    assert "Traceback" not in short.err
    assert azyl_users("add", "ana", "--password-stdin", stdin="a long enough secret\n").code == 0
    again = azyl_users("add", "ANA", "--password-stdin", stdin="a long enough secret\n")
    assert again.code == 1 and "already exists" in again.err
    role = azyl_users("add", "bob", "--role", "boss", "--password-stdin", stdin="x" * 12)
    assert role.code == 1 and "the roles are viewer, caseworker, editor, admin" in role.err


def test_the_password_is_never_an_argument(azyl_users: Callable[..., Any]) -> None:
    run = azyl_users("add", "ana", "--password", "a long enough secret")
    assert run.code != 0 and "No such option" in run.err


def test_list_disable_enable_set_role_and_reset_password(
    azyl_users: Callable[..., Any], app_engine: Engine
) -> None:
    for name, role in (("ana", "admin"), ("bob", "caseworker")):
        azyl_users("add", name, "--role", role, "--password-stdin", stdin="a long enough secret")
    listing = azyl_users("list").out.splitlines()
    assert [line.split()[:3] for line in listing] == [
        ["ana", "admin", "active"],
        ["bob", "caseworker", "active"],
    ]
    assert azyl_users("disable", "bob").code == 0
    assert _user(app_engine, "bob").disabled
    assert azyl_users("enable", "bob").code == 0
    assert not _user(app_engine, "bob").disabled
    assert azyl_users("set-role", "bob", "editor").code == 0
    assert _user(app_engine, "bob").role == "editor"
    reset = azyl_users("reset-password", "bob", "--password-stdin", stdin="another long secret\n")
    assert reset.code == 0
    assert passwords.verify_password(_user(app_engine, "bob").password_hash, "another long secret")
    missing = azyl_users("disable", "nobody")
    assert missing.code == 1 and "no account named 'nobody'" in missing.err
    with session_scope(app_engine) as db:
        actions = [e.action for e in audit.entries(db)]
    assert actions == ["user.add", "user.add", "user.disable", "user.enable",
                       "user.role_change", "user.reset_password"]  # fmt: skip


def test_release_opens_the_cases_an_admins_reset_held_and_says_so_in_the_list(
    azyl_users: Callable[..., Any], app_engine: Engine
) -> None:
    from azyl.accounts.roles import Role

    with session_scope(app_engine) as db:
        root = users.add(db, "root", "root's long password", Role.ADMIN, actor="test")
        users.add(db, "anna", "anna's long password", Role.CASEWORKER, actor="test")
        users.reset_password(db, "anna", "chosen by the admin", actor=root)
    assert "cases held (reset by root)" in azyl_users("list").out
    run = azyl_users("release", "anna")
    assert run.code == 0, run.err
    assert "the cases of anna are open to that account again" in run.out
    assert _user(app_engine, "anna").cases_held_by is None
    again = azyl_users("release", "anna")
    assert again.code == 1 and "are not held; nothing to release" in again.err
    with session_scope(app_engine) as db:
        entry = audit.entries(db, action="user.release_cases")[0]
    assert entry.actor is not None and entry.actor.startswith("cli:")
    assert entry.details == {"held_by": "root"}
