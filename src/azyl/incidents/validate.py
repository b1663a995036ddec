"""Turn a document (the nested form of one incident) into a record, or say exactly what is wrong.

The seed loader, the importers (CSV, XLSX, JSON) and the web app all go
through `parse_document`, so one incident is judged by one set of rules
wherever it comes from. Problems are collected, not raised one at a time: a
documenter fixing a file wants every problem at once. Each problem carries the
path of the field (`("sources", 0, "quote")`) so that the caller can say where
it is in its own terms: a line of the seed file, a column of a spreadsheet row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from azyl import countries
from azyl.incidents.record import IncidentRecord, SourceRef
from azyl.incidents.references import SourceCatalogue
from azyl.incidents.vocabulary import DATE_PRECISION, OUTCOMES, TACTICS, VISIBILITY
from azyl.kb.quotes import find_quote
from azyl.kb.vocabulary import CONFIDENCE, MAX_QUOTE_CHARS, PROFILES

Path = tuple[str | int, ...]

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Words the web application uses where an incident id could stand (/incidents/new).
RESERVED_IDS = frozenset({"new", "import", "export"})
MAX_ID_LENGTH = 120
MAX_SHORT_TEXT = 200

#: Keys of an incident document, in order.
DOCUMENT_KEYS: tuple[str, ...] = (
    "id",
    "date",
    "date_precision",
    "origin",
    "origin_region",
    "host",
    "host_region",
    "residence",
    "target",
    "relatives_targeted",
    "relatives_relation",
    "tactics",
    "outcome",
    "mechanism",
    "summary",
    "mechanism_ru",
    "summary_ru",
    "sources",
    "confidence",
    "visibility",
    "notes",
)
TARGET_KEYS: tuple[str, ...] = ("name", "label", "profiles")
SOURCE_KEYS: tuple[str, ...] = ("source", "url", "title", "date", "pinpoint", "quote")
#: Keys exports add; imports accept and ignore them (stage is derived, timestamps are the
#: database's), the seed file refuses them.
DERIVED_KEYS: tuple[str, ...] = ("stage", "created_at", "updated_at")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document: where (a field path) and what."""

    path: Path
    message: str


@dataclass(frozen=True)
class Rules:
    """How strict to be, which depends on where the document comes from."""

    catalogue: SourceCatalogue
    today: date
    #: The seed file is reviewed data: ISO alpha-3 only. Imports also accept alpha-2 and names.
    strict_codes: bool = False
    #: The seed cites the archived seeds: every knowledge-base citation must carry a quote.
    require_quotes: bool = False
    #: Check quotes against archived texts where a readable copy exists.
    check_quotes: bool = True
    #: Accept (and ignore) the keys exports add.
    allow_derived: bool = False
    #: Internal notes live in the database only; the seed file is public and has none.
    allow_notes: bool = True


class _Checker:
    """Collects problems while reading one document."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.problems: list[Problem] = []

    def fail(self, path: Path, message: str) -> None:
        self.problems.append(Problem(path, message))

    def keys(self, doc: Mapping[str, Any], allowed: Sequence[str], path: Path) -> None:
        for key in doc:
            if key not in allowed:
                self.fail((*path, str(key)), f"unknown key {key!r}; allowed: {', '.join(allowed)}")

    def text(
        self, value: Any, path: Path, *, required: bool, limit: int | None = None
    ) -> str | None:
        """A stripped, non-empty string; None when empty and not required."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(path, "is required")
            return None
        if not isinstance(value, str):
            self.fail(path, f"must be text, not {type(value).__name__} {value!r}")
            return None
        stripped: str = value.strip()
        if limit is not None and len(stripped) > limit:
            self.fail(path, f"is {len(stripped)} characters long; the limit is {limit}")
        return stripped

    def day(self, value: Any, path: Path, *, required: bool) -> date | None:
        """A calendar date written YYYY-MM-DD (a date object from a spreadsheet is fine too)."""
        if isinstance(value, date):
            return value
        raw = self.text(value, path, required=required)
        if raw is None:
            return None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            self.fail(path, f"{raw!r} is not a date written YYYY-MM-DD")
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.fail(path, f"{raw!r} is not a day on the calendar")
            return None

    def choice(
        self, value: Any, path: Path, vocabulary: Mapping[str, Any] | Sequence[str], what: str
    ) -> str | None:
        raw = self.text(value, path, required=True)
        if raw is not None and raw not in vocabulary:
            self.fail(path, f"unknown {what} {raw!r}")
            return None
        return raw

    def terms(
        self, value: Any, path: Path, vocabulary: Mapping[str, Any], what: str, *, required: bool
    ) -> tuple[str, ...]:
        """A list of distinct terms from a closed vocabulary."""
        if value is None:
            value = []
        if not isinstance(value, list | tuple):
            self.fail(path, f"must be a list of {what}s")
            return ()
        if required and not value:
            self.fail(path, f"needs at least one {what}")
        found: list[str] = []
        for i, item in enumerate(value):
            term = self.text(item, (*path, i), required=True)
            if term is None:
                continue
            if term not in vocabulary:
                self.fail((*path, i), f"unknown {what} {term!r}")
            elif term in found:
                self.fail((*path, i), f"{what} {term!r} is listed twice")
            else:
                found.append(term)
        return tuple(found)

    def country(self, value: Any, path: Path, *, required: bool) -> str | None:
        """An ISO alpha-3 state code (imports may also use alpha-2 or an English name)."""
        raw = self.text(value, path, required=required)
        if raw is None:
            return None
        if self.rules.strict_codes:
            if re.fullmatch(r"[A-Z]{3}", raw) and countries.lookup(raw) is not None:
                return raw
            self.fail(path, f"{raw!r} is not an ISO 3166-1 alpha-3 code (RUS, TJK, ...)")
            return None
        found = countries.lookup(raw)
        if found is None:
            self.fail(path, f"unknown country {raw!r}")
            return None
        return found.alpha3

    def region(self, value: Any, path: Path, state: str | None) -> str | None:
        """An ISO 3166-2 code of a subdivision of `state` (RU-CE, UA-43)."""
        raw = self.text(value, path, required=False)
        if raw is None:
            return None
        if not countries.is_region(raw):
            self.fail(path, f"{raw!r} is not an ISO 3166-2 region code (RU-CE, UA-43, ...)")
            return None
        if state is not None and countries.region_country(raw) != state:
            self.fail(path, f"region {raw} is not in {state}")
        return raw.upper()


