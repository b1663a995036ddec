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
from azyl.i18n.message import failure
from azyl.incidents.vocabulary import STAGES, TACTICS
from azyl.kb.vocabulary import FACT_KINDS, PROFILES
from azyl.web.services import NotAvailable

Origin = Annotated[str, Query(description="Country of origin (ISO code or English name).")]
Year = Annotated[int | None, Query(ge=1951, le=2100, description="Decision year.")]
Rate = Annotated[str, Query(pattern="^[a-z_]{1,40}$", description="Which rate to rank by.")]
Scope = Annotated[
    Literal["europe", "all"],
    Query(description="Destinations compared: EU+ and the UK, or all countries of asylum."),
]
DEFAULT_RATE = "protection_rate"


def attempt(call: Any, *args: Any) -> tuple[Any, str | None]:
    """(result, None), or (None, why) when that part of azyl is not available."""
    try:
        return call(*args), None
    except NotAvailable as exc:
        return None, exc.message


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
