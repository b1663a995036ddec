"""The registry as files in the browser: export it (everyone), import a file (editors).

Export gives exactly what `azyl incidents export` writes; restricted incidents
and fields are in it only for caseworkers and up, and such an export is in the
audit log. Import reads a file of the same shape with exactly the checks of
`azyl incidents import`: every row first, then all or nothing, each problem as
`row N: column: problem`; "check only" runs the checks and changes nothing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.errors import InputError
from azyl.i18n.message import error_text
from azyl.i18n.message import render as render_message
from azyl.incidents import IncidentImportError, import_incident_file
from azyl.incidents.formats import FORMATS
from azyl.web.deps import AppEngine, Lang, Svc
from azyl.web.downloads import export_response
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
from azyl.web.templating import render
from azyl.web.uploads import limits, read_upload, upload_form

router = APIRouter(include_in_schema=False)
Editor = Annotated[User, Depends(require(Role.EDITOR))]
#: Problems listed on the page; the rest are counted (a broken file can have thousands).
SHOWN_PROBLEMS = 200


@router.get("/incidents/export.{fmt}")
def export_file(
    request: Request, services: Svc, engine: AppEngine, user: CurrentUser, fmt: str,
    origin: Opt = None,
    host: Opt = None, tactic: Opt = None, stage: Opt = None, year: OptYear = None,
    sort: Sort = None, sort_desc: SortDesc = None,
) -> Response:  # fmt: skip
    """Exactly the incidents the list shows with the same filters and order (all without)."""
    filters = incident_filters(origin, host, tactic, stage, year)
    order = parse_order(sort, sort_desc, INCIDENT_COLUMNS, NEWEST_FIRST)
    return export_response(services, engine, fmt, user, client_address(request), filters, order)


@router.get("/incidents/import", response_class=HTMLResponse)
def import_form(request: Request, lang: Lang, user: Editor) -> HTMLResponse:
    return render(request, "incident_import.html", _context(request), lang)


@router.post("/incidents/import", response_class=HTMLResponse)
async def import_file(
    request: Request, services: Svc, engine: AppEngine, lang: Lang, user: Editor
) -> HTMLResponse:
    dry_run = False
    try:
        async with upload_form(request) as form:
            dry_run = form.get("dry_run") == "yes"
            upload = await read_upload(form, default_name="incidents")
        report = await run_in_threadpool(
            import_incident_file, engine, upload.data, upload.name,
            services.incident_catalogue(), dry_run=dry_run, actor=user,
            address=client_address(request),
        )  # fmt: skip
    except IncidentImportError as exc:
        problems = [render_message(m, lang) for m in exc.messages]
        context = _context(request, problems=problems, file=exc.details.get("file"),
                           dry_run=dry_run)  # fmt: skip
        return render(request, "incident_import.html", context, lang, status=422)
    except InputError as exc:  # not a format azyl reads, too large, too deep...: its own status
        context = _context(request, problems=[error_text(exc, lang)], dry_run=dry_run)
        return render(request, "incident_import.html", context, lang, status=exc.http_status)
    return render(request, "incident_import.html", _context(request, report=report), lang)


def _context(
    request: Request, *, problems: list[str] | None = None, file: Any = None, report: Any = None,
    dry_run: bool = False,
) -> dict[str, Any]:  # fmt: skip
    problems = problems or []
    return {
        "title": "Import incidents",
        "formats": FORMATS,
        "problems": problems[:SHOWN_PROBLEMS],
        "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
        "file": file,
        "report": report,
        "dry_run": dry_run,
        **limits(request),
    }
