"""The case profile: one person, their route, where they are, and what is proposed.

A profile is what a caseworker knows on the night before a decision: the
person's nationality and profile, the states they passed through, the state
they are in, the stage of their procedure, and the action a state proposes.
It is validated strictly, field by field: an unknown country code, a role
outside the vocabulary, an impossible route or a malformed date each yield one
message naming the field (`route[1].country: unknown country 'Polnd'; did you
mean POL (Poland)?`), all reported at once, never a traceback.

The same model serves the CLI (YAML or JSON files), the web form and the API;
`case_profile_schema()` exports it as JSON Schema.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from azyl import countries
from azyl.assess import vocabulary as v
from azyl.errors import CaseProfileError, UnknownCountry
from azyl.i18n import N_
from azyl.i18n.message import Message, failure, render, unknown_country
from azyl.i18n.parsers import json_problem_at, value_problem, yaml_problem
from azyl.kb.vocabulary import PROFILES
from azyl.limits import Repeated, check_size, load_json, load_yaml, read_file
from azyl.validation import NOT_VALID

#: The largest case file read (a profile is a few hundred bytes; notes make it longer).
CASE_FILE_MAX_BYTES = 1024 * 1024


class Problem(ValueError):
    """A problem with a profile, as a message any language can render (English by default,
    which is what pydantic and the CLI see)."""

    def __init__(self, message: Message) -> None:
        super().__init__(render(message, "en"))
        self.message = message


class Problems(ValueError):
    """Several problems found across fields (`(field location, message)` each)."""

    def __init__(self, found: list[tuple[tuple[int | str, ...], Message]]) -> None:
        super().__init__("\n".join(render(_line(loc, m), "en") for loc, m in found))
        self.found = found


def _country(value: str) -> str:
    """Accept alpha-2, alpha-3 or a name in English or Russian; store ISO alpha-3."""
    try:
        return countries.alpha3(value)
    except UnknownCountry as exc:
        raise Problem(unknown_country(exc)) from None


def _region(value: str) -> str:
    """An ISO 3166-2 code or a region's name (Chechnya, Чечня): stored as the code."""
    code = countries.region_code(value)
    if code is None:
        raise Problem(Message.of(_UNKNOWN_REGION, input=repr(value)))
    return code


def _term(vocabulary: dict[str, str], what: str) -> Callable[[str], str]:
    """A validator accepting only the terms of one vocabulary, naming them when it fails."""

    def check(value: str) -> str:
        if value not in vocabulary:
            raise Problem(
                Message.of(
                    _UNKNOWN_TERM, what=_WHAT[what], input=repr(value), terms=", ".join(vocabulary)
                )
            )
        return value

    return check


_UNKNOWN_REGION = N_(
    "unknown region {input}: use a name such as Chechnya or an ISO 3166-2 code such as RU-CE"
)
_UNKNOWN_TERM = N_("unknown {what} {input}; expected one of: {terms}")
#: What each vocabulary's terms are, in the messages above.
_WHAT = {
    "profile": Message.of(N_("profile")),
    "wanted status": Message.of(N_("wanted status")),
    "stage": Message.of(N_("stage")),
    "route role": Message.of(N_("route role")),
    "military-service status": Message.of(N_("military-service status")),
    "document": Message.of(N_("document")),
    "protection status": Message.of(N_("protection status")),
    "proposed action": Message.of(N_("proposed action")),
}


def _enum_schema(vocabulary: dict[str, str], what: str) -> WithJsonSchema:
    """The JSON Schema of a vocabulary term: a string from a closed list."""
    return WithJsonSchema({"type": "string", "enum": list(vocabulary), "description": f"A {what}."})


