"""The JSON API under /api/: one router per resource, every route in the envelope."""

from __future__ import annotations

from fastapi import APIRouter

from azyl.web.api import assess, cases, incident_files, incidents, kb, meta, proposals, stats
from azyl.web.envelope import ERROR_RESPONSES

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
for module in (meta, stats, kb, proposals, incident_files, incidents, assess, cases):
    router.include_router(module.router)
