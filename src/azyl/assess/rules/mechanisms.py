"""Mechanism rules: how a state could move the person to another state.

Each rule answers one question for a state `at` the person is in (now, or
after earlier hops): by which documented mechanism could `at` send them where?
The answers are the edges of the pathway graph (`azyl.assess.graph`), and the
same edges feed the findings, so that a pathway and the finding that describes
it always rest on the same facts.

A rule that finds no fact in force produces no edge: the engine does not assume
a practice the knowledge base does not document, except where the law itself is
the mechanism (Dublin transfers between Dublin states, removal after a final
refusal), and then it says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from azyl import countries
from azyl.assess.rules.base import Edge, mechanism
from azyl.assess.screening import Screening, evidence, names

DUBLIN_III = "eu-dublin-iii-2013"
RETURN_DIRECTIVE = "eu-return-directive-2008"
APD = "eu-apd-2013"

#: Stages at which a Dublin transfer is decided or carried out.
DUBLIN_STAGES = {"dublin_procedure"}
#: Stages at which a claim can be declared inadmissible or refused.
CLAIM_STAGES = {"at_border", "dublin_procedure", "first_instance", "appeal"}
#: Stages after a final refusal, when removal is the next step.
REMOVAL_STAGES = {"rejected", "removal_ordered"}


def _protected_here(s: Screening, first: bool) -> bool:
    """A person protected in the current state cannot be returned from it for a refused
    claim: only extradition (and a proposed action) can still move them from there."""
    return first and s.stage == "protected"


def _action_severity(s: Screening, action: str, target: str, default: str) -> str:
    """A proposed action raises its hop to high, or critical once a removal is ordered."""
    if s.proposed(action, target):
        return "critical" if s.stage == "removal_ordered" else "high"
    return default


@mechanism(
    "dublin.transfer_to_responsible_state",
    "Dublin transfer to the state of first entry, fingerprinting or first application",
    (f"{DUBLIN_III}: arts. 3(1), 13(1), 18(1)",),
    valid_from=countries.DUBLIN_START,
)
def dublin_transfer(s: Screening, at: str, first: bool) -> Iterator[Edge]:
    """A Dublin state may transfer an applicant to the Dublin state where they first
    entered irregularly, were fingerprinted or first applied. Only the state where the
    person is now can start it, and only while the Dublin procedure runs (or when a
    transfer is proposed): after a transfer the receiving state is responsible."""
    if not first or at not in s.dublin:
        return
    in_procedure = s.stage in DUBLIN_STAGES
    for step in s.case.steps():
        target = step.country
        if target == at or target not in s.dublin:
            continue
        linked = step.role in {"first_eu_entry", "asylum_application"} or step.fingerprinted
        proposed = s.proposed("dublin_transfer", target)
        if not (linked and in_procedure) and not proposed:
            continue
        basis = s.facts.of("treaty_status", actor="EU", everyone=True)
        dublin_facts = [f for f in basis if f.id.startswith("dublin.")]
        practice = s.facts.of("deportation_practice", actor=target) + s.facts.of(
            "detention_conditions", actor=target
        )
        how = "first entered the Dublin area" if step.role == "first_eu_entry" else "was registered"
        yield Edge(
            at,
            target,
            "dublin_transfer",
            _action_severity(s, "dublin_transfer", target, "high"),
            f"{countries.name(at)} can ask {countries.name(target)}, where the person {how}, "
            "to take charge of the claim and transfer them there.",
            evidence(dublin_facts + practice),
            "dublin.transfer_to_responsible_state",
        )


@mechanism(
    "safe_third_country.return_to_transit_state",
    "Return to a transit state that the deciding state treats as a safe third country",
    (f"{APD}: art. 38", f"{APD}: art. 33(2)(c)"),
    valid_from=date(2000, 1, 1),
)
def safe_third_country(s: Screening, at: str, first: bool) -> Iterator[Edge]:
    """A state that designates a transit state as a safe third country can declare the
    claim inadmissible and return the person there, if they passed through it. A court
    ruling in force that set the designation aside lowers the hop to low: the
    designation may still be invoked, but it has been successfully challenged."""
    if _protected_here(s, first):
        return
    for target in s.transit:
        if target == at:
            continue
        designations = s.facts.of("safe_third_country_designation", actor=at, subject=target)
        if not designations:
            continue
        rulings = [r for d in designations for r in s.facts.overturning(d)]
        severity = "high" if first and s.stage in CLAIM_STAGES else "elevated"
        severity = _action_severity(s, "safe_third_country_return", target, severity)
        text = (
            f"{countries.name(at)} treats {countries.name(target)}, which the person "
            "transited, as a safe third country and can return them there without examining "
            "the claim."
        )
        if rulings:
            severity = "low"
            text += " A court has set this designation aside; cite the ruling."
        yield Edge(
            at,
            target,
            "safe_third_country_return",
            severity,
            text,
            evidence(designations + rulings),
            "safe_third_country.return_to_transit_state",
        )


def _readmission_severity(s: Screening, first: bool) -> str:
    """Readmission follows a refusal: high once refused, elevated on appeal or after a
    transfer, low while the claim is still at an early stage where the person is."""
    if not first:
        return "elevated"
    if s.stage in REMOVAL_STAGES:
        return "high"
    return "elevated" if s.stage == "appeal" else "low"


@mechanism(
    "readmission.return_under_agreement",
    "Return under a readmission agreement to the origin or a transit state",
    (f"{RETURN_DIRECTIVE}: art. 6",),
    valid_from=date(2000, 1, 1),
)
def readmission(s: Screening, at: str, first: bool) -> Iterator[Edge]:
    """Readmission agreements oblige the partner state to take back its own nationals,
    and usually third-country nationals who transited it. They come into play once a
    claim is refused; the hop is high when the person is already at that stage."""
    if _protected_here(s, first):
        return
    candidates = list(dict.fromkeys(s.origins + s.transit))
    for target in candidates:
        if target == at:
            continue
        agreements = s.facts.of("readmission_agreement", actor=at, subject=target, everyone=True)
        if not agreements:
            continue
        own = target in s.origins
        severity = _readmission_severity(s, first)
        who = "its nationals" if own else "people who transited it"
        yield Edge(
            at,
            target,
            "readmission",
            _action_severity(s, "deportation", target, severity),
            f"A readmission agreement obliges {countries.name(target)} to take back {who} "
            f"from {countries.name(at)} once a claim is refused.",
            evidence(agreements),
            "readmission.return_under_agreement",
        )


@mechanism(
    "extradition.request_by_pursuing_state",
    "Extradition, or detention for extradition, to the state pursuing the person",
    ("coe-echr-1950: art. 3", "cis-minsk-convention-1993: arts. 56-80"),
    valid_from=date(1993, 1, 22),
)
def extradition(s: Screening, at: str, first: bool) -> Iterator[Edge]:
    """A person wanted by their own state (or an allied one) can be detained and
    extradited from a state that cooperates with the pursuer. Only documented
    cooperation counts; a Red Notice or a criminal case makes the hop high."""
    person = s.case.person
    for pursuer in person.pursuers:
        if pursuer == at:
            continue
        coop = s.facts.of("extradition_cooperation", actor=at, subject=pursuer, everyone=True)
        if not coop:
            continue
        strong = {"interpol_red_notice", "criminal_case", "national_wanted_list"} & set(
            person.wanted
        )
        severity = _action_severity(s, "extradition", pursuer, "high" if strong else "elevated")
        yield Edge(
            at,
            pursuer,
            "extradition",
            severity,
            f"{countries.name(at)} has extradited or detained people for "
            f"{countries.name(pursuer)}, which seeks this person.",
            evidence(coop),
            "extradition.request_by_pursuing_state",
        )


@mechanism(
    "deportation.documented_practice",
    "Deportation or expulsion along a documented practice",
    (f"{RETURN_DIRECTIVE}: art. 8",),
    valid_from=date(1990, 1, 1),
)
def deportation(s: Screening, at: str, first: bool) -> Iterator[Edge]:
    """Where the knowledge base documents that a state deports people like this person to
    another state, that is a hop. At the current state the hop is high once the claim
    is refused, and critical when a removal order names the destination."""
    if _protected_here(s, first):
        return
    for fact in s.facts.of("deportation_practice", actor=at):
        for target in fact.subject:
            if target == at:
                continue
            severity = "high" if first and s.stage in REMOVAL_STAGES else "elevated"
            for action in ("deportation", "return_to_origin"):
                severity = _action_severity(s, action, target, severity)
            yield Edge(
                at,
                target,
                "deportation",
                severity,
                f"{countries.name(at)} has deported people like this person to "
                f"{countries.name(target)}.",
                evidence([fact]),
                "deportation.documented_practice",
            )


@mechanism(
    "border.pushback_to_previous_state",
    "Refusal of entry at the border and return to the state the person came from",
    ("un-refugee-convention-1951: art. 33(1)",),
    valid_from=date(1990, 1, 1),
)
def pushback(s: Screening, at: str, first: bool) -> Iterator[Edge]:
    """A person at a border can be turned back to the state they came from without an
    asylum procedure, where the knowledge base documents such practice at that border.
    With no route, the person came straight from their own state."""
    steps = s.case.steps()
    if not first or s.stage != "at_border":
        return
    if steps:
        previous = steps[-1].country
    elif len(s.origins) == 1:
        previous = s.origins[0]
    else:
        return
    restrictions = s.facts.of("border_access_restriction", actor=at, subject=previous)
    if restrictions:
        yield Edge(
            at,
            previous,
            "pushback",
            "high",
            f"{countries.name(at)} has refused entry at its border with "
            f"{countries.name(previous)} without letting people apply for asylum.",
            evidence(restrictions),
            "border.pushback_to_previous_state",
        )


@mechanism(
    "return.removal_after_refusal",
    "Removal to the state of nationality after a final refusal",
    (f"{RETURN_DIRECTIVE}: art. 6(1)",),
    valid_from=date(1990, 1, 1),
)
def removal_after_refusal(s: Screening, at: str, first: bool) -> Iterator[Edge]:
    """A refused applicant is ordered to return to their own state. At the current state
    this follows from the stage of the case. After a transfer, it follows from how rarely
    the receiving state protects people of this nationality (the official figures)."""
    if _protected_here(s, first):
        return
    for origin in s.origins:
        if origin == at:
            continue
        if first and (s.stage in REMOVAL_STAGES or s.proposed("return_to_origin", origin)):
            yield Edge(
                at,
                origin,
                "return_to_origin",
                _action_severity(s, "return_to_origin", origin, "high"),
                f"The claim in {countries.name(at)} is refused; the next step is removal to "
                f"{countries.name(origin)}.",
                evidence(),
                "return.removal_after_refusal",
            )
        elif not first and at in s.dublin and (low := s.low_recognition(at)):
            severity, cell = low
            rate = f"{cell.protection_rate:.0%}" if cell.protection_rate is not None else "?"
            yield Edge(
                at,
                origin,
                "return_to_origin",
                "elevated" if severity == "high" else "low",
                f"In {countries.name(at)} only {rate} of first-instance decisions on "
                f"{names([origin])} nationals granted protection in {cell.year}; a refusal "
                "there ends in removal.",
                evidence(cells=[cell]),
                "return.removal_after_refusal",
            )


@mechanism(
    "action.proposed_by_state",
    "The action the case says a state proposes",
    ("un-refugee-convention-1951: art. 33(1)",),
    valid_from=date(1951, 7, 28),
)
def proposed_action(s: Screening, at: str, first: bool) -> Iterator[Edge]:
    """The proposed action is a hop in its own right, even where the knowledge base has
    no fact on the practice: the case itself is the evidence."""
    action = s.case.proposed_action
    if not first or action is None:
        return
    yield Edge(
        at,
        action.to,
        action.type,
        "critical" if s.stage == "removal_ordered" else "high",
        f"{countries.name(at)} proposes {action.type.replace('_', ' ')} to "
        f"{countries.name(action.to)}.",
        evidence(),
        "action.proposed_by_state",
    )
