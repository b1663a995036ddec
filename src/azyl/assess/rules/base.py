"""Rules: dated, cited, readable units of screening logic.

A rule states what it checks and why, in its docstring and its `legal_basis`,
and is in force between `valid_from` and `valid_until` like the law it
implements. Three kinds exist:

- mechanism rules say how a state could move the person to another state
  (a Dublin transfer, a return to a "safe" transit state, an extradition...);
  they produce the steps (hops) of the pathway graph, each with its likelihood;
- finding rules turn edges, pathways, facts, figures and incidents into findings;
- protective rules find the legal arguments that can stop a removal.

Rules read facts through `Screening` (one case, as of a date) and never decide
anything from a fact that is not in force on that date. Each item a rule
produces names the rule, so the trace shows which rule produced it from which
facts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from azyl.assess.model import Finding, Hop, ProtectiveArgument
from azyl.assess.screening import Screening


@dataclass(frozen=True)
class RuleInfo:
    """A rule's identity card: what it is called, what law it applies, when it holds."""

    id: str
    title: str
    legal_basis: tuple[str, ...]
    valid_from: date
    valid_until: date | None = None

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


MechanismCheck = Callable[["Screening", str, bool], Iterable[Hop]]
FindingCheck = Callable[["Screening"], Iterable[Finding]]
ProtectiveCheck = Callable[["Screening"], Iterable[ProtectiveArgument]]
Check = TypeVar("Check", MechanismCheck, FindingCheck, ProtectiveCheck)


@dataclass(frozen=True)
class Rule:
    info: RuleInfo
    check: Callable[..., Iterable[object]]


MECHANISM_RULES: list[Rule] = []
FINDING_RULES: list[Rule] = []
PROTECTIVE_RULES: list[Rule] = []


def _register(registry: list[Rule], info: RuleInfo) -> Callable[[Check], Check]:
    if any(r.info.id == info.id for r in MECHANISM_RULES + FINDING_RULES + PROTECTIVE_RULES):
        raise ValueError(f"duplicate rule id {info.id}")

    def decorate(check: Check) -> Check:
        registry.append(Rule(info, check))
        return check

    return decorate


def mechanism(
    id: str,
    title: str,
    legal_basis: tuple[str, ...],
    valid_from: date,
    valid_until: date | None = None,
) -> Callable[[MechanismCheck], MechanismCheck]:
    """Register a mechanism rule: `check(screening, at_state, first_hop) -> edges`."""
    return _register(MECHANISM_RULES, RuleInfo(id, title, legal_basis, valid_from, valid_until))


def finding(
    id: str,
    title: str,
    legal_basis: tuple[str, ...],
    valid_from: date,
    valid_until: date | None = None,
) -> Callable[[FindingCheck], FindingCheck]:
    """Register a finding rule: `check(screening) -> findings`."""
    return _register(FINDING_RULES, RuleInfo(id, title, legal_basis, valid_from, valid_until))


def protective(
    id: str,
    title: str,
    legal_basis: tuple[str, ...],
    valid_from: date,
    valid_until: date | None = None,
) -> Callable[[ProtectiveCheck], ProtectiveCheck]:
    """Register a protective rule: `check(screening) -> protective arguments`."""
    return _register(PROTECTIVE_RULES, RuleInfo(id, title, legal_basis, valid_from, valid_until))


def rule_info(rule_id: str) -> RuleInfo:
    """Look up a registered rule by id."""
    for rule in MECHANISM_RULES + FINDING_RULES + PROTECTIVE_RULES:
        if rule.info.id == rule_id:
            return rule.info
    raise KeyError(rule_id)