def parse_document(doc: Any, rules: Rules) -> tuple[IncidentRecord | None, list[Problem]]:
    """The record a document describes, and every problem found (the record is None if any)."""
    check = _Checker(rules)
    if not isinstance(doc, Mapping):
        check.fail((), "an incident must be a mapping of fields")
        return None, check.problems
    allowed = DOCUMENT_KEYS + (DERIVED_KEYS if rules.allow_derived else ())
    if not rules.allow_notes:
        allowed = tuple(k for k in allowed if k != "notes")
    check.keys(doc, allowed, ())

    incident_id = check.text(doc.get("id"), ("id",), required=True)
    if incident_id is not None and (
        len(incident_id) > MAX_ID_LENGTH or not ID_PATTERN.fullmatch(incident_id)
    ):
        check.fail(
            ("id",),
            f"{incident_id!r} is not a valid id: lowercase letters, digits and single "
            f"hyphens, at most {MAX_ID_LENGTH} characters",
        )
    elif incident_id in RESERVED_IDS:
        check.fail(
            ("id",), f"{incident_id!r} names a page of the web application; choose another id"
        )
    day = check.day(doc.get("date"), ("date",), required=True)
    precision = check.choice(
        doc.get("date_precision"), ("date_precision",), DATE_PRECISION, "date precision"
    )
    if day is not None:
        _check_date(check, day, precision)

    origin = check.country(doc.get("origin"), ("origin",), required=True)
    origin_region = check.region(doc.get("origin_region"), ("origin_region",), origin)
    host = check.country(doc.get("host"), ("host",), required=False)
    host_region = check.region(doc.get("host_region"), ("host_region",), host)
    if host_region is not None and host is None:
        check.fail(("host_region",), "a host region needs a host state")
    residence = check.country(doc.get("residence"), ("residence",), required=False)

    name, label, profiles = _target(check, doc.get("target"))
    relatives = doc.get("relatives_targeted", False)
    if not isinstance(relatives, bool):
        check.fail(("relatives_targeted",), f"must be true or false, not {relatives!r}")
        relatives = False
    relation = check.text(
        doc.get("relatives_relation"), ("relatives_relation",), required=False, limit=MAX_SHORT_TEXT
    )
    if relation is not None and not relatives:
        check.fail(("relatives_relation",), "is given but relatives_targeted is false")

    tactics = check.terms(doc.get("tactics"), ("tactics",), TACTICS, "tactic", required=True)
    outcome = check.choice(doc.get("outcome"), ("outcome",), OUTCOMES, "outcome")
    mechanism = check.text(doc.get("mechanism"), ("mechanism",), required=True)
    summary = check.text(doc.get("summary"), ("summary",), required=True)
    mechanism_ru = check.text(doc.get("mechanism_ru"), ("mechanism_ru",), required=False)
    summary_ru = check.text(doc.get("summary_ru"), ("summary_ru",), required=False)
    sources = _sources(check, doc.get("sources"))
    confidence = check.choice(doc.get("confidence"), ("confidence",), CONFIDENCE, "confidence")
    visibility = check.choice(doc.get("visibility"), ("visibility",), VISIBILITY, "visibility")
    notes = check.text(doc.get("notes"), ("notes",), required=False)

    if check.problems:
        return None, check.problems
    assert incident_id and day and precision and origin and outcome and mechanism and summary
    assert confidence and visibility
    record = IncidentRecord(
        id=incident_id,
        date=day,
        date_precision=precision,
        origin=origin,
        origin_region=origin_region,
        host=host,
        host_region=host_region,
        residence=residence,
        target_name=name,
        target_label=label,
        target_profiles=profiles,
        relatives_targeted=relatives,
        relatives_relation=relation,
        tactics=tactics,
        outcome=outcome,
        mechanism=mechanism,
        summary=summary,
        mechanism_ru=mechanism_ru,
        summary_ru=summary_ru,
        sources=sources,
        confidence=confidence,
        visibility=visibility,
        notes=notes,
    )
    return record, []


