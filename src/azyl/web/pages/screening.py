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

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from azyl import countries
from azyl.assess import read_case_document
from azyl.errors import CaseProfileError, InputError
from azyl.i18n import country_name
from azyl.limits import load_json
from azyl.reports import render
from azyl.web.deps import Lang, Svc
from azyl.web.params import attempt
from azyl.web.services import Services
from azyl.web.templating import render as render_page
from azyl.web.uploads import limits, read_upload, upload_form

router = APIRouter()
ROUTE_ROWS = 6
#: More rows than any route needs: a posted form cannot make the server loop for long.
MAX_ROUTE_ROWS = 40


def _text(form: FormData, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def profile_from_form(form: FormData) -> dict[str, Any]:
    """The case profile (CLI/API schema) from the form's flat fields; empty fields left out."""
    citizenship = [c for c in (_text(form, "citizenship"), _text(form, "citizenship2")) if c]
    person: dict[str, Any] = {
        "citizenship": citizenship,
        "profiles": [str(p) for p in form.getlist("profiles")],
        "wanted": [str(w) for w in form.getlist("wanted")],
        "public_profile": "public_profile" in form,
        "relatives_in_origin": "relatives_in_origin" in form,
    }
    if region := _text(form, "region"):
        person["region"] = region
    if service := _text(form, "military_service"):
        person["military_service"] = service
    for key in ("wanted_by", "relatives_in"):
        if listed := _codes(_text(form, key)):
            person[key] = listed
    if protector := _text(form, "protected_in-country"):
        status = _text(form, "protected_in-status") or "refugee"
        person["protected_in"] = [{"country": protector, "status": status}]
    route = [step for i in range(_route_rows(form)) if (step := _route_step(form, i))]
    profile: dict[str, Any] = {
        "person": person,
        "route": route,
        "current_country": _text(form, "current_country"),
        "stage": _text(form, "stage"),
    }
    for day in ("as_of", "application_date"):
        if value := _text(form, day):
            profile[day] = value
    if (action := _text(form, "action_type")) and (to := _text(form, "action_to")):
        profile["proposed_action"] = {"type": action, "to": to}
    return profile


def _codes(text: str) -> list[str]:
    """Countries typed as a comma-separated list ("TJK, RUS")."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _route_step(form: FormData, i: int) -> dict[str, Any] | None:
    """Row `i` of the route as a profile step, or None for an empty row."""
    country = _text(form, f"route-{i}-country")
    if not country:
        return None
    step: dict[str, Any] = {"country": country, "role": _text(form, f"route-{i}-role") or "transit"}
    for flag in ("fingerprinted", "asylum_refused"):
        if f"route-{i}-{flag}" in form:
            step[flag] = True
    if documents := [str(d) for d in form.getlist(f"route-{i}-documents")]:
        step["documents"] = documents
    for day in ("entered", "left"):
        if value := _text(form, f"route-{i}-{day}"):
            step[day] = value
    return step


def _route_rows(form: FormData) -> int:
    """Rows of route steps in a posted form: six, or as many as a screened file filled."""
    raw = form.get("route_rows")
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 3:
        rows = int(raw)
    else:  # absent, not a number, or a digit int() refuses ("²")
        rows = ROUTE_ROWS
    return min(max(rows, ROUTE_ROWS), MAX_ROUTE_ROWS)


def form_values(case: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The form's fields for a screened profile (`model_dump(mode="json")`), and what cannot fit.

    Everything the form can hold is filled, so screening the form again gives
    the same screening; only nationalities after the second and protection
    granted by more than one state have no field.
    """
    person = case["person"]
    citizenship = person["citizenship"]
    protected = person.get("protected_in") or []
    action = case.get("proposed_action") or {}
    values: dict[str, Any] = {
        "citizenship": citizenship[0],
        "citizenship2": citizenship[1] if len(citizenship) > 1 else None,
        "region": person.get("region"),
        "profiles": person.get("profiles") or [],
        "military_service": person.get("military_service"),
        "wanted": person.get("wanted") or [],
        "wanted_by": ", ".join(person.get("wanted_by") or []) or None,
        "public_profile": person.get("public_profile"),
        "relatives_in_origin": person.get("relatives_in_origin"),
        "relatives_in": ", ".join(person.get("relatives_in") or []) or None,
        "protected_in-country": protected[0]["country"] if protected else None,
        "protected_in-status": protected[0]["status"] if protected else None,
        "current_country": case["current_country"],
        "stage": case["stage"],
        "as_of": case.get("as_of"),
        "application_date": case.get("application_date"),
        "action_type": action.get("type"),
        "action_to": action.get("to"),
    }
    for i, step in enumerate(case.get("route") or []):
        for key in ("country", "role", "fingerprinted", "asylum_refused", "documents", "entered",
                    "left"):  # fmt: skip
            values[f"route-{i}-{key}"] = step.get(key)
    further = [*citizenship[2:], *(f"{p['country']} ({p['status']})" for p in protected[1:])]
    return values, further


def form_context(services: Services, lang: str, form: FormData | None) -> dict[str, Any]:
    """What the form needs: vocabularies, country suggestions and the values entered."""
    vocab, missing = attempt(services.screening_vocabularies)
    codes = sorted(countries.FSU_ORIGINS + tuple(c for c, _, _ in countries.EU_MEMBERSHIP))
    extra = ("NOR", "CHE", "GBR", "TUR", "SRB", "ISL", "ARE", "ISR", "MNE", "MKD", "ALB", "BIH")
    suggestions = sorted({*codes, *extra}, key=lambda c: country_name(c, lang))
    values: defaultdict[str, Any] = defaultdict(lambda: None)  # an empty field reads as None
    if form is not None:
        for key in form:
            listed = key in ("profiles", "wanted") or key.endswith("-documents")
            values[key] = form.getlist(key) if listed else form.get(key)
    return {
        "title": "Screening",
        "vocab": vocab,
        "missing": missing,
        "suggestions": suggestions,
        "values": values,
        "route_rows": _route_rows(form) if form is not None else ROUTE_ROWS,
        "fsu": countries.FSU_ORIGINS,
    }


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
        problems = (exc.details or {}).get("problems") or [exc.message]
        context["problems"] = problems
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
        context["problems"] = (exc.details or {}).get("problems") or [exc.message]
        return render_page(request, "screening.html", context, lang, status=422)
    except InputError as exc:  # not UTF-8, too large, too deep...: its own status
        context["problems"] = [exc.message]
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
        return load_json(raw, name="the screened profile")
    except ValueError:
        raise InputError("the screened profile sent with the download is not JSON") from None
