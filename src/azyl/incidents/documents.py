"""An incident as pydantic models: what the seed file, an import or an edit may say.

These models are the rules of docs/incidents.md, applied the same way wherever an
incident comes from. The seed file is read by `azyl.validation.read_yaml` and each
incident validated by `azyl.validation.validate` (every problem as `file:line:
field: problem`); imports and edits go through `azyl.incidents.validate`, which
leaves each problem's location for the caller to name (a spreadsheet's row and
column, a form's field).

An empty value (null, "" or blank text) is the same as a value not given; the
field's type says whether that is allowed. What depends on where the incident
comes from is read from the `Rules` passed as the validation context
(`context={"rules": rules}`): the knowledge-base sources that exist and the texts
at hand, today's date, and how strict to be.

Fields are declared in the order their checks depend on each other (`date` is
checked against `date_precision`, a region against its state, `relatives_relation`
against `relatives_targeted`, a citation's title and quote against its source).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from azyl import countries
from azyl.i18n import N_
from azyl.i18n.message import Message
from azyl.incidents.record import IncidentRecord, SourceRef
from azyl.incidents.references import SourceCatalogue
from azyl.incidents.vocabulary import DATE_PRECISION, OUTCOMES, TACTICS, VISIBILITY
from azyl.kb import checks
from azyl.kb.quotes import find_quote
from azyl.kb.vocabulary import CONFIDENCE, MAX_QUOTE_CHARS, PROFILES
from azyl.validation import Refusal, checked, no_repeats, parse_day

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Words the web application uses where an incident id could stand (/incidents/new).
RESERVED_IDS = frozenset({"new", "import", "export"})
MAX_ID_LENGTH = 120
#: A target's name or label, which relatives were targeted.
MAX_SHORT_TEXT = 200


@dataclass(frozen=True)
class Rules:
    """How strict to be, which depends on where the incident comes from."""

    catalogue: SourceCatalogue
    today: dt.date
    #: The seed file is reviewed data: ISO alpha-3 only. Imports also accept alpha-2 and names.
    strict_codes: bool = False
    #: The seed cites the archived seeds: every knowledge-base citation must carry a quote.
    require_quotes: bool = False
    #: Accept (and ignore) the keys exports add: the derived stage, the database's timestamps.
    allow_derived: bool = False
    #: Internal notes live in the database only; the seed file is public and has none.
    allow_notes: bool = True

    def context(self) -> dict[str, Any]:
        """The validation context the models read these rules from."""
        return {"rules": self}


def _rules(info: ValidationInfo) -> Rules:
    rules = (info.context or {}).get("rules")
    if not isinstance(rules, Rules):  # a programming error, not a problem with the incident
        raise TypeError("incidents are validated with context=Rules(...).context()")
    return rules


# -- value types -----------------------------------------------------------------------------


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


#: "" and blank text are a value not given (an empty cell, an empty form field).
Given = BeforeValidator(_blank_is_none)
#: A list written null or left empty is an empty list.
Listed = BeforeValidator(lambda value: () if value is None else value)


def _day(value: Any) -> Any:
    value = _blank_is_none(value)
    return None if value is None else parse_day(value)


#: "unknown tactic 'x'", by vocabulary (each language words each its own way).
_UNKNOWN = {
    "tactic": N_("unknown tactic {value}"),
    "profile": N_("unknown profile {value}"),
    "date precision": N_("unknown date precision {value}"),
    "outcome": N_("unknown outcome {value}"),
    "confidence": N_("unknown confidence {value}"),
    "visibility": N_("unknown visibility {value}"),
}


def _term(vocabulary: Collection[str], what: str) -> AfterValidator:
    unknown = _UNKNOWN[what]
    return checked(
        lambda value: None if value in vocabulary else Message.of(unknown, value=repr(value))
    )


def _at_most(limit: int) -> AfterValidator:
    def check(value: str) -> Message | None:
        if len(value) <= limit:
            return None
        return Message.of(
            N_("is {length} characters long; the limit is {limit}"), length=len(value), limit=limit
        )

    return checked(check)


def _incident_id(value: str) -> Message | None:
    if len(value) > MAX_ID_LENGTH or not ID_PATTERN.fullmatch(value):
        return Message.of(
            N_(
                "{value} is not a valid id: lowercase letters, digits and single hyphens, at "
                "most {limit} characters"
            ),
            value=repr(value),
            limit=MAX_ID_LENGTH,
        )
    if value in RESERVED_IDS:
        return Message.of(
            N_("{value} names a page of the web application; choose another id"),
            value=repr(value),
        )
    return None


def _state(value: str, info: ValidationInfo) -> str:
    """An ISO 3166-1 alpha-3 code; imports may also write alpha-2 or an English name."""
    if _rules(info).strict_codes:
        if (problem := checks.nationality_said(value)) is not None:
            raise Refusal(problem)
        return value
    found = countries.lookup(value)
    if found is None:
        raise Refusal(Message.of(N_("unknown country {value}"), value=repr(value)))
    return found.alpha3


def _region(value: str, info: ValidationInfo) -> str:
    """An ISO 3166-2 code (RU-CE, UA-43); imports may write it in lower case."""
    if not _rules(info).strict_codes and countries.is_region(value):
        return value.upper()
    if (problem := checks.region_said(value)) is not None:
        raise Refusal(problem)
    return value


def _true_or_false(value: Any) -> bool:
    """A boolean (YAML's `true` and `false` arrive as text)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise Refusal(Message.of(N_("must be true or false, not {value}"), value=repr(value)))


_StateCode = Annotated[str, AfterValidator(_state)]
_RegionCode = Annotated[str, AfterValidator(_region)]

Text = Annotated[str, Given]
MaybeText = Annotated[str | None, Given]
MaybeShortText = Annotated[Annotated[str, _at_most(MAX_SHORT_TEXT)] | None, Given]
MaybeQuote = Annotated[Annotated[str, _at_most(MAX_QUOTE_CHARS)] | None, Given]
MaybeUrl = Annotated[Annotated[str, checked(checks.url_said)] | None, Given]
Day = Annotated[dt.date, BeforeValidator(_day)]
MaybeDay = Annotated[dt.date | None, BeforeValidator(_day)]
State = Annotated[_StateCode, Given]
MaybeState = Annotated[_StateCode | None, Given]
MaybeRegion = Annotated[_RegionCode | None, Given]
Tactic = Annotated[str, Given, _term(TACTICS, "tactic")]
Profile = Annotated[str, Given, _term(PROFILES, "profile")]
DatePrecision = Annotated[str, Given, _term(DATE_PRECISION, "date precision")]
Outcome = Annotated[str, Given, _term(OUTCOMES, "outcome")]
Confidence = Annotated[str, Given, _term(CONFIDENCE, "confidence")]
Visibility = Annotated[str, Given, _term(VISIBILITY, "visibility")]
TrueOrFalse = Annotated[bool, BeforeValidator(_true_or_false)]
#: A key exports add: accepted and ignored where the rules allow it, never listed as allowed.
Derived = Annotated[Any, Field(exclude=True)]


class Document(BaseModel):
    """Shared settings: unknown keys are problems; text is stripped; values kept as validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# -- the models ------------------------------------------------------------------------------


class TargetDoc(Document):
    """Who was targeted: a public figure's name or a pseudonymous label, and their profiles."""

    name: MaybeShortText = None
    name_ru: MaybeShortText = None
    label: MaybeShortText = None
    label_ru: MaybeShortText = None
    profiles: Annotated[tuple[Profile, ...], Listed, AfterValidator(no_repeats)] = ()

    @model_validator(mode="after")
    def _name_or_label(self) -> TargetDoc:
        if self.name is None and self.label is None:
            raise Refusal(
                Message.of(N_("needs a name (public figures only) or a pseudonymous label"))
            )
        if self.name is not None and self.label is not None:
            raise Refusal(
                Message.of(
                    N_(
                        "has both a name and a label: give the name of a public figure, "
                        "or a label for anyone else"
                    )
                )
            )
        if self.label_ru is not None and self.label is None:
            raise Refusal(Message.of(N_("has a Russian label but no label: write the label too")))
        if self.name_ru is not None and self.name is None:
            raise Refusal(Message.of(N_("has a Russian name but no name: write the name too")))
        return self


class CitationDoc(Document):
    """A knowledge-base source id, or a URL with its title and date; always a pinpoint."""

    source: MaybeText = None
    url: MaybeUrl = None
    title: MaybeText = Field(None, validate_default=True)
    date: MaybeDay = Field(None, validate_default=True)
    pinpoint: Text
    quote: MaybeQuote = Field(None, validate_default=True)

    @field_validator("source")
    @classmethod
    def _known(cls, value: str | None, info: ValidationInfo) -> str | None:
        known = _rules(info).catalogue.ids
        if value is not None and value not in known:
            raise Refusal(
                Message.of(
                    N_(
                        "{value} is not a knowledge-base source (kb/sources/{id}.yaml does not "
                        "exist){hint}"
                    ),
                    value=repr(value),
                    id=value,
                    hint=checks.closest_said(value, sorted(known)),
                )
            )
        return value

    @field_validator("title", "date")
    @classmethod
    def _title_and_date(cls, value: Any, info: ValidationInfo) -> Any:
        source, url = info.data.get("source"), info.data.get("url")
        if value is not None and source is not None and url is None:
            taken = (
                N_("a knowledge-base citation takes its title from kb/sources/{source}.yaml")
                if info.field_name == "title"
                else N_("a knowledge-base citation takes its date from kb/sources/{source}.yaml")
            )
            raise Refusal(Message.of(taken, source=source))
        if value is None and url is not None and source is None:
            needs = (
                N_("a URL citation needs the title of the page")
                if info.field_name == "title"
                else N_("a URL citation needs the date it was published (YYYY-MM-DD)")
            )
            raise Refusal(Message.of(needs))
        return value

    @field_validator("quote")
    @classmethod
    def _quote(cls, value: str | None, info: ValidationInfo) -> str | None:
        """A knowledge-base citation's quote is found in the source's text, where it is at hand."""
        rules, source = _rules(info), info.data.get("source")
        if source is None or info.data.get("url") is not None:
            return value
        if value is None:
            if rules.require_quotes:
                raise Refusal(Message.of(N_("cite a short exact quote from the source")))
            return value
        text = rules.catalogue.archived_text(source)
        if text is not None and find_quote(value, text) != -1:
            raise Refusal(
                Message.of(
                    N_("not found in the archived text of {source}: {quote}..."),
                    source=source,
                    quote=repr(value[:60]),
                )
            )
        return value

    @model_validator(mode="after")
    def _source_or_url(self) -> CitationDoc:
        if (self.source is None) == (self.url is None):
            raise Refusal(
                Message.of(
                    N_(
                        "cite either a knowledge-base source id (source) or a URL (url), "
                        "not both or neither"
                    )
                )
            )
        return self

    def ref(self) -> SourceRef:
        return SourceRef(
            source=self.source,
            url=self.url,
            title=self.title,
            date=self.date,
            pinpoint=self.pinpoint,
            quote=self.quote,
        )


_DERIVED = {
    "stage": N_("derived from the tactics, never written by hand; leave it out"),
    "created_at": N_("kept by the database, never written by hand; leave it out"),
    "updated_at": N_("kept by the database, never written by hand; leave it out"),
}


class IncidentDoc(Document):
    """One incident: one target and one episode (docs/incidents.md, "The model")."""

    id: Annotated[str, Given, checked(_incident_id)]
    date_precision: DatePrecision
    date: Day
    origin: State
    origin_region: MaybeRegion = None
    host: MaybeState = None
    host_region: MaybeRegion = None
    residence: MaybeState = None
    target: TargetDoc
    relatives_targeted: TrueOrFalse = False
    relatives_relation: MaybeShortText = None
    relatives_relation_ru: MaybeShortText = None
    tactics: Annotated[tuple[Tactic, ...], Listed, AfterValidator(no_repeats)] = Field(
        (), validate_default=True
    )
    outcome: Outcome
    mechanism: Text
    summary: Text
    mechanism_ru: MaybeText = None
    summary_ru: MaybeText = None
    sources: Annotated[tuple[CitationDoc, ...], Listed] = Field((), validate_default=True)
    confidence: Confidence
    visibility: Visibility
    notes: MaybeText = None
    stage: Derived = None
    created_at: Derived = None
    updated_at: Derived = None

    @field_validator("date")
    @classmethod
    def _dated(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        """Month and year dates use the first day of the period; no incident is in the future."""
        precision = info.data.get("date_precision")
        if precision == "month" and value.day != 1:
            raise Refusal(
                Message.of(
                    N_("{day} has precision 'month': write the first of the month ({first})"),
                    day=value.isoformat(),
                    first=value.replace(day=1).isoformat(),
                )
            )
        if precision == "year" and (value.month, value.day) != (1, 1):
            raise Refusal(
                Message.of(
                    N_("{day} has precision 'year': write the first of January ({first})"),
                    day=value.isoformat(),
                    first=value.replace(month=1, day=1).isoformat(),
                )
            )
        if value > _rules(info).today:
            raise Refusal(Message.of(N_("{day} is in the future"), day=value.isoformat()))
        return value

    @field_validator("origin_region", "host_region")
    @classmethod
    def _in_its_state(cls, value: str | None, info: ValidationInfo) -> str | None:
        state_key = "origin" if info.field_name == "origin_region" else "host"
        if value is None or state_key not in info.data:  # a wrong state is its own problem
            return value
        state = info.data[state_key]
        if state is None:
            raise Refusal(Message.of(N_("a host region needs a host state")))
        if countries.region_country(value) != state:
            raise Refusal(Message.of(N_("region {region} is not in {state}"), region=value,
                                     state=state))  # fmt: skip
        return value

    @field_validator("relatives_relation", "relatives_relation_ru")
    @classmethod
    def _relatives(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("relatives_targeted") is False:
            raise Refusal(Message.of(N_("is given but relatives_targeted is false")))
        if (
            value is not None
            and info.field_name == "relatives_relation_ru"
            and "relatives_relation" in info.data
            and info.data["relatives_relation"] is None
        ):
            raise Refusal(Message.of(N_("is given without relatives_relation: write that too")))
        return value

    @field_validator("tactics")
    @classmethod
    def _some_tactic(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise Refusal(Message.of(N_("needs at least one tactic")))
        return value

    @field_validator("sources")
    @classmethod
    def _cited(cls, value: tuple[CitationDoc, ...]) -> tuple[CitationDoc, ...]:
        if not value:
            raise Refusal(
                Message.of(N_("needs at least one citation (a knowledge-base source or a URL)"))
            )
        return value

    @field_validator("notes", mode="before")
    @classmethod
    def _notes_allowed(cls, value: Any, info: ValidationInfo) -> Any:
        if not _rules(info).allow_notes:
            raise Refusal(
                Message.of(
                    N_(
                        "the seed file is public and carries no notes; the team's notes live in "
                        "the database"
                    )
                )
            )
        return value

    @field_validator("stage", "created_at", "updated_at", mode="before")
    @classmethod
    def _derived_allowed(cls, value: Any, info: ValidationInfo) -> Any:
        if not _rules(info).allow_derived:
            raise Refusal(Message.of(_DERIVED[info.field_name or ""]))
        return value

    def record(self) -> IncidentRecord:
        """The incident as the registry keeps it."""
        return IncidentRecord(
            id=self.id,
            date=self.date,
            date_precision=self.date_precision,
            origin=self.origin,
            origin_region=self.origin_region,
            host=self.host,
            host_region=self.host_region,
            residence=self.residence,
            target_name=self.target.name,
            target_label=self.target.label,
            target_name_ru=self.target.name_ru,
            target_label_ru=self.target.label_ru,
            target_profiles=self.target.profiles,
            relatives_targeted=self.relatives_targeted,
            relatives_relation=self.relatives_relation,
            relatives_relation_ru=self.relatives_relation_ru,
            tactics=self.tactics,
            outcome=self.outcome,
            mechanism=self.mechanism,
            summary=self.summary,
            mechanism_ru=self.mechanism_ru,
            summary_ru=self.summary_ru,
            sources=tuple(c.ref() for c in self.sources),
            confidence=self.confidence,
            visibility=self.visibility,
            notes=self.notes,
        )
