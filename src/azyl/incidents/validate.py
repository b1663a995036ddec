"""One incident's document (its nested form) to a record, or every problem with its field.

Imports (CSV, XLSX, JSON) and edits (web forms, the API, reverts) come here;
the seed file goes through `azyl.validation.validate` for its lines. Both are
the same models (`azyl.incidents.documents`), so one incident is judged by one
set of rules wherever it comes from. Each problem keeps the path of its field
(`("sources", 0, "quote")`) so that the caller can say where it is in its own
terms: a column of a spreadsheet row, a field of a form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from azyl.incidents.documents import IncidentDoc, Rules
from azyl.incidents.record import IncidentRecord
from azyl.validation import Loc, Said, validate_said

__all__ = ["Problem", "Rules", "parse_document"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document: where (a field path) and what."""

    path: Loc
    message: Said  # English, or a template a page renders in its language


def parse_document(doc: Any, rules: Rules) -> tuple[IncidentRecord | None, list[Problem]]:
    """The record a document describes, and every problem found (the record is None if any)."""
    incident, found = validate_said(IncidentDoc, doc, context=rules.context())
    problems = [Problem(loc, message) for loc, message in found]
    return (incident.record() if incident is not None else None), problems
