"""Screening: the case-profile form and the assessment as a readable, downloadable report.

Stateless by design: the form (or a case file in the format of `azyl assess`,
uploaded to /screening/file) posts the profile, the server screens it and
answers the report; nothing is stored or logged. Downloads (PDF, Markdown,
JSON) post the profile of the report shown to /screening/report.<format>, so
they are always of that report. A profile with problems comes back as the
same form, every value kept, each problem named; a screened file fills the
form with everything it holds.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from azyl.assess import read_case_document
from azyl.errors import CaseProfileError, InputError
from azyl.i18n import N_
from azyl.i18n.message import Message, error_text, failure
from azyl.limits import load_json
from azyl.reports import render
from azyl.web.case_form import (
    ROUTE_ROWS,
    form_context,
    form_values,
    profile_from_form,
    profile_problems,
)
from azyl.web.deps import Lang, Svc
from azyl.web.services import Services
from azyl.web.templating import render as render_page
from azyl.web.uploads import limits, read_upload, upload_form

router = APIRouter()


@router.get("/screening", response_class=HTMLResponse)
def screening_form(request: Request, services: Svc, lang: Lang) -> HTMLResponse:
    context = {**form_context(services, lang, None), **limits(request)}
    return render_page(request, "screening.html", context, lang)


@router.post("/screening", response_class=HTMLResponse)
async def screening_report(request: Request, services: Svc, lang: Lang) -> HTMLResponse:
    form = await request.form()
    context = form_context(services, lang, form)
    context.update(limits(request))
    profile = profile_from_form(form)
    try:
        assessment, case = await run_in_threadpool(services.assess, profile)
    except CaseProfileError as exc:
        context["problems"] = profile_problems(exc, lang)
        return render_page(request, "screening.html", context, lang, status=422)
    context["report"] = await run_in_threadpool(services.report, assessment, case, lang)
    return render_page(request, "screening.html", context, lang)


@router.post("/screening/file", response_class=HTMLResponse)
async def screening_file(request: Request, services: Svc, lang: Lang) -> HTMLResponse:
    """Screen an uploaded case file (YAML or JSON, as `azyl assess` reads); nothing is kept.

    Reading and screening run in the thread pool: a file that takes long to
    read (it is bounded by `azyl.limits`) never holds up other requests.
    """
    context = form_context(services, lang, None)
    context.update(limits(request))
    try:
        async with upload_form(request) as form:
            upload = await read_upload(form, default_name="case.yaml")
        context["file"] = upload.name
        profile = await run_in_threadpool(read_case_document, upload.data, upload.name)
        assessment, case = await run_in_threadpool(services.assess, profile)
    except CaseProfileError as exc:
        context["problems"] = profile_problems(exc, lang)
        return render_page(request, "screening.html", context, lang, status=422)
    except InputError as exc:  # not UTF-8, too large, too deep...: its own status
        context["problems"] = [error_text(exc, lang)]
        return render_page(request, "screening.html", context, lang, status=exc.http_status)
    report = await run_in_threadpool(services.report, assessment, case, lang)
    values, context["not_in_form"] = form_values(report.case or {})
    context["values"].update(values)
    context["route_rows"] = max(ROUTE_ROWS, len(case.route))
    context["report"] = report
    return render_page(request, "screening.html", context, lang)


@router.post("/screening/report.{fmt}")
async def screening_download(request: Request, services: Svc, lang: Lang, fmt: str) -> Response:
    """The report as a file: pdf, md (Markdown), json or html.

    The page's download buttons send the screened profile as JSON (`profile`),
    so the file is of the report shown even if the form was changed since;
    the form's own fields are read when there is no `profile`.
    """
    form = await request.form()
    site = str(request.base_url).rstrip("/")
    rendered = await run_in_threadpool(_download, services, form, lang, fmt, site)
    disposition = f'attachment; filename="{rendered.filename}"'
    return Response(rendered.content, media_type=rendered.media_type,
                    headers={"content-disposition": disposition})  # fmt: skip


def _download(services: Services, form: FormData, lang: str, fmt: str, site: str) -> Any:
    """Screen the posted profile and render its report (in the thread pool: it is the slow
    part), its links to facts and incidents absolute to this site."""
    assessment, case = services.assess(_posted_profile(form))
    report = services.report(assessment, case, lang, base_url=site)
    return render(report, {"md": "markdown"}.get(fmt, fmt))


def _posted_profile(form: FormData) -> Any:
    raw = form.get("profile")
    if not isinstance(raw, str):
        return profile_from_form(form)
    try:
        return load_json(raw, name=Message.of(N_("the screened profile")))
    except ValueError:
        raise failure(
            InputError, N_("the screened profile sent with the download is not JSON")
        ) from None
