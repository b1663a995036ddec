"""Who is signed in, what they may do, and the CSRF check: the web authentication contract.

`AuthMiddleware` resolves the `azyl_session` cookie once per request (the
database holds only the token's SHA-256), and refuses any POST, PUT, PATCH or
DELETE made with a live session unless it carries the session's CSRF token
(form field `csrf_token` or header `X-CSRF-Token`, compared in constant time),
and any such request a browser marks `Sec-Fetch-Site: cross-site`.
The sign-in form, which has no session yet, is protected by a double-submit
token: a random `azyl_csrf` cookie that the form must echo. With
`sign_in_required`, every route except sign-in, static files and the health
check needs a session.

The session cookie is HttpOnly, Path=/, Secure in production, and
SameSite=Strict: azyl has no flow that needs the session on a request started
by another site, and Strict also withholds it from cross-site top-level GETs,
which closes cross-site leak tricks that Lax leaves open. The cost is that a
link to azyl followed from an e-mail shows the sign-in page until reloaded.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from azyl.accounts import sessions
from azyl.accounts.errors import CsrfFailed
from azyl.accounts.model import User
from azyl.appdb import session_scope
from azyl.config import Settings
from azyl.i18n import N_
from azyl.i18n.message import failure
from azyl.web.bodies import no_more, read_body, replay
from azyl.web.envelope import error_body
from azyl.web.errors import respond
from azyl.web.session import (
    COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    OPEN_PATHS,
    PRE_CSRF_COOKIE,
    PRE_SESSION_FORMS,
    UNSAFE,
    SignInRedirect,
    here,
    is_api,
    login_url,
    now,
    set_session_cookie,
)

# -- middleware --------------------------------------------------------------------------------


class AuthMiddleware:
    """Resolve the session, enforce CSRF and (when configured) sign-in, for every request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        settings: Settings = scope["app"].state.settings
        state = scope.setdefault("state", {})
        cookies = request.cookies
        state["user"], state["session_token"] = None, None
        token = cookies.get(COOKIE)
        if token:
            user = await run_in_threadpool(self._resolve, request, settings, token)
            if user is not None:
                state["user"], state["session_token"] = user, token
        pre = cookies.get(PRE_CSRF_COOKIE)
        state["pre_csrf"] = pre if pre and len(pre) <= 128 else secrets.token_urlsafe(32)
        state["pre_csrf_new"] = state["pre_csrf"] != pre
        path = scope["path"]
        if (
            settings.sign_in_required
            and state["user"] is None
            and path not in OPEN_PATHS
            and not path.startswith("/static/")
        ):
            await self._sign_in_first(request, scope, receive, send)
            return
        if scope["method"] in UNSAFE and (state["session_token"] or path in PRE_SESSION_FORMS):
            body = await read_body(receive)
            receive = replay(body, receive)
            # Defence in depth: browsers say when another site started the request.
            cross_site = request.headers.get("sec-fetch-site") == "cross-site"
            if cross_site or not await self._csrf_ok(scope, body, state, pre):
                await _refuse_csrf(request, scope, receive, send)
                return
        await self.app(scope, receive, _with_pre_cookie(send, state, settings))

    @staticmethod
    def _resolve(request: Request, settings: Settings, token: str) -> User | None:
        engine = request.app.state.services.app_engine()
        with session_scope(engine) as db:
            signed = sessions.resolve(db, token, settings, now(request))
            return signed.user if signed else None

    @staticmethod
    async def _csrf_ok(scope: Scope, body: bytes, state: dict[str, Any], pre: str | None) -> bool:
        if state["session_token"]:
            expected = sessions.csrf_token_for(state["session_token"])
        elif pre:
            expected = pre
        else:
            return False
        request = Request(scope, replay(body, no_more))
        sent = request.headers.get(CSRF_HEADER)
        if sent is None:
            ctype = request.headers.get("content-type", "")
            if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
                try:
                    form = await request.form()
                except Exception:  # a malformed body: no token in it
                    return False
                value = form.get(CSRF_FIELD)
                sent = value if isinstance(value, str) else None
                await form.close()
        return sent is not None and hmac.compare_digest(sent.encode(), expected.encode())

    @staticmethod
    async def _sign_in_first(request: Request, scope: Scope, receive: Receive, send: Send) -> None:
        if is_api(scope["path"]):
            body = error_body("sign_in_required", "sign in first: this server needs an account")
            response: Response = JSONResponse(body, status_code=401)
        else:
            response = RedirectResponse(login_url(here(request)), status_code=303)
        await response(scope, receive, send)


async def _refuse_csrf(request: Request, scope: Scope, receive: Receive, send: Send) -> None:
    error = failure(
        CsrfFailed,
        N_("this form has expired or did not come from azyl; reload the page and send it again"),
    )
    response = respond(request, error.http_status, error.code, error.message, text=error.text)
    await response(scope, receive, send)


def _with_pre_cookie(send: Send, state: dict[str, Any], settings: Settings) -> Send:
    """Set the pre-session CSRF cookie when a page handed out a new pre-session token."""

    async def wrapped(message: Message) -> None:
        fresh = state.get("pre_csrf_used") and state.get("pre_csrf_new")
        if message["type"] == "http.response.start" and fresh:
            response = Response()
            set_session_cookie(response, settings, PRE_CSRF_COOKIE, state["pre_csrf"])
            cookie = response.headers["set-cookie"].encode("latin-1")
            message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie)]
        await send(message)

    return wrapped


def install(app: FastAPI) -> None:
    """Add the middleware and the redirect of a page that needs a session to the sign-in page."""
    app.add_middleware(AuthMiddleware)

    @app.exception_handler(SignInRedirect)
    async def to_sign_in(request: Request, exc: SignInRedirect) -> Response:
        return RedirectResponse(login_url(exc.next_path), status_code=303)
