"""Statistics: rates, the asylum lottery, the origin x destination matrix, provenance."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from azyl import countries
from azyl.web.api.payloads.stats import Heatmap, Lottery, RateDefinition, RateSeries, StatisticsFile
from azyl.web.deps import Svc
from azyl.web.envelope import Envelope, ok
from azyl.web.params import DEFAULT_RATE, Origin, Rate, Year

router = APIRouter(tags=["statistics"])
Destination = Annotated[str | None, Query(description="Country of asylum (code or name).")]
Scope = Annotated[
    Literal["all", "europe"],
    Query(description="Destinations compared: all countries of asylum, or EU+ and the UK."),
]


@router.get(
    "/lottery",
    response_model=Envelope[Lottery],
    summary="Destinations ranked by rate for one origin and year (the asylum lottery)",
)
async def lottery(
    services: Svc,
    origin: Origin = "RUS",
    year: Year = None,
    rate: Rate = DEFAULT_RATE,
    scope: Scope = "all",
) -> Response:
    data = services.lottery(countries.alpha3(origin), year, rate, scope)
    return ok(data, provenance=data.get("provenance", []))


@router.get(
    "/rates",
    response_model=Envelope[RateSeries],
    summary="Rates by year for one origin (optionally one destination), with intervals",
)
async def rates(
    services: Svc,
    origin: Origin = "RUS",
    destination: Destination = None,
    rate: Rate = DEFAULT_RATE,
) -> Response:
    code = countries.alpha3(destination) if destination else None
    data = services.rates(countries.alpha3(origin), code, rate)
    return ok(data, provenance=data.get("provenance", []))


@router.get(
    "/heatmap",
    response_model=Envelope[Heatmap],
    summary="Rates of every FSU origin in every destination for one year",
)
async def heatmap(services: Svc, year: Year = None, rate: Rate = DEFAULT_RATE) -> Response:
    data = services.heatmap(year, rate)
    return ok(data, provenance=data.get("provenance", []))


@router.get(
    "/definitions",
    response_model=Envelope[list[RateDefinition]],
    summary="The definition of every rate azyl computes",
)
def definitions(services: Svc) -> Response:
    return ok(services.rate_definitions())


@router.get(
    "/provenance",
    response_model=Envelope[list[StatisticsFile]],
    summary="Every statistics file: publisher, dataset, licence, release, sha256, retrieval",
)
def provenance(services: Svc) -> Response:
    return ok(services.statistics_sources())
