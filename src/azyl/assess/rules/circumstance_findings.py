"""Findings about procedures and circumstances rather than a single removal.

These read the facts about the states that would decide the claim (where the
person is, and any state a Dublin transfer would make responsible), the facts
about the person's own state, the statistics and the incident registry.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from azyl import countries
from azyl.assess import vocabulary as v
from azyl.assess.model import Finding, StatCell
from azyl.assess.rules.base import finding
from azyl.assess.rules.mechanisms import APD, CLAIM_STAGES
from azyl.assess.screening import Screening, cell_of, deciding_states, evidence, names

QD = "eu-qd-2011"


@finding(
    "safe_country_of_origin.procedure",
    "The claim goes to an accelerated procedure because the origin is listed as safe",
    (f"{APD}: arts. 31(8)(b), 36, 37",),
    valid_from=date(2000, 1, 1),
)
def safe_country_of_origin(s: Screening) -> Iterator[Finding]:
    """A deciding state that lists the person's own state as safe presumes the claim
    unfounded; the person must rebut the presumption quickly, with fewer safeguards."""
    for state in deciding_states(s):
        for origin in s.origins:
            listed = s.facts.of("safe_country_of_origin_designation", actor=state, subject=origin)
            if not listed:
                continue
            active = s.stage in CLAIM_STAGES
            yield Finding(
                "safe_country_of_origin_procedure",
                "high" if active and state == s.current else "elevated",
                (state, origin),
                f"{countries.name(state)} lists {countries.name(origin)} as a safe country of "
                "origin: the claim is presumed unfounded and examined in an accelerated "
                "procedure. The presumption can be rebutted with individual evidence.",
                evidence(listed),
                "safe_country_of_origin.procedure",
            )


@finding(
    "internal_protection.risk",
    "Refusal because the person could supposedly relocate within their own state",
    (f"{QD}: art. 8",),
    valid_from=date(2004, 10, 20),
)
def internal_protection_alternative(s: Screening) -> Iterator[Finding]:
    """A deciding state that applies the internal protection alternative to people like
    this person may refuse them although they are at risk in their region. Facts that
    show the persecutor's reach across the whole state make the finding high: they are
    the evidence that no part of the state is safe."""
    for state in deciding_states(s):
        for origin in s.origins:
            practice = s.facts.of("ipa_practice", actor=state, subject=origin)
            if not practice:
                continue
            reach = s.facts.of("persecution_practice", actor=origin)
            severity = "high" if reach and s.stage in CLAIM_STAGES else "elevated"
            text = (
                f"{countries.name(state)} has refused protection to people like this person on "
                f"the ground that they could live elsewhere in {countries.name(origin)}."
            )
            if reach:
                text += " Documented practice shows the persecutor's reach across the state."
            yield Finding(
                "internal_protection_alternative_risk",
                severity,
                (state, origin),
                text,
                evidence(practice + reach),
                "internal_protection.risk",
            )


@finding(
    "interpol.alert_exposure",
    "An INTERPOL notice or diffusion can lead to arrest abroad",
    ("interpol-constitution-1956: arts. 2, 3",),
    valid_from=date(1956, 6, 13),
)
def interpol_alert_exposure(s: Screening) -> Iterator[Finding]:
    """A person under an INTERPOL alert can be arrested in any member state they enter;
    where the pursuing state is known to misuse alerts against people like them, the
    finding cites that practice. Without an alert, documented misuse against people with
    the person's profile is still worth an elevated finding if they are publicly known."""
    person = s.case.person
    alerts = {"interpol_red_notice", "interpol_diffusion"} & set(person.wanted)
    pursuers = person.pursuers or s.origins
    misuse = [f for p in pursuers for f in s.facts.of("interpol_practice", actor=p)]
    incidents = [
        i
        for host in {s.current, *s.transit}
        for i in s.incidents_in(host)
        if {"interpol_red_notice", "interpol_diffusion"} & set(i.tactics)
    ]
    if alerts:
        extradition = any(h.mechanism == "extradition" for h in s.hops.values())
        yield Finding(
            "interpol_alert_exposure",
            "critical" if extradition else "high",
            tuple(person.pursuers),
            f"The person is under an INTERPOL {_alert_names(alerts)} sought by "
            f"{names(person.pursuers)}: any border crossing or police check can end in "
            "arrest pending extradition.",
            evidence(misuse, incidents=incidents),
            "interpol.alert_exposure",
        )
    elif misuse and person.public_profile:
        yield Finding(
            "interpol_alert_exposure",
            "elevated",
            tuple(s.origins),
            f"{names(s.origins)} has misused INTERPOL alerts against people with this "
            "profile; a publicly known person may become a target.",
            evidence(misuse, incidents=incidents),
            "interpol.alert_exposure",
        )


def _alert_names(alerts: set[str]) -> str:
    """{'interpol_red_notice'} -> 'red notice'."""
    return " and ".join(sorted(a.removeprefix("interpol_").replace("_", " ") for a in alerts))


