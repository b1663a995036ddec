"""Incidents: the registry of transnational repression, filtered, on a timeline and a map."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from azyl import charts, countries
from azyl.errors import InputError
from azyl.i18n import country_name, translations
from azyl.incidents.vocabulary import STAGES, TACTICS
from azyl.web.auth import CurrentUser
from azyl.web.deps import Lang, Svc
from azyl.web.pages.atlas import _attempt
from azyl.web.services import may_see_restricted
from azyl.web.templating import render

router = APIRouter()


def incident_filters(
    origin: str | None, host: str | None, tactic: str | None, stage: str | None, year: int | None
) -> dict[str, Any]:
    """Validated filters: countries resolved to alpha-3, vocabulary terms checked."""
    if tactic and tactic not in TACTICS:
        raise InputError(
            f"unknown tactic {tactic!r}; see /api/catalog for the list", {"allowed": list(TACTICS)}
        )
    if stage and stage not in STAGES:
        raise InputError(
            f"unknown stage {stage!r}: use one of {', '.join(STAGES)}", {"allowed": list(STAGES)}
        )
    return {
        "origin": countries.alpha3(origin) if origin else None,
        "host": countries.alpha3(host) if host else None,
        "tactic": tactic or None,
        "stage": stage or None,
        "year": year,
    }


Opt = Annotated[str | None, Query(max_length=60)]
OptYear = Annotated[int | None, Query(ge=1991, le=2100)]


def incident_map(items: list[dict[str, Any]], lang: str) -> str:
    """Host states coloured by their share of the listed incidents."""
    counts: dict[str, int] = {}
    for item in items:
        if item["host"]:
            counts[item["host"]] = counts.get(item["host"], 0) + 1
    top = max(counts.values(), default=1)
    _ = translations(lang).gettext
    return charts.europe_map(
        {code: n / top for code, n in counts.items()},
        title=_("Where the listed incidents happened"),
        desc=_("Host states coloured by their number of incidents, relative to the most affected."),
        legend_label=_("Incidents, relative to the most affected state"),
        no_data=_("none recorded"),
        names={
            code: f"{country_name(code, lang)} ({counts.get(code, 0)})"
            for code in charts.europe.outlines()
        },
        hrefs={code: f"/incidents?host={code}" for code in counts},
    )


@router.get("/incidents", response_class=HTMLResponse)
def incident_list(
    request: Request, services: Svc, lang: Lang, user: CurrentUser, origin: Opt = None,
    host: Opt = None, tactic: Opt = None, stage: Opt = None, year: OptYear = None,
) -> HTMLResponse:  # fmt: skip
    filters = incident_filters(origin, host, tactic, stage, year)
    restricted = may_see_restricted(user)
    result, missing = _attempt(services.incidents, filters, restricted)
    context = {
        "title": "Incidents",
        "filters": filters,
        "result": result,
        "missing": missing,
        "tactics": list(TACTICS),
        "stages": list(STAGES),
        "origins": countries.FSU_ORIGINS,
        "map": incident_map(result["items"], lang) if result and result["items"] else None,
        "restricted": restricted,
    }
    return render(request, "incidents.html", context, lang)


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(
    request: Request, services: Svc, lang: Lang, user: CurrentUser, incident_id: str,
    saved: bool = False,
) -> HTMLResponse:  # fmt: skip
    """One incident; restricted ones exist only for caseworkers and up (others get 404)."""
    incident = services.incident(incident_id, may_see_restricted(user))
    context = {"title": incident["id"], "i": incident, "saved": saved}
    return render(request, "incident.html", context, lang)
