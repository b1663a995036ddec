"""Screening: the case-profile form and the assessment as a readable, downloadable report.

Stateless by design: the form posts the profile, the server screens it and
answers the report; nothing is stored or logged. Downloads (PDF, Markdown,
JSON, HTML) re-post the same form to /screening/report.<format>. A profile with
problems comes back as the same form, every value kept, each problem named.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from azyl import countries
from azyl.errors import CaseProfileError
from azyl.reports import render
from azyl.web.deps import Lang, Svc
from azyl.web.labels import country_name
from azyl.web.pages.atlas import _attempt
from azyl.web.services import Services
from azyl.web.templating import render as render_page

router = APIRouter()
ROUTE_ROWS = 6


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
    if wanted_by := _text(form, "wanted_by"):
        person["wanted_by"] = [w.strip() for w in wanted_by.split(",") if w.strip()]
    route = []
    for i in range(ROUTE_ROWS):
        if country := _text(form, f"route-{i}-country"):
            step: dict[str, Any] = {
                "country": country,
                "role": _text(form, f"route-{i}-role") or "transit",
            }
            for flag in ("fingerprinted", "asylum_refused", "permit"):
                if f"route-{i}-{flag}" in form:
                    step[flag] = True
            if entered := _text(form, f"route-{i}-entered"):
                step["entered"] = entered
            route.append(step)
    profile: dict[str, Any] = {
        "person": person,
        "route": route,
        "current_country": _text(form, "current_country"),
        "stage": _text(form, "stage"),
    }
    if as_of := _text(form, "as_of"):
        profile["as_of"] = as_of
    if (action := _text(form, "action_type")) and (to := _text(form, "action_to")):
        profile["proposed_action"] = {"type": action, "to": to}
    return profile


def form_context(services: Services, lang: str, form: FormData | None) -> dict[str, Any]:
    """What the form needs: vocabularies, country suggestions and the values entered."""
    vocab, missing = _attempt(services.screening_vocabularies)
    codes = sorted(countries.FSU_ORIGINS + tuple(c for c, _, _ in countries.EU_MEMBERSHIP))
    extra = ("NOR", "CHE", "GBR", "TUR", "SRB", "ISL", "ARE", "ISR", "MNE", "MKD", "ALB", "BIH")
    suggestions = sorted({*codes, *extra}, key=lambda c: country_name(c, lang))
    values: defaultdict[str, Any] = defaultdict(lambda: None)  # an empty field reads as None
    if form is not None:
        for key in form:
            values[key] = form.getlist(key) if key in ("profiles", "wanted") else form.get(key)
    return {
        "title": "Screening",
        "vocab": vocab,
        "missing": missing,
        "suggestions": suggestions,
        "values": values,
        "route_rows": ROUTE_ROWS,
        "fsu": countries.FSU_ORIGINS,
    }


@router.get("/screening", response_class=HTMLResponse)
def screening_form(request: Request, services: Svc, lang: Lang) -> HTMLResponse:
    return render_page(request, "screening.html", form_context(services, lang, None), lang)


@router.post("/screening", response_class=HTMLResponse)
async def screening_report(request: Request, services: Svc, lang: Lang) -> HTMLResponse:
    form = await request.form()
    context = form_context(services, lang, form)
    profile = profile_from_form(form)
    try:
        assessment, case = services.assess(profile)
    except CaseProfileError as exc:
        problems = (exc.details or {}).get("problems") or [exc.message]
        context["problems"] = problems
        return render_page(request, "screening.html", context, lang, status=422)
    context["report"] = services.report(assessment, case, lang)
    return render_page(request, "screening.html", context, lang)


@router.post("/screening/report.{fmt}")
async def screening_download(request: Request, services: Svc, lang: Lang, fmt: str) -> Response:
    """The report as a file: pdf, md (Markdown), json or html."""
    form = await request.form()
    assessment, case = services.assess(profile_from_form(form))
    name = {"md": "markdown"}.get(fmt, fmt)
    rendered = render(services.report(assessment, case, lang), name)
    disposition = f'attachment; filename="{rendered.filename}"'
    return Response(rendered.content, media_type=rendered.media_type,
                    headers={"content-disposition": disposition})  # fmt: skip
