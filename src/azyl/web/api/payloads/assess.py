"""Payloads of the screening routes: the case profile's schema and an assessment.

An assessment is `azyl.assess.Assessment.to_dict()`: the engine's records with
each message twice, rendered in the request's language (`explanation`,
`reason`) and as its template and parameters (`message`) for clients that
translate themselves. Saved cases carry the same assessment in every run.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from azyl.web.api.payloads.base import Payload


class ProfileSchema(Payload):
    """The case profile as a JSON Schema document (draft 2020-12)."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(alias="$schema")
    title: str
    description: str
    type: Literal["object"]
    properties: dict[str, Any]
    required: list[str]
    additional_properties: bool = Field(alias="additionalProperties")
    defs: dict[str, Any] = Field(alias="$defs", description="The nested objects' schemas.")


class Message(Payload):
    """A sentence as its template and parameters (`azyl.i18n.Message`), to translate client-side."""

    id: str = Field(description="The English template (the catalogue's msgid).")
    params: dict[str, Any] = Field(description="Values, and nested messages as {id, params}.")


class StatCell(Payload):
    """One cell of the official statistics (`azyl.assess.model.StatCell`)."""

    source: str
    origin: str
    asylum: str
    year: int
    protection_rate: float | None
    protection_rate_ci: list[float | None] = Field(description="[low, high], 95% Wilson.")
    total_decided: int
    decision_level: str | None
    provenance_id: int | str | None


class Figure(Payload):
    """A count from a Eurostat enforcement dataset (`azyl.assess.model.Figure`)."""

    dataset: str
    origin: str
    state: str
    year: int
    value: int
    provenance_id: int | str | None


class Evidence(Payload):
    """What an item rests on: fact ids, statistics, incident ids and figures."""

    facts: list[str]
    stale_facts: list[str] = Field(description="Facts older than their review interval.")
    stats: list[StatCell]
    figures: list[Figure]
    incidents: list[str]


class Hop(Payload):
    """One step of a pathway: a mechanism that could move the person from one state to another."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    mechanism: str
    likelihood: str
    explanation: str
    message: Message
    evidence: Evidence
    rule: str
    legal_basis: list[str]


class Danger(Payload):
    """Why the state at the end of a pathway is dangerous for the person."""

    state: str
    gravity: str
    reason: str
    message: Message
    current: bool
    evidence: Evidence


class Pathway(Payload):
    """A chain of hops ending in documented danger, ranked."""

    rank: int
    states: list[str]
    severity: str
    likelihood: str
    gravity: str
    danger: Danger
    hops: list[Hop]


class Finding(Payload):
    code: str
    severity: str
    likelihood: str | None
    gravity: str | None
    states: list[str]
    explanation: str
    message: Message
    evidence: Evidence
    rule: str


class ProtectiveArgument(Payload):
    """An argument answering findings, where to make it, and its time limit."""

    code: str
    states: list[str]
    explanation: str
    message: Message
    forum: str | None
    time_limit: str | None
    answers: list[str] = Field(description="The codes of the findings it answers.")
    evidence: Evidence
    rule: str


class Destination(Payload):
    """How the person's nationality fares in one state (null statistics: no figure)."""

    nationality: str
    asylum: str
    role: str
    statistics: StatCell | None


class Summary(Payload):
    headline: str = Field(description="The highest severity found.")
    counts: dict[str, int] = Field(description="Items by severity.")
    lines: list[str]
    first_steps: list[str]


class RuleTrace(Payload):
    """Which rule produced an item, and from which evidence."""

    rule: str
    produced: str
    code: str
    states: list[str]
    legal_basis: list[str]
    evidence: Evidence


class Trace(Payload):
    """How the screening was made: knowledge-base version, date, rules and inputs."""

    kb_version: str
    as_of: str = Field(description="The date screened (YYYY-MM-DD).")
    statistics_up_to: int
    facts_in_force: int
    facts_not_in_force: int
    rules: list[RuleTrace]


class Assessment(Payload):
    """The whole screening of one case as of a date (`azyl.assess.Assessment`)."""

    summary: Summary
    findings: list[Finding]
    pathways: list[Pathway]
    protective_arguments: list[ProtectiveArgument]
    destinations: list[Destination]
    trace: Trace
