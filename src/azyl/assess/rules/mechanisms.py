"""Mechanism rules: how a state could move the person to another state, and how likely.

Each rule answers one question for a state `at` the person is in (now, or
after earlier steps): by which documented mechanism could `at` send them where,
and how likely is it (docs/screening.md, "Steps")? The answers are the steps of
the pathway graph (`azyl.assess.graph`); the findings summarise the same steps,
so a pathway and the finding that describes it always rest on the same facts.

Two principles hold in every rule:

- a step needs a legal link between the person and the receiving state (a
  route step, a permit, family, nationality; `Screening.linked`): a fact never
  sends anyone to a state they have no link with;
- a rule that finds no fact in force produces no step, except where the law
  itself is the mechanism (Dublin responsibility, removal after a refusal),
  and then the rule's legal basis says so. A step resting only on stale or
  unverified facts is at most `possible`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from azyl import countries
from azyl.assess.context import FactLike
from azyl.assess.model import Hop
from azyl.assess.profile import RouteStep
from azyl.assess.rules.base import mechanism, rule_info
from azyl.assess.screening import AMMR_FROM, Screening, cell_of
from azyl.i18n import N_
from azyl.i18n.message import Country, Message, Term

DUBLIN_III = "eu-dublin-iii-2013"
AMMR = "eu-reg-2024-1351-ammr"
AMMR_ART16 = "eu-reg-2024-1351-art16"
AMMR_ART33 = "eu-reg-2024-1351-art33"
AMMR_ART84 = "eu-reg-2024-1351-art84"
RETURN_DIRECTIVE = "eu-return-directive-2008"
APD = "eu-apd-2013"
MINSK = "cis-minsk-convention-1993"

#: Stages at which the state responsible for a claim is determined.
DUBLIN_STAGES = {"at_border", "dublin_procedure"}
#: Stages at which a claim can be declared inadmissible or refused.
CLAIM_STAGES = {"at_border", "dublin_procedure", "first_instance", "appeal"}
#: Stages after a final refusal, when removal is the next step.
REMOVAL_STAGES = {"rejected", "removal_ordered"}
#: Wanted statuses that make an extradition request likely rather than possible.
STRONG_WANTED = {"interpol_red_notice", "criminal_case", "national_wanted_list"}
#: Months after an irregular entry during which that state stays responsible.
ENTRY_MONTHS_DUBLIN_III, ENTRY_MONTHS_AMMR = 12, 20

_DUBLIN = N_(
    "{at} can ask {to} to take charge of the claim and transfer the person there: {criterion}."
)
_CRITERION_PERMIT = N_("the person held a residence permit issued by {state}")
_CRITERION_VISA = N_("the person held a visa issued by {state}")
_CRITERION_ENTRY = N_("the person first entered the Dublin area irregularly in {state}")
_CRITERION_APPLICATION = N_("the person first applied for asylum in {state}")
_CRITERION_PROPOSED = N_("{at} proposes the transfer")
_STC = N_(
    "{at} treats {to}, which the person passed through, as a safe third country and can "
    "return them there without examining the claim."
)
_STC_OVERTURNED = N_(
    "{at} has treated {to}, which the person passed through, as a safe third country, but a "
    "court set this aside."
)
_READMISSION_OWN = N_(
    "After a refusal, a readmission agreement obliges {to} to take back its nationals from {at}."
)
_READMISSION_TRANSIT = N_(
    "After a refusal, a readmission agreement obliges {to} to take back people who passed "
    "through it from {at}."
)
_EXTRADITION = N_(
    "{to} seeks the person, and {at} has extradited or detained people for {to} before."
)
_EXTRADITION_CONVENTION = N_(
    "{to} seeks the person, and {at} and {to} are parties to the CIS legal-assistance "
    "convention under which such requests are made."
)
_DEPORTATION = N_("{at} has deported people like this person to {to}.")
_RENDITION = N_("{to} has got people back from {at} by rendition, abduction or expulsion.")
_PUSHBACK = N_(
    "{at} has turned people back at its border with {to} without letting them apply for asylum."
)
_RETURN_REFUSED = N_(
    "The claim in {at} is refused; the next step is removal to {to}, the person's own state."
)
_RETURN_PENDING = N_(
    "If the claim in {at} is refused, the next step is removal to {to}, the person's own state."
)
_RETURN_LOW_RATE = N_(
    "{at} rarely protects people of this nationality; a refusal there ends in removal to {to}."
)
_PROPOSED = N_("{at} proposes {action} to {to}.")


def _hop(
    s: Screening,
    at: str,
    to: str,
    mechanism: str,
    likelihood: str,
    text: Message,
    rule: str,
    facts: list[FactLike] | tuple[FactLike, ...] = (),
    **more: object,
) -> Hop:
    """A step, its likelihood capped by the currency of its facts, with the rule's basis."""
    facts = list(facts)
    return Hop(
        at,
        to,
        mechanism,
        s.capped(likelihood, facts),
        text,
        s.evidence_of(facts, **more),  # type: ignore[arg-type]
        rule,
        rule_info(rule).legal_basis,
    )


