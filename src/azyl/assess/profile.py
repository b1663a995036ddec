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
from azyl.kb.vocabulary import PROFILES
from azyl.limits import check_size, load_json, load_yaml, read_file

#: The largest case file read (a profile is a few hundred bytes; notes make it longer).
CASE_FILE_MAX_BYTES = 1024 * 1024


def _country(value: str) -> str:
    """Accept alpha-2, alpha-3 or an English name; store ISO alpha-3."""
    try:
        return countries.alpha3(value)
    except UnknownCountry as exc:
        raise ValueError(exc.message) from None


def _region(value: str) -> str:
    """An ISO 3166-2 code or a region's name (Chechnya, Чечня): stored as the code."""
    code = countries.region_code(value)
    if code is None:
        raise ValueError(
            f"unknown region {value!r}: use a name such as Chechnya or an ISO 3166-2 code "
            "such as RU-CE"
        )
    return code


def _term(vocabulary: dict[str, str], what: str) -> Callable[[str], str]:
    """A validator accepting only the terms of one vocabulary, naming them when it fails."""

    def check(value: str) -> str:
        if value not in vocabulary:
            raise ValueError(f"unknown {what} {value!r}; expected one of: {', '.join(vocabulary)}")
        return value

    return check


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
        problems = _route_problems(self) + _action_problems(self) + _person_problems(self)
        if problems:
            raise ValueError("\n".join(problems))
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


def _route_problems(case: CaseProfile) -> list[str]:
    problems = []
    for i, (a, b) in enumerate(zip(case.route, case.route[1:], strict=False), start=1):
        if a.country == b.country:
            problems.append(f"route, step {i + 1}, country: {b.country} repeats the previous step")
        if a.entered and b.entered and b.entered < a.entered:
            problems.append(f"route, step {i + 1}, entered: earlier than the step before it")
    for i, step in enumerate(case.route):
        if step.entered and step.left and step.left < step.entered:
            problems.append(f"route, step {i + 1}, left: before the date it was entered")
        if case.as_of and step.entered and step.entered > case.as_of:
            problems.append(
                f"route, step {i + 1}, entered: after the screening date {case.as_of.isoformat()}"
            )
    firsts = [i for i, s in enumerate(case.route) if s.role == "first_eu_entry"]
    if len(firsts) > 1:
        steps = ", ".join(str(i + 1) for i in firsts)
        problems.append(f"route: only one step can be the first EU entry (steps {steps})")
    for i in firsts:
        step = case.route[i]
        on = step.entered or case.as_of or date.today()
        if step.country not in countries.dublin_states(on):
            problems.append(
                f"route, step {i + 1}, role: {step.country} was not bound by the Dublin rules on "
                f"{on.isoformat()}, so it cannot be the first EU entry state"
            )
    return problems


def _action_problems(case: CaseProfile) -> list[str]:
    action = case.proposed_action
    if action is None:
        return []
    problems = []
    if action.to == case.current_country:
        problems.append("proposed action, to: the person is already in that state")
    on = case.as_of or date.today()
    if action.type == "dublin_transfer" and action.to not in countries.dublin_states(on):
        problems.append(f"proposed action, to: {action.to} is not bound by the Dublin rules")
    if action.type == "return_to_origin" and action.to not in case.person.citizenship:
        problems.append(
            f"proposed action, to: {action.to} is not a state of nationality "
            f"({', '.join(case.person.citizenship)}); use type deportation"
        )
    return problems


def _person_problems(case: CaseProfile) -> list[str]:
    person = case.person
    problems = []
    if case.current_country in person.citizenship:
        problems.append(
            f"current country: {case.current_country} is the person's own state; screening "
            "looks for ways back to it from elsewhere"
        )
    if person.region and countries.region_country(person.region) not in person.citizenship:
        problems.append(
            f"person, region: {person.region} is not in a state of nationality "
            f"({', '.join(person.citizenship)})"
        )
    if person.wanted_by and not person.wanted:
        problems.append("person, wanted by: say what the person is wanted with (person, wanted)")
    return problems


def _location(loc: tuple[int | str, ...]) -> str:
    """('route', 1, 'country') -> 'route, step 2, country': the field as a person names it."""
    words: list[str] = []
    for previous, part in zip((None, *loc), loc, strict=False):
        if isinstance(part, int):
            words.append(f"{'step' if previous == 'route' else 'item'} {part + 1}")
        else:
            words.append(part.replace("_", " "))
    return ", ".join(words) or "profile"


def _messages(exc: ValidationError) -> list[str]:
    """One readable line per problem, naming the field."""
    lines = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function")))
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "value_error" and not loc:
            lines.extend(msg.split("\n"))
            continue
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "missing":
            msg = "required field is missing"
        lines.append(f"{_location(loc)}: {msg}")
    return lines


def parse_case(data: Any) -> CaseProfile:
    """Validate a parsed profile (a mapping); raise CaseProfileError listing every problem."""
    if not isinstance(data, dict):
        raise CaseProfileError("a case profile must be a mapping of fields (YAML or JSON object)")
    try:
        return CaseProfile.model_validate(data)
    except ValidationError as exc:
        problems = _messages(exc)
        raise CaseProfileError(
            "the case profile has problems:\n" + "\n".join(f"  {p}" for p in problems),
            {"problems": problems},
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
        raise CaseProfileError(
            f"{name}: not UTF-8 text (byte {exc.start + 1} is {raw[exc.start]:#04x}); "
            "save the file as UTF-8"
        ) from None
    try:
        if name.lower().endswith(".json"):
            return load_json(text, name=name)
        return load_yaml(text, name)
    except (ValueError, yaml.YAMLError) as exc:  # JSONDecodeError is a ValueError
        raise CaseProfileError(f"{name}: not valid YAML or JSON: {exc}") from None


def case_profile_schema() -> dict[str, Any]:
    """The case profile as JSON Schema (draft 2020-12), for forms and other tools."""
    schema = CaseProfile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "azyl case profile"
    return schema
