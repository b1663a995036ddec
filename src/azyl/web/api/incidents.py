"""The incident registry: incidents filtered, one incident; editors create, update and revert.

Restricted incidents are part of the answers only for signed-in caseworkers
and up; to everyone else a restricted incident does not exist (404, like a
missing one). Writes need the editor role and answer the same envelope;
an update names the version it was based on and answers 409 `edit_conflict`
(with the other change in `details`) if the incident changed since.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field

from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.incidents import edits
from azyl.incidents.documents import IncidentDoc
from azyl.revisions import counter
from azyl.revisions.history import diff
from azyl.web.api.payloads.incidents import Incident, StoredIncident
from azyl.web.api.payloads.revisions import Version
from azyl.web.deps import AppEngine, Svc
from azyl.web.envelope import Envelope, ErrorEnvelope, envelope_bytes, json_response, ok
from azyl.web.params import Opt, OptYear, incident_filters
from azyl.web.services import may_see_restricted
from azyl.web.session import CurrentUser, client_address, require

router = APIRouter(tags=["incidents"])
Editor = Annotated[User, Depends(require(Role.EDITOR))]
#: The answers of routes that need an account and write (in the error envelope).
EDIT_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": text}
    for status, text in (
        (401, "Not signed in (code sign_in_required)"),
        (403, "Signed in with a role that may not do this (code forbidden)"),
        (409, "The record changed since base_version (code edit_conflict; details show how)"),
    )
}


class IncidentBody(BaseModel):
    """A new incident: its document in the import's nested form (docs/incidents.md)."""

    incident: dict[str, Any] = Field(description="The incident document, as `azyl incidents "
                                     "import` reads it from JSON.")  # fmt: skip


class IncidentUpdate(IncidentBody):
    """A changed incident and the version the change was made on."""

    base_version: int = Field(ge=0, description="The `meta.version` the client read.")


class Revert(BaseModel):
    """Which earlier version to restore, and the current version the client read."""

    to_version: int = Field(ge=1)
    base_version: int = Field(ge=0)


@router.get(
    "/incidents",
    response_model=Envelope[list[Incident]],
    summary="Incidents of transnational repression, filtered (restricted ones for the team)",
)
def incidents(
    services: Svc, user: CurrentUser, origin: Opt = None, host: Opt = None, tactic: Opt = None,
    stage: Opt = None, year: OptYear = None,
) -> Response:  # fmt: skip
    filters = incident_filters(origin, host, tactic, stage, year)
    restricted = may_see_restricted(user)

    def body() -> bytes:
        result = services.incidents(filters, restricted)
        return envelope_bytes(result["items"], total=result["total"], filters=filters)

    seen = counter.read(services.app_engine())
    key = ("api-incidents", restricted, seen, *sorted(filters.items()))
    return json_response(services.kept_body(key, body))


@router.get(
    "/incidents/{incident_id}",
    response_model=Envelope[Incident],
    summary="One incident with its sources; meta.version is what an update names",
)
def incident(services: Svc, engine: AppEngine, user: CurrentUser, incident_id: str) -> Response:
    # The version before the document: an edit landing in between then makes the client's
    # next update a 409, never a silent overwrite (tests/test_concurrency_clients.py).
    version = edits.current_version(engine, incident_id)
    found = services.incident(incident_id, may_see_restricted(user))
    return ok(found, version=version)


def _saved(saved: edits.Saved, status: int = 200) -> Response:
    changes = [c.to_dict() for c in saved.changes]
    doc = saved.incident.to_document()
    return ok(doc, status_code=status, version=saved.version, changes=changes)


@router.post(
    "/incidents",
    response_model=Envelope[StoredIncident],
    responses=EDIT_RESPONSES,
    status_code=201,
    summary="Create an incident (editors): validated exactly like an import; version 1",
)
async def create(
    request: Request, services: Svc, engine: AppEngine, user: Editor, body: IncidentBody
) -> Response:
    saved = await run_in_threadpool(
        edits.create_incident, engine, body.incident, rules=services.incident_rules(),
        actor=user, address=client_address(request),
    )  # fmt: skip
    return _saved(saved, 201)


@router.put(
    "/incidents/{incident_id}",
    response_model=Envelope[StoredIncident],
    responses=EDIT_RESPONSES,
    summary="Update an incident (editors) made on base_version; 409 if it changed since",
)
async def update(
    request: Request, services: Svc, engine: AppEngine, user: Editor, incident_id: str,
    body: IncidentUpdate,
) -> Response:  # fmt: skip
    saved = await run_in_threadpool(
        edits.update_incident, engine, incident_id, body.incident, body.base_version,
        rules=services.incident_rules(), actor=user, address=client_address(request),
    )  # fmt: skip
    return _saved(saved)


@router.get(
    "/incidents/{incident_id}/history",
    response_model=Envelope[list[Version[IncidentDoc]]],
    responses=EDIT_RESPONSES,
    summary="Every version of an incident (editors), oldest first, with its changes",
)
def history(engine: AppEngine, user: Editor, incident_id: str) -> Response:
    versions = edits.incident_history(engine, incident_id)
    items, previous = [], None
    for version in versions:
        item = version.to_dict()
        item["changes"] = [
            c.to_dict() for c in diff(previous.snapshot if previous else None, version.snapshot)
        ]
        items.append(item)
        previous = version
    return ok(items, total=len(items))


@router.post(
    "/incidents/{incident_id}/revert",
    response_model=Envelope[StoredIncident],
    responses=EDIT_RESPONSES,
    summary="Restore an earlier version as a new version (editors); 409 if it changed since",
)
async def revert(
    request: Request, services: Svc, engine: AppEngine, user: Editor, incident_id: str,
    body: Revert,
) -> Response:  # fmt: skip
    saved = await run_in_threadpool(
        edits.revert_incident, engine, incident_id, body.to_version, body.base_version,
        rules=services.incident_rules(), actor=user, address=client_address(request),
    )  # fmt: skip
    return _saved(saved)
