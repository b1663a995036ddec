"""Web hardening: security headers on every response, a request-size limit, the API docs page.

Every response carries a strict Content-Security-Policy (nothing inline, no
other origin), so an injected `<script>` or `onclick=` does not run even if
escaping failed somewhere. Anything personal (signed-in pages, screenings, the
assessment API, any answer to a POST) is marked `Cache-Control: no-store`, so
shared computers and proxies keep no copy. Request bodies larger than
`max_upload_bytes` are refused with 413 before they are read, whether they
announce their length or stream it.
"""

from __future__ import annotations

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from azyl.config import Settings
from azyl.i18n import N_
from azyl.i18n.message import Message as Sentence
from azyl.i18n.message import Number, render, text_of
from azyl.limits import LimitExceeded, check_json
from azyl.web.bodies import read_body, replay
from azyl.web.errors import UNEXPECTED, log, respond

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (
        b"permissions-policy",
        b"camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    ),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
#: Paths whose answers are personal even for a GET (prefixes).
PERSONAL = ("/login", "/logout", "/account", "/admin", "/cases", "/api/assess", "/api/cases")


def _personal(scope: Scope) -> bool:
    state = scope.get("state") or {}
    if state.get("user") is not None or scope["method"] not in ("GET", "HEAD"):
        return True
    path: str = scope["path"]
    return path.startswith(PERSONAL)


class SecurityHeaders:
    """Add the security headers (and no-store on personal answers) to every response."""

    def __init__(self, app: ASGIApp, production: bool) -> None:
        self.app = app
        self.production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def wrapped(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _OURS]
                headers += HEADERS
                if self.production:
                    headers.append(HSTS)
                if _personal(scope):
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, wrapped)
        except Exception:
            # Answer here (with the headers) rather than in the outermost error layer.
            if started:
                raise
            log.exception("unexpected error on %s %s", scope["method"], scope["path"])
            response = respond(Request(scope), 500, "internal_error", UNEXPECTED)
            await response(scope, receive, wrapped)


_OURS = {name for name, _ in HEADERS} | {HSTS[0]}


class TooLarge(Exception):
    """The body grew past the limit while streaming."""


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413 and the error envelope."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (
            not length.isdigit() or len(length) > 18 or int(length) > self.limit
        ):
            await self._refuse(scope, receive, send)
            return
        seen = 0
        exceeded = replaced = False

        async def counting() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    exceeded = True
                    raise TooLarge
            return message

        async def replacing(message: Message) -> None:
            # Whatever the app answers after its body was cut off is replaced by the 413.
            nonlocal replaced
            if not exceeded:
                await send(message)
            elif not replaced:
                replaced = True
                await self._refuse(scope, receive, send)

        try:
            await self.app(scope, counting, replacing)
        except TooLarge:
            if not replaced:
                replaced = True
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        """413 as the error envelope, or as the error page for a browser's form."""
        text = Sentence.of(
            N_(
                "the request is larger than this server accepts ({size}, "
                "AZYL_MAX_UPLOAD_BYTES); send a smaller file or split it"
            ),
            size=Sentence.of(N_("{mib} MiB"), mib=Number(self.limit / (1024 * 1024), "0.0")),
        )
        details = {"limit_bytes": self.limit}
        response = respond(Request(scope), 413, "too_large", render(text, "en"), details, text)
        await response(scope, receive, send)


class JsonDepth:
    """Refuse a JSON request body nested deeper than `azyl.limits.MAX_DEPTH`, before it is parsed.

    FastAPI parses JSON bodies recursively on the event loop; a body of a few
    MB nested thousands of levels deep would raise RecursionError or hold the
    loop for seconds. The check is linear and runs in the thread pool for
    bodies larger than `INLINE`. It sits inside BodyLimit, so the body it
    reads is already bounded.
    """

    INLINE = 64 * 1024

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH", "DELETE"):
            await self.app(scope, receive, send)
            return
        ctype = dict(scope.get("headers", [])).get(b"content-type", b"").split(b";")[0].strip()
        if not (ctype == b"application/json" or ctype.endswith(b"+json")):
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        text = body.decode("utf-8", errors="replace")
        try:
            if len(body) > self.INLINE:
                await anyio.to_thread.run_sync(check_json, text, "the request body")
            else:
                check_json(text, "the request body")
        except LimitExceeded as exc:
            response = respond(
                Request(scope), exc.http_status, exc.code, exc.message, exc.details, text_of(exc)
            )
            await response(scope, replay(b"", receive), send)
            return
        await self.app(scope, replay(body, receive), send)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the size limit and the headers (outermost, so every answer carries them)."""
    app.add_middleware(JsonDepth)
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)
    app.add_middleware(SecurityHeaders, production=settings.production)


def swagger_page() -> HTMLResponse:
    """Swagger UI without inline script: its start-up code is a static file (CSP-compatible)."""
    html = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>azyl API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
<link rel="icon" href="/static/vendor/swagger-ui/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/js/swagger-init.js"></script>
</body>
</html>
"""
    return HTMLResponse(html)