def _names(at: str, to: str, **extra: object) -> dict[str, object]:
    return {"at": Country(at), "to": Country(to), **extra}


# --- Dublin ------------------------------------------------------------------------------------


def _responsible(s: Screening, at: str, entry_months: int) -> tuple[str, Message] | None:
    """The Dublin state the criteria make responsible, in their order, from the route:
    a residence permit, a visa, an irregular first entry (while it still counts), a first
    application. Family criteria, which bring a person to their family, are not a risk."""
    steps = [step for step in s.case.steps() if step.country in s.dublin and step.country != at]
    registered = s.case.application_date or s.as_of
    for criterion in (_CRITERION_PERMIT, _CRITERION_VISA, _CRITERION_ENTRY, _CRITERION_APPLICATION):
        for step in steps:
            if _meets(step, criterion, registered, entry_months):
                return step.country, Message.of(criterion, state=Country(step.country))
    return None


def _meets(step: RouteStep, criterion: str, registered: date, entry_months: int) -> bool:
    if criterion == _CRITERION_PERMIT:
        return step.holds("residence_permit")
    if criterion == _CRITERION_VISA:
        return step.holds("visa", "humanitarian_visa")
    if criterion == _CRITERION_ENTRY:
        irregular = step.role == "first_eu_entry" or step.fingerprinted
        if not irregular:
            return False
        if step.entered is None:
            return True
        months = (registered.year - step.entered.year) * 12 + registered.month - step.entered.month
        return months <= entry_months
    return step.role == "asylum_application"


def _dublin(s: Screening, at: str, first: bool, rule: str, entry_months: int) -> Iterator[Hop]:
    if not first or at not in s.dublin:
        return
    action = s.case.proposed_action
    proposed = action.to if action is not None and action.type == "dublin_transfer" else None
    found = _responsible(s, at, entry_months) if s.stage in DUBLIN_STAGES else None
    targets: dict[str, tuple[str, Message]] = {}
    if found is not None:
        targets[found[0]] = ("likely", found[1])
    if proposed is not None:
        targets[proposed] = (
            "imminent",
            targets.get(proposed, ("", Message.of(_CRITERION_PROPOSED, at=Country(at))))[1],
        )
    for target, (likelihood, criterion) in targets.items():
        practice = s.facts.of("dublin_practice", actor=at, subject=target)
        yield _hop(
            s,
            at,
            target,
            "dublin_transfer",
            likelihood,
            Message.of(_DUBLIN, **_names(at, target, criterion=criterion)),
            rule,
            practice,
        )


