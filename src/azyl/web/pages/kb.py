"""Knowledge base: facts by state, kind and date ("as of"), each with citations and sources."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from azyl import countries
from azyl.errors import InputError
from azyl.kb.vocabulary import FACT_KINDS, PROFILES
from azyl.web.deps import Lang, Svc
from azyl.web.pages.atlas import _attempt
from azyl.web.templating import render

router = APIRouter()


def parse_day(text: str | None, name: str = "as_of") -> date | None:
    """A calendar date written YYYY-MM-DD (nothing else: not a timestamp, not 2020-2-3)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text) if len(text) == 10 else date.fromisoformat("x")
    except ValueError:
        raise InputError(
            f"{name} {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2024-05-01",
            {"parameter": name, "input": text},
        ) from None


def fact_filters(
    state: str | None, kind: str | None, as_of: str | date | None, profile: str | None
) -> dict[str, Any]:
    """Validated filters for facts (shared by the page and the API)."""
    if not isinstance(as_of, date):
        as_of = parse_day(as_of)
    if kind and kind not in FACT_KINDS:
        raise InputError(
            f"unknown fact kind {kind!r}; see /api/catalog for the list",
            {"allowed": list(FACT_KINDS)},
        )
    if profile and profile not in PROFILES:
        raise InputError(
            f"unknown profile {profile!r}; see /api/catalog for the list",
            {"allowed": list(PROFILES)},
        )
    code = None
    if state:
        code = (
            state.upper() if state.upper() in countries.ORGANISATIONS else countries.alpha3(state)
        )
    return {"state": code, "kind": kind or None, "as_of": as_of, "profile": profile or None}


Opt = Annotated[str | None, Query(max_length=60)]
AsOf = Annotated[
    str | None,
    Query(
        description="Show the law as it stood on this date (YYYY-MM-DD).",
        json_schema_extra={"format": "date"},
    ),
]


@router.get("/kb", response_class=HTMLResponse)
def kb_index(
    request: Request, services: Svc, lang: Lang, state: Opt = None, kind: Opt = None,
    as_of: AsOf = None, profile: Opt = None,
) -> HTMLResponse:  # fmt: skip
    filters = fact_filters(state, kind, as_of, profile)
    result, missing = _attempt(
        services.facts, filters["state"], filters["kind"], filters["as_of"], filters["profile"]
    )
    context = {
        "title": "Knowledge base",
        "filters": filters,
        "result": result,
        "missing": missing,
        "kinds": list(FACT_KINDS),
        "profiles": list(PROFILES),
        "today": date.today().isoformat(),
    }
    return render(request, "kb.html", context, lang)


@router.get("/kb/facts/{fact_id}", response_class=HTMLResponse)
def fact_page(request: Request, services: Svc, lang: Lang, fact_id: str) -> HTMLResponse:
    fact = services.fact(fact_id)
    return render(request, "fact.html", {"title": fact["id"], "f": fact}, lang)


@router.get("/kb/sources/{source_id}", response_class=HTMLResponse)
def source_page(request: Request, services: Svc, lang: Lang, source_id: str) -> HTMLResponse:
    source = services.kb_source(source_id)
    return render(request, "source.html", {"title": source["title"], "s": source}, lang)
