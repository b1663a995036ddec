"""Findings about procedures and circumstances rather than a single step.

These read the facts about the states that would decide the claim (where the
person is, and any state a Dublin transfer would make responsible), about the
person's own state, the statistics and the incident registry. Each combines its
own likelihood with the gravity of the danger it leads to, through the one
severity function (`azyl.assess.severity`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from azyl.assess.context import FactLike
from azyl.assess.model import Finding, StatCell
from azyl.assess.rules.base import finding
from azyl.assess.rules.mechanisms import APD, CLAIM_STAGES
from azyl.assess.screening import Screening, cell_of, deciding_states
from azyl.assess.severity import severity
from azyl.i18n import N_
from azyl.i18n.message import Countries, Country, Message, Nn_, Number, Percent, Term

QD = "eu-qd-2011"

_SCO = N_(
    "{state} lists {origin} as a safe country of origin: the claim is presumed unfounded and "
    "examined in an accelerated procedure. The presumption can be rebutted with individual "
    "evidence."
)
_IPA = N_(
    "{state} has refused protection to people like this person on the ground that they could "
    "live elsewhere in {origin}."
)
_IPA_REACH = N_(
    "{state} has refused protection to people like this person on the ground that they could "
    "live elsewhere in {origin}; documented practice shows the persecutor's reach across the "
    "state."
)
_ALERT = N_(
    "The person is under an alert ({alert}) sought by {pursuers}: a border crossing or a police "
    "check can end in arrest pending extradition."
)
#: "The authorities of" so that a dual national's two states read right ("Tajikistan and
#: Russia has misused" did not).
_ALERT_MISUSE = N_(
    "The authorities of {origins} have misused INTERPOL alerts against people with this "
    "profile; a publicly known person may become a target."
)
_REPRESSION = Nn_(
    "{state}: the registry documents {count} incident in which {origins} acted against exiles "
    "there; {attacks} ended in rendition, deportation, abduction or attack.",
    "{state}: the registry documents {count} incidents in which {origins} acted against exiles "
    "there; {attacks} ended in rendition, deportation, abduction or attack.",
)
_UNSAFE_HERE = N_("The person is in {state}, documented as unsafe for people with their profile.")
_FAMILY = N_(
    "{origin} is documented to punish or pressure relatives of people abroad; the person's "
    "relatives there are at risk, and their own need for protection should be assessed."
)
_LOW_RATE = N_(
    "In {state}, {rate} of {total} first-instance decisions on nationals of {origin} in {year} "
    "granted protection ({source})."
)
_LOW_RATE_COMPARED = N_(
    "In {state}, {rate} of {total} first-instance decisions on nationals of {origin} in {year} "
    "granted protection ({source}); in the same year, {best_rate} in {best} ({best_total} "
    "decisions)."
)
_DETENTION = N_("Documented detention conditions in {state} endanger people like this person.")


def _origin_gravity(s: Screening, origin: str) -> str:
    danger = s.danger(origin)
    return danger.gravity if danger is not None else "undocumented"


@finding(
    "safe_country_of_origin.procedure",
    "The claim goes to an accelerated procedure because the origin is listed as safe",
    (f"{APD}: arts. 31(8)(b), 36, 37",),
    valid_from=date(2000, 1, 1),
)
def safe_country_of_origin(s: Screening) -> Iterator[Finding]:
    """A deciding state that lists the person's own state as safe presumes the claim
    unfounded; the person must rebut the presumption quickly, with fewer safeguards. Likely
    where the claim is pending, possible in a state a transfer would make responsible; as
    grave as the documented risk in the person's own state."""
    for state in deciding_states(s):
        for origin in s.origins:
            listed = s.facts.of("safe_country_of_origin_designation", actor=state, subject=origin)
            if not listed:
                continue
            likely = state == s.current and s.stage in CLAIM_STAGES
            likelihood = "likely" if likely else "possible"
            gravity = _origin_gravity(s, origin)
            yield Finding(
                "safe_country_of_origin_procedure",
                severity(likelihood, gravity),
                (state, origin),
                Message.of(_SCO, state=Country(state), origin=Country(origin)),
                s.evidence_of(listed),
                "safe_country_of_origin.procedure",
                likelihood,
                gravity,
            )


def reach(s: Screening, origin: str) -> list[FactLike]:
    """Facts showing the persecutor's reach across the person's own state."""
    return [
        f
        for f in s.facts.of("persecution_practice", actor=origin)
        if not f.applies_to.regions or (s.case.person.region in f.applies_to.regions)
    ]