CountryCode = Annotated[
    str,
    AfterValidator(_country),
    WithJsonSchema(
        {
            "type": "string",
            "description": "ISO 3166 alpha-2, alpha-3, or a name in English or Russian",
        }
    ),
]
RegionCode = Annotated[
    str,
    AfterValidator(_region),
    WithJsonSchema(
        {"type": "string", "description": "ISO 3166-2 region (RU-CE) or its name (Chechnya, Чечня)"}
    ),
]
Profile = Annotated[
    str, AfterValidator(_term(PROFILES, "profile")), _enum_schema(PROFILES, "profile")
]
Wanted = Annotated[
    str, AfterValidator(_term(v.WANTED, "wanted status")), _enum_schema(v.WANTED, "wanted status")
]
Stage = Annotated[str, AfterValidator(_term(v.STAGES, "stage")), _enum_schema(v.STAGES, "stage")]
Role = Annotated[
    str, AfterValidator(_term(v.ROUTE_ROLES, "route role")), _enum_schema(v.ROUTE_ROLES, "role")
]
Service = Annotated[
    str,
    AfterValidator(_term(v.MILITARY_SERVICE, "military-service status")),
    _enum_schema(v.MILITARY_SERVICE, "military-service status"),
]
Document = Annotated[
    str,
    AfterValidator(_term(v.DOCUMENTS, "document")),
    _enum_schema(v.DOCUMENTS, "document"),
]
ProtectionStatus = Annotated[
    str,
    AfterValidator(_term(v.PROTECTION_STATUSES, "protection status")),
    _enum_schema(v.PROTECTION_STATUSES, "protection status"),
]
Action = Annotated[
    str,
    AfterValidator(_term(v.ACTIONS, "proposed action")),
    _enum_schema(v.ACTIONS, "proposed action"),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ProtectionElsewhere(_Strict):
    """Protection already granted by a state."""

    country: CountryCode
    status: ProtectionStatus = "refugee"


class Person(_Strict):
    """Who the person is, as far as it matters for the risk of return."""

    citizenship: list[CountryCode] = Field(min_length=1, description="Nationalities held.")
    region: RegionCode | None = Field(None, description="Region of origin (ISO 3166-2).")
    profiles: list[Profile] = Field(default_factory=list)
    military_service: Service = Field(
        "none", description="Military-service status; adds the matching profile."
    )
    public_profile: bool = Field(False, description="Known publicly (media, interviews).")
    wanted: list[Wanted] = Field(default_factory=list)
    wanted_by: list[CountryCode] = Field(
        default_factory=list,
        description="States seeking the person; defaults to the states of nationality.",
    )
    relatives_in_origin: bool = Field(
        False, description="Close relatives still live in a state of nationality."
    )
    relatives_in: list[CountryCode] = Field(
        default_factory=list, description="States where close family members live."
    )
    protected_in: list[ProtectionElsewhere] = Field(
        default_factory=list, description="Protection already granted elsewhere."
    )

    @property
    def pursuers(self) -> tuple[str, ...]:
        """The states that want the person back: those named, else their own states."""
        return tuple(self.wanted_by or self.citizenship) if self.wanted else ()

    @property
    def all_profiles(self) -> tuple[str, ...]:
        """The profiles given, with the one the military-service status adds."""
        extra = v.MILITARY_PROFILE.get(self.military_service)
        return tuple(dict.fromkeys([*self.profiles, *([extra] if extra else [])]))


class RouteStep(_Strict):
    """One state on the way, in the order travelled."""

    country: CountryCode
    role: Role = "transit"
    entered: date | None = None
    left: date | None = None
    fingerprinted: bool = False
    documents: list[Document] = Field(
        default_factory=list, description="Documents held there (a visa or permit of that state)."
    )
    asylum_refused: bool = Field(False, description="An asylum claim there was refused.")

    def holds(self, *documents: str) -> bool:
        return bool(set(documents) & set(self.documents))


class ProposedAction(_Strict):
    """What a state proposes to do with the person."""

    type: Action
    to: CountryCode


class CaseProfile(_Strict):
    """One case, as of a date."""

    as_of: date | None = Field(None, description="Screening date; defaults to today.")
    application_date: date | None = Field(
        None,
        description=(
            "When the claim was registered in the current state (decides Dublin III or the "
            "AMMR); defaults to the screening date."
        ),
    )
    person: Person
    route: list[RouteStep] = Field(default_factory=list)
    current_country: CountryCode
    stage: Stage
    proposed_action: ProposedAction | None = None

    @model_validator(mode="after")
    def _coherent(self) -> CaseProfile:
        found = _route_problems(self) + _action_problems(self) + _person_problems(self)
        if found:
            raise Problems(found)
        return self

    def steps(self) -> list[RouteStep]:
        """The route without a trailing step for the current country."""
        route = list(self.route)
        if route and route[-1].country == self.current_country:
            route.pop()
        return route

    @property
    def transit_states(self) -> tuple[str, ...]:
        """States on the route before the current one, in order, without repeats."""
        return tuple(dict.fromkeys(step.country for step in self.steps()))


Found = list[tuple[tuple[int | str, ...], Message]]


def _route_problems(case: CaseProfile) -> Found:
    found: Found = []
    for i, (a, b) in enumerate(zip(case.route, case.route[1:], strict=False), start=1):
        if a.country == b.country:
            found.append((("route", i, "country"), Message.of(_REPEATS, code=b.country)))
        if a.entered and b.entered and b.entered < a.entered:
            found.append((("route", i, "entered"), Message.of(_EARLIER)))
    for i, step in enumerate(case.route):
        if step.entered and step.left and step.left < step.entered:
            found.append((("route", i, "left"), Message.of(_LEFT_BEFORE)))
        if case.as_of and step.entered and step.entered > case.as_of:
            found.append(
                (("route", i, "entered"), Message.of(_AFTER_AS_OF, day=case.as_of.isoformat()))
            )
    firsts = [i for i, s in enumerate(case.route) if s.role == "first_eu_entry"]
    if len(firsts) > 1:
        steps = ", ".join(str(i + 1) for i in firsts)
        found.append((("route",), Message.of(_TWO_FIRSTS, steps=steps)))
    for i in firsts:
        step = case.route[i]
        on = step.entered or case.as_of or date.today()
        if step.country not in countries.dublin_states(on):
            message = Message.of(_NOT_DUBLIN_FIRST, code=step.country, day=on.isoformat())
            found.append((("route", i, "role"), message))
    return found


def _action_problems(case: CaseProfile) -> Found:
    action = case.proposed_action
    if action is None:
        return []
    found: Found = []
    where = ("proposed_action", "to")
    if action.to == case.current_country:
        found.append((where, Message.of(_ALREADY_THERE)))
    on = case.as_of or date.today()
    if action.type == "dublin_transfer" and action.to not in countries.dublin_states(on):
        found.append((where, Message.of(_NOT_DUBLIN, code=action.to)))
    if action.type == "return_to_origin" and action.to not in case.person.citizenship:
        nationalities = ", ".join(case.person.citizenship)
        found.append((where, Message.of(_NOT_OWN, code=action.to, codes=nationalities)))
    return found


def _person_problems(case: CaseProfile) -> Found:
    person = case.person
    found: Found = []
    if case.current_country in person.citizenship:
        found.append((("current_country",), Message.of(_OWN_STATE, code=case.current_country)))
    if person.region and countries.region_country(person.region) not in person.citizenship:
        nationalities = ", ".join(person.citizenship)
        message = Message.of(_REGION_ELSEWHERE, code=person.region, codes=nationalities)
        found.append((("person", "region"), message))
    if person.wanted_by and not person.wanted:
        found.append((("person", "wanted_by"), Message.of(_WANTED_WITH)))
    return found


_REPEATS = N_("{code} repeats the previous step")
_EARLIER = N_("earlier than the step before it")
_LEFT_BEFORE = N_("before the date it was entered")
_AFTER_AS_OF = N_("after the screening date {day}")
_TWO_FIRSTS = N_("only one step can be the first EU entry (steps {steps})")
_NOT_DUBLIN_FIRST = N_(
    "{code} was not bound by the Dublin rules on {day}, so it cannot be the first EU entry state"
)
_ALREADY_THERE = N_("the person is already in that state")
_NOT_DUBLIN = N_("{code} is not bound by the Dublin rules")
_NOT_OWN = N_("{code} is not a state of nationality ({codes}); use type deportation")
_OWN_STATE = N_(
    "{code} is the person's own state; screening looks for ways back to it from elsewhere"
)
_REGION_ELSEWHERE = N_("{code} is not in a state of nationality ({codes})")
_WANTED_WITH = N_("say what the person is wanted with (person, wanted)")

#: Every field of the profile as a person names it, for the messages.
_FIELDS = {
    "person": N_("person"),
    "citizenship": N_("citizenship"),
    "region": N_("region"),
    "profiles": N_("profiles"),
    "military_service": N_("military service"),
    "public_profile": N_("public profile"),
    "wanted": N_("wanted"),
    "wanted_by": N_("wanted by"),
    "relatives_in_origin": N_("relatives in origin"),
    "relatives_in": N_("relatives in"),
    "protected_in": N_("protected in"),
    "country": N_("country"),
    "status": N_("status"),
    "route": N_("route"),
    "role": N_("role"),
    "entered": N_("entered"),
    "left": N_("left"),
    "fingerprinted": N_("fingerprinted"),
    "documents": N_("documents"),
    "asylum_refused": N_("asylum refused"),
    "proposed_action": N_("proposed action"),
    "type": N_("type"),
    "to": N_("to"),
    "as_of": N_("as of"),
    "application_date": N_("application date"),
    "current_country": N_("current country"),
    "stage": N_("stage"),
}
_STEP = N_("step {n}")
_HAS_PROBLEMS = N_("the case profile has problems:")
_ITEM = N_("item {n}")
_PROFILE = N_("profile")
_LINE = N_("{where}: {problem}")
#: What pydantic's own checks say, by error type, in words a person understands.
_BY_TYPE = {
    "missing": N_("required field is missing"),
    "extra_forbidden": N_("unknown field"),
    "date_from_datetime_parsing": N_("not a calendar date in the form YYYY-MM-DD"),
    "date_parsing": N_("not a calendar date in the form YYYY-MM-DD"),
    "date_type": N_("not a calendar date in the form YYYY-MM-DD"),
    "date_from_datetime_inexact": N_("not a calendar date in the form YYYY-MM-DD"),
    "bool_parsing": N_("must be true or false"),
    "bool_type": N_("must be true or false"),
    "string_type": N_("must be text"),
    "list_type": N_("must be a list"),
    "model_type": N_("must be a mapping of fields"),
    "dict_type": N_("must be a mapping of fields"),
    "too_short": N_("must not be empty"),
}


def _where(loc: tuple[int | str, ...]) -> Message:
    """('route', 1, 'country') -> 'route, step 2, country': the field as a person names it."""
    parts: list[Message | str] = []
    for previous, part in zip((None, *loc), loc, strict=False):
        if isinstance(part, int):
            parts.append(Message.of(_STEP if previous == "route" else _ITEM, n=part + 1))
        else:
            parts.append(Message.of(_FIELDS[part]) if part in _FIELDS else part.replace("_", " "))
    if not parts:
        return Message.of(_PROFILE)
    template = ", ".join(f"{{p{i}}}" for i in range(len(parts)))
    return Message.of(template, **{f"p{i}": p for i, p in enumerate(parts)})


def _line(loc: tuple[int | str, ...], problem: Message) -> Message:
    return Message.of(_LINE, where=_where(loc), problem=problem)


def _problem_lines(exc: ValidationError) -> list[Message]:
    """One message per problem, naming the field, in any language."""
    lines: list[Message] = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function")))
        error = (err.get("ctx") or {}).get("error")
        if isinstance(error, Problems):
            lines += [_line(where, message) for where, message in error.found]
        elif isinstance(error, Problem):
            lines.append(_line(loc, error.message))
        elif err["type"] in _BY_TYPE:
            lines.append(_line(loc, Message.of(_BY_TYPE[err["type"]])))
        else:  # a check of pydantic's own with no wording of ours: its English in English only
            text = str(err["msg"]).removeprefix("Value error, ")
            lines.append(_line(loc, Message.of(NOT_VALID, detail=text)))
    return lines


def parse_case(data: Any) -> CaseProfile:
    """Validate a parsed profile (a mapping); raise CaseProfileError listing every problem.

    The error's `messages` render each problem in any language (`azyl.i18n.message`);
    its text and `details["problems"]` are the English lines the CLI and the API show.
    """
    if not isinstance(data, dict):
        raise failure(
            CaseProfileError, N_("a case profile must be a mapping of fields (YAML or JSON object)")
        )
    try:
        return CaseProfile.model_validate(data)
    except ValidationError as exc:
        messages = _problem_lines(exc)
        problems = [render(m, "en") for m in messages]
        lines = {f"p{i}": m for i, m in enumerate(messages)}
        template = "{head}" + "".join(f"\n  {{{key}}}" for key in lines)
        raise CaseProfileError(
            "the case profile has problems:\n" + "\n".join(f"  {p}" for p in problems),
            {"problems": problems},
            messages,
            text=Message.of(template, head=Message.of(_HAS_PROBLEMS), **lines),
        ) from None


def load_case(path: Path, as_of: date | None = None) -> CaseProfile:
    """Read a case profile from a YAML or JSON file; `as_of` overrides the file's date."""
    try:
        raw = read_file(path, CASE_FILE_MAX_BYTES)
    except OSError as exc:
        raise CaseProfileError(f"cannot read {path}: {exc.strerror}") from None
    data = read_case_document(raw, str(path))
    if as_of is not None and isinstance(data, dict):
        data = {**data, "as_of": as_of}
    return parse_case(data)


def read_case_document(raw: bytes, name: str) -> Any:
    """The YAML or JSON document in a case file's bytes (JSON when `name` ends in .json).

    The same reading serves files on disk and files uploaded to the web
    application, so it trusts nothing: a file over `CASE_FILE_MAX_BYTES`,
    text that is not UTF-8, nesting deeper than `azyl.limits.MAX_DEPTH`, YAML
    anchors or aliases (`&a`, `*a`, which can multiply a small file into a
    huge structure) and a key given twice are refused with a sentence naming
    the file, before any parser builds anything (`azyl.limits`).
    """
    check_size(raw, name, CASE_FILE_MAX_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise failure(
            CaseProfileError,
            N_("{name}: not UTF-8 text (byte {position} is {byte}); save the file as UTF-8"),
            name=name,
            position=exc.start + 1,
            byte=f"{raw[exc.start]:#04x}",
        ) from None
    try:
        if name.lower().endswith(".json"):
            return load_json(text, name=name)
        return load_yaml(text, name)
    except (ValueError, yaml.YAMLError) as exc:  # JSONDecodeError is a ValueError
        raise failure(
            CaseProfileError,
            N_("{name}: not valid YAML or JSON: {problem}"),
            name=name,
            problem=_unparsed(exc),
        ) from None


def _unparsed(exc: ValueError | yaml.YAMLError) -> Message:
    """Why a case file's text did not parse, and where, in the reader's language."""
    if isinstance(exc, Repeated):
        return exc.message
    if isinstance(exc, json.JSONDecodeError):
        return json_problem_at(exc)
    if isinstance(exc, yaml.YAMLError):
        return yaml_problem(exc)
    return value_problem(exc)  # a YAML date such as 2024-13-45, a number of 5,000 digits


def case_profile_schema() -> dict[str, Any]:
    """The case profile as JSON Schema (draft 2020-12), for forms and other tools."""
    schema = CaseProfile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "azyl case profile"
    return schema
