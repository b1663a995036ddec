"""Saved cases in the JSON API: save, list, open, re-run, compare, share, export, erase.

Every route needs a signed-in caseworker (or higher); what each person may do
with a given case is decided by `azyl.cases`, which answers 404 for a case the
asker may not read, exactly as for an id that does not exist.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from azyl import cases
from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.cases.store import NOTES_MAX, TITLE_MAX
from azyl.reports import render
from azyl.reports.saved_run import run_report
from azyl.vault import Vault
from azyl.web.api.payloads.cases import Case, CaseLine, Comparison, Erased, Run, Sharing
from azyl.web.deps import Lang, Svc
from azyl.web.envelope import Envelope, ErrorEnvelope, ok
from azyl.web.services import Services
from azyl.web.session import client_address, require

#: Saved cases need an account: these answers come before any case is looked at.
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorEnvelope, "description": "Not signed in (code `sign_in_required`)"},
    403: {
        "model": ErrorEnvelope,
        "description": "The role, or the case's owner, does not allow it",
    },
}
router = APIRouter(prefix="/cases", tags=["cases"], responses=AUTH_RESPONSES)
Caseworker = Annotated[User, Depends(require(Role.CASEWORKER))]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewCase(_Body):
    """A case to save: its title, notes, and the profile to screen (its first run)."""

    title: str = Field(min_length=1, max_length=TITLE_MAX)
    notes: str = Field("", max_length=NOTES_MAX)
    profile: dict[str, Any] = Field(description="A case profile (GET /api/assess/schema).")


class NewRun(_Body):
    as_of: date = Field(description="Screen the case again as of this date (YYYY-MM-DD).")


class Revision(_Body):
    profile: dict[str, Any] = Field(
        description="The changed case profile (GET /api/assess/schema)."
    )


class Colleague(_Body):
    username: str = Field(min_length=1, max_length=64)


def actor(request: Request, user: User) -> cases.Actor:
    return cases.Actor.of(user, client_address(request))


def _parts(services: Services) -> tuple[Engine, Vault]:
    """The database and the keyring's cipher, which every case operation needs."""
    return services.app_engine(), services.vault()


@router.get(
    "", response_model=Envelope[list[CaseLine]], summary="My cases and cases shared with me"
)
def list_cases(request: Request, services: Svc, user: Caseworker) -> Response:
    engine, vault = _parts(services)
    found = cases.list_cases(engine, vault, actor(request, user))
    return ok([c.to_document() for c in found], total=len(found))


@router.post(
    "",
    status_code=201,
    response_model=Envelope[Case],
    summary="Screen a profile and save it as a case (its first run)",
)
def save_case(request: Request, services: Svc, user: Caseworker, body: NewCase) -> Response:
    engine, vault = _parts(services)
    detail = cases.save_case(
        engine,
        vault,
        actor(request, user),
        title=body.title,
        notes=body.notes,
        profile=body.profile,
        context=services.assessment_context(),
    )
    return ok(detail.to_document(), status_code=201)


@router.get(
    "/{case_id}",
    response_model=Envelope[Case],
    summary="One case with every run (audited)",
)
def get_case(request: Request, services: Svc, user: Caseworker, case_id: str) -> Response:
    engine, vault = _parts(services)
    return ok(cases.get_case(engine, vault, actor(request, user), case_id).to_document())


@router.post(
    "/{case_id}/runs",
    status_code=201,
    response_model=Envelope[Run],
    summary="Screen the case again as of a date (a new run; older runs are kept)",
)
def rerun(
    request: Request, services: Svc, user: Caseworker, case_id: str, body: NewRun
) -> Response:
    engine, vault = _parts(services)
    run = cases.rerun_case(
        engine, vault, actor(request, user), case_id, body.as_of, services.assessment_context()
    )
    return ok(run.to_document(), status_code=201)


@router.put(
    "/{case_id}/profile",
    status_code=201,
    response_model=Envelope[Run],
    summary="Change the case's profile and screen it as a new run (older runs are kept)",
)
def revise(
    request: Request, services: Svc, user: Caseworker, case_id: str, body: Revision
) -> Response:
    engine, vault = _parts(services)
    run = cases.revise_case(
        engine, vault, actor(request, user), case_id, body.profile, services.assessment_context()
    )
    return ok(run.to_document(), status_code=201)


@router.get(
    "/{case_id}/compare",
    response_model=Envelope[Comparison],
    summary="What changed between two runs of a case",
)
def compare(
    request: Request,
    services: Svc,
    user: Caseworker,
    case_id: str,
    first: Annotated[int, Query(ge=1, description="The earlier run's number.")],
    second: Annotated[int, Query(ge=1, description="The later run's number.")],
) -> Response:
    engine, vault = _parts(services)
    result = cases.compare_runs(engine, vault, actor(request, user), case_id, first, second)
    return ok(result)


@router.post(
    "/{case_id}/shares",
    response_model=Envelope[Sharing],
    summary="Share the case with a colleague (owner only)",
)
def share(
    request: Request, services: Svc, user: Caseworker, case_id: str, body: Colleague
) -> Response:
    names = cases.share_case(services.app_engine(), actor(request, user), case_id, body.username)
    return ok({"id": case_id, "shared_with": names})


@router.delete(
    "/{case_id}/shares/{username}",
    response_model=Envelope[Sharing],
    summary="Stop sharing the case with a colleague (owner only)",
)
def unshare(
    request: Request, services: Svc, user: Caseworker, case_id: str, username: str
) -> Response:
    names = cases.unshare_case(services.app_engine(), actor(request, user), case_id, username)
    return ok({"id": case_id, "shared_with": names})


@router.get(
    "/{case_id}/export",
    summary="Export the case: JSON with every run, or one run's report",
    response_class=Response,
    responses={200: {"description": "The export as a file."}},
)
def export(
    request: Request,
    services: Svc,
    user: Caseworker,
    lang: Lang,
    case_id: str,
    format: Literal["json", "html", "markdown", "pdf"] = "json",
    run: Annotated[int | None, Query(ge=1, description="Run to report (default: latest).")] = None,
) -> Response:
    """`json`: the whole case with every run; other formats: the report of one run."""
    engine, vault = _parts(services)
    who = actor(request, user)
    if format == "json" and run is None:
        content = json.dumps(cases.export_case(engine, vault, who, case_id), ensure_ascii=False)
        return _file(content.encode("utf-8"), "application/json", f"azyl-case-{case_id}.json")
    detail, chosen = cases.export_run(engine, vault, who, case_id, run, format)
    loaded = services.loaded()
    site = str(request.base_url).rstrip("/")
    report = run_report(detail, chosen, lang, loaded.kb, loaded.incidents.incidents, site)
    rendered = render(report, format)
    name = f"azyl-case-{case_id}-run-{chosen.number}.{rendered.filename.rsplit('.', 1)[-1]}"
    return _file(rendered.content, rendered.media_type, name)


def _file(content: bytes, media_type: str, filename: str) -> Response:
    headers = {
        "content-disposition": f'attachment; filename="{filename}"',
        "cache-control": "no-store",
    }
    return Response(content, media_type=media_type, headers=headers)


@router.delete(
    "/{case_id}",
    response_model=Envelope[Erased],
    summary="Erase the case for good (owner; admins for data-subject requests)",
)
def erase(request: Request, services: Svc, user: Caseworker, case_id: str) -> Response:
    cases.erase_case(services.app_engine(), actor(request, user), case_id)
    return ok({"id": case_id, "erased": True})
