"""Map every failure to the error envelope (JSON) or an error page (HTML), at the edge.

Library code raises `azyl.errors.AzylError` subclasses; their `code` and
`http_status` decide the answer here. The framework's own failures (unknown
path, wrong method, a parameter that does not parse) and unexpected exceptions
get the same envelope, so a client handles one error shape. Paths under
`/api/` always answer JSON; other paths answer an HTML page when the client
accepts HTML (a browser) and the JSON envelope otherwise. Nobody ever sees a
traceback: unexpected errors are logged and reported as one sentence.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from azyl.errors import AzylError
from azyl.i18n import N_
from azyl.i18n.message import Message, text_of
from azyl.web.envelope import error_body
from azyl.web.error_page import error_page
from azyl.web.validation import validation_text

log = logging.getLogger("azyl.web")
UNEXPECTED = N_("azyl hit an internal error; it has been logged. Please try again or report it.")
OUT_OF_RANGE = N_(
    "a value in the request is outside what azyl stores or looks up (a number too large, a "
    "text too long); nothing was changed"
)

_HTTP_CODES = {
    400: ("bad_request", N_("the request could not be read ({detail}); send UTF-8 JSON")),
    404: ("not_found", N_("there is nothing at {path}; see /api/docs for the API's routes")),
    405: ("method_not_allowed", N_("{method} is not allowed on {path}")),
}


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path == "/api":
        return False
    return "text/html" in request.headers.get("accept", "")


def respond(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: Any = None,
    text: Message | None = None,
) -> Response:
    """The error answer for this request: an HTML page for browsers, else the envelope.

    The page shows `text` (the message as a template) in the reader's language; the
    envelope keeps the English `message`, one stable language for API clients.
    """
    if status >= 500 and code != "not_available" and request.app.state.settings.production:
        # Production never shows what went wrong.
        message, details, text = UNEXPECTED, None, Message.of(UNEXPECTED)
    if text is None and message in (UNEXPECTED, OUT_OF_RANGE):
        text = Message.of(message)
    if _wants_html(request):
        return error_page(request, status, code, message, text)
    return JSONResponse(error_body(code, message, details), status_code=status)


def _printable(value: Any) -> Any:
    """An offending input as the envelope can carry it: raw bytes (a body that is not
    JSON, sent with the wrong content type) become a short text instead of breaking the
    error answer itself."""
    if isinstance(value, bytes | bytearray):
        text = bytes(value[:200]).decode("utf-8", errors="replace")
        return text + ("…" if len(value) > 200 else "")
    return value


def _describe(errors: Sequence[Any]) -> tuple[str, list[dict[str, Any]]]:
    """One sentence naming the first bad parameter, and every problem as details."""
    details = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        where = loc[0] if loc else "request"
        name = ".".join(loc[1:]) or where
        place = {"query": "query parameter", "path": "path parameter", "body": "field"}.get(
            where, where
        )
        details.append(
            {
                "location": where,
                "name": name,
                "problem": err.get("msg", "is not valid"),
                "input": _printable(err.get("input")),
            }
        )
        details[-1]["where"] = place
    first = details[0] if details else {"where": "request", "name": "", "problem": "not valid"}
    message = f"{first['where']} {first['name']!r}: {first['problem']}"
    if len(details) > 1:
        message += f" (and {len(details) - 1} more problem{'s' if len(details) > 2 else ''})"
    return message, details


def _allowed_methods(request: Request) -> str:
    """Every method some route accepts on this path (several routes may share one path).

    Starlette's 405 names only the methods of the first route on the path, so
    `Allow` would omit POST on a path served by a GET and a POST route.
    """
    from starlette.routing import Match

    allowed = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every failure the one error shape."""

    @app.exception_handler(AzylError)
    async def azyl_error(request: Request, exc: AzylError) -> Response:
        return respond(request, exc.http_status, exc.code, exc.message, exc.details, text_of(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        message, details = _describe(exc.errors())
        text = validation_text(exc.errors())
        return respond(request, 422, "invalid_input", message, details, text)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code, template = _HTTP_CODES.get(exc.status_code, ("http_error", "{detail}"))
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        values = {"path": request.url.path, "method": request.method, "detail": detail}
        text = Message.of(template, **values) if exc.status_code in _HTTP_CODES else None
        response = respond(request, exc.status_code, code, template.format(**values), text=text)
        if exc.headers:
            response.headers.update(exc.headers)
        if exc.status_code == 405:  # Starlette names only the first route's methods
            response.headers["allow"] = _allowed_methods(request) or response.headers["allow"]
        return response

    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: DataError) -> Response:
        # The database refused a value (a number past its INTEGER, text too long): input
        # the routes let through, so a 4xx that says so; logged in case it was not input.
        log.warning("a value was refused by the database on %s %s: %s",
                    request.method, request.url.path, exc.orig)  # fmt: skip
        return respond(request, 422, "invalid_input", OUT_OF_RANGE)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return respond(request, 500, "internal_error", UNEXPECTED)
