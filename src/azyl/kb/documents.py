"""The knowledge base's files as pydantic models: what a source or a fact file may say.

These models are the reviewer that never tires (kb/README.md is their prose
twin). `azyl.validation` reads a YAML file into plain values with their lines
and validates them here; each error comes back as `file:line: key: problem`.

Checks that need the rest of the knowledge base (a cited source exists, a
related fact exists, a quote is in its source's text, a fact was not reviewed
before its source existed) read the validation *context* the loader passes:

    source_ids   every source id, to resolve citations
    fact_ids     every fact id, to resolve `related` and `overturns`
    fact_id      the id of the fact being validated (it may not name itself)
    sources      SourceDoc by id, for dates
    texts        SourceText by id: the text a source's quotes were read in, when at hand
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated

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

from azyl.i18n import N_
from azyl.i18n.message import Message
from azyl.kb import checks
from azyl.kb.quotes import collapsed_length, comparison_form, find_quote, matched_prefix
from azyl.kb.texts import SourceText
from azyl.kb.vocabulary import (
    CONFIDENCE,
    DEFAULT_NATURE,
    FACT_KINDS,
    MAX_QUOTE_CHARS,
    NATURES,
    PROFILES,
    PROTECTIONS,
    SOURCE_KINDS,
)
from azyl.validation import Refusal, checked, no_repeats, parse_day

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _vocabulary(vocab: Mapping[str, str], what: str) -> AfterValidator:
    return checked(lambda value: checks.vocabulary_said(value, vocab, what))


Day = Annotated[date, BeforeValidator(parse_day)]
Text = Annotated[str, Field(min_length=1), AfterValidator(str.strip)]
State = Annotated[str, checked(checks.state_said)]
Nationality = Annotated[str, checked(checks.nationality_said)]
Region = Annotated[str, checked(checks.region_said)]
Profile = Annotated[str, _vocabulary(PROFILES, "profile")]
Codes = AfterValidator(no_repeats)


class Document(BaseModel):
    """Shared settings: unknown keys are problems; values are kept as validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class TextRecord(Document):
    """The text a source's quotes were read in: its hash, when it was checked, where a copy is."""

    sha256: str
    verified: Day
    file: str | None = None

    @field_validator("sha256")
    @classmethod
    def _sha256(cls, value: str) -> str:
        if not _SHA256.match(value):
            raise ValueError("not a SHA-256 in lower-case hex (64 characters)")
        return value

    @field_validator("file")
    @classmethod
    def _relative(cls, value: str | None) -> str | None:
        if value is not None and (
            value.startswith("/") or ".." in value.split("/") or "\\" in value
        ):
            raise ValueError("give a path relative to a texts folder, like seeds/<file>.txt")
        return value


class SourceDoc(Document):
    """`kb/sources/<id>.yaml`: one publication or legal instrument."""

    title: Text
    author: Text | None = None
    publisher: Text
    date: Day
    kind: Annotated[str, _vocabulary(SOURCE_KINDS, "source kind")]
    identifier: Text | None = None
    url: Annotated[str, checked(checks.url_said)] | None = None
    language: Annotated[str, checked(checks.language_said)]
    accessed: Day
    text: TextRecord | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _addressable(self) -> SourceDoc:
        if self.url is None and self.identifier is None:
            raise ValueError("url: missing (give a url, a stable identifier or both)")
        if self.accessed < self.date:
            raise ValueError(f"accessed: {self.accessed} is before the source's date {self.date}")
        return self


class AppliesToDoc(Document):
    """Who a fact applies to; an empty list means everyone on that axis."""

    nationalities: Annotated[tuple[Nationality, ...], Codes] = ()
    regions: Annotated[tuple[Region, ...], Codes] = ()
    profiles: Annotated[tuple[Profile, ...], Codes] = ()
    except_profiles: Annotated[tuple[Profile, ...], Codes] = ()


class CitationDoc(Document):
    """A source id, a pinpoint inside it, and a short quote read in its text."""

    source: Text
    pinpoint: Text
    quote: Text

    @field_validator("source")
    @classmethod
    def _known(cls, value: str, info: ValidationInfo) -> str:
        known = list((info.context or {}).get("source_ids", ()))
        if value not in known:
            raise Refusal(
                Message.of(
                    N_("no source {value} in kb/sources/{hint}"),
                    value=repr(value),
                    hint=checks.closest_said(value, known),
                )
            )
        return value

    @field_validator("quote")
    @classmethod
    def _quote(cls, value: str, info: ValidationInfo) -> str:
        length = collapsed_length(value)
        if length > MAX_QUOTE_CHARS:
            raise Refusal(
                Message.of(
                    N_(
                        "{length} characters; a quote is at most {limit} (quote only the "
                        "passage that supports the statement)"
                    ),
                    length=length,
                    limit=MAX_QUOTE_CHARS,
                )
            )
        text: SourceText | None = (info.context or {}).get("texts", {}).get(info.data.get("source"))
        if text is not None and text.form is not None:
            matched = find_quote(value, text.form)
            if matched >= 0:
                found = matched_prefix(value, matched)
                tail = (
                    Message.of(N_('it matches up to "...{end}"'), end=found[-60:])
                    if found
                    else Message.of(N_("no part of it matches"))
                )
                raise Refusal(
                    Message.of(
                        N_("not found in the text of {source} ({shown}); {tail}"),
                        source=text.source_id,
                        shown=text.shown,
                        tail=tail,
                    )
                )
        return value


