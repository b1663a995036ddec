"""Sign-in, sign-out, the TOTP step, and each user's own account page.

Routes stay thin: the checks live in `azyl.accounts` (signin, sessions, totp,
users). A sign-in always issues a brand-new session token; a token the
browser had before is ended, never promoted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from azyl import audit
from azyl.accounts import sessions, signin, totp, users
from azyl.accounts.errors import Throttled
from azyl.accounts.model import User
from azyl.accounts.recheck import Attempt, recheck_code
from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.errors import InputError
from azyl.i18n import N_
from azyl.i18n.message import Message, error_text, failure
from azyl.i18n.message import render as render_message
from azyl.web.deps import AppEngine, Lang, Svc
from azyl.web.session import (
    COOKIE,
    PENDING_COOKIE,
    CurrentUser,
    clear_cookie,
    client_address,
    now,
    require,
    safe_next,
    set_session_cookie,
)
from azyl.web.templating import render

router = APIRouter(include_in_schema=False)
SignedIn = Annotated[User, Depends(require(Role.VIEWER))]


def _login_page(
    request: Request, lang: str, next_path: str, status: int = 200, **extra: Any
) -> HTMLResponse:
    context = {"title": "", "next": safe_next(next_path), "username": "", "error": None, **extra}
    return render(request, "login.html", context, lang, status=status)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, lang: Lang, user: CurrentUser, next: str = "/") -> HTMLResponse:
    return _login_page(request, lang, next)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    engine: AppEngine,
    services: Svc,
    lang: Lang,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=2048)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password; then either finish, or ask for the TOTP code in a second step."""
    address, moment = client_address(request), now(request)
    result = signin.attempt(engine, username, password, address, moment)
    token, pending = None, None
    if result.user is not None:
        with session_scope(engine) as db:
            if signin.needs_second_factor(result.user, services.vault()):
                pending = sessions.start(db, result.user, services.settings, moment, pending=True)
            else:
                token = signin.complete(db, result.user, services.settings, moment, address)
            _end_old_session(db, request)
    response: Response
    if result.retry_at is not None:
        response = _login_page(
            request, lang, next, 429, username=username, error="throttled",
            retry=_retry_text(result.retry_at, moment),
        )  # fmt: skip
        response.headers["retry-after"] = str(
            max(1, int((result.retry_at - moment).total_seconds()))
        )
        return response
    if token is None and pending is None:
        return _login_page(request, lang, next, 401, username=username, error="failed")
    settings = services.settings
    if pending is not None:
        response = RedirectResponse(f"/login/totp?next={_quote(next)}", status_code=303)
        set_session_cookie(response, settings, PENDING_COOKIE, pending)
        clear_cookie(response, settings, COOKIE)
        return response
    assert token is not None
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, settings, COOKIE, token)
    return response


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(safe_next(path), safe="/")


