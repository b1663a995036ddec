"""The bottom line of a screening: what a caseworker reads in one minute.

The headline is the most severe item of the report (pathways and findings);
then the few pathways that matter, one line each, or, without pathways, the
most severe findings; then what to do first: the protective arguments that
answer the most severe items, each with its forum.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from azyl.assess.model import Finding, Pathway, ProtectiveArgument, Summary
from azyl.assess.severity import most_severe
from azyl.assess.vocabulary import SEVERITIES, rank
from azyl.i18n import N_
from azyl.i18n.message import Day, Message, Route, Term, Terms

#: How many lines the bottom line shows, and how many first steps.
LINES = 3
FIRST_STEPS = 3

_PATHWAY = N_("{route}, by {steps}: {severity}.")
_FINDING = N_("{finding}: {severity}.")
_NOTHING = N_("No documented pathway back to danger was found as of {date}.")
_STEP = N_("{argument}: {forum}.")
_STEP_NO_FORUM = N_("{argument}.")


def summarise(
    findings: list[Finding],
    pathways: list[Pathway],
    arguments: list[ProtectiveArgument],
    as_of: date,
) -> Summary:
    """The headline, the lines that matter and the first steps."""
    headline = most_severe([f.severity for f in findings] + [p.severity for p in pathways])
    counts = Counter(f.severity for f in findings)
    lines = [_pathway_line(p) for p in pathways[:LINES]]
    if not lines:
        ranked = sorted(findings, key=lambda f: rank(f.severity))
        serious = [f for f in ranked if f.severity != "low"]
        lines = [
            Message.of(_FINDING, finding=Term("finding_codes", f.code), severity=_sev(f.severity))
            for f in serious[:LINES]
        ]
    if not lines:
        lines = [Message.of(_NOTHING, date=Day(as_of))]
    return Summary(
        headline,
        tuple((s, counts[s]) for s in SEVERITIES),
        tuple(lines),
        tuple(_first_steps(findings, arguments)),
    )


def _sev(severity: str) -> Term:
    return Term("severities", severity)


def _pathway_line(pathway: Pathway) -> Message:
    return Message.of(
        _PATHWAY,
        route=Route(pathway.states),
        steps=Terms("mechanisms", tuple(h.mechanism for h in pathway.hops)),
        severity=_sev(pathway.severity),
    )


def _first_steps(findings: list[Finding], arguments: list[ProtectiveArgument]) -> list[Message]:
    """The arguments answering the most severe findings first (each argument once)."""
    worst: dict[str, str] = {}
    for f in findings:
        worst[f.code] = most_severe([worst.get(f.code, "low"), f.severity])
    scored = [
        (min((rank(worst[c]) for c in a.answers if c in worst), default=len(SEVERITIES)), a)
        for a in arguments
    ]
    scored = [(score, a) for score, a in scored if score < len(SEVERITIES)]
    scored.sort(key=lambda item: (item[0], item[1].code))
    steps = []
    for _, argument in scored[:FIRST_STEPS]:
        name = Term("protective_codes", argument.code)
        steps.append(
            Message.of(_STEP, argument=name, forum=argument.forum)
            if argument.forum
            else Message.of(_STEP_NO_FORUM, argument=name)
        )
    return steps
