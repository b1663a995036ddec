"""Countries: one page per state, in both roles (origin; host or transit state)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from azyl import countries
from azyl.charts.europe import outlines
from azyl.i18n import country_name
from azyl.web.deps import Lang, Svc
from azyl.web.params import DEFAULT_RATE, attempt
from azyl.web.services import Services
from azyl.web.templating import render

router = APIRouter()


def european_states() -> list[str]:
    """States shown in the index: the FSU origins and the EU members, plus the atlas's hosts."""
    return sorted(
        set(countries.FSU_ORIGINS) | {c for c, _, _ in countries.EU_MEMBERSHIP} | set(outlines())
    )


@router.get("/countries", response_class=HTMLResponse)
def country_index(request: Request, lang: Lang) -> HTMLResponse:
    codes = european_states()
    fsu = sorted(countries.FSU_ORIGINS, key=lambda c: country_name(c, lang))
    others = sorted(
        (c for c in codes if c not in countries.FSU_ORIGINS), key=lambda c: country_name(c, lang)
    )
    context = {"title": "Countries", "fsu": fsu, "others": others}
    return render(request, "countries.html", context, lang)


def country_profile(services: Services, code: str) -> dict[str, Any]:
    """What azyl knows of a state as an origin and as a host; each part may be missing."""
    profile: dict[str, Any] = {}
    if code in countries.FSU_ORIGINS:
        profile["lottery"], profile["lottery_missing"] = attempt(
            services.lottery, code, None, DEFAULT_RATE, "europe"
        )
    facts, profile["facts_missing"] = attempt(services.facts, code, None, None)
    if facts is not None:  # its own acts, then what others do to or about it
        profile["own_facts"] = [f for f in facts["items"] if f["actor"] == code]
        profile["others_facts"] = [f for f in facts["items"] if f["actor"] != code]
    profile["facts"] = facts
    profile["as_origin"], profile["incidents_missing"] = attempt(
        services.incidents, {"origin": code}, False
    )
    profile["as_host"], _ = attempt(services.incidents, {"host": code}, False)
    profile["fsu_here"], profile["fsu_missing"] = attempt(
        services.destination_rates, code, None, DEFAULT_RATE
    )
    return profile


@router.get("/countries/{code}", response_class=HTMLResponse)
def country_page(request: Request, services: Svc, lang: Lang, code: str) -> HTMLResponse:
    found = countries.resolve(code)
    context = {
        "title": country_name(found.alpha3, lang),
        "code": found.alpha3,
        "is_origin": found.alpha3 in countries.FSU_ORIGINS,
        **country_profile(services, found.alpha3),
    }
    return render(request, "country.html", context, lang)
