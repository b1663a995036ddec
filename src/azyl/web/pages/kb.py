"""Knowledge base: facts by state, kind and date ("as of"), each with citations and sources."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from azyl.kb.vocabulary import FACT_KINDS, PROFILES
from azyl.web.deps import Lang, Svc
from azyl.web.params import AsOf, Opt, attempt, fact_filters
from azyl.web.templating import render

router = APIRouter()


@router.get("/kb", response_class=HTMLResponse)
def kb_index(
    request: Request, services: Svc, lang: Lang, state: Opt = None, kind: Opt = None,
    as_of: AsOf = None, profile: Opt = None,
) -> HTMLResponse:  # fmt: skip
    filters = fact_filters(state, kind, as_of, profile)
    result, missing = attempt(
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
