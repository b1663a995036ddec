"""What the operations on cases return: decrypted, plain values (never ORM rows)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from azyl.errors import NotFound
from azyl.i18n import N_
from azyl.i18n.message import failure


@dataclass(frozen=True)
class RunView:
    """One screening of a case: when, as of which date, on which knowledge base.

    Its assessment is decrypted when first read, not when the case is opened: a
    case page shows one run of many, and each costs about a millisecond to decrypt
    and parse.
    """

    number: int
    as_of: date
    kb_version: str
    ran_at: datetime
    #: Reads the stored assessment: `(English, {language: translated})`; runs saved
    #: before azyl kept translations have none, and are read in English.
    read: Callable[[], tuple[dict[str, Any], dict[str, dict[str, Any]]]] = field(
        repr=False, compare=False
    )

    @cached_property
    def _stored(self) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        return self.read()

    @property
    def assessment(self) -> dict[str, Any]:
        """The assessment as saved, its sentences in English."""
        return self._stored[0]

    @property
    def translations(self) -> dict[str, dict[str, Any]]:
        """The same assessment with its sentences in other languages, by language code."""
        return self._stored[1]

    def in_language(self, lang: str) -> tuple[dict[str, Any], str]:
        """The assessment with its sentences in `lang` if the run kept them, and that language."""
        if lang in self.translations:
            return self.translations[lang], lang
        return self.assessment, "en"

    def to_document(self, *, with_assessment: bool = True) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "number": self.number,
            "as_of": self.as_of.isoformat(),
            "kb_version": self.kb_version,
            "ran_at": self.ran_at.isoformat(),
        }
        if with_assessment:
            doc["assessment"] = self.assessment
        return doc


@dataclass(frozen=True)
class CaseSummary:
    """A line of the list of cases."""

    id: str
    title: str
    owner: str
    mine: bool
    created_at: datetime
    updated_at: datetime
    runs: int
    latest_as_of: date | None
    #: The title could not be decrypted (a tampered row, a key the keyring lacks): the
    #: line is listed without it, so one damaged case never hides the others.
    damaged: bool = False

    def to_document(self) -> dict[str, Any]:
        return {
            "damaged": self.damaged,
            "id": self.id,
            "title": self.title,
            "owner": self.owner,
            "mine": self.mine,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "runs": self.runs,
            "latest_as_of": self.latest_as_of.isoformat() if self.latest_as_of else None,
        }


@dataclass(frozen=True)
class CaseDetail:
    """A whole case, decrypted: title, profile, notes, every run, who it is shared with."""

    id: str
    title: str
    notes: str
    profile: dict[str, Any] = field(repr=False)
    owner: str = ""
    mine: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    runs: tuple[RunView, ...] = ()
    shared_with: tuple[str, ...] = ()

    @property
    def latest(self) -> RunView:
        return self.runs[-1]

    def run(self, number: int) -> RunView:
        for run in self.runs:
            if run.number == number:
                return run
        raise failure(
            NotFound, N_("case {id} has no run {number}"), id=repr(self.id), number=number
        )

    def to_document(self, *, with_assessments: bool = True) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "notes": self.notes,
            "profile": self.profile,
            "owner": self.owner,
            "mine": self.mine,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "shared_with": list(self.shared_with),
            "runs": [r.to_document(with_assessment=with_assessments) for r in self.runs],
        }
