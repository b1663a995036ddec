"""The incident registry: public incidents, filtered; one incident with its sources."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from azyl.web.deps import Svc
from azyl.web.envelope import Envelope, ok
from azyl.web.pages.incidents import Opt, OptYear, incident_filters

router = APIRouter(tags=["incidents"])


@router.get(
    "/incidents",
    response_model=Envelope[list[dict[str, Any]]],
    summary="Public incidents of transnational repression, filtered",
)
def incidents(
    services: Svc, origin: Opt = None, host: Opt = None, tactic: Opt = None, stage: Opt = None,
    year: OptYear = None,
) -> Response:  # fmt: skip
    filters = incident_filters(origin, host, tactic, stage, year)
    result = services.incidents(filters, False)
    return ok(result["items"], total=result["total"], filters=filters)


@router.get(
    "/incidents/{incident_id}",
    response_model=Envelope[dict[str, Any]],
    summary="One public incident with its sources",
)
def incident(services: Svc, incident_id: str) -> Response:
    return ok(services.incident(incident_id, False))
