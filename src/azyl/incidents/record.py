"""An incident as plain, frozen data: what the seed file, imports, exports and queries share.

`IncidentRecord` is the content a person writes and reviews (the seed file's
fields). `IncidentView` adds what the database knows about it (created and
updated timestamps); queries return views, so the screening engine and the
web app get immutable values and never touch the database themselves.

Every record has one canonical *document* form (nested, keys in a fixed
order): the seed file, the JSON export and the content digest are all written
from it, which is what makes exports reproducible byte for byte.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any, Self

from azyl.incidents.vocabulary import stage_of

#: Fields left out of everything public (the public export, anonymous web visitors).
#: `notes` are the team's internal working notes (verification status, contacts, doubts);
#: `relatives_relation` (and its Russian) says *which* relatives were punished, which
#: together with a named exile can single them out. The public still sees *that* relatives
#: were targeted.
RESTRICTED_FIELDS: tuple[str, ...] = ("notes", "relatives_relation", "relatives_relation_ru")
#: Keys added to the document after records were first seeded (target's `name_ru` and `label_ru`,
#: `relatives_relation_ru`): left out of the content digest while empty, so that a row
#: seeded before they existed is still recognised as unedited (`azyl.incidents.seed`).
_LATER_KEYS: tuple[str, ...] = ("relatives_relation_ru",)
_LATER_TARGET_KEYS: tuple[str, ...] = ("name_ru", "label_ru")


@dataclass(frozen=True, kw_only=True)
class SourceRef:
    """One citation: a knowledge-base source id, or a URL with title and date; plus a pinpoint."""

    source: str | None = None
    url: str | None = None
    title: str | None = None
    date: dt.date | None = None
    pinpoint: str
    quote: str | None = None

    def to_document(self) -> dict[str, Any]:
        """The citation as the seed file and JSON export write it (only the keys in use)."""
        doc: dict[str, Any] = {}
        if self.source is not None:
            doc["source"] = self.source
        if self.url is not None:
            doc["url"] = self.url
            doc["title"] = self.title
            doc["date"] = self.date.isoformat() if self.date else None
        doc["pinpoint"] = self.pinpoint
        if self.quote is not None:
            doc["quote"] = self.quote
        return doc


@dataclass(frozen=True, kw_only=True)
class IncidentRecord:
    """The reviewed content of one incident (see incidents/README.md for each field)."""

    id: str
    date: dt.date
    date_precision: str
    origin: str
    origin_region: str | None = None
    host: str | None
    host_region: str | None = None
    #: Where the targeted exile lived (the act itself happened in `host`).
    residence: str | None = None
    target_name: str | None = None
    target_label: str | None = None
    target_name_ru: str | None = None
    target_label_ru: str | None = None
    target_profiles: tuple[str, ...] = ()
    relatives_targeted: bool = False
    relatives_relation: str | None = None
    relatives_relation_ru: str | None = None
    tactics: tuple[str, ...]
    outcome: str
    mechanism: str
    summary: str
    mechanism_ru: str | None = None
    summary_ru: str | None = None
    sources: tuple[SourceRef, ...]
    confidence: str
    visibility: str
    notes: str | None = None

    @property
    def stage(self) -> str:
        """The CAPE stage reached (derived from the tactics, never written by hand)."""
        return stage_of(self.tactics)

    @property
    def date_end(self) -> dt.date:
        """The last day the incident can have happened on, given the date's precision.

        `as_of` queries use it: an incident known only as "June 2015" certainly
        happened by 30 June 2015, not necessarily by 10 June.
        """
        return period_end(self.date, self.date_precision)

    @property
    def target(self) -> str:
        """How to refer to the target: the public name, or the pseudonymous label."""
        return self.target_name or self.target_label or ""

    def to_document(self) -> dict[str, Any]:
        """The nested form with keys in the seed file's order (no derived fields)."""
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "date_precision": self.date_precision,
            "origin": self.origin,
            "origin_region": self.origin_region,
            "host": self.host,
            "host_region": self.host_region,
            "residence": self.residence,
            "target": {
                "name": self.target_name,
                "name_ru": self.target_name_ru,
                "label": self.target_label,
                "label_ru": self.target_label_ru,
                "profiles": list(self.target_profiles),
            },
            "relatives_targeted": self.relatives_targeted,
            "relatives_relation": self.relatives_relation,
            "relatives_relation_ru": self.relatives_relation_ru,
            "tactics": list(self.tactics),
            "outcome": self.outcome,
            "mechanism": self.mechanism,
            "summary": self.summary,
            "mechanism_ru": self.mechanism_ru,
            "summary_ru": self.summary_ru,
            "sources": [s.to_document() for s in self.sources],
            "confidence": self.confidence,
            "visibility": self.visibility,
            "notes": self.notes,
        }

    def content_digest(self) -> str:
        """A fingerprint of the reviewed content, to tell whether a database copy was edited.

        Notes are left out: they are the team's working space in the database,
        not part of the seed, so adding one does not block later seed updates.
        """
        doc = self.to_document()
        del doc["notes"]
        for key in _LATER_KEYS:
            if doc[key] is None:
                del doc[key]
        for key in _LATER_TARGET_KEYS:
            if doc["target"][key] is None:
                del doc["target"][key]
        canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def public(self) -> Self:
        """The same record (or view) with the restricted fields removed."""
        cleared: dict[str, Any] = dict.fromkeys(RESTRICTED_FIELDS)
        return replace(self, **cleared)


@dataclass(frozen=True, kw_only=True)
class IncidentView(IncidentRecord):
    """A stored incident: its content plus when it was created and last changed (UTC)."""

    created_at: dt.datetime
    updated_at: dt.datetime

    def to_document(self) -> dict[str, Any]:
        """The record's document with the derived stage and the timestamps."""
        doc = super().to_document()
        doc["stage"] = self.stage
        doc["created_at"] = format_timestamp(self.created_at)
        doc["updated_at"] = format_timestamp(self.updated_at)
        return doc

    def record(self) -> IncidentRecord:
        """Only the reviewed content, without the database's timestamps."""
        fields = {k: v for k, v in vars(self).items() if k not in ("created_at", "updated_at")}
        return IncidentRecord(**fields)


def period_end(day: dt.date, precision: str) -> dt.date:
    """The last day of the period a date stands for (its month, its year, or itself)."""
    if precision == "month":
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == "year":
        return day.replace(month=12, day=31)
    return day


def format_timestamp(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second: `2026-11-22T18:04:05Z`."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_timestamp(text: str) -> dt.datetime:
    """Read a timestamp written by `format_timestamp` (or any ISO 8601; naive means UTC)."""
    moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
