"""Editing incidents in the browser: new, edit, history with diffs, revert (editors and up).

Each route reads the form, makes one library call (`azyl.incidents.edits`)
and answers: a redirect after a save; the same form again, with every problem
next to its field and everything typed kept, after a validation error (422);
the form with the other editor's change shown after a conflict (409).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.i18n.message import error_text
from azyl.incidents import edits, forms
from azyl.incidents.vocabulary import DATE_PRECISION, OUTCOMES, TACTICS, VISIBILITY
from azyl.kb.vocabulary import CONFIDENCE, PROFILES
from azyl.revisions.errors import EditConflict, RecordInvalid
from azyl.revisions.history import with_changes
from azyl.web.deps import AppEngine, Lang, Svc
from azyl.web.session import client_address, require
from azyl.web.templating import render

router = APIRouter(include_in_schema=False)
Editor = Annotated[User, Depends(require(Role.EDITOR))]


def _form_context(document: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "title": "",
        "doc": (values := forms.form_values(document)),
        "target": values["target"],
        "source_rows": forms.form_rows(document),
        "errors": {},
        "conflict": None,
        "vocab": {
            "date_precision": list(DATE_PRECISION),
            "outcomes": list(OUTCOMES),
            "tactics": list(TACTICS),
            "visibility": list(VISIBILITY),
            "confidence": list(CONFIDENCE),
            "profiles": list(PROFILES),
        },
        **extra,
    }


def _blank() -> dict[str, Any]:
    return {"date_precision": "day", "confidence": "medium", "visibility": "public",
            "target": {"profiles": []}, "tactics": [], "sources": []}  # fmt: skip


async def _submitted(request: Request) -> tuple[dict[str, Any], dict[str, list[str]]]:
    data = await request.form()
    form = {key: [str(v) for v in data.getlist(key)] for key in data}
    return forms.document_from_form(form), form


def _version_number(form: dict[str, list[str]]) -> int:
    raw = (form.get("base_version") or ["0"])[-1]
    # ASCII digits only ("²" is a digit int() refuses), and few of them (int() refuses 4,300).
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 10 else -1


@router.get("/incidents/new", response_class=HTMLResponse)
def new_incident(request: Request, lang: Lang, user: Editor) -> HTMLResponse:
    context = _form_context(_blank(), mode="new", base_version=0)
    return render(request, "incident_form.html", context, lang)


@router.post("/incidents/new", response_class=HTMLResponse)
async def create(
    request: Request, services: Svc, engine: AppEngine, lang: Lang, user: Editor
) -> Response:
    document, _ = await _submitted(request)
    try:
        saved = await run_in_threadpool(
            edits.create_incident, engine, document, rules=services.incident_rules(),
            actor=user, address=client_address(request),
        )  # fmt: skip
    except RecordInvalid as exc:
        context = _form_context(
            document, mode="new", base_version=0, errors=forms.errors_by_field(exc.problems, lang)
        )
        return render(request, "incident_form.html", context, lang, status=422)
    return RedirectResponse(f"/incidents/{saved.incident.id}?saved=1", status_code=303)


@router.get("/incidents/{incident_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request, services: Svc, engine: AppEngine, lang: Lang, incident_id: str, user: Editor
) -> HTMLResponse:
    # The version first: if an edit lands in between, the form is newer than the version it
    # names and saving answers 409, instead of saving over the edit unseen.
    version = edits.current_version(engine, incident_id)
    stored = services.incident_record(incident_id)
    context = _form_context(stored, mode="edit", base_version=version, incident_id=incident_id)
    return render(request, "incident_form.html", context, lang)


@router.post("/incidents/{incident_id}/edit", response_class=HTMLResponse)
async def save(
    request: Request, services: Svc, engine: AppEngine, lang: Lang, incident_id: str,
    user: Editor,
) -> Response:  # fmt: skip
    document, form = await _submitted(request)
    base = _version_number(form)
    try:
        await run_in_threadpool(
            edits.update_incident, engine, incident_id, document, base,
            rules=services.incident_rules(), actor=user, address=client_address(request),
        )  # fmt: skip
    except RecordInvalid as exc:
        context = _form_context(
            document, mode="edit", base_version=base, incident_id=incident_id,
            errors=forms.errors_by_field(exc.problems, lang),
        )  # fmt: skip
        return render(request, "incident_form.html", context, lang, status=422)
    except EditConflict as exc:
        # The form keeps what this editor typed; saving again (now on the current version)
        # is a deliberate choice made after seeing the other change.
        context = _form_context(
            document, mode="edit", base_version=exc.current.version, incident_id=incident_id,
            conflict=exc,
        )  # fmt: skip
        return render(request, "incident_form.html", context, lang, status=409)
    return RedirectResponse(f"/incidents/{incident_id}?saved=1", status_code=303)


def _history_page(
    request: Request, engine: Any, lang: str, incident_id: str, status: int = 200, **extra: Any
) -> HTMLResponse:
    versions = edits.incident_history(engine, incident_id)
    context = {
        "title": "",
        "incident_id": incident_id,
        "rows": with_changes(versions),
        "current": versions[-1].version if versions else 0,
        "error": None,
        **extra,
    }
    return render(request, "incident_history.html", context, lang, status=status)


@router.get("/incidents/{incident_id}/history", response_class=HTMLResponse)
def incident_history(
    request: Request, engine: AppEngine, lang: Lang, incident_id: str, user: Editor
) -> HTMLResponse:
    return _history_page(request, engine, lang, incident_id)


@router.post("/incidents/{incident_id}/revert", response_class=HTMLResponse)
def revert(
    request: Request, services: Svc, engine: AppEngine, lang: Lang, incident_id: str,
    user: Editor, to_version: Annotated[int, Form()], base_version: Annotated[int, Form()],
) -> Response:  # fmt: skip
    try:
        edits.revert_incident(
            engine, incident_id, to_version, base_version, rules=services.incident_rules(),
            actor=user, address=client_address(request),
        )  # fmt: skip
    except EditConflict as exc:
        return _history_page(request, engine, lang, incident_id, 409, error=error_text(exc, lang))
    except RecordInvalid as exc:
        return _history_page(request, engine, lang, incident_id, 422, error=error_text(exc, lang))
    return RedirectResponse(f"/incidents/{incident_id}/history", status_code=303)
