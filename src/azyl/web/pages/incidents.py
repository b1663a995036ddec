"""Incidents: the registry of transnational repression, filtered, on a timeline and a map."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from azyl import charts, countries
from azyl.i18n import country_name, formats, translations
from azyl.incidents.vocabulary import STAGES, TACTICS
from azyl.revisions import counter
from azyl.web.deps import Lang, Svc
from azyl.web.params import (
    INCIDENT_COLUMNS,
    Opt,
    Sort,
    SortDesc,
    attempt,
    incident_page_filters,
)
from azyl.web.services import NEWEST_FIRST, Services, may_see_restricted
from azyl.web.session import CurrentUser
from azyl.web.tables import Order
from azyl.web.templating import environment, render

router = APIRouter()
#: The publishers named in the registry's coverage (the rest are counted together).
COVERAGE_PUBLISHERS = 12


#: Fixed classes of the incident map: (lowest count, colour), so that one incident
#: looks like one incident whatever the busiest state holds.
INCIDENT_CLASSES: tuple[tuple[int, str], ...] = (
    (1, "#c6dbef"), (2, "#6baed6"), (5, "#2171b5"), (10, "#08306b"),
)  # fmt: skip


def incident_class(count: int) -> int:
    """The index in INCIDENT_CLASSES of a count of at least 1."""
    return max(i for i, (lowest, _) in enumerate(INCIDENT_CLASSES) if count >= lowest)


def incident_map(items: list[dict[str, Any]], lang: str) -> str:
    """Host states shaded by their number of listed incidents in fixed classes (1, 2-4,
    5-9, 10 or more), with a legend naming them."""
    counts: dict[str, int] = {}
    for item in items:
        if item["host"]:
            counts[item["host"]] = counts.get(item["host"], 0) + 1
    _ = translations(lang).gettext
    bounds = [lowest for lowest, _ in INCIDENT_CLASSES]
    labels = [
        f"{formats.number(low, lang)}–{formats.number(high - 1, lang)}"
        if high - 1 > low
        else formats.number(low, lang)
        for low, high in pairwise(bounds)
    ] + [_("%(n)s or more") % {"n": formats.number(bounds[-1], lang)}]
    return charts.europe_map(
        {code: float(incident_class(n)) for code, n in counts.items()},
        title=_("Where the listed incidents happened"),
        desc=_("Host states shaded by their number of listed incidents, in fixed classes."),
        legend_label=_("Incidents per host state"),
        no_data=_("none recorded"),
        names={
            code: f"{country_name(code, lang)} ({formats.number(counts.get(code, 0), lang)})"
            for code in charts.europe.outlines()
        },
        hrefs={code: f"/incidents?host={code}" for code in counts},
        lang=lang,
        classes=[(fill, label) for (_, fill), label in zip(INCIDENT_CLASSES, labels, strict=True)],
    )


@router.get("/incidents", response_class=HTMLResponse)
def incident_list(
    request: Request, services: Svc, lang: Lang, user: CurrentUser, origin: Opt = None,
    host: Opt = None, tactic: Opt = None, stage: Opt = None, year: Opt = None,
    sort: Sort = None, sort_desc: SortDesc = None,
) -> HTMLResponse:  # fmt: skip
    """The list, its map and its downloads; a wrong field is marked and the rest still apply."""
    filters, order, errors = incident_page_filters(
        origin, host, tactic, stage, year, sort, sort_desc
    )
    restricted = may_see_restricted(user)
    found, missing = attempt(registry_html, services, lang, filters, restricted, order)
    listing, coverage = found or (None, None)
    context = {
        "title": "Incidents",
        "filters": filters,
        "typed": {"host": host or "", "year": year or ""},
        "errors": errors,
        "order": order,
        "default_order": NEWEST_FIRST,
        "sorts": INCIDENT_COLUMNS,
        "listing": listing,
        "coverage": coverage,
        "missing": missing,
        "tactics": list(TACTICS),
        "stages": list(STAGES),
        "origins": countries.FSU_ORIGINS,
        "restricted": restricted,
        "download_query": urlencode(
            {k: v for k, v in request.query_params.items() if k != "lang" and k not in errors}
        ),
    }
    return render(request, "incidents.html", context, lang, status=422 if errors else 200)


def registry_html(
    services: Services, lang: str, filters: dict[str, Any], restricted: bool, order: Order
) -> tuple[tuple[int, str, str], str]:
    """The list's incidents (`listing_html`) and what the registry covers (`coverage_html`).

    Both are the same for every reader of one audience (public or restricted)
    asking the same filters in one language, and rendering some 200 incidents
    was most of the page's work: kept until the registry changes (its change
    counter, one primary-key read, is read once for both).
    """
    seen = counter.read(services.app_engine())
    return (
        listing_html(services, lang, filters, restricted, order, seen),
        coverage_html(services, lang, restricted, seen),
    )


def listing_html(
    services: Services, lang: str, filters: dict[str, Any], restricted: bool, order: Order,
    seen: int,
) -> tuple[int, str, str]:  # fmt: skip
    """The number of incidents found, their map and their timeline, as HTML."""
    key = ("incident-listing", lang, restricted, seen, order, *sorted(filters.items()))

    def build() -> tuple[int, str, str]:
        items = services.incidents(filters, restricted, order)["items"]
        lists = environment(lang).get_template("_lists.html").module
        timeline = str(lists.incident_list(items)) if items else ""  # type: ignore[attr-defined]
        return len(items), incident_map(items, lang) if items else "", timeline

    return services.kept_body(key, build)


def coverage_html(services: Services, lang: str, restricted: bool, seen: int) -> str:
    """What the registry holds, as the list's reader sees it: incidents by year, by origin
    and by the publisher of the sources they cite, and what it does not cover.

    An incident citing two sources of one publisher counts once for it; one citing a
    web page outside the knowledge base counts under "other sources".
    """
    key = ("incident-coverage", lang, restricted, seen)

    def build() -> str:
        views = services.incident_views(restricted)
        publishers = services.knowledge_base().sources
        by_publisher: Counter[str] = Counter()
        for view in views:
            named = {publishers[r.source].publisher for r in view.sources
                     if r.source in publishers}  # fmt: skip
            by_publisher.update(named or {""})
        context = {
            "total": len(views),
            "by_year": sorted(Counter(v.date.year for v in views).items()),
            "by_origin": sorted(Counter(v.origin for v in views).items(), key=lambda kv: -kv[1]),
            "by_publisher": by_publisher.most_common(COVERAGE_PUBLISHERS),
            "publishers": len(by_publisher),
        }
        return environment(lang).get_template("_incident_coverage.html").render(**context)

    return services.kept_body(key, build)


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(
    request: Request, services: Svc, lang: Lang, user: CurrentUser, incident_id: str,
    saved: bool = False,
) -> HTMLResponse:  # fmt: skip
    """One incident; restricted ones exist only for caseworkers and up (others get 404)."""
    incident = services.incident(incident_id, may_see_restricted(user))
    context = {"title": incident["id"], "i": incident, "saved": saved}
    return render(request, "incident.html", context, lang)
