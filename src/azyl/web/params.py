"""Query parameters and filters shared by the pages and the JSON API.

Each is declared once, with its limits and description (which the OpenAPI
document shows), so a page and the API route over the same data accept
exactly the same input and refuse bad input with the same message. `attempt`
turns a part of azyl that is not available (statistics not built yet) into a
message a page can show instead of failing.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Query

from azyl import countries
from azyl.errors import InputError
from azyl.i18n import N_
from azyl.i18n.message import Message, failure, text_of
from azyl.incidents.vocabulary import STAGES, TACTICS
from azyl.kb.vocabulary import FACT_KINDS, PROFILES
from azyl.web.services import NEWEST_FACTS, NEWEST_FIRST, NotAvailable
from azyl.web.tables import Order, parse_order

Origin = Annotated[str, Query(description="Country of origin (ISO code or English name).")]
Year = Annotated[int | None, Query(ge=1951, le=2100, description="Decision year.")]
Rate = Annotated[str, Query(pattern="^[a-z_]{1,40}$", description="Which rate to rank by.")]
Scope = Annotated[
    Literal["europe", "all"],
    Query(description="Destinations compared: EU+ and the UK, or all countries of asylum."),
]
DEFAULT_RATE = "protection_rate"


def attempt(call: Any, *args: Any) -> tuple[Any, Message | str | None]:
    """(result, None), or (None, why) when that part of azyl is not available (`why` is a
    template where it has one: the page's `said` renders it in the page's language)."""
    try:
        return call(*args), None
    except NotAvailable as exc:
        return None, text_of(exc) or exc.message


def parse_day(text: str | None, name: str = "as_of") -> date | None:
    """A calendar date written YYYY-MM-DD (nothing else: not a timestamp, not 2020-2-3)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text) if len(text) == 10 else date.fromisoformat("x")
    except ValueError:
        raise failure(
            InputError,
            N_('{name} "{text}" is not a date: write it as YYYY-MM-DD, e.g. 2024-05-01'),
            {"parameter": name, "input": text},
            name=name,
            text=text,
        ) from None


