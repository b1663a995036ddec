"""Server-rendered pages: one module per page of the navigation."""

from __future__ import annotations

from fastapi import APIRouter

from azyl.web.pages import about, atlas, countries, incidents, kb, screening

router = APIRouter(include_in_schema=False)
for module in (atlas, countries, screening, incidents, kb, about):
    router.include_router(module.router)

from azyl.web.pages import cases as _cases  # noqa: E402  (saved cases; one line per area eases merges)

router.include_router(_cases.router)
