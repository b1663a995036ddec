"""Knowledge base: facts (filtered, as of a date), one fact, the sources they cite."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from azyl.web.api.payloads.kb import Fact, FactDetail, Source, SourceDetail
from azyl.web.deps import Svc
from azyl.web.envelope import Envelope, envelope_bytes, json_response, ok
from azyl.web.params import Opt, fact_filters

router = APIRouter(tags=["knowledge base"])

#: Stricter than the page's field (where an empty box means "every date").
AsOf = Annotated[
    str | None,
    Query(
        description="Only facts in force on this date (YYYY-MM-DD); omit for every period.",
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        json_schema_extra={"format": "date"},
    ),
]


@router.get(
    "/facts",
    response_model=Envelope[list[Fact]],
    summary="Facts of state practice, filtered by state, kind, profile and date",
)
def facts(
    services: Svc, state: Opt = None, kind: Opt = None, as_of: AsOf = None, profile: Opt = None
) -> Response:
    """Without `as_of`, facts of every period; with it, only those in force on that date."""
    filters = fact_filters(state, kind, as_of, profile)

    def body() -> bytes:
        found = services.facts(
            filters["state"], filters["kind"], filters["as_of"], filters["profile"]
        )
        return envelope_bytes(found["items"], total=found["total"], filters=filters,
                              kb_version=services.kb_version())  # fmt: skip

    key = ("api-facts", *sorted(filters.items()))
    return json_response(services.kept_body(key, body))


@router.get("/facts/{fact_id}", response_model=Envelope[FactDetail], summary="One fact")
def fact(services: Svc, fact_id: str) -> Response:
    return ok(services.fact(fact_id), kb_version=services.kb_version())


@router.get(
    "/sources",
    response_model=Envelope[list[Source]],
    summary="Every source the knowledge base cites",
)
def sources(services: Svc) -> Response:
    def body() -> bytes:
        items = services.kb_sources()
        return envelope_bytes(items, total=len(items), kb_version=services.kb_version())

    return json_response(services.kept_body(("api-sources",), body))


@router.get(
    "/sources/{source_id}",
    response_model=Envelope[SourceDetail],
    summary="One source, with the facts citing it",
)
def source(services: Svc, source_id: str) -> Response:
    return ok(services.kb_source(source_id), kb_version=services.kb_version())