def _check_date(check: _Checker, day: date, precision: str | None) -> None:
    """Month and year dates use the first day of the period; no incident is in the future."""
    if precision == "month" and day.day != 1:
        check.fail(
            ("date",),
            f"{day} has precision 'month': write the first of the month ({day.replace(day=1)})",
        )
    if precision == "year" and (day.month, day.day) != (1, 1):
        check.fail(
            ("date",),
            f"{day} has precision 'year': write the first of January "
            f"({day.replace(month=1, day=1)})",
        )
    if day > check.rules.today:
        check.fail(("date",), f"{day} is in the future")


def _target(check: _Checker, value: Any) -> tuple[str | None, str | None, tuple[str, ...]]:
    """The target's public name or pseudonymous label (exactly one), and their profiles."""
    if not isinstance(value, Mapping):
        check.fail(("target",), "is required: a mapping with name or label, and profiles")
        return None, None, ()
    check.keys(value, TARGET_KEYS, ("target",))
    name = check.text(value.get("name"), ("target", "name"), required=False, limit=MAX_SHORT_TEXT)
    label = check.text(
        value.get("label"), ("target", "label"), required=False, limit=MAX_SHORT_TEXT
    )
    if name is None and label is None:
        check.fail(("target",), "needs a name (public figures only) or a pseudonymous label")
    if name is not None and label is not None:
        check.fail(
            ("target",),
            "has both a name and a label: give the name of a public figure, "
            "or a label for anyone else",
        )
    profiles = check.terms(
        value.get("profiles"), ("target", "profiles"), PROFILES, "profile", required=False
    )
    return name, label, profiles


def _sources(check: _Checker, value: Any) -> tuple[SourceRef, ...]:
    if not isinstance(value, list | tuple) or not value:
        check.fail(("sources",), "needs at least one citation (a knowledge-base source or a URL)")
        return ()
    refs = [_source(check, item, ("sources", i)) for i, item in enumerate(value)]
    return tuple(r for r in refs if r is not None)


def _source(check: _Checker, value: Any, path: Path) -> SourceRef | None:
    """One citation: `source` (a knowledge-base id) or `url` + `title` + `date`; a pinpoint."""
    if not isinstance(value, Mapping):
        check.fail(path, "a citation must be a mapping (source or url, pinpoint, quote)")
        return None
    check.keys(value, SOURCE_KEYS, path)
    source = check.text(value.get("source"), (*path, "source"), required=False)
    url = check.text(value.get("url"), (*path, "url"), required=False)
    title = check.text(value.get("title"), (*path, "title"), required=False)
    published = check.day(value.get("date"), (*path, "date"), required=False)
    pinpoint = check.text(value.get("pinpoint"), (*path, "pinpoint"), required=True)
    quote = check.text(value.get("quote"), (*path, "quote"), required=False, limit=MAX_QUOTE_CHARS)
    if (source is None) == (url is None):
        check.fail(
            path,
            "cite either a knowledge-base source id (source) or a URL (url), not both or neither",
        )
        return None
    if source is not None:
        for key, given in (("title", title), ("date", published)):
            if given is not None:
                check.fail(
                    (*path, key),
                    f"a knowledge-base citation takes its {key} from kb/sources/{source}.yaml",
                )
        _kb_source(check, source, quote, path)
    if url is not None:
        if not re.match(r"https?://\S+$", url):
            check.fail((*path, "url"), f"{url!r} is not an http(s) URL")
        if title is None:
            check.fail((*path, "title"), "a URL citation needs the title of the page")
        if published is None and value.get("date") in (None, ""):
            check.fail(
                (*path, "date"), "a URL citation needs the date it was published (YYYY-MM-DD)"
            )
    if pinpoint is None:
        return None
    return SourceRef(
        source=source, url=url, title=title, date=published, pinpoint=pinpoint, quote=quote
    )


def _kb_source(check: _Checker, source: str, quote: str | None, path: Path) -> None:
    """The id must exist in kb/sources; the quote must be in the archived text, if there is one."""
    catalogue = check.rules.catalogue
    if source not in catalogue.ids:
        check.fail(
            (*path, "source"),
            f"{source!r} is not a knowledge-base source (kb/sources/{source}.yaml does not exist)",
        )
        return
    if quote is None:
        if check.rules.require_quotes:
            check.fail((*path, "quote"), "cite a short exact quote from the source")
        return
    if check.rules.check_quotes:
        text = catalogue.archived_text(source)
        if text is not None and find_quote(quote, text) != -1:
            check.fail(
                (*path, "quote"), f"not found in the archived text of {source}: {quote[:60]!r}..."
            )
