"""The JSON API under /api/: one router per resource, every route in the envelope."""

from __future__ import annotations

from fastapi import APIRouter

from azyl.web.api import assess, incidents, kb, meta, proposals, stats
from azyl.web.envelope import ERROR_RESPONSES

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
for module in (meta, stats, kb, proposals, incidents, assess):
    router.include_router(module.router)

from azyl.web.api import cases as _cases  # noqa: E402  (saved cases; one line per area eases merges)

router.include_router(_cases.router)
