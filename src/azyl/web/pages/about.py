"""About the data: every source (licence, release, sha256, retrieval date); rate definitions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from azyl.web.deps import Lang, Svc
from azyl.web.params import attempt
from azyl.web.templating import render

router = APIRouter()


@router.get("/about", response_class=HTMLResponse)
def about(request: Request, services: Svc, lang: Lang) -> HTMLResponse:
    stats_sources, stats_missing = attempt(services.statistics_sources)
    definitions, _ = attempt(services.rate_definitions)
    kb_sources, kb_missing = attempt(services.kb_sources)
    context = {
        "title": "About the data",
        "stats_sources": stats_sources,
        "stats_missing": stats_missing,
        "definitions": definitions,
        "kb_sources": kb_sources,
        "kb_missing": kb_missing,
    }
    return render(request, "about.html", context, lang)
