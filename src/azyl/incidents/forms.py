"""An incident edit form: its fields to the nested document and back, errors to fields.

The form is flat (`target_name`, `sources-0-quote`) because HTML forms are;
`document_from_form` builds exactly the nested document `azyl incidents
import` reads, keeping every value as typed (the validator does the judging),
so a form that fails validation is shown again with nothing lost.
`form_field` maps a problem's field path (`sources[0].quote`) to the form
field it belongs next to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from azyl.i18n.message import Message, render

#: Plain text fields of the form, with the document key they fill.
TEXT_FIELDS: tuple[str, ...] = (
    "id",
    "date",
    "date_precision",
    "origin",
    "origin_region",
    "host",
    "host_region",
    "residence",
    "relatives_relation",
    "relatives_relation_ru",
    "outcome",
    "mechanism",
    "summary",
    "mechanism_ru",
    "summary_ru",
    "confidence",
    "visibility",
    "notes",
)
SOURCE_FIELDS: tuple[str, ...] = ("source", "url", "title", "date", "pinpoint", "quote")
#: Empty citation rows offered under the existing ones (no script needed to add one).
BLANK_SOURCES = 2
_SOURCE_KEY = re.compile(r"^sources-(\d{1,3})-(source|url|title|date|pinpoint|quote)$")

Form = Mapping[str, Sequence[str]]


def _one(form: Form, key: str) -> str | None:
    values = form.get(key) or []
    text = values[-1] if values else ""
    return text if text.strip() else None


def _many(form: Form, key: str) -> list[str]:
    return [v for v in form.get(key) or [] if v.strip()]


def document_from_form(form: Form) -> dict[str, Any]:
    """The incident document a submitted form describes (empty citation rows dropped)."""
    doc: dict[str, Any] = {key: _one(form, key) for key in TEXT_FIELDS}
    doc["target"] = {
        "name": _one(form, "target_name"),
        "name_ru": _one(form, "target_name_ru"),
        "label": _one(form, "target_label"),
        "label_ru": _one(form, "target_label_ru"),
        "profiles": _many(form, "target_profiles"),
    }
    doc["relatives_targeted"] = _one(form, "relatives_targeted") is not None
    doc["tactics"] = _many(form, "tactics")
    rows: dict[int, dict[str, Any]] = {}
    for key in form:
        if match := _SOURCE_KEY.match(key):
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = _one(form, key)
    sources = []
    for index in sorted(rows):
        row = rows[index]
        if any(row.values()):
            sources.append({k: row.get(k) for k in SOURCE_FIELDS if row.get(k) is not None})
    doc["sources"] = sources
    return doc


def form_rows(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The citation rows the form shows: the document's, then empty ones to fill in."""
    given = document.get("sources")
    rows = [s for s in given if isinstance(s, Mapping)] if isinstance(given, list) else []
    rows += [{} for _ in range(BLANK_SOURCES)]
    return [{key: row.get(key) for key in SOURCE_FIELDS} for row in rows]


def form_values(document: Mapping[str, Any]) -> dict[str, Any]:
    """Every field of the form, present (None when empty), from a stored or submitted document."""
    values: dict[str, Any] = {key: document.get(key) for key in TEXT_FIELDS}
    target = document.get("target")
    target = target if isinstance(target, Mapping) else {}
    values["target"] = {
        "name": target.get("name"),
        "name_ru": target.get("name_ru"),
        "label": target.get("label"),
        "label_ru": target.get("label_ru"),
        "profiles": list(target.get("profiles") or []),
    }
    values["relatives_targeted"] = bool(document.get("relatives_targeted"))
    values["tactics"] = list(document.get("tactics") or [])
    return values


def form_field(path: str) -> str:
    """The form field a problem belongs to: `sources[0].quote` -> `sources-0-quote`."""
    if match := re.fullmatch(r"sources\[(\d+)\](?:\.(\w+))?", path):
        index, key = match.groups()
        return f"sources-{index}-{key}" if key else f"sources-{index}"
    head = re.sub(r"\[\d+\]$", "", path)
    return head.replace("target.", "target_") if head.startswith("target.") else head


def errors_by_field(
    problems: Sequence[tuple[str, str | Message]], lang: str = "en"
) -> dict[str, list[str]]:
    """Problem messages keyed by the form field they are shown next to, in the reader's language
    (a message without a template stays as it is)."""
    grouped: dict[str, list[str]] = {}
    for path, message in problems:
        grouped.setdefault(form_field(path), []).append(render(message, lang))
    return grouped