@mechanism(
    "dublin.transfer_to_responsible_state",
    "Dublin III: transfer to the state the criteria make responsible",
    (f"{DUBLIN_III}: arts. 3(1), 12, 13(1), 18(1)",),
    valid_from=countries.DUBLIN_START,
)
def dublin_transfer(s: Screening, at: str, first: bool) -> Iterator[Hop]:
    """A Dublin state may transfer an applicant to the Dublin state the criteria make
    responsible, in their order: the one that issued a residence permit or a visa, the one
    first entered irregularly (for 12 months), the one where the first claim was made. Only
    the state where the person is can start it, while responsibility is being determined or
    when a transfer is proposed. Claims registered from 1 July 2026 follow the AMMR."""
    if not s.ammr:
        yield from _dublin(
            s, at, first, "dublin.transfer_to_responsible_state", ENTRY_MONTHS_DUBLIN_III
        )


@mechanism(
    "ammr.transfer_to_responsible_state",
    "AMMR: transfer to the state the criteria make responsible",
    (f"{AMMR_ART16}: art. 16(1)-(2)", f"{AMMR_ART33}: art. 33(1)", f"{AMMR_ART84}: art. 84"),
    valid_from=AMMR_FROM,
)
def ammr_transfer(s: Screening, at: str, first: bool) -> Iterator[Hop]:
    """From 1 July 2026, for claims registered from that day (AMMR art. 84), the same
    criteria apply under Regulation (EU) 2024/1351, with the irregular entry counting for
    20 months (art. 33(1))."""
    if s.ammr:
        yield from _dublin(s, at, first, "ammr.transfer_to_responsible_state", ENTRY_MONTHS_AMMR)


# --- returns to states on the route --------------------------------------------------------------


def _examines(s: Screening, at: str, first: bool) -> bool:
    """Whether `at` would examine (or declare inadmissible) a claim: the current state while
    the claim is pending, or a state a Dublin transfer makes responsible."""
    if first:
        return s.stage in CLAIM_STAGES
    return any(
        hop.mechanism == "dublin_transfer" and hop.target == at
        for hops in s.hops.values()
        for hop in hops
    )


@mechanism(
    "safe_third_country.return_to_transit_state",
    "Return to a state on the route that the deciding state treats as a safe third country",
    (f"{APD}: art. 38", f"{APD}: art. 33(2)(c)"),
    valid_from=date(2000, 1, 1),
)
def safe_third_country(s: Screening, at: str, first: bool) -> Iterator[Hop]:
    """A state that designates a state on the person's route as a safe third country can
    declare the claim inadmissible and return the person there. Likely while the claim is
    pending where the person is, possible in a state a transfer would make responsible; a
    court ruling in force that set the designation aside makes it remote."""
    if not _examines(s, at, first):
        return
    for target in s.route:
        if target == at:
            continue
        designations = s.facts.of("safe_third_country_designation", actor=at, subject=target)
        if not designations:
            continue
        rulings = [r for d in designations for r in s.facts.overturning(d)]
        likelihood = "likely" if first else "possible"
        text = _STC
        if rulings:
            likelihood, text = "remote", _STC_OVERTURNED
        if s.proposed("safe_third_country_return", target):
            likelihood = "imminent"
        yield _hop(
            s,
            at,
            target,
            "safe_third_country_return",
            likelihood,
            Message.of(text, **_names(at, target)),
            "safe_third_country.return_to_transit_state",
            designations + rulings,
        )


def _after_refusal(s: Screening, first: bool) -> str:
    """How near a removal after refusal is: likely once refused, possible on appeal or
    after a transfer, remote while the claim is young."""
    if not first:
        return "possible"
    if s.stage in REMOVAL_STAGES:
        return "likely"
    return "possible" if s.stage == "appeal" else "remote"


@mechanism(
    "readmission.return_under_agreement",
    "Return under a readmission agreement to the origin or a state on the route",
    (f"{RETURN_DIRECTIVE}: art. 6",),
    valid_from=date(2000, 1, 1),
)
def readmission(s: Screening, at: str, first: bool) -> Iterator[Hop]:
    """Readmission agreements oblige the partner state to take back its own nationals, and
    usually third-country nationals who passed through it. They come into play once a
    claim is refused."""
    if first and s.stage == "protected":
        return
    for target in dict.fromkeys(s.origins + s.route):
        if target == at:
            continue
        agreements = s.facts.of("readmission_agreement", actor=at, subject=target, everyone=True)
        if not agreements:
            continue
        own = target in s.origins
        likelihood = _after_refusal(s, first)
        if first and s.proposed("deportation", target):
            likelihood = "imminent"
        yield _hop(
            s,
            at,
            target,
            "readmission",
            likelihood,
            Message.of(_READMISSION_OWN if own else _READMISSION_TRANSIT, **_names(at, target)),
            "readmission.return_under_agreement",
            agreements,
        )


