"""Saved cases as pages: my cases, one case (report, runs, re-run, compare, share, export, erase).

Every page needs a caseworker (or higher); the library decides what each
person may do with a given case and answers "not found" for a case they may
not read. Forms post and redirect (303) back to the case, so a reload never
repeats an action; erasing asks for confirmation on a page of its own.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from azyl import cases
from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.cases.store import NOTES_MAX, TITLE_MAX
from azyl.errors import CaseProfileError, InputError
from azyl.i18n import N_
from azyl.i18n.message import Message, failure
from azyl.limits import load_json
from azyl.reports import render as render_report
from azyl.reports.saved_run import run_report
from azyl.web.case_form import (
    ROUTE_ROWS,
    form_context,
    form_values,
    profile_from_form,
    profile_problems,
)
from azyl.web.deps import Lang, Svc
from azyl.web.services import Services
from azyl.web.session import client_address, require
from azyl.web.templating import render

router = APIRouter(include_in_schema=False)
Caseworker = Annotated[User, Depends(require(Role.CASEWORKER))]
#: Download formats of a run's report: path suffix -> renderer name.
DOWNLOADS = {"pdf": "pdf", "md": "markdown", "html": "html", "json": "json"}
NOTICES = ("saved", "rerun", "revised", "shared", "unshared", "erased")


def _actor(request: Request, user: User) -> cases.Actor:
    return cases.Actor.of(user, client_address(request))


def _parts(services: Services) -> tuple[Any, Any]:
    return services.app_engine(), services.vault()


def _back(case_id: str, lang: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"/cases/{case_id}?lang={lang}&done={done}", status_code=303)


def _notice(request: Request) -> str | None:
    done = request.query_params.get("done")
    return done if done in NOTICES else None


@router.get("/cases", response_class=HTMLResponse)
def case_list(request: Request, services: Svc, lang: Lang, user: Caseworker) -> HTMLResponse:
    engine, vault = _parts(services)
    found = cases.list_cases(engine, vault, _actor(request, user))
    context = {
        "title": "Cases",
        "mine": [c for c in found if c.mine],
        "shared": [c for c in found if not c.mine],
        "done": _notice(request),
    }
    return render(request, "cases.html", context, lang)


@router.post("/cases")
def case_save(
    request: Request,
    services: Svc,
    lang: Lang,
    user: Caseworker,
    title: Annotated[str, Form(max_length=TITLE_MAX)] = "",
    notes: Annotated[str, Form(max_length=NOTES_MAX)] = "",
    profile: Annotated[str, Form(max_length=100_000)] = "",
) -> Response:
    """Save the screening shown on /screening (its profile comes back in a hidden field)."""
    try:
        data = load_json(profile, name=Message.of(N_("the screening to save")))
    except ValueError:
        raise failure(
            InputError, N_("the screening to save was not sent; screen the case again")
        ) from None
    engine, vault = _parts(services)
    detail = cases.save_case(
        engine,
        vault,
        _actor(request, user),
        title=title,
        notes=notes,
        profile=data,
        context=services.assessment_context(),
    )
    return _back(detail.id, lang, "saved")


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request,
    services: Svc,
    lang: Lang,
    user: Caseworker,
    case_id: str,
    run: int | None = None,
) -> HTMLResponse:
    engine, vault = _parts(services)
    detail = cases.get_case(engine, vault, _actor(request, user), case_id)
    shown = detail.latest if run is None else detail.run(run)
    loaded = services.loaded()
    context = {
        "title": detail.title,
        "detail": detail,
        "shown": shown,
        "report": run_report(detail, shown, lang, loaded.kb, loaded.incidents.incidents, ""),
        "done": _notice(request),
        "today": date.today().isoformat(),
    }
    return render(request, "case.html", context, lang)


@router.post("/cases/{case_id}/runs")
def case_rerun(
    request: Request,
    services: Svc,
    lang: Lang,
    user: Caseworker,
    case_id: str,
    as_of: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        raise failure(
            InputError, N_("{value} is not a date: use YYYY-MM-DD"), value=repr(as_of)
        ) from None
    engine, vault = _parts(services)
    actor = _actor(request, user)
    cases.rerun_case(engine, vault, actor, case_id, day, services.assessment_context())
    return _back(case_id, lang, "rerun")


@router.get("/cases/{case_id}/edit", response_class=HTMLResponse)
def case_edit_form(
    request: Request, services: Svc, lang: Lang, user: Caseworker, case_id: str
) -> HTMLResponse:
    """The case-profile form filled with the saved profile (the owner's only)."""
    engine, vault = _parts(services)
    detail = cases.get_case(engine, vault, _actor(request, user), case_id)
    if not detail.mine:
        raise failure(cases.CaseForbidden, N_("only the owner of a case can change its profile"))
    context = {**form_context(services, lang, None), "title": detail.title, "detail": detail}
    values, context["not_in_form"] = form_values(detail.profile)
    context["values"].update(values)
    context["route_rows"] = max(ROUTE_ROWS, len(detail.profile.get("route") or []))
    return render(request, "case_edit.html", context, lang)


@router.post("/cases/{case_id}/edit", response_class=HTMLResponse)
async def case_edit(
    request: Request, services: Svc, lang: Lang, user: Caseworker, case_id: str
) -> Response:
    """Save the changed profile and screen it as a new run; problems come back on the form."""
    form = await request.form()
    engine, vault = _parts(services)
    actor = _actor(request, user)
    profile = profile_from_form(form)
    try:
        await run_in_threadpool(
            cases.revise_case, engine, vault, actor, case_id, profile,
            services.assessment_context(),
        )  # fmt: skip
    except CaseProfileError as exc:
        detail = cases.get_case(engine, vault, actor, case_id)
        context = {**form_context(services, lang, form), "title": detail.title, "detail": detail}
        context["problems"] = profile_problems(exc, lang)
        return render(request, "case_edit.html", context, lang, status=422)
    return _back(case_id, lang, "revised")


@router.get("/cases/{case_id}/compare", response_class=HTMLResponse)
def case_compare(
    request: Request,
    services: Svc,
    lang: Lang,
    user: Caseworker,
    case_id: str,
    first: int,
    second: int,
) -> HTMLResponse:
    engine, vault = _parts(services)
    result = cases.compare_runs(engine, vault, _actor(request, user), case_id, first, second)
    context = {"title": result["case"]["title"], "case_id": case_id, "cmp": result}
    return render(request, "case_compare.html", context, lang)


@router.post("/cases/{case_id}/shares")
def case_share(
    request: Request,
    services: Svc,
    lang: Lang,
    user: Caseworker,
    case_id: str,
    username: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    cases.share_case(services.app_engine(), _actor(request, user), case_id, username)
    return _back(case_id, lang, "shared")


@router.post("/cases/{case_id}/shares/{username}/delete")
def case_unshare(
    request: Request, services: Svc, lang: Lang, user: Caseworker, case_id: str, username: str
) -> Response:
    cases.unshare_case(services.app_engine(), _actor(request, user), case_id, username)
    return _back(case_id, lang, "unshared")


@router.get("/cases/{case_id}/export.{fmt}")
def case_export(
    request: Request,
    services: Svc,
    lang: Lang,
    user: Caseworker,
    case_id: str,
    fmt: str,
    run: int | None = None,
) -> Response:
    """`export.json` without a run: the whole case; otherwise one run's report."""
    engine, vault = _parts(services)
    actor = _actor(request, user)
    headers = {"cache-control": "no-store"}
    if fmt == "json" and run is None:
        data = json.dumps(cases.export_case(engine, vault, actor, case_id), ensure_ascii=False)
        headers["content-disposition"] = f'attachment; filename="azyl-case-{case_id}.json"'
        return Response(data.encode("utf-8"), media_type="application/json", headers=headers)
    if fmt not in DOWNLOADS:
        raise failure(
            InputError,
            N_("unknown export format {format}: use {formats}"),
            format=repr(fmt),
            formats=", ".join(DOWNLOADS),
        )
    detail, chosen = cases.export_run(engine, vault, actor, case_id, run, DOWNLOADS[fmt])
    loaded = services.loaded()
    site = str(request.base_url).rstrip("/")
    report = run_report(detail, chosen, lang, loaded.kb, loaded.incidents.incidents, site)
    rendered = render_report(report, DOWNLOADS[fmt])
    name = f"azyl-case-{case_id}-run-{chosen.number}.{rendered.filename.rsplit('.', 1)[-1]}"
    headers["content-disposition"] = f'attachment; filename="{name}"'
    return Response(rendered.content, media_type=rendered.media_type, headers=headers)


@router.get("/cases/{case_id}/erase", response_class=HTMLResponse)
def case_erase_confirm(
    request: Request, services: Svc, lang: Lang, user: Caseworker, case_id: str
) -> HTMLResponse:
    """Ask before erasing: the page names the case, so it reads it (audited as a view)."""
    engine, vault = _parts(services)
    detail = cases.get_case(engine, vault, _actor(request, user), case_id)
    if not detail.mine:
        raise failure(
            cases.CaseForbidden, N_("only the owner of case {id} may erase it"), id=repr(case_id)
        )
    return render(request, "case_erase.html", {"title": detail.title, "detail": detail}, lang)


@router.post("/cases/{case_id}/erase")
def case_erase(
    request: Request,
    services: Svc,
    lang: Lang,
    user: Caseworker,
    case_id: str,
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    if confirm != "yes":
        raise failure(
            InputError, N_("tick the box to confirm that the case should be erased for good")
        )
    cases.erase_case(services.app_engine(), _actor(request, user), case_id)
    return RedirectResponse(f"/cases?lang={lang}&done=erased", status_code=303)
