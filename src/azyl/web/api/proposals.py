"""Knowledge-base proposals (editors; decisions by admins): /api/kb/proposals.

The same operations as the pages, in the envelope. Loader problems come back
as 422 `record_invalid` with `details.problems` (`field`, `message`: `line N:
problem`); a stale `base_version` as 409 `edit_conflict`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field

from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.config import Settings
from azyl.revisions import proposals as props
from azyl.revisions.history import diff
from azyl.revisions.kbcheck import MAX_TEXT
from azyl.web.api.incidents import EDIT_RESPONSES
from azyl.web.api.payloads.proposals import Proposal, ProposalSnapshot
from azyl.web.api.payloads.revisions import Version
from azyl.web.deps import AppEngine, get_settings
from azyl.web.downloads import yaml_download
from azyl.web.envelope import Envelope, ok
from azyl.web.session import client_address, require

router = APIRouter(
    prefix="/kb/proposals", tags=["knowledge-base proposals"], responses=EDIT_RESPONSES
)
Editor = Annotated[User, Depends(require(Role.EDITOR))]
Admin = Annotated[User, Depends(require(Role.ADMIN))]
Config = Annotated[Settings, Depends(get_settings)]
YamlText = Field(max_length=MAX_TEXT * 2, description="The fact's YAML file.")


class NewProposal(BaseModel):
    fact_id: str = Field(max_length=200, description="`<area>.<name>` of the fact.")
    text: str = YamlText
    submit: bool = Field(False, description="Submit for review at once (else a draft).")


class ProposalEdit(BaseModel):
    text: str = YamlText
    base_version: int = Field(ge=1)
    status: Literal["draft", "submitted"] | None = None


class ProposalRevert(BaseModel):
    to_version: int = Field(ge=1)
    base_version: int = Field(ge=1)


class Decision(BaseModel):
    decision: Literal["accepted", "rejected"]
    base_version: int = Field(ge=1)
    note: str | None = Field(None, max_length=2000)


@router.get("", response_model=Envelope[list[Proposal]], summary="Proposals (editors)")
def proposals(engine: AppEngine, user: Editor, status: str | None = None) -> Response:
    items = [p.to_dict() for p in props.list_proposals(engine, status)]
    return ok(items, total=len(items))


@router.post(
    "", response_model=Envelope[Proposal], status_code=201,
    summary="Propose a fact (editors): checked by the strict loader; version 1",
)  # fmt: skip
async def propose(
    request: Request, settings: Config, engine: AppEngine, user: Editor, body: NewProposal
) -> Response:
    created = await run_in_threadpool(
        props.propose, engine, settings, body.fact_id, body.text, actor=user,
        submit=body.submit, address=client_address(request),
    )  # fmt: skip
    return ok(created.to_dict(), status_code=201)


@router.get("/{proposal_id}", response_model=Envelope[Proposal], summary="One proposal")
def proposal(engine: AppEngine, user: Editor, proposal_id: int) -> Response:
    return ok(props.get_proposal(engine, proposal_id).to_dict())


@router.put(
    "/{proposal_id}", response_model=Envelope[Proposal],
    summary="Edit a proposal made on base_version (editors); 409 if it changed since",
)  # fmt: skip
async def edit(
    request: Request, settings: Config, engine: AppEngine, user: Editor, proposal_id: int,
    body: ProposalEdit,
) -> Response:  # fmt: skip
    saved = await run_in_threadpool(
        props.edit_proposal, engine, settings, proposal_id, body.text, body.base_version,
        actor=user, status=body.status, address=client_address(request),
    )  # fmt: skip
    return ok(saved.to_dict())


@router.get(
    "/{proposal_id}/history", response_model=Envelope[list[Version[ProposalSnapshot]]],
    summary="Every version of a proposal, oldest first, with its changes",
)  # fmt: skip
def history(engine: AppEngine, user: Editor, proposal_id: int) -> Response:
    items, previous = [], None
    for version in props.proposal_history(engine, proposal_id):
        item = version.to_dict()
        item["changes"] = [
            c.to_dict() for c in diff(previous.snapshot if previous else None, version.snapshot)
        ]
        items.append(item)
        previous = version
    return ok(items, total=len(items))


@router.post(
    "/{proposal_id}/revert", response_model=Envelope[Proposal],
    summary="Restore an earlier version of a proposal as a new version (editors)",
)  # fmt: skip
async def revert(
    request: Request, settings: Config, engine: AppEngine, user: Editor, proposal_id: int,
    body: ProposalRevert,
) -> Response:  # fmt: skip
    saved = await run_in_threadpool(
        props.revert_proposal, engine, settings, proposal_id, body.to_version,
        body.base_version, actor=user, address=client_address(request),
    )  # fmt: skip
    return ok(saved.to_dict())


@router.post(
    "/{proposal_id}/decide", response_model=Envelope[Proposal],
    summary="Accept or reject a submitted proposal, exactly base_version (admins)",
)  # fmt: skip
async def decide(
    request: Request, settings: Config, engine: AppEngine, user: Admin, proposal_id: int,
    body: Decision,
) -> Response:  # fmt: skip
    decided = await run_in_threadpool(
        props.decide, engine, settings, proposal_id, body.decision, body.base_version,
        actor=user, note=body.note, address=client_address(request),
    )  # fmt: skip
    return ok(decided.to_dict())


@router.get(
    "/{proposal_id}/export",
    summary="An accepted proposal as the YAML file to commit (X-Azyl-Path names where)",
    responses={200: {"content": {"application/yaml": {}}}},
)
def export(engine: AppEngine, user: Editor, proposal_id: int) -> Response:
    path, text = props.export_proposal(engine, proposal_id)
    return yaml_download(path, text)
