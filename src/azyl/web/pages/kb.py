"""Knowledge base: facts by state, kind and date ("as of"), grouped, with citations and sources.

The page groups the facts (by kind, by acting state or by area) in folded
sections, so 500 facts are a page of headings rather than 25,000 pixels; a
wrong filter is marked beside its field and the others still apply. The same
filters and order give the CSV and JSON downloads (`/kb/export.{fmt}`), and
`/kb/coverage` shows what the knowledge base covers on a date.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from azyl.i18n import country_name, label
from azyl.kb.vocabulary import FACT_KINDS, PROFILES
from azyl.web.deps import Lang, Svc
from azyl.web.downloads import facts_download
from azyl.web.params import (
    FACT_COLUMNS,
    FACT_GROUPS,
    AsOf,
    Opt,
    Sort,
    SortDesc,
    attempt,
    fact_filters,
    kb_page_filters,
    parse_day,
)
from azyl.web.services import NEWEST_FACTS
from azyl.web.tables import parse_order
from azyl.web.templating import render

router = APIRouter()
#: Groups shown open when the filters leave at most this many facts.
OPEN_BELOW = 40
#: Above this many facts, groups are headings that open one at a time (`show=`): the whole
#: knowledge base on one page is 300 KB of HTML that takes too long to render and to read.
LIST_AT_MOST = 150
Group = Annotated[Literal["kind", "actor", "area"], Query()]


def grouped(items: list[dict[str, Any]], by: str, lang: str) -> list[dict[str, Any]]:
    """Facts in named groups, sorted by the group's name in the reader's language."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(item[by], []).append(item)

    def name(key: str) -> str:
        if by == "kind":
            return label("fact_kinds", key, lang)
        return country_name(key, lang) if by == "actor" else key.replace("_", " ")

    return sorted(
        ({"key": key, "name": name(key), "items": facts} for key, facts in groups.items()),
        key=lambda g: g["name"].casefold(),
    )


@router.get("/kb", response_class=HTMLResponse)
def kb_index(
    request: Request, services: Svc, lang: Lang, state: Opt = None, kind: Opt = None,
    as_of: Opt = None, profile: Opt = None, group: Group = "kind", sort: Sort = None,
    sort_desc: SortDesc = None, show: Opt = None,
) -> HTMLResponse:  # fmt: skip
    filters, order, errors = kb_page_filters(state, kind, as_of, profile, sort, sort_desc)
    result, missing = attempt(
        services.facts, filters["state"], filters["kind"], filters["as_of"], filters["profile"],
        None, order,
    )  # fmt: skip
    context = {
        "title": "Knowledge base",
        "filters": filters,
        "typed": {"state": state or "", "as_of": as_of or ""},
        "errors": errors,
        "order": order,
        "default_order": NEWEST_FACTS,
        "group": group,
        "groups": grouped(result["items"], group, lang) if result else [],
        "open_all": bool(result) and result["total"] <= OPEN_BELOW,
        "headings_only": bool(result) and result["total"] > LIST_AT_MOST,
        "show": show,
        "result": result,
        "missing": missing,
        "kinds": list(FACT_KINDS),
        "profiles": list(PROFILES),
        "group_choices": FACT_GROUPS,
        "today": date.today().isoformat(),
        "download_query": urlencode(
            {
                k: v
                for k, v in request.query_params.items()
                if k not in errors and k not in ("lang", "group")
            }
        ),
    }
    return render(request, "kb.html", context, lang, status=422 if errors else 200)


@router.get("/kb/export.{fmt}")
def kb_export(
    services: Svc, fmt: str, state: Opt = None, kind: Opt = None, as_of: AsOf = None,
    profile: Opt = None, sort: Sort = None, sort_desc: SortDesc = None,
) -> Response:  # fmt: skip
    """Exactly the facts the page lists with the same filters, in its order: CSV or JSON."""
    filters = fact_filters(state, kind, as_of, profile)
    order = parse_order(sort, sort_desc, FACT_COLUMNS, NEWEST_FACTS)
    result = services.facts(
        filters["state"], filters["kind"], filters["as_of"], filters["profile"], None, order
    )
    return facts_download(result, fmt, filtered=any(v is not None for v in filters.values()))


@router.get("/kb/coverage", response_class=HTMLResponse)
def kb_coverage_page(request: Request, services: Svc, lang: Lang, on: Opt = None) -> HTMLResponse:
    """Origins by main destinations: how many facts in force on a date concern each pair."""
    day = parse_day(on, "on") or date.today()
    report = services.kb_coverage(day)
    context = {"title": "Coverage of the knowledge base", "report": report, "on": day.isoformat()}
    return render(request, "kb_coverage.html", context, lang)


@router.get("/kb/facts/{fact_id}", response_class=HTMLResponse)
def fact_page(request: Request, services: Svc, lang: Lang, fact_id: str) -> HTMLResponse:
    fact = services.fact(fact_id)
    return render(request, "fact.html", {"title": fact["id"], "f": fact}, lang)


@router.get("/kb/sources/{source_id}", response_class=HTMLResponse)
def source_page(request: Request, services: Svc, lang: Lang, source_id: str) -> HTMLResponse:
    source = services.kb_source(source_id)
    return render(request, "source.html", {"title": source["title"], "s": source}, lang)
