"""Every route of the web app, registered in one place: the JSON API under /api, then the pages.

Order matters where paths overlap: /incidents/new, /incidents/import and
/incidents/export.csv are registered before /incidents/{id}.
"""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, FastAPI
from starlette.routing import BaseRoute

from azyl.web.api import assess as api_assess
from azyl.web.api import cases as api_cases
from azyl.web.api import incident_files as api_incident_files
from azyl.web.api import incidents as api_incidents
from azyl.web.api import kb as api_kb
from azyl.web.api import meta as api_meta
from azyl.web.api import proposals as api_proposals
from azyl.web.api import search as api_search
from azyl.web.api import stats as api_stats
from azyl.web.envelope import ERROR_RESPONSES
from azyl.web.pages import (
    about,
    account,
    admin_audit,
    admin_users,
    atlas,
    cases,
    countries,
    edit_incidents,
    incident_files,
    incidents,
    kb,
    proposals,
    screening,
    search,
)

API = (
    api_meta,
    api_stats,
    api_kb,
    api_proposals,
    api_search,
    api_incident_files,
    api_incidents,
    api_assess,
    api_cases,
)
PAGES = (
    account,
    admin_users,
    atlas,
    countries,
    screening,
    incident_files,
    edit_incidents,
    incidents,
    proposals,
    kb,
    search,
    about,
    cases,
    admin_audit,
)


def include_routes(app: FastAPI) -> None:
    """Register the API (in the OpenAPI document, with the error envelope) and the pages.

    The routers are included once per process (`_included`) and every app
    created in it shares those inclusions. FastAPI works out an included
    route's dependencies and models the first time a request is matched
    against it, once per inclusion: each app including the routers anew paid
    that for every route again (about a tenth of a second per app, which the
    test suite, starting hundreds of apps, felt). Shared inclusions have no
    app of their own, so `app.dependency_overrides` does not reach these
    routes; azyl sets none.
    """
    app.router.routes.extend(_included())


@cache
def _included() -> tuple[BaseRoute, ...]:
    """The API under /api and the pages, included into one router once per process.

    Each router is included with a prefix or holds only its own routes: FastAPI
    checks an include without a prefix by resolving every route of the routers
    nested in it.
    """
    whole = APIRouter()
    api = APIRouter(responses=ERROR_RESPONSES)
    for module in API:
        api.include_router(module.router)
    whole.include_router(api, prefix="/api")
    for module in PAGES:
        whole.include_router(module.router, include_in_schema=False)
    return tuple(whole.routes)