def _fact_refs(value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
    context = info.context or {}
    known = list(context.get("fact_ids", ()))
    for ref in value:
        if ref == context.get("fact_id"):
            raise Refusal(Message.of(N_("a fact cannot name itself")))
        if ref not in known:
            raise Refusal(
                Message.of(
                    N_("no fact {ref} (ids are <area>.<name>){hint}"),
                    ref=repr(ref),
                    hint=checks.closest_said(ref, known),
                )
            )
    return value


class FactDoc(Document):
    """`kb/facts/<area>/<name>.yaml`: one dated, cited statement about law or practice.

    Fields are declared in the order their checks depend on each other
    (`valid_until` is checked against `valid_from`, `protection` against `kind`).
    """

    kind: Annotated[str, _vocabulary(FACT_KINDS, "fact kind")]
    nature: Annotated[str, _vocabulary(NATURES, "nature")] | None = None
    actor: State
    subject: Annotated[tuple[State, ...], Codes] = ()
    applies_to: AppliesToDoc = AppliesToDoc()
    valid_from: Day
    valid_from_note: Text | None = None
    valid_until: Day | None = None
    last_confirmed: Day | None = None
    statement: Text
    statement_ru: Text | None = None
    citations: tuple[CitationDoc, ...]
    confidence: Annotated[str, _vocabulary(CONFIDENCE, "confidence level")]
    reviewed: Day
    related: Annotated[tuple[str, ...], Codes] = ()
    overturns: Annotated[tuple[str, ...], Codes] = ()
    protection: Annotated[str, _vocabulary(PROTECTIONS, "protection")] | None = None

    @field_validator("valid_until", "last_confirmed")
    @classmethod
    def _not_before_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("valid_from")
        if value is not None and start is not None and value < start:
            raise Refusal(
                Message.of(
                    N_("{day} is before valid_from {start}"), day=str(value), start=str(start)
                )
            )
        until = info.data.get("valid_until")
        if info.field_name == "last_confirmed" and value and until and value > until:
            raise Refusal(
                Message.of(
                    N_("{day} is after valid_until {until}: an ended fact is not confirmed later"),
                    day=str(value),
                    until=str(until),
                )
            )
        return value

    @field_validator("citations")
    @classmethod
    def _cited(cls, value: tuple[CitationDoc, ...]) -> tuple[CitationDoc, ...]:
        if not value:
            raise Refusal(
                Message.of(
                    N_("a fact needs at least one citation (what cannot be cited does not go in)")
                )
            )
        return value

    @field_validator("reviewed")
    @classmethod
    def _after_sources(cls, value: date, info: ValidationInfo) -> date:
        sources: Mapping[str, SourceDoc] = (info.context or {}).get("sources", {})
        for citation in info.data.get("citations", ()):
            source = sources.get(citation.source)
            if source is not None and value < source.date:
                raise Refusal(
                    Message.of(
                        N_("{day} is before the date of the cited source {source} ({date})"),
                        day=str(value),
                        source=citation.source,
                        date=str(source.date),
                    )
                )
        return value

    @field_validator("related", "overturns")
    @classmethod
    def _refs(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        return _fact_refs(value, info)

    @model_validator(mode="after")
    def _coherent(self) -> FactDoc:
        if self.overturns and self.kind != "court_ruling":
            raise Refusal(
                Message.of(N_("only a court_ruling can overturn other facts")), "overturns"
            )
        if self.kind == "protection_practice" and self.protection is None:
            raise Refusal(
                Message.of(
                    N_("a protection_practice fact must say what it offers ({protections})"),
                    protections=", ".join(PROTECTIONS),
                ),
                "protection",
            )
        if self.kind != "protection_practice" and self.protection is not None:
            raise Refusal(Message.of(N_("only for protection_practice facts")), "protection")
        if (
            self.effective_nature == "practice"
            and self.valid_until is None
            and self.last_confirmed is None
        ):
            raise Refusal(
                Message.of(
                    N_(
                        "practice needs valid_until (the day it ended) or last_confirmed (the "
                        "date of the latest source that shows it)"
                    )
                ),
                "last_confirmed",
            )
        mine = comparison_form(self.statement)
        if any(comparison_form(c.quote) == mine for c in self.citations):
            raise Refusal(
                Message.of(N_("copies a quote word for word; state the fact in your own words")),
                "statement",
            )
        return self

    @property
    def effective_nature(self) -> str:
        """The nature written, or the kind's default (kb/README.md)."""
        return self.nature or DEFAULT_NATURE.get(self.kind, "practice")
