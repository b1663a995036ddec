"""The registry as files over the API: export (everyone) and import (editors), like the CLI.

`GET /api/exports/incidents?format=` answers the file itself, not the envelope
(restricted incidents and fields only for caseworkers and up; such an export
is audited). `POST /api/imports/incidents` takes a multipart `file` and
answers what was (or, with `dry_run`, would be) created, updated and left
unchanged; a file with problems answers 422 `incident_import_invalid` with
every problem in `details.problems` and changes nothing.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.incidents import import_incident_file
from azyl.web.api.incidents import EDIT_RESPONSES
from azyl.web.api.payloads.incidents import ImportOutcome
from azyl.web.deps import AppEngine, Svc
from azyl.web.downloads import MEDIA_TYPES, export_response
from azyl.web.envelope import Envelope, ErrorEnvelope, ok
from azyl.web.params import (
    INCIDENT_COLUMNS,
    Opt,
    OptYear,
    Sort,
    SortDesc,
    incident_filters,
)
from azyl.web.services import NEWEST_FIRST
from azyl.web.session import CurrentUser, client_address, require
from azyl.web.tables import parse_order
from azyl.web.uploads import clean_name

router = APIRouter(tags=["incidents"])
# Not under /api/incidents/: there a word after the slash is an incident id.
Editor = Annotated[User, Depends(require(Role.EDITOR))]


@router.get(
    "/exports/incidents",
    response_class=Response,
    responses={
        200: {
            "description": "The file (as an attachment), in the format asked for",
            "content": {media.split(";")[0]: {} for media in MEDIA_TYPES.values()},
        }
    },
    summary="The registry as a file: CSV, XLSX or JSON, as `azyl incidents export` writes it",
)
def export(
    request: Request,
    services: Svc,
    engine: AppEngine,
    user: CurrentUser,
    format: Annotated[Literal["csv", "xlsx", "json"], Query()] = "json",
    origin: Opt = None,
    host: Opt = None,
    tactic: Opt = None,
    stage: Opt = None,
    year: OptYear = None,
    sort: Sort = None,
    sort_desc: SortDesc = None,
) -> Response:
    """With filters (those of GET /api/incidents), only the incidents they select."""
    filters = incident_filters(origin, host, tactic, stage, year)
    order = parse_order(sort, sort_desc, INCIDENT_COLUMNS, NEWEST_FIRST)
    return export_response(services, engine, format, user, client_address(request), filters, order)


@router.post(
    "/imports/incidents",
    response_model=Envelope[ImportOutcome],
    responses={
        **EDIT_RESPONSES,
        413: {"model": ErrorEnvelope, "description": "The file is larger than the server accepts"},
        422: {"model": ErrorEnvelope, "description": "Problems in the file; nothing imported"},
    },
    summary="Import incidents from a CSV, XLSX or JSON file (editors): all rows or none",
)
async def import_(
    request: Request,
    services: Svc,
    engine: AppEngine,
    user: Editor,
    file: Annotated[UploadFile, File(description="The file, in the shape of an export.")],
    dry_run: Annotated[bool, Form(description="Check only; change nothing.")] = False,
) -> Response:
    data = await file.read()
    name = clean_name(file.filename, "incidents.json")
    report = await run_in_threadpool(
        import_incident_file, engine, data, name, services.incident_catalogue(),
        dry_run=dry_run, actor=user, address=client_address(request),
    )  # fmt: skip
    outcome = ImportOutcome(
        file=report.name,
        dry_run=report.dry_run,
        created=list(report.created),
        updated={i: list(fields) for i, fields in report.updated},
        unchanged=list(report.unchanged),
    )
    return ok(outcome.model_dump())
