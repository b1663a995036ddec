"""The admins' audit page: the log newest first, filtered and paged, and a download of it.

Looking at the log is itself recorded (`audit.view`, with the filters used),
and so is every download (`audit.export`): who read the record of who read
the cases is part of the record.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.audit import entries, head, record, verify
from azyl.audit.export import EXPORT_FORMATS, parse_since, render
from azyl.errors import InputError
from azyl.i18n import N_
from azyl.i18n.message import error_text, failure
from azyl.web.deps import AppEngine, Lang
from azyl.web.session import client_address, require
from azyl.web.templating import render as render_page

router = APIRouter(include_in_schema=False)
Admin = Annotated[User, Depends(require(Role.ADMIN))]
PAGE_SIZE = 50
Text = Annotated[str, Query(max_length=64)]


def _filters(action: str, actor: str, since: str) -> dict[str, Any]:
    """The filters as `entries` takes them; a bad date is an InputError with a sentence."""
    return {
        "action": action.strip() or None,
        "actor": actor.strip() or None,
        "since": parse_since(since.strip()) if since.strip() else None,
    }


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    engine: AppEngine,
    lang: Lang,
    admin: Admin,
    action: Text = "",
    actor: Text = "",
    since: Text = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    check: bool = False,
) -> HTMLResponse:
    form = {"action": action, "actor": actor, "since": since}
    try:
        filters = _filters(action, actor, since)
    except InputError as exc:
        return render_page(
            request, "admin_audit.html", _context(form, error=error_text(exc, lang)), lang, 422
        )
    with session_scope(engine) as db:
        found = entries(db, **filters, newest_first=True, limit=PAGE_SIZE + 1,
                        offset=(page - 1) * PAGE_SIZE)  # fmt: skip
        verified = verify(db) if check else None  # reads every entry: only when asked
        seq, digest = head(db)
        used = {k: v for k, v in form.items() if v}
        record(db, "audit.view", actor=admin, address=client_address(request),
               details={**used, "page": page})  # fmt: skip
    context = _context(
        form,
        items=[e.to_document() for e in found[:PAGE_SIZE]],
        page=page,
        more=len(found) > PAGE_SIZE,
        chain=verified
        and {
            "ok": verified.ok,
            "checked": verified.checked,
            "problem": verified.problem,
        },
        head=f"{seq}:{digest}",
    )
    return render_page(request, "admin_audit.html", context, lang)


def _context(form: dict[str, str], **extra: Any) -> dict[str, Any]:
    used = {k: v for k, v in form.items() if v}
    base: dict[str, Any] = {
        "title": "",
        "form": form,
        "items": [],
        "page": 1,
        "more": False,
        "chain": None,
        "head": None,
        "error": None,
        "formats": EXPORT_FORMATS,
        "export_query": "?" + urlencode(used) if used else "",
    }
    return {**base, **extra}


@router.get("/admin/audit/export.{fmt}")
def audit_export(
    request: Request,
    engine: AppEngine,
    admin: Admin,
    fmt: str,
    action: Text = "",
    actor: Text = "",
    since: Text = "",
) -> Response:
    if fmt not in EXPORT_FORMATS:
        raise failure(
            InputError,
            N_("the audit log downloads as {formats}, not {format}"),
            formats=" or ".join(EXPORT_FORMATS),
            format=repr(fmt),
        )
    filters = _filters(action, actor, since)
    with session_scope(engine) as db:
        found = entries(db, **filters)
        used = {k: v for k, v in {"action": action, "actor": actor, "since": since}.items() if v}
        record(db, "audit.export", actor=admin, address=client_address(request),
               details={**used, "format": fmt, "entries": len(found)})  # fmt: skip
    media = "text/csv" if fmt == "csv" else "application/x-ndjson"
    return Response(
        render(found, fmt),
        media_type=f"{media}; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="azyl-audit.{fmt}"',
            "Cache-Control": "no-store",
        },
    )
