"""The request's session as pages and the API see it: who is signed in, what they may do,
the CSRF token forms must send, the client's address, and the session cookie.

    user: CurrentUser                                   # the signed-in User or None
    user: Annotated[User, Depends(require(Role.CASEWORKER))]
    address = client_address(request)                  # for audit entries

The middleware that resolves the session and enforces CSRF is `azyl.web.auth`;
this module only reads what it put on the request, so templates, pages and
error pages can use it without depending on the middleware.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from azyl.accounts import sessions
from azyl.accounts.errors import Forbidden, SignInRequired
from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.config import Settings
from azyl.i18n import N_
from azyl.i18n.message import Term, failure

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
                raise failure(
                    SignInRequired, N_("sign in first: this needs an account on this server")
                )
            raise SignInRedirect(here(request))
        if not Role(user.role).at_least(role):
            raise failure(
                Forbidden,
                N_("this needs the {role} role or higher; yours is {yours}"),
                role=Term("account_roles", role.value),
                yours=Term("account_roles", user.role),
            )
        return user

    dependency.__name__ = f"require_{role.value}"
    return dependency


def here(request: Request) -> str:
    """This request's path and query, to come back to after signing in."""
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
    if not state.get("pre_csrf"):  # a page rendered before the middleware ran (an early error)
        state["pre_csrf"], state["pre_csrf_new"] = secrets.token_urlsafe(32), True
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
