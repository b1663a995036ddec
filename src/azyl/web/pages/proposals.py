"""Knowledge-base proposals in the browser: write, check, edit, history, revert, decide, export.

Editors write and edit proposals; admins accept or reject submitted ones. The
web app never writes kb/: an accepted proposal is downloaded as the file to
commit (docs/editing.md has the reviewer's steps).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.config import Settings
from azyl.errors import AzylError
from azyl.i18n.message import error_text
from azyl.incidents.forms import errors_by_field
from azyl.revisions import proposals as props
from azyl.revisions.errors import EditConflict, RecordInvalid
from azyl.revisions.history import line_diff, with_changes
from azyl.revisions.kbcheck import MAX_TEXT
from azyl.web.deps import AppEngine, Lang
from azyl.web.downloads import yaml_download
from azyl.web.session import client_address, require
from azyl.web.templating import render

router = APIRouter(include_in_schema=False)
Editor = Annotated[User, Depends(require(Role.EDITOR))]
Admin = Annotated[User, Depends(require(Role.ADMIN))]
Text = Annotated[str, Form(max_length=MAX_TEXT * 2)]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/kb/proposals", response_class=HTMLResponse)
def proposal_list(
    request: Request, engine: AppEngine, lang: Lang, user: Editor, status: str | None = None
) -> HTMLResponse:
    items = props.list_proposals(engine, status or None)
    context = {"title": "", "items": items, "status": status, "statuses": list(props.STATUSES)}
    return render(request, "proposals.html", context, lang)


def _new_page(
    request: Request, lang: str, fact_id: str, text: str, status: int = 200, **extra: Any
) -> HTMLResponse:
    context = {"title": "", "fact_id": fact_id, "text": text, "errors": {}, "error": None,
               **extra}  # fmt: skip
    return render(request, "proposal_new.html", context, lang, status=status)


@router.get("/kb/proposals/new", response_class=HTMLResponse)
def new_proposal(
    request: Request, lang: Lang, user: Editor, fact: str | None = None
) -> HTMLResponse:
    try:
        text = props.template_text(_settings(request), fact)
    except AzylError as exc:
        return _new_page(
            request, lang, fact or "", "", 422, errors={"fact_id": [error_text(exc, lang)]}
        )
    return _new_page(request, lang, fact or "", text)


@router.post("/kb/proposals/new", response_class=HTMLResponse)
async def create_proposal(
    request: Request, engine: AppEngine, lang: Lang, user: Editor,
    fact_id: Annotated[str, Form(max_length=200)], text: Text,
    submit: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    try:
        created = await run_in_threadpool(
            props.propose, engine, _settings(request), fact_id, text, actor=user,
            submit=bool(submit), address=client_address(request),
        )  # fmt: skip
    except RecordInvalid as exc:
        errors = errors_by_field(exc.problems, lang)
        return _new_page(request, lang, fact_id, text, 422, errors=errors)
    return RedirectResponse(f"/kb/proposals/{created.id}", status_code=303)


def _proposal_page(
    request: Request, engine: Any, lang: str, proposal_id: int, status: int = 200, **extra: Any
) -> HTMLResponse:
    proposal = props.get_proposal(engine, proposal_id)
    context = {
        "title": "",
        "p": proposal,
        "text": proposal.text,
        "base_version": proposal.version,
        "errors": {},
        "error": None,
        "conflict": None,
        **extra,
    }
    return render(request, "proposal.html", context, lang, status=status)


@router.get("/kb/proposals/{proposal_id}", response_class=HTMLResponse)
def proposal_page(
    request: Request, engine: AppEngine, lang: Lang, proposal_id: int, user: Editor
) -> HTMLResponse:
    return _proposal_page(request, engine, lang, proposal_id)


@router.post("/kb/proposals/{proposal_id}", response_class=HTMLResponse)
async def save_proposal(
    request: Request, engine: AppEngine, lang: Lang, proposal_id: int, user: Editor,
    text: Text, base_version: Annotated[int, Form()], status: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    try:
        await run_in_threadpool(
            props.edit_proposal, engine, _settings(request), proposal_id, text, base_version,
            actor=user, status=status or None, address=client_address(request),
        )  # fmt: skip
    except RecordInvalid as exc:
        errors = errors_by_field(exc.problems, lang)
        return _proposal_page(request, engine, lang, proposal_id, 422, text=text,
                              base_version=base_version, errors=errors)  # fmt: skip
    except EditConflict as exc:
        return _proposal_page(request, engine, lang, proposal_id, 409, text=text,
                              conflict=exc)  # fmt: skip
    except AzylError as exc:
        return _proposal_page(request, engine, lang, proposal_id, exc.http_status, text=text,
                              error=error_text(exc, lang))  # fmt: skip
    return RedirectResponse(f"/kb/proposals/{proposal_id}", status_code=303)


@router.get("/kb/proposals/{proposal_id}/history", response_class=HTMLResponse)
def proposal_history(
    request: Request, engine: AppEngine, lang: Lang, proposal_id: int, user: Editor,
) -> HTMLResponse:  # fmt: skip
    return _history(request, engine, lang, proposal_id)


def _history(
    request: Request, engine: Any, lang: str, proposal_id: int, status: int = 200,
    error: str | None = None,
) -> HTMLResponse:  # fmt: skip
    proposal = props.get_proposal(engine, proposal_id)
    rows = with_changes(props.proposal_history(engine, proposal_id))
    for row in rows:
        row["lines"] = {c.field: line_diff(c.before, c.after) for c in row["changes"]}
    context = {"title": "", "p": proposal, "rows": rows, "error": error}
    return render(request, "proposal_history.html", context, lang, status=status)


@router.post("/kb/proposals/{proposal_id}/revert", response_class=HTMLResponse)
async def revert_proposal(
    request: Request, engine: AppEngine, lang: Lang, proposal_id: int, user: Editor,
    to_version: Annotated[int, Form()], base_version: Annotated[int, Form()],
) -> Response:  # fmt: skip
    try:
        await run_in_threadpool(
            props.revert_proposal, engine, _settings(request), proposal_id, to_version,
            base_version, actor=user, address=client_address(request),
        )  # fmt: skip
    except AzylError as exc:
        return _history(request, engine, lang, proposal_id, exc.http_status, error_text(exc, lang))
    return RedirectResponse(f"/kb/proposals/{proposal_id}/history", status_code=303)


@router.post("/kb/proposals/{proposal_id}/decide", response_class=HTMLResponse)
async def decide_proposal(
    request: Request, engine: AppEngine, lang: Lang, proposal_id: int, user: Admin,
    decision: Annotated[str, Form()], base_version: Annotated[int, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:  # fmt: skip
    try:
        await run_in_threadpool(
            props.decide, engine, _settings(request), proposal_id, decision, base_version,
            actor=user, note=note, address=client_address(request),
        )  # fmt: skip
    except AzylError as exc:
        return _proposal_page(request, engine, lang, proposal_id, exc.http_status,
                              error=error_text(exc, lang))  # fmt: skip
    return RedirectResponse(f"/kb/proposals/{proposal_id}", status_code=303)


@router.get("/kb/proposals/{proposal_id}/export")
def export_proposal(engine: AppEngine, proposal_id: int, user: Editor) -> Response:
    """The accepted fact's file, to commit at the path named in the header and the docs."""
    path, text = props.export_proposal(engine, proposal_id)
    return yaml_download(path, text)
