"""The admins' accounts page: list, add, disable or enable, change role, reset password.

Each action is one call into `azyl.accounts.users`, which writes the audit
entry in the same transaction. Errors (a taken username, a short password)
re-render the page with the sentence and nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from azyl.accounts import users
from azyl.accounts.model import User
from azyl.accounts.roles import Role, parse_role
from azyl.appdb import session_scope
from azyl.errors import AzylError
from azyl.i18n.message import error_text
from azyl.web.deps import AppEngine, Lang
from azyl.web.session import client_address, require
from azyl.web.templating import render

router = APIRouter(include_in_schema=False)
Admin = Annotated[User, Depends(require(Role.ADMIN))]


def _page(
    request: Request, engine: Engine, lang: str, status: int = 200, **extra: Any
) -> HTMLResponse:
    with session_scope(engine) as db:
        accounts = users.list_users(db)
    context = {
        "title": "",
        "accounts": accounts,
        "roles": [r.value for r in Role],
        "error": None,
        "done": None,
        **extra,
    }
    return render(request, "admin_users.html", context, lang, status=status)


@router.get("/admin/users", response_class=HTMLResponse)
def admin_users(
    request: Request, engine: AppEngine, lang: Lang, admin: Admin, done: str = ""
) -> HTMLResponse:
    return _page(request, engine, lang, done=done or None)


def _act(
    request: Request, engine: Engine, lang: str, action: Callable[[Any], object], done: str
) -> Response:
    try:
        with session_scope(engine) as db:
            action(db)
    except AzylError as exc:
        return _page(request, engine, lang, 422, error=error_text(exc, lang))
    return RedirectResponse(f"/admin/users?done={done}", status_code=303)


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    engine: AppEngine,
    lang: Lang,
    admin: Admin,
    username: Annotated[str, Form(max_length=200)] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "viewer",
    password: Annotated[str, Form(max_length=2048)] = "",
) -> Response:
    address = client_address(request)
    return _act(
        request, engine, lang,
        lambda db: users.add(db, username, password, parse_role(role), actor=admin,
                             display_name=display_name, address=address),
        "added",
    )  # fmt: skip


@router.post("/admin/users/{username}/disable", response_class=HTMLResponse)
def disable_user(
    request: Request, engine: AppEngine, lang: Lang, admin: Admin, username: str
) -> Response:
    address = client_address(request)
    return _act(
        request, engine, lang,
        lambda db: users.set_disabled(db, username, True, actor=admin, address=address),
        "disabled",
    )  # fmt: skip


@router.post("/admin/users/{username}/enable", response_class=HTMLResponse)
def enable_user(
    request: Request, engine: AppEngine, lang: Lang, admin: Admin, username: str
) -> Response:
    address = client_address(request)
    return _act(
        request, engine, lang,
        lambda db: users.set_disabled(db, username, False, actor=admin, address=address),
        "enabled",
    )  # fmt: skip


@router.post("/admin/users/{username}/role", response_class=HTMLResponse)
def change_role(
    request: Request,
    engine: AppEngine,
    lang: Lang,
    admin: Admin,
    username: str,
    role: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    address = client_address(request)
    return _act(
        request, engine, lang,
        lambda db: users.set_role(db, username, parse_role(role), actor=admin, address=address),
        "role",
    )  # fmt: skip


@router.post("/admin/users/{username}/password", response_class=HTMLResponse)
def reset_password(
    request: Request,
    engine: AppEngine,
    lang: Lang,
    admin: Admin,
    username: str,
    password: Annotated[str, Form(max_length=2048)] = "",
) -> Response:
    address = client_address(request)
    return _act(
        request, engine, lang,
        lambda db: users.reset_password(db, username, password, actor=admin, address=address),
        "password",
    )  # fmt: skip
