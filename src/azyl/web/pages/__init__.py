"""Server-rendered pages: one module per page of the navigation."""

from __future__ import annotations

from fastapi import APIRouter

from azyl.web.pages import about, admin_audit, atlas, countries, incidents, kb, screening

router = APIRouter(include_in_schema=False)
for module in (atlas, countries, screening, incidents, kb, about, admin_audit):
    router.include_router(module.router)