# --- the long arm: extradition, deportation, rendition ------------------------------------------


def _convention_parties(s: Screening, a: str, b: str) -> list[FactLike]:
    """CIS legal-assistance convention facts in force naming both states as parties, unless
    one of them has a treaty fact in force suspending it towards the other."""
    conventions = [
        f
        for f in s.facts.of("treaty_status", actor="CIS", everyone=True)
        if {a, b} <= set(f.subject)
    ]
    for fact in conventions:
        for state, other in ((a, b), (b, a)):
            suspended = [
                f
                for f in s.facts.of("treaty_status", actor=state, subject=other, everyone=True)
                if fact.id in f.related or f.id in fact.related
            ]
            if suspended:
                return []
    return conventions


@mechanism(
    "extradition.request_by_pursuing_state",
    "Extradition, or detention for extradition, to the state pursuing the person",
    ("coe-echr-1950: art. 3", f"{MINSK}: arts. 56-80"),
    valid_from=date(1993, 1, 22),
)
def extradition(s: Screening, at: str, first: bool) -> Iterator[Hop]:
    """A wanted person can be detained and extradited from a state that cooperates with the
    pursuer: documented extradition practice, extraditions in the registry, or a CIS
    legal-assistance convention binding both. Likely when the person is under a Red Notice,
    a criminal case or a national wanted list, possible otherwise; a convention alone makes
    it possible."""
    person = s.case.person
    for pursuer in person.pursuers:
        if pursuer == at:
            continue
        practice = s.facts.of("extradition_cooperation", actor=at, subject=pursuer, everyone=True)
        done = [i for i in s.incidents_in(at, pursuer) if "extradition" in i.tactics]
        convention = _convention_parties(s, at, pursuer)
        if not (practice or done or convention):
            continue
        strong = bool(STRONG_WANTED & set(person.wanted))
        likelihood = "likely" if strong and (practice or done) else "possible"
        if first and s.proposed("extradition", pursuer):
            likelihood = "imminent"
        text = _EXTRADITION if practice or done else _EXTRADITION_CONVENTION
        yield _hop(
            s,
            at,
            pursuer,
            "extradition",
            likelihood,
            Message.of(text, **_names(at, pursuer)),
            "extradition.request_by_pursuing_state",
            practice + convention,
            incidents=s.recent(done) or done,
        )


@mechanism(
    "deportation.documented_practice",
    "Deportation or expulsion along a documented practice",
    (f"{RETURN_DIRECTIVE}: art. 8",),
    valid_from=date(1990, 1, 1),
)
def deportation(s: Screening, at: str, first: bool) -> Iterator[Hop]:
    """Where the knowledge base documents that a state deports people like the person to a
    state they are linked with, that is a step: likely from where the person is once the
    claim is refused (imminent when ordered), possible elsewhere."""
    if first and s.stage == "protected":
        return
    for fact in s.facts.of("deportation_practice", actor=at):
        for target in fact.subject:
            if target == at or not s.linked(target):
                continue
            likelihood = "likely" if first and s.stage in REMOVAL_STAGES else "possible"
            if first and (
                s.proposed("deportation", target) or s.proposed("return_to_origin", target)
            ):
                likelihood = "imminent"
            yield _hop(
                s,
                at,
                target,
                "deportation",
                likelihood,
                Message.of(_DEPORTATION, **_names(at, target)),
                "deportation.documented_practice",
                [fact],
            )


