"""The knowledge base as values: sources, facts, their citations, and the KB version.

Everything here is frozen: a loaded knowledge base is a snapshot of `kb/` at one
content hash, and the screening engine must be able to quote exactly what it
read. The loader (`azyl.kb.loader`) is the only way these are built from files;
tests build them directly.

`to_dict()` gives the export shape used by `azyl kb export`, `azyl kb show
--format json` and the JSON API: dates as ISO strings, tuples as lists, and the
file each record came from (`source_file`, repository-relative) so that a
reader can open the YAML a claim rests on.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Source:
    """One publication or legal instrument (`kb/sources/<id>.yaml`).

    `text_sha256` and `text_verified` record the text the quotes citing this
    source were read in and the day they were last checked against it; a
    source without them was never stored, and facts resting only on it are
    unverified.
    """

    id: str
    title: str
    date: date
    kind: str
    language: str
    publisher: str = ""
    accessed: datetime.date | None = None
    author: str | None = None
    identifier: str | None = None
    url: str | None = None
    text_sha256: str | None = None
    text_verified: datetime.date | None = None
    text_file: str | None = None
    note: str | None = None
    source_file: str = ""
    line: int = 1

    def to_dict(self) -> dict[str, Any]:
        """The export shape: every field, dates as YYYY-MM-DD."""
        return {
            "id": self.id,
            "title": self.title,
            "author": self.author,
            "publisher": self.publisher,
            "date": self.date.isoformat(),
            "kind": self.kind,
            "identifier": self.identifier,
            "url": self.url,
            "language": self.language,
            "accessed": self.accessed.isoformat() if self.accessed else None,
            "text": (
                {
                    "sha256": self.text_sha256,
                    "verified": self.text_verified.isoformat() if self.text_verified else None,
                    "file": self.text_file,
                }
                if self.text_sha256
                else None
            ),
            "note": self.note,
            "source_file": self.source_file,
        }


@dataclass(frozen=True)
class Citation:
    """Where a fact is written down: a source id, a pinpoint inside it, a short quote."""

    source: str
    pinpoint: str
    quote: str
    #: Line of the citation in its fact file (not part of equality or the export).
    line: int = field(default=0, compare=False)

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "pinpoint": self.pinpoint, "quote": self.quote}


@dataclass(frozen=True)
class AppliesTo:
    """Who a fact applies to. An empty tuple means "everyone" on that axis.

    `except_profiles` carves people out of a rule the source states with
    exceptions (the Dutch designation of Armenia, "with the exception of LGBTIQ
    applicants"): a person with any of those profiles is outside the fact.
    """

    nationalities: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()
    except_profiles: tuple[str, ...] = ()

    @property
    def everyone(self) -> bool:
        """True when the fact is not narrowed to any nationality, region or profile."""
        return not (self.nationalities or self.regions or self.profiles or self.except_profiles)

    def admits(
        self,
        nationality: str | None = None,
        region: str | None = None,
        profile: str | None = None,
    ) -> bool:
        """Whether a person with these attributes is within the fact's reach.

        Each axis is checked on its own: an empty list in the fact admits
        anyone, a non-empty list admits only its members, and an attribute the
        caller does not give (None) is not used to exclude anything.
        """
        if profile is not None and profile in self.except_profiles:
            return False
        return all(
            wanted is None or not listed or wanted in listed
            for wanted, listed in (
                (nationality, self.nationalities),
                (region, self.regions),
                (profile, self.profiles),
            )
        )

    def to_dict(self) -> dict[str, list[str]]:
        return {
            "nationalities": list(self.nationalities),
            "regions": list(self.regions),
            "profiles": list(self.profiles),
            "except_profiles": list(self.except_profiles),
        }


@dataclass(frozen=True)
class Fact:
    """One dated, cited statement about state law or practice (`kb/facts/<area>/<name>.yaml`).

    `id` is `<area>.<name>`, derived from the file path, so a fact can be
    cited and found by the same string.
    """

    id: str
    kind: str
    actor: str
    valid_from: date
    statement: str
    citations: tuple[Citation, ...]
    confidence: str
    reviewed: date
    subject: tuple[str, ...] = ()
    applies_to: AppliesTo = AppliesTo()
    valid_until: date | None = None
    valid_from_note: str | None = None
    related: tuple[str, ...] = ()
    overturns: tuple[str, ...] = ()
    #: For protection_practice facts: what the practice offers (vocabulary.PROTECTIONS).
    protection: str | None = None
    #: law, ruling or practice (vocabulary.NATURES): how the resolver reads its dates.
    nature: str = "practice"
    #: Practice: the date of the latest source that shows it still in place.
    last_confirmed: date | None = None
    #: The statement in Russian, when it has been written and reviewed.
    statement_ru: str | None = None
    #: True when no cited source's text was ever stored: no quote could be checked.
    unverified: bool = False
    source_file: str = ""
    line: int = 1

    @property
    def area(self) -> str:
        """The folder the fact lives in (`safe_third_country`, `border`, ...)."""
        return self.id.split(".", 1)[0]

    @property
    def states(self) -> tuple[str, ...]:
        """Every state or organisation the fact names: the actor first, then the subject."""
        return tuple(dict.fromkeys((self.actor, *self.subject)))

    @property
    def sources(self) -> tuple[str, ...]:
        """The ids of the sources the fact cites, in citation order, without repeats."""
        return tuple(dict.fromkeys(c.source for c in self.citations))

    def in_force(self, on: date) -> bool:
        """True when `on` lies within [valid_from, valid_until] (both ends included)."""
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)

    def to_dict(self) -> dict[str, Any]:
        """The export shape (see docs/knowledge-base.md)."""
        return {
            "id": self.id,
            "area": self.area,
            "kind": self.kind,
            "states": list(self.states),
            "actor": self.actor,
            "subject": list(self.subject),
            "applies_to": self.applies_to.to_dict(),
            "valid_from": self.valid_from.isoformat(),
            "valid_from_note": self.valid_from_note,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "statement": self.statement,
            "citations": [c.to_dict() for c in self.citations],
            "confidence": self.confidence,
            "reviewed": self.reviewed.isoformat(),
            "related": list(self.related),
            "overturns": list(self.overturns),
            "protection": self.protection,
            "nature": self.nature,
            "last_confirmed": self.last_confirmed.isoformat() if self.last_confirmed else None,
            "statement_ru": self.statement_ru,
            "unverified": self.unverified,
            "source_file": self.source_file,
        }


@dataclass(frozen=True)
class KbVersion:
    """The version every output quotes: the human version and the content hash.

    `content_sha256` is computed from the files actually loaded;
    `recorded_sha256` is what `kb/VERSION` says. They differ when `kb/` was
    edited without running `azyl kb stamp`, which CI refuses.
    """

    version: str
    released: date | None
    content_sha256: str
    recorded_sha256: str | None

    @property
    def stamped(self) -> bool:
        """True when kb/VERSION records the hash of the content as loaded."""
        return self.recorded_sha256 == self.content_sha256

    @property
    def label(self) -> str:
        """A short label for reports: `0.1.0+3f2a9c1d4e5f` (`-modified` if unstamped)."""
        tail = "" if self.stamped else "-modified"
        return f"{self.version}+{self.content_sha256[:12]}{tail}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "released": self.released.isoformat() if self.released else None,
            "content_sha256": self.content_sha256,
            "stamped": self.stamped,
            "label": self.label,
        }


@dataclass(frozen=True)
class QuoteCheck:
    """What quote verification could do on this machine (see `azyl.kb.texts`).

    `verified` counts the quotes checked against a copy of their source's text
    found here (loading fails if any is not in it); `not_checked_here` those
    whose source records the hash and date of its text but no copy is at hand;
    `no_text` those citing a source that never stored its text.
    `sources` gives each source's status by id.
    """

    verified: int = 0
    not_checked_here: int = 0
    no_text: int = 0
    sources: tuple[tuple[str, str], ...] = ()

    @property
    def status(self) -> str:
        """ "verified" when every quote with a recorded text was checked here, else "partial"."""
        return "verified" if self.not_checked_here == 0 else "partial"

    def of(self, source_id: str) -> str:
        """The status of one source's text (texts.VERIFIED_HERE, NOT_CHECKED_HERE, NO_TEXT)."""
        return dict(self.sources).get(source_id, "no_text")

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "verified": self.verified,
            "not_checked_here": self.not_checked_here,
            "no_text": self.no_text,
        }

    def describe(self) -> str:
        """One line for `azyl kb check`."""
        line = f"quotes: {self.verified} verified here against their sources' texts"
        if self.not_checked_here:
            line += (
                f"; {self.not_checked_here} not checked here (their texts are not on this "
                "machine; each source records the text's sha256 and the day its quotes were "
                "last verified; set AZYL_SOURCE_TEXTS to a folder of copies to check them)"
            )
        if self.no_text:
            line += f"; {self.no_text} cite sources whose text was never stored (unverified)"
        return line


@dataclass(frozen=True)
class KnowledgeBase:
    """Every source and fact, by id, at one version."""

    sources: dict[str, Source]
    facts: dict[str, Fact]
    version: KbVersion
    quote_check: QuoteCheck = QuoteCheck()

    @property
    def areas(self) -> tuple[str, ...]:
        """The areas that hold at least one fact, sorted."""
        return tuple(sorted({f.area for f in self.facts.values()}))

    def overturned_by(self, fact_id: str) -> list[Fact]:
        """The court rulings that overturn a fact, sorted by id.

        The overturned fact stays in the knowledge base (it was the law or
        practice until then); readers and the screening engine need both.
        """
        return sorted(
            (f for f in self.facts.values() if fact_id in f.overturns), key=lambda f: f.id
        )

    def citing(self, source_id: str) -> list[Fact]:
        """The facts that cite a source, sorted by id."""
        return sorted(
            (f for f in self.facts.values() if source_id in f.sources), key=lambda f: f.id
        )
