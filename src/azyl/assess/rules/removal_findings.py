"""Findings that name a removal: they summarise the steps of the pathway graph.

A step is reported when it can move the person from where they are, or lies on
a pathway to danger. Its finding never claims more than the pathways show: its
severity is that of the most severe pathway through the step, taken by this
step (a remote readmission beside a likely pushback between the same two states
stays remote), or `low` when no pathway goes through it (the person would lose
the examination of their claim there, not yet their safety).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from azyl import countries
from azyl.assess.model import Evidence, Finding, Hop, Pathway
from azyl.assess.rules.base import finding
from azyl.assess.rules.mechanisms import APD, DUBLIN_III, RETURN_DIRECTIVE
from azyl.assess.screening import Screening, deciding_states
from azyl.assess.severity import at_most, least_likely, most_severe, severity
from azyl.i18n import N_
from azyl.i18n.message import Countries, Message, Nn_

_ON_PATHWAY = N_("{step} This step lies on a pathway that ends in danger: {danger}")
_OFF_PATHWAY = N_("{step} No documented danger follows from this step.")
_CHAIN = Nn_(
    "{count} pathway of more than one step ends in danger; it runs through {states}.",
    "{count} pathways of more than one step end in danger; the most serious runs through {states}.",
)

#: Finding code of each mechanism's steps.
MECHANISM_CODES = {
    "dublin_transfer": "dublin_transfer_risk",
    "safe_third_country_return": "safe_third_country_risk",
    "readmission": "readmission_risk",
    "extradition": "extradition_exposure",
    "pushback": "border_access_denied",
}


def _through(s: Screening, hop: Hop) -> list[Pathway]:
    return [p for p in s.pathways if (hop.source, hop.target) in _pairs(p)]


def _pairs(pathway: Pathway) -> set[tuple[str, str]]:
    return {(h.source, h.target) for h in pathway.hops}


def _taking(hop: Hop, pathway: Pathway) -> str:
    """The pathway's severity were it to take this step between the step's two states.

    The graph's own rule applies (`azyl.assess.graph`): a danger known only from stale
    or unverified evidence makes the pathway at most possible, so the finding can never
    be graver than the pathway it reports.
    """
    likelihoods = [
        hop.likelihood if (h.source, h.target) == (hop.source, hop.target) else h.likelihood
        for h in pathway.hops
    ]
    likelihood = least_likely(likelihoods)
    if not pathway.danger.current:
        likelihood = at_most(likelihood, "possible")
    return severity(likelihood, pathway.danger.gravity)


def _reported(s: Screening, mechanism: str) -> Iterator[tuple[Hop, list[Pathway]]]:
    """Each step of this mechanism worth reporting, with the pathways through it: those on a
    pathway, and those from a state that would decide the claim."""
    deciding = {s.current, *deciding_states(s)}
    for pair in sorted(s.hops):
        for hop in s.hops[pair]:
            if hop.mechanism != mechanism:
                continue
            through = _through(s, hop)
            if through or hop.source in deciding:
                yield hop, through
                break


def _summary(s: Screening, hop: Hop, through: list[Pathway], code: str, rule: str) -> Finding:
    worst = min(through, key=lambda p: p.rank) if through else None
    text = (
        Message.of(_ON_PATHWAY, step=hop.text, danger=worst.danger.text)
        if worst
        else Message.of(_OFF_PATHWAY, step=hop.text)
    )
    evidence = hop.evidence + (worst.danger.evidence if worst else Evidence())
    return Finding(
        code,
        most_severe(_taking(hop, p) for p in through),
        (hop.source, hop.target),
        text,
        evidence,
        rule,
        hop.likelihood,
        worst.danger.gravity if worst else None,
    )


def _mechanism_findings(s: Screening, mechanism: str, rule: str) -> Iterator[Finding]:
    for hop, through in _reported(s, mechanism):
        yield _summary(s, hop, through, MECHANISM_CODES[mechanism], rule)


@finding(
    "dublin.transfer_risk",
    "The person can be transferred under the Dublin or AMMR rules",
    (f"{DUBLIN_III}: arts. 3, 12, 13, 18, 29", "eu-reg-2024-1351-art16: art. 16"),
    valid_from=countries.DUBLIN_START,
)
def dublin_transfer_risk(s: Screening) -> Iterator[Finding]:
    """Reports each Dublin transfer the graph found, with the criterion that makes the
    receiving state responsible and what the pathways show follows it."""
    yield from _mechanism_findings(s, "dublin_transfer", "dublin.transfer_risk")


@finding(
    "safe_third_country.risk",
    "The claim can be declared inadmissible and the person returned to a state on the route",
    (f"{APD}: arts. 33(2)(c), 38",),
    valid_from=date(2000, 1, 1),
)
def safe_third_country_risk(s: Screening) -> Iterator[Finding]:
    """Reports each return to a state on the route treated as safe: the claim is declared
    inadmissible without an examination of the risk."""
    yield from _mechanism_findings(s, "safe_third_country_return", "safe_third_country.risk")


@finding(
    "readmission.risk",
    "A readmission agreement can carry the person back",
    (f"{RETURN_DIRECTIVE}: art. 6",),
    valid_from=date(2000, 1, 1),
)
def readmission_risk(s: Screening) -> Iterator[Finding]:
    """Reports each readmission the graph found (to the person's own state, or a state
    they passed through)."""
    yield from _mechanism_findings(s, "readmission", "readmission.risk")


@finding(
    "extradition.exposure",
    "The person can be detained and extradited to the state pursuing them",
    ("coe-echr-1950: art. 3",),
    valid_from=date(1993, 1, 22),
)
def extradition_exposure(s: Screening) -> Iterator[Finding]:
    """Reports each extradition step: a wanted person in a state that cooperates with the
    pursuer (by practice, by the registry's record or by a convention) is exposed."""
    yield from _mechanism_findings(s, "extradition", "extradition.exposure")


@finding(
    "border.access_denied",
    "The person can be turned back at the border without an asylum procedure",
    ("un-refugee-convention-1951: art. 33(1)",),
    valid_from=date(1990, 1, 1),
)
def border_access_denied(s: Screening) -> Iterator[Finding]:
    """Reports a pushback from the border the person stands at: turned back without access
    to an asylum procedure, the person is left in the state they came from."""
    yield from _mechanism_findings(s, "pushback", "border.access_denied")


@finding(
    "removal.direct_return",
    "Removal straight to the person's own state",
    ("un-refugee-convention-1951: art. 33(1)", "coe-echr-1950: art. 3"),
    valid_from=date(1951, 7, 28),
)
def direct_return(s: Screening) -> Iterator[Finding]:
    """A step from where the person is straight to their own state, by any mechanism, with
    the persecution evidence for their profile; where no risk for the profile is
    documented, the pathway's gravity (undocumented) keeps the finding low."""
    for origin in s.origins:
        hops = s.hops.get((s.current, origin))
        if not hops:
            continue
        through = [p for p in s.pathways if p.states == (s.current, origin)]
        yield _summary(s, hops[0], through, "direct_return", "removal.direct_return")


@finding(
    "deportation.unsafe_third_country",
    "Removal to a third state where the person faces documented danger",
    ("un-refugee-convention-1951: art. 33(1)", "coe-echr-1950: art. 3"),
    valid_from=date(1951, 7, 28),
)
def deportation_to_unsafe_third_country(s: Screening) -> Iterator[Finding]:
    """A deportation, rendition or proposed removal into a state that is not the person's
    own but is dangerous for them: the severity of the pathway that ends there (transfers,
    returns to a state on the route and extraditions are reported under their own codes)."""
    for pathway in s.pathways:
        last = pathway.hops[-1]
        if last.target in s.origins or last.mechanism in MECHANISM_CODES:
            continue  # a transfer, return or extradition has a finding of its own
        yield Finding(
            "deportation_to_unsafe_third_country",
            pathway.severity,
            (last.source, last.target),
            Message.of(_ON_PATHWAY, step=last.text, danger=pathway.danger.text),
            last.evidence + pathway.danger.evidence,
            "deportation.unsafe_third_country",
            pathway.likelihood,
            pathway.danger.gravity,
        )


@finding(
    "chain.refoulement",
    "Several transfers in a row can end in danger",
    ("un-refugee-convention-1951: art. 33(1)", "coe-echr-1950: art. 3"),
    valid_from=date(1951, 7, 28),
)
def chain_refoulement(s: Screening) -> Iterator[Finding]:
    """A pathway of more than one step is chain refoulement: each state may act lawfully in
    its own eyes, and the chain still ends where the person is in danger."""
    chains = [p for p in s.pathways if len(p.hops) > 1]
    if not chains:
        return
    worst = min(chains, key=lambda p: p.rank)
    total = Evidence()
    for p in chains:
        for hop in p.hops:
            total = total + hop.evidence
    states = tuple(dict.fromkeys(state for p in chains for state in p.states))
    yield Finding(
        "chain_refoulement",
        worst.severity,
        states,
        Message.counted(_CHAIN, len(chains), states=Countries(worst.states)),
        total,
        "chain.refoulement",
        worst.likelihood,
        worst.danger.gravity,
    )