def fact_filters(
    state: str | None, kind: str | None, as_of: str | date | None, profile: str | None
) -> dict[str, Any]:
    """Validated filters for facts (shared by the page and the API)."""
    if not isinstance(as_of, date):
        as_of = parse_day(as_of)
    if kind and kind not in FACT_KINDS:
        raise failure(
            InputError,
            N_('unknown fact kind "{kind}"; see /api/catalog for the list'),
            {"allowed": list(FACT_KINDS)},
            kind=kind,
        )
    if profile and profile not in PROFILES:
        raise failure(
            InputError,
            N_('unknown profile "{profile}"; see /api/catalog for the list'),
            {"allowed": list(PROFILES)},
            profile=profile,
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


def incident_filters(
    origin: str | None, host: str | None, tactic: str | None, stage: str | None, year: int | None
) -> dict[str, Any]:
    """Validated filters: countries resolved to alpha-3, vocabulary terms checked."""
    if tactic and tactic not in TACTICS:
        raise failure(
            InputError,
            N_('unknown tactic "{tactic}"; see /api/catalog for the list'),
            {"allowed": list(TACTICS)},
            tactic=tactic,
        )
    if stage and stage not in STAGES:
        raise failure(
            InputError,
            N_('unknown stage "{stage}": use one of {allowed}'),
            {"allowed": list(STAGES)},
            stage=stage,
            allowed=", ".join(STAGES),
        )
    return {
        "origin": countries.alpha3(origin) if origin else None,
        "host": countries.alpha3(host) if host else None,
        "tactic": tactic or None,
        "stage": stage or None,
        "year": year,
    }


OptYear = Annotated[int | None, Query(ge=1991, le=2100)]


#: Sort parameters (Datasette's names): one column, ascending or descending.
Sort = Annotated[
    str | None, Query(alias="_sort", max_length=40, description="Sort ascending by this column.")
]
SortDesc = Annotated[
    str | None,
    Query(alias="_sort_desc", max_length=40, description="Sort descending by this column."),
]
INCIDENT_COLUMNS: tuple[str, ...] = ("date", "origin", "host", "stage", "id")
#: A page's field problems: (msgid, parameters), translated by the template.
FieldErrors = dict[str, tuple[str, dict[str, Any]]]
YEAR_RANGE = (1991, 2100)
UNKNOWN_COUNTRY = N_("No country azyl knows is called %(value)s: type an ISO code such as TUR, "
                     "or the country's name.")  # fmt: skip
UNKNOWN_TERM = N_("Not a value azyl knows: %(value)s.")
UNKNOWN_COLUMN = N_("Not a column this list sorts by: %(value)s.")
BAD_DATE = N_("%(value)s is not a date: write it as YYYY-MM-DD, e.g. 2024-05-01.")


def incident_page_filters(
    origin: str | None, host: str | None, tactic: str | None, stage: str | None,
    year: str | None, sort: str | None, sort_desc: str | None,
) -> tuple[dict[str, Any], Order, FieldErrors]:  # fmt: skip
    """The incident list's filters as typed into its form: each bad field gets its own message.

    A page keeps the fields that are right and lists with them, and says next
    to each wrong one what is wrong, instead of replacing the page by an error.
    """
    errors: FieldErrors = {}
    parsed_year = None
    if year and year.strip():
        low, high = YEAR_RANGE
        text = year.strip()
        # isascii: "²" is a digit to isdigit() but not to int()
        if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
            errors["year"] = (
                N_("Write the year as four digits, from %(low)s to %(high)s."),
                {"low": low, "high": high},
            )
        else:
            parsed_year = int(text)
    fields = {"origin": origin, "host": host, "tactic": tactic, "stage": stage}
    for name, value in fields.items():
        try:
            incident_filters(**{name: value, **{k: None for k in fields if k != name}}, year=None)
        except InputError:
            errors[name] = (UNKNOWN_COUNTRY if name == "host" else UNKNOWN_TERM, {"value": value})
            fields[name] = None
    filters = incident_filters(**fields, year=parsed_year)
    try:
        order = parse_order(sort, sort_desc, INCIDENT_COLUMNS, NEWEST_FIRST)
    except InputError:
        errors["_sort"] = (UNKNOWN_COLUMN, {"value": sort or sort_desc})
        order = NEWEST_FIRST
    return filters, order, errors


FACT_COLUMNS: tuple[str, ...] = ("valid_from", "actor", "kind", "id")
#: How the knowledge-base page groups facts.
FACT_GROUPS: tuple[str, ...] = ("kind", "actor", "area")


def kb_page_filters(
    state: str | None, kind: str | None, as_of: str | None, profile: str | None,
    sort: str | None, sort_desc: str | None,
) -> tuple[dict[str, Any], Order, FieldErrors]:  # fmt: skip
    """The knowledge-base page's filters as typed: a bad field is marked, the others apply."""
    errors: FieldErrors = {}
    fields: dict[str, Any] = {"state": state, "kind": kind, "as_of": as_of, "profile": profile}
    for name, value in list(fields.items()):
        try:
            fact_filters(**{**dict.fromkeys(fields), name: value})
        except InputError:
            errors[name] = (
                {"state": UNKNOWN_COUNTRY, "as_of": BAD_DATE}.get(name, UNKNOWN_TERM),
                {"value": value},
            )
            fields[name] = None
    try:
        order = parse_order(sort, sort_desc, FACT_COLUMNS, NEWEST_FACTS)
    except InputError:
        errors["_sort"] = (UNKNOWN_COLUMN, {"value": sort or sort_desc})
        order = NEWEST_FACTS
    return fact_filters(**fields), order, errors
