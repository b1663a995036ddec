"""The web application factory: `create_app(settings)` is what `azyl serve` and the tests call."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from azyl import __version__
from azyl.config import Settings
from azyl.web.auth import install as install_auth
from azyl.web.envelope import ErrorEnvelope
from azyl.web.errors import install_error_handlers
from azyl.web.routes import include_routes
from azyl.web.security import install as install_security
from azyl.web.security import swagger_page
from azyl.web.services import Services
from azyl.web.uploads import install as install_uploads

STATIC = Path(__file__).parent / "static"

DESCRIPTION = """\
The JSON API of azyl: asylum statistics (rates, the asylum lottery), the knowledge
base of state practice, the incident registry of transnational repression, and
chain-refoulement screening. Every success is `{"data": ..., "meta": ...}`; every
failure is `{"error": {"code", "message", "details"}}`. Country parameters accept
ISO alpha-3, alpha-2 or English names; output uses ISO alpha-3.
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Refuse to start without the keyring a non-empty database needs (`azyl.keys.guard`).

    Every worker runs this before it serves, so `azyl serve --workers N`,
    uvicorn and gunicorn all stop at start-up with the reason instead of
    saving new cases under a new, unrelated key. Each worker then loads what
    every request reads (`Services.warm`), so the first readers do not wait for it.
    """
    await run_in_threadpool(app.state.services.vault)
    await run_in_threadpool(app.state.services.warm)
    # What every request reads is loaded now and lives as long as the process: keep it out
    # of the garbage collector's full passes, which otherwise walked it again and again
    # under load (pauses of up to 0.3 s, measured; 22 ms at most once frozen). Only the
    # young generations are collected first, where the loading's garbage would be: a full
    # pass found nothing to free after loading and cost 0.1 s in a new worker (seconds
    # across the test suite, whose processes start hundreds of apps).
    gc.collect(1)
    gc.freeze()
    yield
    gc.unfreeze()  # an app that stops in a process that goes on (tests) leaves nothing frozen


def create_app(settings: Settings, services: Services | None = None) -> FastAPI:
    """Build the application (API, pages, static files) for one set of settings."""
    app = FastAPI(
        lifespan=lifespan,
        title="azyl",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.services = services or Services.from_settings(settings)
    install_error_handlers(app)
    install_auth(app)
    install_security(app, settings)
    install_uploads(app, settings)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    include_routes(app)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return swagger_page()

    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with validation failures described by our error envelope."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    ref = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if status[0] in "45" and "content" in response:
                    response["content"] = {"application/json": {"schema": ref}}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    if "ErrorEnvelope" not in components:
        envelope = ErrorEnvelope.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(envelope.pop("$defs", {}))
        components["ErrorEnvelope"] = envelope
    app.openapi_schema = schema
    return schema