@finding(
    "internal_protection.risk",
    "Refusal because the person could supposedly relocate within their own state",
    (f"{QD}: art. 8",),
    valid_from=date(2004, 10, 20),
)
def internal_protection_alternative(s: Screening) -> Iterator[Finding]:
    """A deciding state that applies the internal protection alternative to people like this
    person may refuse them although they are at risk in their region: likely while the claim
    is pending there (capped by the currency of the practice), as grave as the documented
    risk at home."""
    for state in deciding_states(s):
        for origin in s.origins:
            practice = s.facts.of("ipa_practice", actor=state, subject=origin)
            if not practice:
                continue
            shown = reach(s, origin)
            base = "likely" if state == s.current and s.stage in CLAIM_STAGES else "possible"
            likelihood = s.capped(base, practice)
            gravity = _origin_gravity(s, origin)
            text = _IPA_REACH if shown else _IPA
            yield Finding(
                "internal_protection_alternative_risk",
                severity(likelihood, gravity),
                (state, origin),
                Message.of(text, state=Country(state), origin=Country(origin)),
                s.evidence_of(practice + shown),
                "internal_protection.risk",
                likelihood,
                gravity,
            )


@finding(
    "interpol.alert_exposure",
    "An INTERPOL notice or diffusion can lead to arrest abroad",
    ("interpol-constitution-1956: arts. 2, 3",),
    valid_from=date(1956, 6, 13),
)
def interpol_alert_exposure(s: Screening) -> Iterator[Finding]:
    """A person under an INTERPOL alert can be arrested in any member state they enter:
    likely, and grave (the state seeking them is the danger), imminent when an extradition
    is proposed. Without an alert, documented misuse against people with the person's
    profile makes it possible for a publicly known person."""
    person = s.case.person
    alerts = sorted({"interpol_red_notice", "interpol_diffusion"} & set(person.wanted))
    pursuers = person.pursuers or s.origins
    misuse = [f for p in pursuers for f in s.facts.of("interpol_practice", actor=p)]
    incidents = [
        i
        for host in {s.current, *s.route}
        for i in s.incidents_in(host)
        if {"interpol_red_notice", "interpol_diffusion"} & set(i.tactics)
    ]
    if alerts:
        imminent = any(s.proposed("extradition", p) for p in pursuers)
        likelihood = "imminent" if imminent else "likely"
        yield Finding(
            "interpol_alert_exposure",
            severity(likelihood, "grave"),
            tuple(person.pursuers),
            Message.of(
                _ALERT,
                alert=Term("wanted", alerts[0]),
                pursuers=Countries(tuple(person.pursuers)),
            ),
            s.evidence_of(misuse, incidents=incidents),
            "interpol.alert_exposure",
            likelihood,
            "grave",
        )
    elif misuse and person.public_profile:
        likelihood = s.capped("possible", misuse)
        yield Finding(
            "interpol_alert_exposure",
            severity(likelihood, "grave"),
            tuple(s.origins),
            Message.of(_ALERT_MISUSE, origins=Countries(s.origins)),
            s.evidence_of(misuse, incidents=incidents),
            "interpol.alert_exposure",
            likelihood,
            "grave",
        )


@finding(
    "repression.presence",
    "The person's own state has reached exiles where the person is or may be sent",
    ("coe-echr-1950: art. 3",),
    valid_from=date(1991, 12, 26),
)
def transnational_repression_presence(s: Screening) -> Iterator[Finding]:
    """Incidents in the registry show where the person's own state has acted against exiles:
    threats, detentions, renditions, attacks. Where the person is, recent renditions,
    abductions or attacks make it likely (serious); elsewhere on the route and on the
    pathways, possible; older incidents alone, remote. Being in a state documented as unsafe
    for the person's profile is reported here too."""
    places = list(dict.fromkeys([s.current, *s.route, *sorted(s.states_on_pathways())]))
    for host in places:
        if host in s.origins:
            continue
        found = s.incidents_in(host)
        recent = s.recent(found)
        attacks = [i for i in recent if i.stage == "rendered_or_attacked"]
        unsafe = s.facts.of("unsafe_for_profile", actor=host) if host == s.current else []
        if not found and not unsafe:
            continue
        if host == s.current and (attacks or s.facts.current(unsafe)):
            likelihood = "likely"
        elif recent or unsafe:
            likelihood = "possible"
        else:
            likelihood = "remote"
        text = (
            Message.of(_UNSAFE_HERE, state=Country(host))
            if unsafe and not found
            else Message.counted(
                _REPRESSION,
                len(found),
                state=Country(host),
                origins=Countries(s.origins),
                attacks=Number(len([i for i in found if i.stage == "rendered_or_attacked"])),
            )
        )
        yield Finding(
            "transnational_repression_presence",
            severity(likelihood, "serious"),
            (host,),
            text,
            s.evidence_of(unsafe, incidents=found),
            "repression.presence",
            likelihood,
            "serious",
        )


