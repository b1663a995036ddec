"""Who is signed in, what they may do, and the CSRF check: the web authentication contract.

    user: CurrentUser                                   # the signed-in User or None
    user: Annotated[User, Depends(require(Role.CASEWORKER))]
    address = client_address(request)                  # for audit entries

`AuthMiddleware` resolves the `azyl_session` cookie once per request (the
database holds only the token's SHA-256), and refuses any POST, PUT, PATCH or
DELETE made with a live session unless it carries the session's CSRF token
(form field `csrf_token` or header `X-CSRF-Token`, compared in constant time).
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
import ipaddress
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from azyl.accounts import sessions
from azyl.accounts.errors import CsrfFailed, Forbidden, SignInRequired
from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.config import Settings
from azyl.web.envelope import error_body

COOKIE = "azyl_session"
PENDING_COOKIE = "azyl_pending"
PRE_CSRF_COOKIE = "azyl_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Paths that answer without a session even when `sign_in_required` is on.
OPEN_PATHS = frozenset({"/login", "/login/totp", "/logout", "/api/health"})
#: Forms posted before a session exists; they carry the double-submit token.
PRE_SESSION_FORMS = frozenset({"/login", "/login/totp"})


class SignInRedirect(Exception):
    """A page needs a session: answer with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def now(request: Request) -> datetime:
    """The time for session expiry; tests put a clock on `app.state.clock`."""
    clock: Callable[[], datetime] | None = getattr(request.app.state, "clock", None)
    return clock() if clock else datetime.now(UTC)


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def login_url(next_path: str) -> str:
    return "/login?next=" + quote(safe_next(next_path), safe="/")


def safe_next(value: str | None) -> str:
    """A same-site relative path to return to after sign-in; anything else becomes '/'."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    if any(ord(c) < 32 or c == "\\" for c in value) or value.startswith("/login"):
        return "/"
    return value


# -- dependencies ------------------------------------------------------------------------------


def current_user(request: Request) -> User | None:
    """The signed-in user of this request, or None (resolved once by the middleware)."""
    user: User | None = getattr(request.state, "user", None)
    return user


CurrentUser = Annotated[User | None, Depends(current_user)]


def require(role: Role) -> Callable[[Request], User]:
    """A dependency yielding the signed-in user whose role is at least `role`.

    Anonymous: API paths answer 401 `sign_in_required`, pages redirect (303) to
    the sign-in page; a lesser role answers 403 `forbidden`.
    """

    def dependency(request: Request) -> User:
        user = current_user(request)
        if user is None:
            if is_api(request.url.path):
                raise SignInRequired("sign in first: this needs an account on this server")
            raise SignInRedirect(_here(request))
        if not Role(user.role).at_least(role):
            raise Forbidden(f"this needs the {role.value} role or higher; yours is {user.role}")
        return user

    dependency.__name__ = f"require_{role.value}"
    return dependency


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def _trusted(settings: Settings) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    nets = []
    for part in settings.forwarded_allow_ips.split(","):
        part = part.strip()
        if part == "*":
            nets += [ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0")]
        elif part:
            try:
                nets.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                continue
    return nets


def _is_trusted(address: str, nets: list[Any]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip.version == net.version and ip in net for net in nets)


def client_address(request: Request) -> str:
    """The client's address: the socket peer, or X-Forwarded-For when the peer is a trusted proxy.

    The forwarded chain is read from the right, skipping trusted proxies, so a
    client cannot pick its own address by sending the header itself.
    """
    peer = request.client.host if request.client else "unknown"
    nets = _trusted(request.app.state.settings)
    if not _is_trusted(peer, nets):
        return peer
    chain = [p.strip() for p in request.headers.get("x-forwarded-for", "").split(",") if p.strip()]
    for hop in reversed(chain):
        if not _is_trusted(hop, nets):
            return hop[:64]
    return chain[0][:64] if chain else peer


# -- template helpers -------------------------------------------------------------------------


def csrf_token(request: Request) -> str:
    """The CSRF token forms on this page must send (session-bound, or the pre-session one)."""
    state = request.scope.setdefault("state", {})
    if state.get("session_token"):
        return sessions.csrf_token_for(state["session_token"])
    state["pre_csrf_used"] = True
    token: str = state["pre_csrf"]
    return token


def template_globals(request: Request) -> dict[str, Any]:
    """`user`, `can(role)`, `csrf_field()` and `csrf_meta` for the page templates."""
    user = current_user(request)

    def can(role_name: str) -> bool:
        return user is not None and Role(user.role).at_least(Role(role_name))

    def csrf_field() -> Markup:
        value = escape(csrf_token(request))
        return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{value}">')

    signed = user is not None and "state" in request.scope
    meta = sessions.csrf_token_for(request.scope["state"]["session_token"]) if signed else ""
    return {"user": user, "can": can, "csrf_field": csrf_field, "csrf_meta": meta}


def set_session_cookie(response: Response, settings: Settings, name: str, token: str) -> None:
    """The session cookie: HttpOnly, SameSite=Strict, Path=/, Secure in production."""
    response.set_cookie(
        name, token, httponly=True, samesite="strict", secure=settings.production, path="/"
    )


def clear_cookie(response: Response, settings: Settings, name: str) -> None:
    response.delete_cookie(
        name, httponly=True, samesite="strict", secure=settings.production, path="/"
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
            body = await _read_body(receive)
            receive = _replay(body, receive)
            if not await self._csrf_ok(scope, body, state, pre):
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
        request = Request(scope, _replay(body, _no_more))
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
            response = RedirectResponse(login_url(_here(request)), status_code=303)
        await response(scope, receive, send)


async def _no_more() -> Message:
    return {"type": "http.disconnect"}


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse_csrf(request: Request, scope: Scope, receive: Receive, send: Send) -> None:
    from azyl.web.errors import respond

    error = CsrfFailed(
        "this form has expired or did not come from azyl; reload the page and send it again"
    )
    response = respond(request, error.http_status, error.code, error.message)
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
    """Add the middleware, the sign-in redirect and the sign-in, account and admin pages."""
    from azyl.web.pages import account, admin_users

    app.add_middleware(AuthMiddleware)

    @app.exception_handler(SignInRedirect)
    async def to_sign_in(request: Request, exc: SignInRedirect) -> Response:
        return RedirectResponse(login_url(exc.next_path), status_code=303)

    app.include_router(account.router)
    app.include_router(admin_users.router)
