"""Findings that name a removal mechanism: they summarise the hops of the pathway graph.

A mechanism is reported when it can move the person now (a hop from the
current state) or lies on a pathway to danger. A hop from the current state
that leads nowhere dangerous is still worth knowing, but it is capped at
"elevated": the person would lose the examination of their claim there, not
yet their safety.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from azyl import countries
from azyl.assess import vocabulary as v
from azyl.assess.model import Evidence, Finding
from azyl.assess.rules.base import Edge, finding
from azyl.assess.rules.mechanisms import APD, DUBLIN_III, RETURN_DIRECTIVE
from azyl.assess.screening import Screening, deciding_states, names


def _relevant_edges(s: Screening, mechanism: str) -> list[tuple[Edge, bool]]:
    """(edge, on a pathway to danger) for every edge of this mechanism worth reporting:
    those on a pathway, and those from a state that would decide the claim (the current
    state, or one a Dublin transfer would make responsible). Edges are read before they
    are merged into hops, so a mechanism is reported even where a more serious one leads
    the hop between the same two states."""
    on_paths = {(h.source, h.target) for p in s.pathways for h in p.hops}
    deciding = {s.current, *deciding_states(s)}
    best: dict[tuple[str, str], tuple[Edge, bool]] = {}
    for edge in s.edges:
        pair = (edge.source, edge.target)
        if edge.mechanism != mechanism or not (pair in on_paths or edge.source in deciding):
            continue
        held = best.get(pair)
        if held is None or v.rank(edge.severity) < v.rank(held[0].severity):
            best[pair] = (edge, pair in on_paths)
    return [best[pair] for pair in sorted(best)]


def _summarise(s: Screening, mechanism: str, code: str, rule: str, lead: str) -> Iterator[Finding]:
    """One finding per pair of states: severity from the edge, capped when off-path."""
    for edge, on_path in _relevant_edges(s, mechanism):
        severity = edge.severity if on_path else v.mildest(edge.severity, "elevated")
        tail = (
            " This step lies on a pathway that ends in danger (see pathways)."
            if on_path
            else " No documented danger follows from this step alone."
        )
        yield Finding(
            code,
            severity,
            (edge.source, edge.target),
            f"{lead} {edge.explanation}{tail}",
            edge.evidence,
            rule,
        )


@finding(
    "dublin.transfer_risk",
    "The person can be transferred under the Dublin rules",
    (f"{DUBLIN_III}: arts. 3, 13, 18", f"{DUBLIN_III}: art. 29"),
    valid_from=countries.DUBLIN_START,
)
def dublin_transfer_risk(s: Screening) -> Iterator[Finding]:
    """Reports each Dublin transfer the graph found, with the receiving state's record."""
    yield from _summarise(
        s, "dublin_transfer", "dublin_transfer_risk", "dublin.transfer_risk", "Dublin transfer:"
    )


@finding(
    "safe_third_country.risk",
    "The claim can be declared inadmissible and the person returned to a transit state",
    (f"{APD}: arts. 33(2)(c), 38",),
    valid_from=date(2000, 1, 1),
)
def safe_third_country_risk(s: Screening) -> Iterator[Finding]:
    """Reports each return to a transit state treated as safe: the claim is declared
    inadmissible without an examination of the risk, and the person is sent to a state
    that may not protect them (or may pass them on)."""
    yield from _summarise(
        s,
        "safe_third_country_return",
        "safe_third_country_risk",
        "safe_third_country.risk",
        "Safe third country:",
    )


@finding(
    "readmission.risk",
    "A readmission agreement can carry the person back",
    (f"{RETURN_DIRECTIVE}: art. 6",),
    valid_from=date(2000, 1, 1),
)
def readmission_risk(s: Screening) -> Iterator[Finding]:
    """Reports each readmission the graph found: once a claim is refused, the agreement
    obliges the partner state to take the person back, whether it is their own state or a
    state they merely transited."""
    yield from _summarise(s, "readmission", "readmission_risk", "readmission.risk", "Readmission:")


@finding(
    "extradition.exposure",
    "The person can be detained and extradited to the state pursuing them",
    ("coe-echr-1950: art. 3",),
    valid_from=date(1993, 1, 22),
)
def extradition_exposure(s: Screening) -> Iterator[Finding]:
    """Reports each extradition hop; a wanted person in a cooperating state is exposed."""
    yield from _summarise(
        s, "extradition", "extradition_exposure", "extradition.exposure", "Extradition:"
    )


@finding(
    "border.access_denied",
    "The person can be turned back at the border without an asylum procedure",
    ("un-refugee-convention-1951: art. 33(1)",),
    valid_from=date(1990, 1, 1),
)
def border_access_denied(s: Screening) -> Iterator[Finding]:
    """Reports a pushback from the border the person stands at: being turned back without
    access to an asylum procedure leaves the person in the state they came from, which the
    pathways show may not be safe."""
    yield from _summarise(
        s, "pushback", "border_access_denied", "border.access_denied", "Border pushback:"
    )


@finding(
    "deportation.unsafe_third_country",
    "Removal to a third state where the person faces documented danger",
    ("un-refugee-convention-1951: art. 33(1)", "coe-echr-1950: art. 3"),
    valid_from=date(1951, 7, 28),
)
def deportation_to_unsafe_third_country(s: Screening) -> Iterator[Finding]:
    """Any hop into a state that is not the person's own but is dangerous for them
    (a state unsafe for their profile) is a removal to an unsafe third country."""
    for pair, hop in sorted(s.hops.items()):
        target = pair[1]
        if target in s.origins or (danger := s.danger(target)) is None:
            continue
        yield Finding(
            "deportation_to_unsafe_third_country",
            v.worst(hop.severity, danger.severity) if hop.source == s.current else hop.severity,
            pair,
            f"{hop.explanation} {danger.reason[0].upper()}{danger.reason[1:]}.",
            hop.evidence + danger.evidence,
            "deportation.unsafe_third_country",
        )


@finding(
    "chain.refoulement",
    "Several transfers in a row can end in danger",
    ("un-refugee-convention-1951: art. 33(1)", "coe-echr-1950: art. 3"),
    valid_from=date(1951, 7, 28),
)
def chain_refoulement(s: Screening) -> Iterator[Finding]:
    """A pathway of more than one hop is chain refoulement: each state may act lawfully
    in its own eyes, and the chain still ends where the person is in danger."""
    chains = [p for p in s.pathways if len(p.hops) > 1]
    if not chains:
        return
    worst = min(chains, key=lambda p: (v.rank(p.severity), p.rank))
    total = Evidence()
    for p in chains:
        for hop in p.hops:
            total = total + hop.evidence
    routes = "; ".join(" → ".join(p.states) for p in chains[:3])
    states = tuple(dict.fromkeys(state for p in chains for state in p.states))
    yield Finding(
        "chain_refoulement",
        worst.severity,
        states,
        f"{len(chains)} pathway(s) of more than one hop end in danger ({routes}). The most "
        f"serious runs through {names(worst.states)}.",
        total,
        "chain.refoulement",
    )
