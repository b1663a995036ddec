"""Screening: the case-profile schema, an assessment, and the assessment as a report file."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from azyl.reports import render
from azyl.web.api.payloads.assess import Assessment, ProfileSchema
from azyl.web.deps import Lang, Svc
from azyl.web.envelope import Envelope, envelope_bytes, json_response, ok

router = APIRouter(tags=["screening"])

Profile = Annotated[
    dict[str, Any],
    Body(
        description="A case profile (see GET /api/assess/schema): person, route, "
        "current_country, stage, optional proposed_action and as_of.",
        examples=[
            {
                "person": {"citizenship": ["RUS"], "profiles": ["anti_war"]},
                "route": [{"country": "POL", "role": "first_eu_entry"}],
                "current_country": "DEU",
                "stage": "dublin_procedure",
                "proposed_action": {"type": "dublin_transfer", "to": "POL"},
                "as_of": "2024-05-01",
            }
        ],
    ),
]


@router.get(
    "/assess/schema",
    response_model=Envelope[ProfileSchema],
    summary="The case profile as JSON Schema",
)
def schema(services: Svc) -> Response:
    # Built once per process: the schema comes from the code.
    body = services.kept_body(
        ("api-assess-schema",), lambda: envelope_bytes(services.profile_schema())
    )
    return json_response(body)


@router.post(
    "/assess",
    response_model=Envelope[Assessment],
    summary="Screen one case profile (stateless: nothing is stored)",
)
async def assess(services: Svc, profile: Profile) -> Response:
    """Every mechanism that could send the person back, with pathways, protective
    arguments, destination figures and the trace of rules and evidence used."""
    assessment, _case = await run_in_threadpool(services.assess, profile)
    data = assessment.to_dict()
    return ok(data, as_of=data["trace"]["as_of"], kb_version=data["trace"]["kb_version"])


@router.post(
    "/assess/report",
    summary="Screen one case profile and return the report as a file",
    response_class=Response,
    responses={200: {"description": "The report in the requested format."}},
)
def report(
    services: Svc,
    lang: Lang,
    profile: Profile,
    format: Literal["html", "markdown", "json", "pdf"] = "pdf",
) -> Response:
    assessment, case = services.assess(profile)
    rendered = render(services.report(assessment, case, lang), format)
    disposition = f'attachment; filename="{rendered.filename}"'
    return Response(
        rendered.content,
        media_type=rendered.media_type,
        headers={"content-disposition": disposition},
    )
