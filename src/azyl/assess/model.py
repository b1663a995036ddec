"""What a screening produces: findings, pathways, protective arguments, destinations, trace.

Every item carries its `Evidence`: the ids of the knowledge-base facts, the
statistics cells (with source, year and value) and the incidents it rests on,
so that a lawyer can check each claim before relying on it. The classes are
frozen dataclasses; `to_dict()` gives the JSON shape of `azyl assess --format
json` and of the API, and the report renderers read the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


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
class Evidence:
    """The facts, statistics cells and incidents an item rests on."""

    facts: tuple[str, ...] = ()
    stats: tuple[StatCell, ...] = ()
    incidents: tuple[str, ...] = ()

    def __add__(self, other: Evidence) -> Evidence:
        return Evidence(
            tuple(dict.fromkeys(self.facts + other.facts)),
            tuple(dict.fromkeys(self.stats + other.stats)),
            tuple(dict.fromkeys(self.incidents + other.incidents)),
        )

    def __bool__(self) -> bool:
        return bool(self.facts or self.stats or self.incidents)

    def to_dict(self) -> dict[str, Any]:
        return {
            "facts": list(self.facts),
            "stats": [cell.to_dict() for cell in self.stats],
            "incidents": list(self.incidents),
        }


@dataclass(frozen=True)
class Finding:
    """One way the person could be sent back, or a circumstance aggravating it."""

    code: str
    severity: str
    states: tuple[str, ...]
    explanation: str
    evidence: Evidence
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "states": list(self.states),
            "explanation": self.explanation,
            "evidence": self.evidence.to_dict(),
            "rule": self.rule,
        }


@dataclass(frozen=True)
class Hop:
    """One move from a state to another by a named mechanism."""

    source: str
    target: str
    mechanism: str
    severity: str
    explanation: str
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "mechanism": self.mechanism,
            "severity": self.severity,
            "explanation": self.explanation,
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True)
class Pathway:
    """A sequence of hops from the current state to a state where danger is documented."""

    hops: tuple[Hop, ...]
    severity: str
    danger: str
    danger_severity: str
    danger_evidence: Evidence
    rank: int = 0

    @property
    def states(self) -> tuple[str, ...]:
        return (self.hops[0].source, *(hop.target for hop in self.hops))

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "states": list(self.states),
            "severity": self.severity,
            "danger": {
                "state": self.states[-1],
                "severity": self.danger_severity,
                "reason": self.danger,
                "evidence": self.danger_evidence.to_dict(),
            },
            "hops": [hop.to_dict() for hop in self.hops],
        }


@dataclass(frozen=True)
class ProtectiveArgument:
    """A legal route that can stop or soften a removal, with what supports it."""

    code: str
    states: tuple[str, ...]
    explanation: str
    evidence: Evidence
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "states": list(self.states),
            "explanation": self.explanation,
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "nationality": self.nationality,
            "asylum": self.asylum,
            "role": self.role,
            "statistics": self.cell.to_dict() if self.cell else None,
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

    def to_dict(self) -> dict[str, Any]:
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "kb_version": self.kb_version,
            "as_of": self.as_of.isoformat(),
            "statistics_up_to": self.statistics_up_to,
            "facts_in_force": self.facts_in_force,
            "facts_not_in_force": self.facts_not_in_force,
            "rules": [r.to_dict() for r in self.rules],
        }


@dataclass(frozen=True)
class Assessment:
    """The whole screening of one case as of a date."""

    findings: tuple[Finding, ...]
    pathways: tuple[Pathway, ...]
    protective_arguments: tuple[ProtectiveArgument, ...]
    destinations: tuple[Destination, ...]
    trace: Trace

    def codes(self) -> set[str]:
        """The finding codes raised (handy for tests and summaries)."""
        return {f.code for f in self.findings}

    def to_dict(self) -> dict[str, Any]:
        return {
            "findings": [f.to_dict() for f in self.findings],
            "pathways": [p.to_dict() for p in self.pathways],
            "protective_arguments": [a.to_dict() for a in self.protective_arguments],
            "destinations": [d.to_dict() for d in self.destinations],
            "trace": self.trace.to_dict(),
        }
