"""The pathway graph: every documented way from where the person is to danger.

States are nodes; the mechanism rules supply the edges, evaluated for each
state the person could reach (the current state first, then each state an edge
leads to, up to `MAX_HOPS`). Every state where the person faces documented
danger ends a pathway. The person's own state is a dead end: the graph never
routes "through" it. A third state unsafe for their profile (Armenia for a
Russian deserter, Russia for a Tajik dissident) ends one pathway and may start
longer ones, because onward removal to the origin is often how its danger
materialises.

Pathways are simple paths (no state twice, so no cycles) from the current state
to a state of danger. Several mechanisms between the same two states collapse
into one hop led by the most serious, with the evidence of all. Pathways are
ranked by the danger at the end, then by their weakest hop (a chain is as
likely as its least likely link), then by length.
"""

from __future__ import annotations

from collections import defaultdict

from azyl.assess import vocabulary as v
from azyl.assess.model import Evidence, Hop, Pathway
from azyl.assess.rules.base import MECHANISM_RULES, Edge
from azyl.assess.screening import Screening

#: Longer chains than this are not plausible enough to list.
MAX_HOPS = 4
#: How many pathways an assessment lists.
MAX_PATHWAYS = 12


def explore(s: Screening) -> list[Edge]:
    """Every edge from the current state and from each state reachable from it."""
    rules = [r for r in MECHANISM_RULES if r.info.in_force(s.as_of)]
    edges: list[Edge] = []
    expanded: set[str] = set()
    frontier = [s.current]
    for _depth in range(MAX_HOPS):
        following: list[str] = []
        for state in frontier:
            if state in expanded:
                continue
            expanded.add(state)
            if state in s.origins:
                continue
            for rule in rules:
                for edge in rule.check(s, state, state == s.current):
                    assert isinstance(edge, Edge)
                    edges.append(edge)
                    following.append(edge.target)
        frontier = following
    return edges


def merge(edges: list[Edge]) -> dict[tuple[str, str], Hop]:
    """One hop per pair of states, led by the most serious mechanism."""
    grouped: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for edge in edges:
        grouped[(edge.source, edge.target)].append(edge)
    hops = {}
    for pair, group in grouped.items():
        group.sort(key=lambda e: (v.rank(e.severity), e.mechanism))
        lead = group[0]
        total = Evidence()
        for edge in group:
            total = total + edge.evidence
        others = sorted({e.mechanism for e in group[1:]} - {lead.mechanism})
        text = " ".join(dict.fromkeys(e.explanation for e in group))
        if others:
            text += f" (Also: {', '.join(o.replace('_', ' ') for o in others)}.)"
        hops[pair] = Hop(pair[0], pair[1], lead.mechanism, lead.severity, text, total)
    return hops


def pathways(s: Screening, hops: dict[tuple[str, str], Hop]) -> list[Pathway]:
    """Simple paths from the current state to danger, ranked, at most MAX_PATHWAYS."""
    out_of: dict[str, list[Hop]] = defaultdict(list)
    for hop in hops.values():
        out_of[hop.source].append(hop)
    found: list[Pathway] = []

    def walk(state: str, trail: tuple[Hop, ...], visited: frozenset[str]) -> None:
        for hop in sorted(out_of[state], key=lambda h: h.target):
            if hop.target in visited:
                continue
            path = (*trail, hop)
            danger = s.danger(hop.target)
            if danger is not None:
                weakest = v.mildest(*(h.severity for h in path))
                found.append(
                    Pathway(path, weakest, danger.reason, danger.severity, danger.evidence)
                )
            if hop.target not in s.origins and len(path) < MAX_HOPS:
                walk(hop.target, path, visited | {hop.target})

    walk(s.current, (), frozenset({s.current}))
    found.sort(key=lambda p: (v.rank(p.danger_severity), v.rank(p.severity), len(p.hops), p.states))
    return [
        Pathway(p.hops, p.severity, p.danger, p.danger_severity, p.danger_evidence, rank)
        for rank, p in enumerate(found[:MAX_PATHWAYS], start=1)
    ]
