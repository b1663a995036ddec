"""Server-rendered pages: one module per page of the navigation."""

from __future__ import annotations

from fastapi import APIRouter

from azyl.web.pages import (
    about,
    atlas,
    countries,
    edit_incidents,
    incidents,
    kb,
    proposals,
    screening,
)

router = APIRouter(include_in_schema=False)
# edit_incidents comes before incidents: /incidents/new is not an incident id.
for module in (atlas, countries, screening, edit_incidents, incidents, proposals, kb, about):
    router.include_router(module.router)

from azyl.web.pages import cases as _cases  # noqa: E402  (saved cases; one line per area eases merges)

router.include_router(_cases.router)

from azyl.web.pages import admin_audit as _admin_audit  # noqa: E402  (the admins' audit log)

router.include_router(_admin_audit.router)
