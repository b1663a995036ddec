"""Server-rendered pages: one module per page of the navigation."""

from __future__ import annotations

from fastapi import APIRouter

from azyl.web.pages import about, atlas, countries, incidents, kb, screening

router = APIRouter(include_in_schema=False)
for module in (atlas, countries, screening, incidents, kb, about):
    router.include_router(module.router)

from azyl.web.pages import admin_audit as _admin_audit  # noqa: E402  (the admins' audit log)

router.include_router(_admin_audit.router)
