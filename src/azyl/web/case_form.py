"""The case-profile form: its flat fields to a profile and back, and what it needs to render.

Shared by the screening page and the saved case's "change the profile" page, so
both read and fill exactly the same fields (`templates/_case_form.html`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from starlette.datastructures import FormData

from azyl import countries
from azyl.errors import CaseProfileError
from azyl.i18n import country_name
from azyl.i18n.message import error_text, render
from azyl.web.params import attempt
from azyl.web.services import Services

ROUTE_ROWS = 6
#: More rows than any route needs: a posted form cannot make the server loop for long.
MAX_ROUTE_ROWS = 40


def _text(form: FormData, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def profile_from_form(form: FormData) -> dict[str, Any]:
    """The case profile (CLI/API schema) from the form's flat fields; empty fields left out."""
    citizenship = [c for c in (_text(form, "citizenship"), _text(form, "citizenship2")) if c]
    # Nationalities after the second, kept in hidden fields when a profile filled the form.
    citizenship += [str(c).strip() for c in form.getlist("citizenship_more") if str(c).strip()]
    person: dict[str, Any] = {
        "citizenship": citizenship,
        "profiles": [str(p) for p in form.getlist("profiles")],
        "wanted": [str(w) for w in form.getlist("wanted")],
        "public_profile": "public_profile" in form,
        "relatives_in_origin": "relatives_in_origin" in form,
    }
    if region := _text(form, "region"):
        person["region"] = region
    if service := _text(form, "military_service"):
        person["military_service"] = service
    for key in ("wanted_by", "relatives_in"):
        if listed := _codes(_text(form, key)):
            person[key] = listed
    protected = []
    if protector := _text(form, "protected_in-country"):
        protected.append({"country": protector, "status": _text(form, "protected_in-status")})
    for kept in form.getlist("protected_in_more"):  # "DEU:refugee", hidden, as filled
        country, _, status = str(kept).partition(":")
        protected.append({"country": country.strip(), "status": status.strip()})
    if protected:
        person["protected_in"] = [{**p, "status": p["status"] or "refugee"} for p in protected]
    route = [step for i in range(_route_rows(form)) if (step := _route_step(form, i))]
    profile: dict[str, Any] = {
        "person": person,
        "route": route,
        "current_country": _text(form, "current_country"),
        "stage": _text(form, "stage"),
    }
    for day in ("as_of", "application_date"):
        if value := _text(form, day):
            profile[day] = value
    if (action := _text(form, "action_type")) and (to := _text(form, "action_to")):
        profile["proposed_action"] = {"type": action, "to": to}
    return profile


def _codes(text: str) -> list[str]:
    """Countries typed as a comma-separated list ("TJK, RUS")."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _route_step(form: FormData, i: int) -> dict[str, Any] | None:
    """Row `i` of the route as a profile step, or None for an empty row."""
    country = _text(form, f"route-{i}-country")
    if not country:
        return None
    step: dict[str, Any] = {"country": country, "role": _text(form, f"route-{i}-role") or "transit"}
    for flag in ("fingerprinted", "asylum_refused"):
        if f"route-{i}-{flag}" in form:
            step[flag] = True
    if documents := [str(d) for d in form.getlist(f"route-{i}-documents")]:
        step["documents"] = documents
    for day in ("entered", "left"):
        if value := _text(form, f"route-{i}-{day}"):
            step[day] = value
    return step


def _route_rows(form: FormData) -> int:
    """Rows of route steps in a posted form: six, or as many as a screened file filled."""
    raw = form.get("route_rows")
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 3:
        rows = int(raw)
    else:  # absent, not a number, or a digit int() refuses ("²")
        rows = ROUTE_ROWS
    return min(max(rows, ROUTE_ROWS), MAX_ROUTE_ROWS)


def form_values(case: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The form's fields for a screened profile (`model_dump(mode="json")`), and what cannot fit.

    Everything the profile holds is filled, so screening the form again gives
    the same screening. Nationalities after the second and protection granted
    by more than one state have no visible field: they are kept in hidden fields
    and named in the second value, so the page can say they are there.
    """
    person = case["person"]
    citizenship = person["citizenship"]
    protected = person.get("protected_in") or []
    action = case.get("proposed_action") or {}
    values: dict[str, Any] = {
        "citizenship": citizenship[0],
        "citizenship2": citizenship[1] if len(citizenship) > 1 else None,
        "region": person.get("region"),
        "profiles": person.get("profiles") or [],
        "military_service": person.get("military_service"),
        "wanted": person.get("wanted") or [],
        "wanted_by": ", ".join(person.get("wanted_by") or []) or None,
        "public_profile": person.get("public_profile"),
        "relatives_in_origin": person.get("relatives_in_origin"),
        "relatives_in": ", ".join(person.get("relatives_in") or []) or None,
        "protected_in-country": protected[0]["country"] if protected else None,
        "protected_in-status": protected[0]["status"] if protected else None,
        "current_country": case["current_country"],
        "stage": case["stage"],
        "as_of": case.get("as_of"),
        "application_date": case.get("application_date"),
        "action_type": action.get("type"),
        "action_to": action.get("to"),
    }
    for i, step in enumerate(case.get("route") or []):
        for key in ("country", "role", "fingerprinted", "asylum_refused", "documents", "entered",
                    "left"):  # fmt: skip
            values[f"route-{i}-{key}"] = step.get(key)
    values["citizenship_more"] = citizenship[2:]
    values["protected_in_more"] = [f"{p['country']}:{p['status']}" for p in protected[1:]]
    further = [*citizenship[2:], *(f"{p['country']} ({p['status']})" for p in protected[1:])]
    return values, further


def form_context(services: Services, lang: str, form: FormData | None) -> dict[str, Any]:
    """What the form needs: vocabularies, country suggestions and the values entered."""
    vocab, missing = attempt(services.screening_vocabularies)
    codes = sorted(countries.FSU_ORIGINS + tuple(c for c, _, _ in countries.EU_MEMBERSHIP))
    extra = ("NOR", "CHE", "GBR", "TUR", "SRB", "ISL", "ARE", "ISR", "MNE", "MKD", "ALB", "BIH")
    suggestions = sorted({*codes, *extra}, key=lambda c: country_name(c, lang))
    values: defaultdict[str, Any] = defaultdict(lambda: None)  # an empty field reads as None
    if form is not None:
        for key in form:
            multiple = ("profiles", "wanted", "citizenship_more", "protected_in_more")
            listed = key in multiple or key.endswith("-documents")
            values[key] = form.getlist(key) if listed else form.get(key)
    return {
        "title": "Screening",
        "vocab": vocab,
        "missing": missing,
        "suggestions": suggestions,
        "values": values,
        "route_rows": _route_rows(form) if form is not None else ROUTE_ROWS,
        "fsu": countries.FSU_ORIGINS,
    }


def profile_problems(exc: CaseProfileError, lang: str) -> list[str]:
    """A profile's problems in the reader's language, one line per field."""
    if exc.messages:
        return [render(message, lang) for message in exc.messages]
    if exc.text is not None:
        return [error_text(exc, lang)]
    return (exc.details or {}).get("problems") or [exc.message]
