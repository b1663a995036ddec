"""What a screening produces: findings, pathways, protective arguments, destinations, a
summary, and the trace.

Every item carries its `Evidence`: the ids of the knowledge-base facts, the
statistics cells (with source, year and value) and the incidents it rests on,
so that a lawyer can check each claim before relying on it. Every sentence is a
`Message` (a template with parameters) rendered in the reader's language;
`to_dict(lang)` gives the JSON shape of `azyl assess --format json` and of the
API, with the sentences rendered and, beside them, the template and its
parameters. The classes are frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from azyl.i18n.message import Message, render


@dataclass(frozen=True)
class StatCell:
    """One statistics figure used as evidence, with where it comes from."""

    source: str
    origin: str
    asylum: str
    year: int
    protection_rate: float | None
    ci_low: float | None
    ci_high: float | None
    total_decided: int
    decision_level: str | None = None
    provenance_id: int | str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "origin": self.origin,
            "asylum": self.asylum,
            "year": self.year,
            "protection_rate": self.protection_rate,
            "protection_rate_ci": [self.ci_low, self.ci_high],
            "total_decided": self.total_decided,
            "decision_level": self.decision_level,
            "provenance_id": self.provenance_id,
        }


@dataclass(frozen=True)
class Figure:
    """A published enforcement figure (refusals of entry, returns) used as evidence."""

    dataset: str
    origin: str
    state: str
    year: int
    value: int
    provenance_id: int | str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "origin": self.origin,
            "state": self.state,
            "year": self.year,
            "value": self.value,
            "provenance_id": self.provenance_id,
        }


@dataclass(frozen=True)
class Evidence:
    """The facts, statistics and incidents an item rests on.

    `stale` names the facts among `facts` that were stale or unverified on the
    as-of date (older evidence, shown with its date, see docs/screening.md).
    """

    facts: tuple[str, ...] = ()
    stats: tuple[StatCell, ...] = ()
    incidents: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    stale: tuple[str, ...] = ()

    def __add__(self, other: Evidence) -> Evidence:
        return Evidence(
            tuple(dict.fromkeys(self.facts + other.facts)),
            tuple(dict.fromkeys(self.stats + other.stats)),
            tuple(dict.fromkeys(self.incidents + other.incidents)),
            tuple(dict.fromkeys(self.figures + other.figures)),
            tuple(dict.fromkeys(self.stale + other.stale)),
        )

    def __bool__(self) -> bool:
        return bool(self.facts or self.stats or self.incidents or self.figures)

    def to_dict(self) -> dict[str, Any]:
        return {
            "facts": list(self.facts),
            "stale_facts": list(self.stale),
            "stats": [cell.to_dict() for cell in self.stats],
            "figures": [f.to_dict() for f in self.figures],
            "incidents": list(self.incidents),
        }


def _text(message: Message, lang: str) -> dict[str, Any]:
    return {"text": render(message, lang), "message": message.to_dict()}


@dataclass(frozen=True)
class Hop:
    """One step from a state to another by a named mechanism, with its likelihood."""

    source: str
    target: str
    mechanism: str
    likelihood: str
    text: Message
    evidence: Evidence
    rule: str
    #: The legal basis the rule applies (source id and pinpoint), for the report.
    basis: tuple[str, ...] = ()

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "mechanism": self.mechanism,
            "likelihood": self.likelihood,
            "explanation": render(self.text, lang),
            "message": self.text.to_dict(),
            "evidence": self.evidence.to_dict(),
            "rule": self.rule,
            "legal_basis": list(self.basis),
        }


@dataclass(frozen=True)
class Danger:
    """Why a state is a place of danger for this person, and how grave it is.

    `current` is False when the danger rests only on stale or unverified
    evidence: a pathway to it is then at most possible.
    """

    state: str
    gravity: str
    text: Message
    evidence: Evidence
    current: bool = True

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "state": self.state,
            "gravity": self.gravity,
            "reason": render(self.text, lang),
            "message": self.text.to_dict(),
            "current": self.current,
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True)
class Pathway:
    """A sequence of steps from the current state to a state where danger is documented."""

    hops: tuple[Hop, ...]
    likelihood: str
    danger: Danger
    severity: str
    rank: int = 0

    @property
    def states(self) -> tuple[str, ...]:
        return (self.hops[0].source, *(hop.target for hop in self.hops))

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "rank": self.rank,
            "states": list(self.states),
            "severity": self.severity,
            "likelihood": self.likelihood,
            "gravity": self.danger.gravity,
            "danger": self.danger.to_dict(lang),
            "hops": [hop.to_dict(lang) for hop in self.hops],
        }


@dataclass(frozen=True)
class Finding:
    """One way the person could be sent back, or a circumstance aggravating it."""

    code: str
    severity: str
    states: tuple[str, ...]
    text: Message
    evidence: Evidence
    rule: str
    likelihood: str | None = None
    gravity: str | None = None

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "likelihood": self.likelihood,
            "gravity": self.gravity,
            "states": list(self.states),
            "explanation": render(self.text, lang),
            "message": self.text.to_dict(),
            "evidence": self.evidence.to_dict(),
            "rule": self.rule,
        }


@dataclass(frozen=True)
class ProtectiveArgument:
    """A legal route that can stop or soften a removal, with what supports it.

    `forum` says where to raise it; `answers` the finding codes it answers, so
    the summary can put first the arguments against the most severe items.
    """

    code: str
    states: tuple[str, ...]
    text: Message
    evidence: Evidence
    rule: str
    forum: Message | None = None
    time_limit: Message | None = None
    answers: tuple[str, ...] = ()

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "code": self.code,
            "states": list(self.states),
            "explanation": render(self.text, lang),
            "message": self.text.to_dict(),
            "forum": render(self.forum, lang) if self.forum else None,
            "time_limit": render(self.time_limit, lang) if self.time_limit else None,
            "answers": list(self.answers),
            "evidence": self.evidence.to_dict(),
            "rule": self.rule,
        }


@dataclass(frozen=True)
class Destination:
    """How the person's nationality fares in one state, from the official statistics."""

    nationality: str
    asylum: str
    role: str
    cell: StatCell | None

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "nationality": self.nationality,
            "asylum": self.asylum,
            "role": self.role,
            "statistics": self.cell.to_dict() if self.cell else None,
        }


