"""The pathway graph: every documented way from where the person is to danger.

States are nodes; the mechanism rules supply the steps, evaluated for each state
the person could reach (the current state first, then each state a step leads
to, up to `MAX_HOPS`). The person's own state is a dead end: the graph never
routes through it. A third state where the person faces documented danger both
ends a pathway and starts longer ones, because onward removal to the origin
(extradition, deportation, rendition) is often how its danger materialises.

Pathways are simple paths (no state twice) from the current state to a state of
danger. Between two states, the most likely step leads; its likelihood is the
pathway's for that stretch. A pathway is as likely as its least likely step, and
its severity is `azyl.assess.severity` of that likelihood and the gravity at
its end; a danger known only from stale evidence makes the pathway at most
possible. Pathways are ranked by severity, then likelihood, then length.
"""

from __future__ import annotations

from collections import defaultdict

from azyl.assess.model import Hop, Pathway
from azyl.assess.rules.base import MECHANISM_RULES
from azyl.assess.screening import Screening
from azyl.assess.severity import at_most, least_likely, severity
from azyl.assess.vocabulary import LIKELIHOODS, rank

#: Longer chains than this are not plausible enough to list.
MAX_HOPS = 4
#: How many pathways an assessment lists.
MAX_PATHWAYS = 12


def explore(s: Screening) -> dict[tuple[str, str], list[Hop]]:
    """Every step from the current state and from each state reachable from it, grouped by
    pair of states, most likely first."""
    rules = [r for r in MECHANISM_RULES if r.info.in_force(s.as_of)]
    found: dict[tuple[str, str], list[Hop]] = defaultdict(list)
    expanded: set[str] = set()
    frontier = [s.current]
    for _depth in range(MAX_HOPS):
        following: list[str] = []
        for state in frontier:
            if state in expanded or state in s.origins:
                continue
            expanded.add(state)
            for rule in rules:
                for hop in rule.check(s, state, state == s.current):
                    assert isinstance(hop, Hop)
                    if hop.target != hop.source:
                        found[(hop.source, hop.target)].append(hop)
                        following.append(hop.target)
        s.hops = found  # later rules (safe third country after a transfer) read earlier steps
        frontier = following
    order = list(LIKELIHOODS)
    for hops in found.values():
        hops.sort(key=lambda h: (order.index(h.likelihood), h.mechanism))
    return dict(found)


def pathways(s: Screening) -> list[Pathway]:
    """Simple paths from the current state to danger, ranked (all of them: the findings read
    every one; the assessment lists the first MAX_PATHWAYS)."""
    out_of: dict[str, list[Hop]] = defaultdict(list)
    for (source, _), hops in s.hops.items():
        out_of[source].append(hops[0])
    found: list[Pathway] = []

    def walk(state: str, trail: tuple[Hop, ...], visited: frozenset[str]) -> None:
        for hop in sorted(out_of[state], key=lambda h: h.target):
            if hop.target in visited:
                continue
            path = (*trail, hop)
            danger = s.danger(hop.target)
            if danger is not None:
                likelihood = least_likely(h.likelihood for h in path)
                if not danger.current:
                    likelihood = at_most(likelihood, "possible")
                found.append(
                    Pathway(path, likelihood, danger, severity(likelihood, danger.gravity))
                )
            if hop.target not in s.origins and len(path) < MAX_HOPS:
                walk(hop.target, path, visited | {hop.target})

    walk(s.current, (), frozenset({s.current}))
    order = list(LIKELIHOODS)
    found.sort(key=lambda p: (rank(p.severity), order.index(p.likelihood), len(p.hops), p.states))
    return [
        Pathway(p.hops, p.likelihood, p.danger, p.severity, position)
        for position, p in enumerate(found, start=1)
    ]