@mechanism(
    "handover.documented_incidents",
    "Rendition, abduction or expulsion by the person's own state from a third state",
    ("un-refugee-convention-1951: art. 33(1)", "coe-echr-1950: art. 3"),
    valid_from=date(1991, 12, 26),
)
def rendition(s: Screening, at: str, first: bool) -> Iterator[Hop]:
    """The incident registry documents the person's own state getting exiles back from a
    third state outside the law (renditions, abductions, deportations on request). Those
    incidents are the evidence for the step back; likely when the person is wanted by that
    state and the incidents are recent, possible otherwise."""
    if at in s.origins:
        return
    for origin in dict.fromkeys(s.origins + s.case.person.pursuers):
        done = s.handovers(at, origin)
        if not done:
            continue
        recent = s.recent(done)
        wanted = origin in s.case.person.pursuers
        likelihood = "likely" if wanted and recent else ("possible" if recent else "remote")
        yield _hop(
            s,
            at,
            origin,
            "rendition",
            likelihood,
            Message.of(_RENDITION, **_names(at, origin)),
            "handover.documented_incidents",
            incidents=recent or done,
        )


# --- the border, refusal and the proposed action -------------------------------------------------


@mechanism(
    "border.pushback_to_previous_state",
    "Refusal of entry at the border and return to the state the person came from",
    ("un-refugee-convention-1951: art. 33(1)",),
    valid_from=date(1990, 1, 1),
)
def pushback(s: Screening, at: str, first: bool) -> Iterator[Hop]:
    """A person at a border can be turned back to the state they came from without an asylum
    procedure where the knowledge base documents such practice at that border. With no
    route, the person came straight from their own state. Published refusals of entry of
    the person's nationality by that state are cited beside it."""
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
        yield _hop(
            s,
            at,
            previous,
            "pushback",
            s.capped("likely", restrictions),
            Message.of(_PUSHBACK, **_names(at, previous)),
            "border.pushback_to_previous_state",
            restrictions,
            figures=s.figures("eirfs", at),
        )


@mechanism(
    "return.removal_after_refusal",
    "Removal to the state of nationality after a refusal",
    (f"{RETURN_DIRECTIVE}: art. 6(1)",),
    valid_from=date(1990, 1, 1),
)
def removal_after_refusal(s: Screening, at: str, first: bool) -> Iterator[Hop]:
    """A refused applicant is ordered to return to their own state. Where the person is,
    this follows from the stage of the claim: likely once refused, possible while the claim
    is at first instance or on appeal, remote while responsibility is being determined.
    After a transfer, it follows from how rarely the receiving state protects the person's
    nationality (the official figures: possible below 25%). Published returns by that state
    are cited beside it."""
    if first and s.stage == "protected":
        return
    for origin in s.origins:
        if origin == at:
            continue
        if first:
            likelihood = {
                "rejected": "likely",
                "removal_ordered": "likely",
                "first_instance": "possible",
                "appeal": "possible",
            }.get(s.stage, "remote")
            text = _RETURN_REFUSED if s.stage in REMOVAL_STAGES else _RETURN_PENDING
            cells = []
        elif at in s.dublin and (low := s.low_recognition(at)) is not None:
            likelihood, text = "possible", _RETURN_LOW_RATE
            cells = [cell_of(low)]
        else:
            continue
        yield _hop(
            s,
            at,
            origin,
            "return_to_origin",
            likelihood,
            Message.of(text, **_names(at, origin)),
            "return.removal_after_refusal",
            cells=cells,
            figures=s.figures("eirtn", at),
        )


@mechanism(
    "action.proposed_by_state",
    "The action the case says a state proposes",
    ("un-refugee-convention-1951: art. 33(1)",),
    valid_from=date(1951, 7, 28),
)
def proposed_action(s: Screening, at: str, first: bool) -> Iterator[Hop]:
    """The proposed action is a step in its own right, even where the knowledge base has
    no fact on the practice: the case itself is the evidence, and it is imminent."""
    action = s.case.proposed_action
    if not first or action is None:
        return
    yield _hop(
        s,
        at,
        action.to,
        action.type,
        "imminent",
        Message.of(_PROPOSED, **_names(at, action.to, action=Term("actions", action.type))),
        "action.proposed_by_state",
    )
