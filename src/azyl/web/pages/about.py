"""About the data: every source (licence, release, sha256, retrieval date); rate definitions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from azyl.stats.rounding import UNHCR_SMALLEST
from azyl.web.deps import Lang, Svc
from azyl.web.params import attempt
from azyl.web.services import Services
from azyl.web.stats_view import MIN_DECISIONS
from azyl.web.templating import environment, render

router = APIRouter()


@router.get("/about", response_class=HTMLResponse)
def about(request: Request, services: Svc, lang: Lang) -> HTMLResponse:
    """The page around a body rendered once per language: the statistics' provenance and the
    knowledge base's sources do not change while the process runs (both are loaded once),
    and listing several hundred sources was most of the page's cost."""
    body = services.remember(("about-body", lang), lambda: _body(services, lang))
    return render(request, "about.html", {"title": "About the data", "body": Markup(body)}, lang)


def _body(services: Services, lang: str) -> str:
    stats_sources, stats_missing = attempt(services.statistics_sources)
    definitions, _ = attempt(services.rate_definitions)
    kb_sources, kb_missing = attempt(services.kb_sources)
    small_counts, _ = attempt(services.small_counts)
    context = {
        "small_counts": small_counts,
        "min_decisions": MIN_DECISIONS,
        "small_n": services.settings.small_n,
        "smallest_count": UNHCR_SMALLEST,
        "stats_sources": stats_sources,
        "stats_missing": stats_missing,
        "definitions": definitions,
        "kb_sources": kb_sources,
        "kb_missing": kb_missing,
    }
    return environment(lang).get_template("_about_body.html").render(**context)