@finding(
    "repression.presence",
    "The person's own state has reached exiles where the person is or may be sent",
    ("coe-echr-1950: art. 3",),
    valid_from=date(1991, 12, 26),
)
def transnational_repression_presence(s: Screening) -> Iterator[Finding]:
    """Incidents in the registry show where the person's own state has acted against
    exiles: threats, detentions, renditions, attacks. The current state, states on the
    route and states on the pathways are checked. Being in a state that the knowledge
    base documents as unsafe for the person's profile is reported here too."""
    places = list(dict.fromkeys([s.current, *s.transit, *sorted(s.states_on_pathways())]))
    for host in places:
        if host in s.origins:
            continue
        found = s.incidents_in(host)
        unsafe = s.facts.of("unsafe_for_profile", actor=host) if host == s.current else []
        if not found and not unsafe:
            continue
        attacks = [i for i in found if i.stage == "rendered_or_attacked"]
        severity = "high" if attacks or unsafe else "elevated"
        if host != s.current and not attacks:
            severity = "low"
        text = f"{countries.name(host)}: "
        if found:
            text += (
                f"the registry documents {len(found)} incident(s) there targeting exiles from "
                f"{names(s.origins)}, {len(attacks)} of them ending in rendition, "
                "deportation, abduction or attack."
            )
        if unsafe:
            text += " The person is in a state documented as unsafe for their profile."
        yield Finding(
            "transnational_repression_presence",
            severity,
            (host,),
            text,
            evidence(unsafe, incidents=found),
            "repression.presence",
        )


@finding(
    "family.reprisal_risk",
    "Relatives in the person's own state may be punished or used as leverage",
    ("un-refugee-convention-1951: art. 1A(2)",),
    valid_from=date(1991, 12, 26),
)
def family_reprisal_risk(s: Screening) -> Iterator[Finding]:
    """Where the person's own state is documented to punish relatives of exiles, relatives
    left behind are at risk and the person may be pressured through them; the risk grows
    with the person's public profile."""
    if not s.case.person.relatives_in_origin:
        return
    for origin in s.origins:
        practice = s.facts.of("family_reprisal_practice", actor=origin)
        if not practice:
            continue
        incidents = [
            i
            for host in {s.current, *s.transit}
            for i in s.incidents_in(host)
            if "family_reprisal" in i.tactics
        ]
        yield Finding(
            "family_reprisal_risk",
            "high" if s.case.person.public_profile else "elevated",
            (origin,),
            f"{countries.name(origin)} is documented to punish or pressure relatives of "
            "people abroad; the person's relatives there are at risk, and their own need for "
            "protection should be assessed.",
            evidence(practice, incidents=incidents),
            "family.reprisal_risk",
        )


@finding(
    "statistics.low_recognition",
    "A state the person is in or may be sent to rarely protects their nationality",
    ("data: UNHCR asylum decisions, first instance (azyl sources)",),
    valid_from=date(2000, 1, 1),
)
def low_recognition_destination(s: Screening) -> Iterator[Finding]:
    """Official first-instance figures (latest full year before the as-of date) for the
    person's nationality: below 25% protection the destination is flagged, below 10% the
    finding is high. Rates from fewer decisions than the small-number threshold are not
    used. The best-protecting state with enough decisions is named for comparison."""
    places = deciding_states(s) + sorted(s.states_on_pathways() - set(s.origins))
    for state in dict.fromkeys(places):
        low = s.low_recognition(state)
        if low is None:
            continue
        severity, cell = low
        rate = cell.protection_rate or 0.0
        text = (
            f"In {countries.name(state)}, {rate:.0%} of {cell.total_decided} first-instance "
            f"decisions on {names([cell.origin])} nationals in {cell.year} granted protection "
            f"({cell.source}, level {cell.decision_level or 'n/a'})."
        )
        best = _best_elsewhere(s, cell.origin)
        if best is not None and best.protection_rate is not None:
            text += (
                f" For comparison: {best.protection_rate:.0%} in {countries.name(best.asylum)} "
                f"({best.total_decided} decisions)."
            )
        cells = [cell] + ([best] if best is not None else [])
        yield Finding(
            "low_recognition_destination",
            severity,
            (state,),
            text,
            evidence(cells=cells),
            "statistics.low_recognition",
        )


def _best_elsewhere(s: Screening, nationality: str) -> StatCell | None:
    """The Dublin state protecting this nationality most often, with enough decisions."""
    rows = [
        r
        for r in s.rates_for(nationality)
        if r.protection_rate is not None
        and r.total_decided >= s.context.small_n
        and r.asylum in s.dublin
    ]
    if not rows:
        return None
    best = max(rows, key=lambda r: (r.protection_rate or 0.0, r.total_decided))
    return cell_of(best)


@finding(
    "detention.vulnerability",
    "Detention conditions that endanger this person",
    ("coe-echr-1950: arts. 3, 5",),
    valid_from=date(1990, 1, 1),
)
def detention_vulnerability(s: Screening) -> Iterator[Finding]:
    """Documented detention conditions in the current state or a state on a pathway that
    apply to people like this person; high where the person is in that state, or the
    conditions concern a vulnerable profile they have."""
    places = list(dict.fromkeys([s.current, *sorted(s.states_on_pathways())]))
    for state in places:
        if state in s.origins:
            continue
        conditions = s.facts.of("detention_conditions", actor=state)
        if not conditions:
            continue
        targeted = any(f.applies_to.profiles for f in conditions)
        severity = "high" if targeted or state == s.current else "elevated"
        yield Finding(
            "detention_vulnerability",
            v.mildest(severity, "high"),
            (state,),
            f"Documented detention conditions in {countries.name(state)} endanger people "
            "like this person.",
            evidence(conditions),
            "detention.vulnerability",
        )