@finding(
    "family.reprisal_risk",
    "Relatives in the person's own state may be punished or used as leverage",
    ("un-refugee-convention-1951: art. 1A(2)",),
    valid_from=date(1991, 12, 26),
)
def family_reprisal_risk(s: Screening) -> Iterator[Finding]:
    """Where the person's own state is documented to punish relatives of exiles, relatives
    left behind are at risk and the person may be pressured through them: likely for a
    publicly known or wanted person, or when the practice is documented against exiles with
    the person's profile; possible otherwise (capped by the currency of the practice);
    grave, because the danger is in the person's own state."""
    person = s.case.person
    if not person.relatives_in_origin:
        return
    for origin in s.origins:
        practice = s.facts.of("family_reprisal_practice", actor=origin)
        if not practice:
            continue
        aimed = any(set(f.applies_to.profiles) & set(s.profiles) for f in practice)
        base = "likely" if person.public_profile or person.wanted or aimed else "possible"
        likelihood = s.capped(base, practice)
        incidents = [i for i in s.incidents_in(origin, origin) if "family_reprisal" in i.tactics]
        yield Finding(
            "family_reprisal_risk",
            severity(likelihood, "grave"),
            (origin,),
            Message.of(_FAMILY, origin=Country(origin)),
            s.evidence_of(practice, incidents=s.recent(incidents)),
            "family.reprisal_risk",
            likelihood,
            "grave",
        )


@finding(
    "statistics.low_recognition",
    "A state the person is in or may be sent to rarely protects their nationality",
    ("data: UNHCR asylum decisions, first instance (azyl sources)",),
    valid_from=date(2000, 1, 1),
)
def low_recognition_destination(s: Screening) -> Iterator[Finding]:
    """Official first-instance figures (latest full year before the as-of date) for the
    person's nationality: below 25% protection the destination is flagged. A refusal there
    is possible, and leads to the person's own state: the severity is that of a possible
    step towards the danger documented there. The best-protecting Dublin state with enough
    decisions in the same year is named for comparison."""
    places = deciding_states(s) + sorted(s.states_on_pathways() - set(s.origins))
    for state in dict.fromkeys(places):
        low = s.low_recognition(state)
        if low is None:
            continue
        cell = cell_of(low)
        gravity = _origin_gravity(s, cell.origin)
        best = _best_same_year(s, cell.origin, cell.year)
        params = {
            "state": Country(state),
            "rate": Percent(cell.protection_rate or 0.0),
            "total": Number(cell.total_decided),
            "origin": Country(cell.origin),
            "year": cell.year,
            "source": cell.source,
        }
        if best is not None and best.asylum != state:
            text = Message.of(
                _LOW_RATE_COMPARED,
                **params,
                best=Country(best.asylum),
                best_rate=Percent(best.protection_rate or 0.0),
                best_total=Number(best.total_decided),
            )
            cells = [cell, best]
        else:
            text, cells = Message.of(_LOW_RATE, **params), [cell]
        yield Finding(
            "low_recognition_destination",
            severity("possible", gravity),
            (state,),
            text,
            s.evidence_of(cells=cells),
            "statistics.low_recognition",
            "possible",
            gravity,
        )


def _best_same_year(s: Screening, nationality: str, year: int) -> StatCell | None:
    """The Dublin state protecting this nationality most often in `year`, with enough
    decisions: figures of different years are never set side by side."""
    rows = [
        r
        for r in s.rates_for(nationality)
        if r.year == year
        and r.protection_rate is not None
        and r.total_decided >= s.context.small_n
        and r.asylum in s.dublin
    ]
    if not rows:
        return None
    return cell_of(max(rows, key=lambda r: (r.protection_rate or 0.0, r.total_decided)))


@finding(
    "detention.vulnerability",
    "Detention conditions that endanger this person",
    ("coe-echr-1950: arts. 3, 5",),
    valid_from=date(1990, 1, 1),
)
def detention_vulnerability(s: Screening) -> Iterator[Finding]:
    """Documented detention conditions for people like this person: likely where the person
    is, possible in a state on a pathway (capped by the currency of the practice); serious,
    the gravity of documented danger in a state that is not the person's own."""
    places = list(dict.fromkeys([s.current, *sorted(s.states_on_pathways())]))
    for state in places:
        if state in s.origins:
            continue
        conditions = s.facts.of("detention_conditions", actor=state)
        if not conditions:
            continue
        likelihood = s.capped("likely" if state == s.current else "possible", conditions)
        yield Finding(
            "detention_vulnerability",
            severity(likelihood, "serious"),
            (state,),
            Message.of(_DETENTION, state=Country(state)),
            s.evidence_of(conditions),
            "detention.vulnerability",
            likelihood,
            "serious",
        )
