"""The screening engine: one case, as of a date, every pathway back to danger.

`assess(case, context)` is pure: it reads the knowledge base, the statistics
and the incidents through the context and returns an `Assessment`. The order
is fixed and explains the result:

1. the pathway graph: mechanism rules give the steps from each reachable state,
   each with its likelihood, and pathways are the simple paths from the current
   state to danger, each with the severity of its likelihood and the gravity at
   its end (`azyl.assess.severity`);
2. finding rules read the steps, the pathways, the facts, the figures and the
   incidents;
3. protective rules answer the findings with the arguments that fit the case;
4. destinations compare the person's nationality across the states in play;
5. the summary puts the most severe items and the first steps first;
6. the trace records the knowledge-base version, the date, and for each item
   the rule that produced it with its legal basis and evidence.

Only facts in force on the as-of date are read (`CaseFacts`), and only rules in
force on that date run.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from azyl.assess import graph
from azyl.assess.context import Context
from azyl.assess.destinations import destinations
from azyl.assess.model import Assessment, Finding, ProtectiveArgument, RuleTrace, Trace
from azyl.assess.profile import CaseProfile
from azyl.assess.rules import FINDING_RULES, PROTECTIVE_RULES, Rule, rule_info
from azyl.assess.screening import Screening
from azyl.assess.summary import summarise
from azyl.assess.vocabulary import rank

Item = TypeVar("Item", Finding, ProtectiveArgument)


def assess(case: CaseProfile, context: Context, today: date | None = None) -> Assessment:
    """Screen one case as of its `as_of` date (default: `today`, then the system date)."""
    as_of = case.as_of or today or date.today()
    s = Screening(case, context, as_of)
    s.hops = graph.explore(s)
    s.pathways = graph.pathways(s)
    findings = _run(s, FINDING_RULES, Finding)
    findings.sort(key=lambda f: (rank(f.severity), f.code, f.states))
    arguments = _run(s, PROTECTIVE_RULES, ProtectiveArgument)
    arguments.sort(key=lambda a: (a.code, a.states))
    return Assessment(
        summary=summarise(findings, s.pathways, arguments, as_of),
        findings=tuple(findings),
        pathways=tuple(s.pathways[: graph.MAX_PATHWAYS]),
        protective_arguments=tuple(arguments),
        destinations=tuple(destinations(s)),
        trace=_trace(s, findings, arguments),
    )


def _run(s: Screening, rules: list[Rule], kind: type[Item]) -> list[Item]:
    """Run the rules in force; keep one item per (code, states), the most serious."""
    best: dict[tuple[str, tuple[str, ...]], Item] = {}
    for rule in rules:
        if not rule.info.in_force(s.as_of):
            continue
        for item in rule.check(s):
            assert isinstance(item, kind)
            key = (item.code, item.states)
            held = best.get(key)
            if held is None or (
                isinstance(item, Finding)
                and isinstance(held, Finding)
                and rank(item.severity) < rank(held.severity)
            ):
                best[key] = item
    return list(best.values())


def _trace(s: Screening, findings: list[Finding], arguments: list[ProtectiveArgument]) -> Trace:
    """Which rule produced each step, finding and argument, on which legal basis and evidence."""
    entries = [
        RuleTrace(h.rule, "hop", h.mechanism, (h.source, h.target), h.basis, h.evidence)
        for hops in s.hops.values()
        for h in hops
    ]
    for item, produced in [(f, "finding") for f in findings] + [
        (a, "protective_argument") for a in arguments
    ]:
        info = rule_info(item.rule)
        entries.append(
            RuleTrace(item.rule, produced, item.code, item.states, info.legal_basis, item.evidence)
        )
    return Trace(
        kb_version=s.context.kb_version,
        as_of=s.as_of,
        statistics_up_to=s.max_stat_year,
        facts_in_force=len(s.facts.in_force),
        facts_not_in_force=s.facts.not_in_force,
        rules=tuple(entries),
    )
