"""About the data: every source (licence, release, sha256, retrieval date); rate definitions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from azyl.stats.rounding import UNHCR_SMALLEST
from azyl.web.deps import Lang, Svc
from azyl.web.params import attempt
from azyl.web.stats_view import MIN_DECISIONS
from azyl.web.templating import render

router = APIRouter()


@router.get("/about", response_class=HTMLResponse)
def about(request: Request, services: Svc, lang: Lang) -> HTMLResponse:
    stats_sources, stats_missing = attempt(services.statistics_sources)
    definitions, _ = attempt(services.rate_definitions)
    kb_sources, kb_missing = attempt(services.kb_sources)
    small_counts, _ = attempt(services.small_counts)
    context = {
        "small_counts": small_counts,
        "min_decisions": MIN_DECISIONS,
        "small_n": services.settings.small_n,
        "smallest_count": UNHCR_SMALLEST,
        "title": "About the data",
        "stats_sources": stats_sources,
        "stats_missing": stats_missing,
        "definitions": definitions,
        "kb_sources": kb_sources,
        "kb_missing": kb_missing,
    }
    return render(request, "about.html", context, lang)
