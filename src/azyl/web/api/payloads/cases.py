"""Payloads of the saved-case routes (`azyl.cases.views`, `azyl.cases.compare`).

A case's profile is the screening engine's own `CaseProfile`; each run carries
the Assessment it produced, as it was when the run was made.
"""

from __future__ import annotations

from pydantic import Field

from azyl.assess import CaseProfile
from azyl.web.api.payloads.assess import Assessment
from azyl.web.api.payloads.base import Payload


class CaseLine(Payload):
    """A line of the list of cases (`CaseSummary`): no profile, no notes, no runs."""

    damaged: bool = Field(description="The title could not be decrypted; listed without it.")
    id: str
    title: str
    owner: str
    mine: bool = Field(description="The asker owns it (else it is shared with them).")
    created_at: str
    updated_at: str
    runs: int = Field(description="How many times it was screened.")
    latest_as_of: str | None


class RunHeader(Payload):
    """When a run was made, as of which date, on which knowledge base."""

    number: int
    as_of: str = Field(description="The date screened (YYYY-MM-DD).")
    kb_version: str
    ran_at: str


class Run(RunHeader):
    """One screening of a case, with its assessment."""

    assessment: Assessment


class Case(Payload):
    """A whole case, decrypted (`CaseDetail`): profile, notes, every run, its colleagues."""

    id: str
    title: str
    notes: str
    profile: CaseProfile
    owner: str
    mine: bool
    created_at: str | None
    updated_at: str | None
    shared_with: list[str] = Field(description="The colleagues it is shared with.")
    runs: list[Run]


class ComparedItem(Payload):
    """A mechanism, pathway, finding or protective argument of one run."""

    code: str | None
    states: list[str]
    severity: str | None
    facts: list[str]


class ChangedItem(Payload):
    """An item in both runs whose severity or cited facts changed."""

    code: str | None
    states: list[str]
    severity_before: str | None
    severity_after: str | None
    facts_added: list[str]
    facts_removed: list[str]


class SectionChanges(Payload):
    added: list[ComparedItem]
    removed: list[ComparedItem]
    changed: list[ChangedItem]


class Sections(Payload):
    mechanisms: SectionChanges
    pathways: SectionChanges
    findings: SectionChanges
    protective_arguments: SectionChanges


class FactChanges(Payload):
    added: list[str] = Field(description="Facts the later run cites and the earlier did not.")
    removed: list[str]


class CaseName(Payload):
    id: str
    title: str


class Comparison(Payload):
    """What changed between two runs of a case."""

    runs: list[RunHeader] = Field(description="The earlier run, then the later.")
    kb_version_changed: bool
    as_of_changed: bool
    sections: Sections
    facts: FactChanges
    unchanged: bool
    case: CaseName


class Sharing(Payload):
    """Who a case is shared with, after a change."""

    id: str
    shared_with: list[str]


class Erased(Payload):
    id: str
    erased: bool
