"""Server-rendered pages: one module per page of the navigation."""

from __future__ import annotations

from fastapi import APIRouter

from azyl.web.pages import (
    about,
    admin_audit,
    atlas,
    cases,
    countries,
    edit_incidents,
    incident_files,
    incidents,
    kb,
    proposals,
    screening,
)

router = APIRouter(include_in_schema=False)
# incident_files and edit_incidents come before incidents: /incidents/new,
# /incidents/import and /incidents/export.csv are not incident ids.
for module in (
    atlas,
    countries,
    screening,
    incident_files,
    edit_incidents,
    incidents,
    proposals,
    kb,
    about,
    cases,
    admin_audit,
):
    router.include_router(module.router)
