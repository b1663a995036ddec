"""Countries: one page per state, in both roles (origin; host or transit state)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from azyl import countries
from azyl.i18n import N_, country_name
from azyl.revisions import counter
from azyl.stats.rounding import UNHCR_SMALLEST
from azyl.web.deps import Lang, Svc
from azyl.web.params import DEFAULT_RATE, attempt
from azyl.web.services import Services
from azyl.web.templating import environment, query_url, render

router = APIRouter()

#: Law and practice on a country page, grouped by what a caseworker looks for:
#: (anchor, msgid of the heading, fact kinds). Every fact kind is in one group.
FACT_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("safe-country", N_("Safe-country lists"),
     ("safe_third_country_designation", "safe_country_of_origin_designation")),
    ("dublin", N_("Dublin transfers"), ("dublin_practice",)),
    ("border", N_("Border and travel"), ("border_access_restriction", "travel_restriction")),
    ("removal", N_("Removal: extradition, deportation, readmission, INTERPOL"),
     ("extradition_cooperation", "deportation_practice", "readmission_agreement",
      "interpol_practice")),
    ("danger", N_("Persecution and danger"),
     ("persecution_practice", "family_reprisal_practice", "unsafe_for_profile")),
    ("decisions", N_("Asylum decisions and courts"),
     ("recognition_practice", "ipa_practice", "court_ruling")),
    ("protection", N_("Protective routes"), ("protection_practice",)),
    ("detention", N_("Detention"), ("detention_conditions",)),
    ("treaties", N_("Treaties and memberships"), ("treaty_status",)),
)  # fmt: skip

#: Incidents a country page lists in each role (the newest); the registry has them all.
LATEST_INCIDENTS = 10

#: Columns the "Recognition across Europe" table can be sorted by.
SortKey = Literal["rate", "low", "decisions", "name"]
Sort = Annotated[SortKey, Query(description="Column the table of destinations is sorted by.")]


def group_facts(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts in FACT_GROUPS order, only the groups that have any; unknown kinds last."""
    groups = []
    placed: set[str] = set()
    for anchor, heading, kinds in FACT_GROUPS:
        items = [f for f in facts if f["kind"] in kinds]
        placed.update(f["id"] for f in items)
        if items:
            groups.append({"anchor": anchor, "heading": heading, "items": items})
    rest = [f for f in facts if f["id"] not in placed]
    if rest:
        groups.append({"anchor": "other", "heading": N_("Other"), "items": rest})
    return groups


def index_states(services: Services) -> dict[str, list[str]]:
    """The states the index lists: the FSU origins; the European states; and every other
    state the statistics hold decisions or applications of FSU nationals for. A map
    territory with no figure and no fact (the Holy See, Guernsey) is left out."""
    with_data: set[str] = set()
    found, _ = attempt(lambda: services.store().asylum_countries(countries.FSU_ORIGINS))
    with_data.update(found or {})
    facts, _ = attempt(services.facts, None, None, None)
    for fact in (facts or {}).get("items", []):
        with_data.update([fact["actor"], *fact["subject"]])
    today = date.today()
    europe = {c for c, _, _ in countries.EU_MEMBERSHIP} | {
        c for c in with_data if countries.lookup(c) and countries.in_scope(c, "europe", today)
    }
    europe -= set(countries.FSU_ORIGINS)
    others = {c for c in with_data if countries.lookup(c) is not None}
    others -= europe | set(countries.FSU_ORIGINS)
    return {"europe": sorted(europe), "others": sorted(others)}


@router.get("/countries", response_class=HTMLResponse)
def country_index(request: Request, services: Svc, lang: Lang) -> HTMLResponse:
    states = services.remember(("country-index",), lambda: index_states(services))

    def by_name(codes: Any) -> list[str]:
        return sorted(codes, key=lambda c: country_name(c, lang))

    context = {
        "title": "Countries",
        "fsu": by_name(countries.FSU_ORIGINS),
        "europe": by_name(states["europe"]),
        "others": by_name(states["others"]),
    }
    return render(request, "countries.html", context, lang)


def sorted_destinations(rows: list[dict[str, Any]], key: str, lang: str) -> dict[str, Any]:
    """The lottery's destinations in two groups: those with enough decisions for their
    rate to be compared, sorted by `key`; and those with small numbers, always after
    them and ordered by decisions (their rates are too uncertain to be ranked)."""
    orders: dict[str, Callable[[dict[str, Any]], tuple[Any, ...]]] = {
        "rate": lambda r: (-(r["rate"] or 0.0), r["destination"]),
        "low": lambda r: (-(r["low"] or 0.0), r["destination"]),
        "decisions": lambda r: (-r["decisions"], r["destination"]),
        "name": lambda r: (country_name(r["destination"], lang),),
    }
    small_order = orders["name"] if key == "name" else orders["decisions"]
    return {
        "ranked": sorted((r for r in rows if not r["small_n"]), key=orders[key]),
        "small": sorted((r for r in rows if r["small_n"]), key=small_order),
    }


def country_profile(services: Services, code: str) -> dict[str, Any]:
    """What azyl knows of a state as an origin and as a host; each part may be missing."""
    profile: dict[str, Any] = {}
    if code in countries.FSU_ORIGINS:
        profile["lottery"], profile["lottery_missing"] = attempt(
            services.lottery, code, None, DEFAULT_RATE, "europe"
        )
        profile["origin_figures"], _ = attempt(services.origin_figures, code)
    facts, profile["facts_missing"] = attempt(services.facts, code, None, None)
    if facts is not None:  # its own acts, then what others do to or about it
        profile["own_facts"] = group_facts([f for f in facts["items"] if f["actor"] == code])
        profile["others_facts"] = group_facts([f for f in facts["items"] if f["actor"] != code])
    profile["facts"] = facts
    profile["as_origin"], profile["incidents_missing"] = attempt(
        services.public_incidents, {"origin": code}
    )
    profile["as_host"], _ = attempt(services.public_incidents, {"host": code})
    profile["fsu_here"], profile["fsu_missing"] = attempt(
        services.destination_rates, code, None, DEFAULT_RATE
    )
    profile["host_figures"], _ = attempt(services.host_figures, code)
    return profile


@router.get("/countries/{code}", response_class=HTMLResponse)
def country_page(
    request: Request, services: Svc, lang: Lang, code: str, sort: Sort = "rate"
) -> HTMLResponse:
    """A state's page. Its body is the same for every visitor (public incidents only), so
    it is rendered once per state, sort, query and language, and kept until the registry
    changes (its change counter is one primary-key read)."""
    found = countries.resolve(code)
    key = ("country-main", found.alpha3, sort, str(request.url.query), lang,
           counter.read(services.app_engine()))  # fmt: skip
    main = services.remember(key, lambda: country_main(request, services, lang, found.alpha3, sort))
    context = {"title": country_name(found.alpha3, lang), "main_html": Markup(main)}
    return render(request, "country.html", context, lang)


def country_main(request: Request, services: Services, lang: str, code: str, sort: str) -> str:
    """The body of a country page (everything below the navigation)."""
    profile = country_profile(services, code)
    if profile.get("lottery"):
        profile["destinations"] = sorted_destinations(profile["lottery"]["rows"], sort, lang)
    context = {
        "title": country_name(code, lang),
        "code": code,
        "is_origin": code in countries.FSU_ORIGINS,
        "sort": sort,
        "smallest_count": UNHCR_SMALLEST,
        "latest_incidents": LATEST_INCIDENTS,
        **profile,
    }
    page = environment(lang).get_template("_country_main.html")
    return page.render(query_url=lambda **changes: query_url(request, **changes), **context)