@dataclass(frozen=True)
class Summary:
    """The bottom line: the headline severity, the pathways that matter, what to do first."""

    headline: str
    counts: tuple[tuple[str, int], ...]
    lines: tuple[Message, ...]
    first_steps: tuple[Message, ...]

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "headline": self.headline,
            "counts": dict(self.counts),
            "lines": [render(m, lang) for m in self.lines],
            "first_steps": [render(m, lang) for m in self.first_steps],
        }


@dataclass(frozen=True)
class RuleTrace:
    """Which rule produced an item, from which facts, figures and incidents."""

    rule: str
    produced: str
    code: str
    states: tuple[str, ...]
    legal_basis: tuple[str, ...]
    evidence: Evidence

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "rule": self.rule,
            "produced": self.produced,
            "code": self.code,
            "states": list(self.states),
            "legal_basis": list(self.legal_basis),
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True)
class Trace:
    """How the screening was made: knowledge-base version, date, rules and inputs."""

    kb_version: str
    as_of: date
    statistics_up_to: int
    facts_in_force: int
    facts_not_in_force: int
    rules: tuple[RuleTrace, ...] = field(default=())

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "kb_version": self.kb_version,
            "as_of": self.as_of.isoformat(),
            "statistics_up_to": self.statistics_up_to,
            "facts_in_force": self.facts_in_force,
            "facts_not_in_force": self.facts_not_in_force,
            "rules": [r.to_dict(lang) for r in self.rules],
        }


@dataclass(frozen=True)
class Assessment:
    """The whole screening of one case as of a date."""

    summary: Summary
    findings: tuple[Finding, ...]
    pathways: tuple[Pathway, ...]
    protective_arguments: tuple[ProtectiveArgument, ...]
    destinations: tuple[Destination, ...]
    trace: Trace

    def codes(self) -> set[str]:
        """The finding codes raised (handy for tests and summaries)."""
        return {f.code for f in self.findings}

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "summary": self.summary.to_dict(lang),
            "findings": [f.to_dict(lang) for f in self.findings],
            "pathways": [p.to_dict(lang) for p in self.pathways],
            "protective_arguments": [a.to_dict(lang) for a in self.protective_arguments],
            "destinations": [d.to_dict(lang) for d in self.destinations],
            "trace": self.trace.to_dict(lang),
        }