def _retry_text(when: datetime, moment: datetime) -> dict[str, Any]:
    minutes = max(1, -(-int((when - moment).total_seconds()) // 60))
    return {"time": when.strftime("%H:%M UTC"), "minutes": minutes}


def _end_old_session(db: Any, request: Request) -> None:
    """Whatever session the browser carried before this sign-in ends (no fixation)."""
    for name in (COOKIE, PENDING_COOKIE):
        old = request.cookies.get(name)
        if old:
            sessions.end(db, old)


@router.get("/login/totp", response_class=HTMLResponse)
def totp_form(request: Request, lang: Lang, next: str = "/") -> HTMLResponse:
    context = {"title": "", "next": safe_next(next), "error": None}
    return render(request, "login_totp.html", context, lang)


@router.post("/login/totp", response_class=HTMLResponse)
def totp_step(
    request: Request,
    engine: AppEngine,
    services: Svc,
    lang: Lang,
    code: Annotated[str, Form(max_length=20)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """The second step: a valid, unused code turns the pending session into a real one."""
    address, moment, settings = client_address(request), now(request), services.settings
    pending = request.cookies.get(PENDING_COOKIE) or ""
    with session_scope(engine) as db:
        signed = sessions.resolve(db, pending, settings, moment, pending=True) if pending else None
        token, result = None, Attempt()
        if signed is not None:
            user = db.get(User, signed.user.id)
            assert user is not None
            result = signin.second_step(db, user, services.vault(), code, address, moment)
            if result.user is not None:
                sessions.end(db, pending)
                token = signin.complete(db, user, settings, moment, address)
    if signed is None:
        response = RedirectResponse(f"/login?next={_quote(next)}", status_code=303)
        clear_cookie(response, settings, PENDING_COOKIE)
        return response
    if token is None:
        context: dict[str, Any] = {"title": "", "next": safe_next(next), "error": "failed"}
        status = 401
        if result.retry_at is not None:
            context.update(error="throttled", retry=_retry_text(result.retry_at, moment))
            status = 429
        return render(request, "login_totp.html", context, lang, status=status)
    response = RedirectResponse(safe_next(next), status_code=303)
    clear_cookie(response, settings, PENDING_COOKIE)
    set_session_cookie(response, settings, COOKIE, token)
    return response


@router.post("/logout")
def logout(request: Request, engine: AppEngine, services: Svc) -> Response:
    """End the session (the CSRF middleware has checked the token) and forget the cookie."""
    token = request.cookies.get(COOKIE)
    if token:
        with session_scope(engine) as db:
            user = sessions.end(db, token)
            if user is not None:
                audit.record(
                    db, "auth.sign_out", actor=user, target=("user", user.id),
                    address=client_address(request),
                )  # fmt: skip
    target = "/login" if services.settings.sign_in_required else "/"
    response = RedirectResponse(target, status_code=303)
    clear_cookie(response, services.settings, COOKIE)
    return response


# -- the account page ---------------------------------------------------------------------------


def _account_page(
    request: Request, services: Svc, user: User, lang: str, status: int = 200, **extra: Any
) -> HTMLResponse:
    vault = services.vault()
    context = {
        "title": "",
        "account": user,
        "totp_state": totp.state(user, vault),
        "enrolment": totp.enrolment(user, vault),
        "error": None,
        "done": None,
        **extra,
    }
    return render(request, "account.html", context, lang, status=status)


@router.get("/account", response_class=HTMLResponse)
def account(
    request: Request, services: Svc, lang: Lang, user: SignedIn, done: str = ""
) -> Response:
    return _account_page(request, services, user, lang, done=done or None)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    engine: AppEngine,
    services: Svc,
    lang: Lang,
    user: SignedIn,
    current: Annotated[str, Form(max_length=2048)] = "",
    new: Annotated[str, Form(max_length=2048)] = "",
    repeat: Annotated[str, Form(max_length=2048)] = "",
) -> Response:
    """Change one's own password; every session ends, and this one is replaced by a new one."""
    moment, address = now(request), client_address(request)
    try:
        if new != repeat:
            raise failure(InputError, N_("the two new passwords differ; type the same one twice"))
        row = users.change_own_password(engine, user, current, new, address=address, now=moment)
        with session_scope(engine) as db:
            token = sessions.start(db, row, services.settings, moment)
    except (InputError, Throttled) as exc:
        page = _account_page(
            request, services, user, lang, exc.http_status, error=error_text(exc, lang)
        )
        if isinstance(exc, Throttled):
            page.headers["retry-after"] = _retry_after(exc.details["retry_at"], moment)
        return page
    response = RedirectResponse("/account?done=password", status_code=303)
    set_session_cookie(response, services.settings, COOKIE, token)
    return response


@router.post("/account/totp/begin", response_class=HTMLResponse)
def totp_begin(
    request: Request, engine: AppEngine, services: Svc, lang: Lang, user: SignedIn
) -> Response:
    """Make a new TOTP secret to show; it counts only after a code confirms it."""
    try:
        with session_scope(engine) as db:
            row = db.get(User, user.id)
            assert row is not None
            totp.begin(db, row, services.vault())
    except InputError as exc:
        return _account_page(request, services, user, lang, 422, error=error_text(exc, lang))
    return RedirectResponse("/account#totp", status_code=303)


@router.post("/account/totp/confirm", response_class=HTMLResponse)
def totp_confirm(
    request: Request,
    engine: AppEngine,
    services: Svc,
    lang: Lang,
    user: SignedIn,
    code: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    try:
        with session_scope(engine) as db:
            row = db.get(User, user.id)
            assert row is not None
            totp.confirm(db, row, services.vault(), code, now(request), client_address(request))
    except InputError as exc:
        with session_scope(engine) as db:
            fresh = db.get(User, user.id)
        return _account_page(
            request, services, fresh or user, lang, 422, error=error_text(exc, lang)
        )
    return RedirectResponse("/account?done=totp_on", status_code=303)


@router.post("/account/totp/disable", response_class=HTMLResponse)
def totp_disable(
    request: Request,
    engine: AppEngine,
    services: Svc,
    lang: Lang,
    user: SignedIn,
    code: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Turn the second factor off; a current code is needed if it is on (throttled, audited)."""
    address, moment = client_address(request), now(request)
    error, status, retry = None, 422, None
    with session_scope(engine) as db:
        row = db.get(User, user.id)
        assert row is not None
        vault = services.vault()
        if totp.state(row, vault) == "on":
            checked = recheck_code(db, row, vault, code, address, moment, step="totp_disable")
            if checked.retry_at is not None:
                retry = checked.retry_at
                error, status = render_message(_retry_sentence(checked.retry_at), lang), 429
            elif not checked.ok:
                error = render_message(Message.of(_CODE_NOT_RIGHT), lang)
        if error is None:
            totp.disable(db, row, actor=row, address=address)
    if error:
        page = _account_page(request, services, row, lang, status, error=error)
        if retry is not None:
            page.headers["retry-after"] = _retry_after(retry.isoformat(), moment)
        return page
    return RedirectResponse("/account?done=totp_off", status_code=303)


_CODE_NOT_RIGHT = N_("that code is not right; the second step stays on")


def _retry_sentence(when: datetime) -> Message:
    return Message.of(
        N_("too many wrong codes: try again after {time}"), time=when.strftime("%H:%M UTC")
    )


def _retry_after(when: str, moment: datetime) -> str:
    """The Retry-After header: whole seconds until `when` (an ISO time), at least one."""
    return str(max(1, int((datetime.fromisoformat(when) - moment).total_seconds())))
