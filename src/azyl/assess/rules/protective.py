"""Protective rules: the legal arguments that can stop or soften a removal.

Each rule looks at what the screening found (steps, pathways, the person's
circumstances) and names the argument that answers it, where to raise it (the
forum), and the facts that support it. An argument is offered only where it
fits the case: the ECtHR's interim measures only against a state bound by the
Convention on the as-of date, the UN committees' only against a state the
knowledge base records as accepting individual complaints, INTERPOL's refugee
policy only for a person under an alert, a humanitarian route only to a person
outside the state that offers it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from azyl import countries
from azyl.assess.context import FactLike
from azyl.assess.model import ProtectiveArgument
from azyl.assess.rules.base import protective
from azyl.assess.rules.circumstance_findings import reach
from azyl.assess.rules.mechanisms import AMMR_ART16, DUBLIN_III
from azyl.assess.screening import Screening, cell_of
from azyl.i18n import N_
from azyl.i18n.message import Countries, Country, Message

ECHR = "coe-echr-1950"
AMMR_ART35 = "eu-reg-2024-1351-art35-nl"
AMMR_TEXT = "eu-reg-2024-1351-eu-migration-reader"

#: The knowledge-base facts that record the AMMR time limits an argument must meet. An
#: argument states a time limit only when its fact is in force on the as-of date (so never
#: for a claim under Dublin III), and cites the fact as evidence.
AMMR_TRANSFER_LIMIT = "dublin.eu-ammr-transfer-time-limit-2026"
AMMR_APPEAL_LIMIT = "dublin.eu-ammr-transfer-decision-appeal-time-limit-2026"

_FORUM_AUTHORITY = N_("The authorities of {state}, then its courts")
_FORUM_ECTHR = N_("The European Court of Human Rights (Rule 39 request)")
_FORUM_UN = N_("The UN Human Rights Committee or the Committee against Torture")
_FORUM_CCF = N_("The Commission for the Control of INTERPOL's Files")
_FORUM_CLAIM = N_("The claim itself, before the authorities and courts of {state}")

_DISCRETION = N_(
    "{state} may examine the claim itself instead of transferring the person to {targets} "
    "({article}); the risks set out in this screening are the humanitarian grounds to cite."
)
_DISCRETION_III = N_("Dublin III Regulation, art. 17(1)")
_DISCRETION_AMMR = N_("Regulation (EU) 2024/1351, art. 35(1)")
_SYSTEMIC = N_(
    "Argue that {target}'s treatment of people like this person carries a real risk of inhuman "
    "or degrading treatment that bars the transfer ({article})."
)
_SYSTEMIC_III = N_("Dublin III Regulation, art. 3(2)")
_SYSTEMIC_AMMR = N_("Regulation (EU) 2024/1351, art. 16(3)")
_LIMIT_TRANSFER = N_(
    "Before the transfer, which must take place within six months of the acceptance or "
    "confirmation (at most one year if the person is imprisoned, three years if they abscond "
    "or obstruct the transfer); after that {state} becomes responsible (Regulation (EU) "
    "2024/1351, art. 46)."
)
_LIMIT_APPEAL = N_(
    "Appeal against the transfer decision within the period national law sets, one to three "
    "weeks after it is notified, and ask within that period for the transfer to be suspended "
    "(Regulation (EU) 2024/1351, art. 43(2)-(3))."
)
_ECTHR = N_(
    "{states} bound by the European Convention on Human Rights on this date: if removal is "
    "imminent, ask the Court to indicate an interim measure under Rule 39."
)
#: Worded so that one state or several read right ("Germany and Poland accepts" did not).
_UN = N_(
    "Individual complaints to a UN treaty body can be brought against {states}, as the "
    "knowledge base records: if removal is imminent, a complaint can ask the Committee to "
    "request that the removal be halted."
)
_PRECEDENT = N_(
    "Courts have set aside {actor}'s treatment of {subject} as safe; cite the ruling(s) against "
    "any reliance on it."
)
_REFUGEE_POLICY = N_(
    "Ask the Commission for the Control of INTERPOL's Files to delete the alert: INTERPOL may "
    "not assist a state against a refugee it persecutes (Constitution, arts. 2 and 3; Refugee "
    "Policy). Tell border and police authorities that a request is pending."
)
_REUNIFICATION = N_(
    "The relatives' risk is documented: raise it in the person's claim, and seek family "
    "reunification (or the relatives' own protection) as soon as the person is protected."
)
_HUMANITARIAN = N_("{state} documents a humanitarian route for people like this person.")
_REFUSED_ELSEWHERE = N_(
    "{state} refused to hand over people like this person to {origin}; cite it as evidence of "
    "the risk."
)
_ABSOLUTE = N_(
    "Every state on the pathways ({states}) is bound not to expose the person, directly or "
    "through another state, to a real risk of torture or ill-treatment; the prohibition admits "
    "no exception for security or public order."
)
_RELOCATION = N_(
    "Documented practice shows the persecutor's reach across {origin}: there is no part of it "
    "where the person would be safe, so relocation cannot be reasonably expected."
)


def _dublin_targets(s: Screening) -> list[str]:
    return sorted(
        target
        for (source, target), hops in s.hops.items()
        if source == s.current and any(h.mechanism == "dublin_transfer" for h in hops)
    )


def _removers(s: Screening) -> list[str]:
    """The states where a pathway starts or continues: those that would remove the person."""
    return sorted({hop.source for p in s.pathways for hop in p.hops})


def _time_limit(s: Screening, fact_id: str, text: Message) -> tuple[Message | None, list[FactLike]]:
    """The time limit an argument must meet and the fact that records it, when that fact is in
    force on the as-of date and the claim follows the AMMR; otherwise nothing is claimed."""
    fact = s.facts.get(fact_id) if s.ammr else None
    if fact is None:
        return None, []
    return text, [fact]


def _strasbourg_rulings(s: Screening) -> list[FactLike]:
    """European Court rulings that apply to people like this person and concern a removal
    towards one of the states on their pathways (or their own state)."""
    places = set(s.origins) | s.states_on_pathways()
    return [f for f in s.facts.of("court_ruling", actor="COE") if set(f.subject) & places]


@protective(
    "dublin.discretionary_clause",
    "Ask the state where the person is to examine the claim itself",
    (f"{DUBLIN_III}: art. 17(1)", f"{AMMR_ART35}: art. 35(1)", f"{AMMR_TEXT}: art. 46"),
    valid_from=countries.DUBLIN_START,
)
def discretionary_clause(s: Screening) -> Iterator[ProtectiveArgument]:
    """Any Dublin state may decide to examine a claim it is not responsible for (Dublin III
    art. 17(1); from the AMMR, art. 35(1)). It is the first argument against a transfer, and
    under the AMMR it must be won before the transfer deadline of art. 46 runs out."""
    targets = _dublin_targets(s)
    if not targets:
        return
    limit, limit_facts = _time_limit(
        s, AMMR_TRANSFER_LIMIT, Message.of(_LIMIT_TRANSFER, state=Country(s.current))
    )
    support = s.facts.protections("dublin_discretion", everyone=True) + limit_facts
    yield ProtectiveArgument(
        "dublin_discretionary_clause",
        (s.current,),
        Message.of(
            _DISCRETION,
            state=Country(s.current),
            targets=Countries(tuple(targets)),
            article=Message.of(_DISCRETION_AMMR if s.ammr else _DISCRETION_III),
        ),
        s.evidence_of(support),
        "dublin.discretionary_clause",
        Message.of(_FORUM_AUTHORITY, state=Country(s.current)),
        time_limit=limit,
        answers=("dublin_transfer_risk",),
    )


@protective(
    "dublin.systemic_deficiencies",
    "No transfer to a state whose asylum system fails people like this person",
    (
        f"{DUBLIN_III}: art. 3(2)",
        f"{AMMR_ART16}: art. 16(3)",
        f"{AMMR_TEXT}: art. 43(1)-(3)",
        "eu-charter-fundamental-rights-2012: arts. 4, 19(2)",
    ),
    valid_from=date(2014, 1, 1),
)
def systemic_deficiencies(s: Screening) -> Iterator[ProtectiveArgument]:
    """A transfer is barred where it would expose the person to a real risk of inhuman or
    degrading treatment in the responsible state. Documented detention conditions, removal
    practice, court rulings or low recognition there are the evidence. Under the AMMR the
    appeal against the transfer decision is limited to such risks and has a short deadline
    (art. 43)."""
    limit, limit_facts = _time_limit(s, AMMR_APPEAL_LIMIT, Message.of(_LIMIT_APPEAL))
    for target in _dublin_targets(s):
        facts = (
            s.facts.of("detention_conditions", actor=target)
            + s.facts.of("deportation_practice", actor=target)
            + s.facts.of("court_ruling", subject=target)
        )
        low = s.low_recognition(target)
        if not facts and low is None:
            continue
        yield ProtectiveArgument(
            "dublin_systemic_deficiencies",
            (s.current, target),
            Message.of(
                _SYSTEMIC,
                target=Country(target),
                article=Message.of(_SYSTEMIC_AMMR if s.ammr else _SYSTEMIC_III),
            ),
            s.evidence_of(facts + limit_facts, cells=[cell_of(low)] if low else []),
            "dublin.systemic_deficiencies",
            Message.of(_FORUM_AUTHORITY, state=Country(s.current)),
            time_limit=limit,
            answers=("dublin_transfer_risk", "chain_refoulement"),
        )


@protective(
    "echr.interim_measure",
    "Ask the European Court of Human Rights for an interim measure (Rule 39)",
    (
        f"{ECHR}: arts. 3, 34",
        "fpc-closing-the-door-2017: Kislov and Zhanaev, on Rule 39 interim measures (Bekiyev)",
    ),
    valid_from=date(1959, 1, 1),
)
def interim_measure(s: Screening) -> Iterator[ProtectiveArgument]:
    """A state bound by the ECHR on the as-of date can be ordered to suspend a removal that
    would expose the person to a real risk of treatment contrary to Article 3. Not available
    against a state that is not (or no longer) a party, such as Russia since 16 September
    2022."""
    bound = [state for state in _removers(s) if countries.echr_party(state, s.as_of)]
    if not bound:
        return
    rulings = _strasbourg_rulings(s)
    treaty = [f for f in s.facts.of("treaty_status", everyone=True) if f.actor in bound]
    yield ProtectiveArgument(
        "ecthr_interim_measure",
        tuple(bound),
        Message.of(_ECTHR, states=Countries(tuple(bound))),
        s.evidence_of(rulings + treaty),
        "echr.interim_measure",
        Message.of(_FORUM_ECTHR),
        answers=_all_removal_codes(),
    )


def _all_removal_codes() -> tuple[str, ...]:
    """The findings that name a removal: what the general arguments answer."""
    return (
        "direct_return",
        "dublin_transfer_risk",
        "safe_third_country_risk",
        "readmission_risk",
        "extradition_exposure",
        "deportation_to_unsafe_third_country",
        "chain_refoulement",
        "border_access_denied",
    )


@protective(
    "un.interim_measures",
    "Ask a UN treaty body to request that the removal be halted",
    ("un-refugee-convention-1951: art. 33(1)",),
    valid_from=date(1976, 3, 23),
)
def un_interim_measures(s: Screening) -> Iterator[ProtectiveArgument]:
    """Outside (or besides) the Council of Europe, a state that accepts individual complaints
    to the UN Human Rights Committee or the Committee against Torture can be asked, through
    a complaint, to halt a removal. Offered only for states the knowledge base records as
    accepting such complaints on the date."""
    removers = set(_removers(s))
    accepting = [
        f for f in s.facts.protections("un_complaints", everyone=True) if f.actor in removers
    ]
    states = tuple(sorted({f.actor for f in accepting}))
    if not states:
        return
    yield ProtectiveArgument(
        "un_interim_measures",
        states,
        Message.of(_UN, states=Countries(states)),
        s.evidence_of(accepting),
        "un.interim_measures",
        Message.of(_FORUM_UN),
        answers=_all_removal_codes(),
    )


@protective(
    "courts.precedent_against_designation",
    "Cite the court rulings that refused to treat a destination as safe",
    ("eu-apd-2013: art. 46",),
    valid_from=date(2000, 1, 1),
)
def precedent_against_designation(s: Screening) -> Iterator[ProtectiveArgument]:
    """Where a designation used against the person (safe third country, safe country of
    origin) has been set aside by a court, the ruling is the argument."""
    used = {fid for hops in s.hops.values() for hop in hops for fid in hop.evidence.facts}
    kinds = {"safe_third_country_designation", "safe_country_of_origin_designation"}
    designations = [f for f in s.facts.in_force if f.id in used and f.kind in kinds]
    for fact in designations:
        rulings = s.facts.overturning(fact)
        if rulings:
            yield ProtectiveArgument(
                "court_precedent_against_designation",
                tuple(dict.fromkeys(r.actor for r in rulings)),
                Message.of(
                    _PRECEDENT,
                    actor=Country(fact.actor),
                    subject=Countries(tuple(fact.subject)),
                ),
                s.evidence_of([*rulings, fact]),
                "courts.precedent_against_designation",
                Message.of(_FORUM_AUTHORITY, state=Country(fact.actor)),
                answers=("safe_third_country_risk", "safe_country_of_origin_procedure"),
            )


@protective(
    "internal_protection.against_relocation",
    "Show that the persecutor's reach leaves no safe place to relocate to",
    ("eu-qd-2011: art. 8",),
    valid_from=date(2004, 10, 20),
)
def against_internal_relocation(s: Screening) -> Iterator[ProtectiveArgument]:
    """Where a deciding state applies the internal protection alternative, facts that show
    the persecutor acting across the whole state answer it: no part of the state is safe."""
    if not any(f.kind == "ipa_practice" for f in s.facts.applicable):
        return
    for origin in s.origins:
        shown = reach(s, origin)
        practice = s.facts.of("ipa_practice", subject=origin)
        if not shown or not practice:
            continue
        yield ProtectiveArgument(
            "against_internal_relocation",
            (origin,),
            Message.of(_RELOCATION, origin=Country(origin)),
            s.evidence_of(shown),
            "internal_protection.against_relocation",
            Message.of(_FORUM_CLAIM, state=Country(s.current)),
            answers=("internal_protection_alternative_risk",),
        )


@protective(
    "interpol.refugee_policy",
    "Ask INTERPOL to delete or block the alert",
    ("interpol-constitution-1956: arts. 2, 3",),
    valid_from=date(2015, 2, 18),
)
def refugee_policy(s: Screening) -> Iterator[ProtectiveArgument]:
    """INTERPOL's refugee policy and its Constitution's neutrality rule let a refugee or
    asylum seeker pursued by their own state ask the Commission for the Control of
    INTERPOL's Files to delete the alert."""
    alerts = {"interpol_red_notice", "interpol_diffusion"} & set(s.case.person.wanted)
    if not alerts:
        return
    rules = s.facts.of("interpol_practice", actor="INTERPOL", everyone=True)
    yield ProtectiveArgument(
        "interpol_refugee_policy",
        ("INTERPOL",),
        Message.of(_REFUGEE_POLICY),
        s.evidence_of(rules),
        "interpol.refugee_policy",
        Message.of(_FORUM_CCF),
        answers=("interpol_alert_exposure", "extradition_exposure"),
    )


@protective(
    "family.reunification",
    "Protect relatives at risk: family reunification or their own claims",
    ("eu-qd-2011: art. 23", "eu-family-reunification-directive-2003: arts. 9-12"),
    valid_from=date(2003, 10, 3),
)
def family_reunification(s: Screening) -> Iterator[ProtectiveArgument]:
    """Relatives punished for the person's activity are at risk in their own right: they can
    claim protection, and reunification should be sought once the person is protected."""
    if not s.case.person.relatives_in_origin:
        return
    practice = [f for o in s.origins for f in s.facts.of("family_reprisal_practice", actor=o)]
    if not practice:
        return
    yield ProtectiveArgument(
        "family_reunification",
        tuple(s.origins),
        Message.of(_REUNIFICATION),
        s.evidence_of(practice),
        "family.reunification",
        Message.of(_FORUM_CLAIM, state=Country(s.current)),
        answers=("family_reprisal_risk",),
    )


@protective(
    "admission.humanitarian",
    "Use a humanitarian visa or admission programme",
    ("eu-visa-code-2009: art. 25",),
    valid_from=date(2000, 1, 1),
)
def humanitarian_admission(s: Screening) -> Iterator[ProtectiveArgument]:
    """Where a state documents a humanitarian visa, admission programme or direct work with
    NGOs open to people like this person, that route avoids the transfer chain; it is
    offered only to a person who is outside that state (a person already there needs a
    claim, not a visa)."""
    for fact in s.facts.current(s.facts.protections("humanitarian_admission")):
        if fact.actor == s.current or fact.actor == "EU":
            continue
        yield ProtectiveArgument(
            "humanitarian_visa_or_admission",
            (fact.actor,),
            Message.of(_HUMANITARIAN, state=Country(fact.actor)),
            s.evidence_of([fact]),
            "admission.humanitarian",
            Message.of(_FORUM_AUTHORITY, state=Country(fact.actor)),
            answers=_all_removal_codes(),
        )


@protective(
    "removal.precedent_elsewhere",
    "Cite the states whose courts or authorities refused to hand over people like this person",
    ("coe-echr-1950: art. 3",),
    valid_from=date(1990, 1, 1),
)
def precedent_against_removal(s: Screening) -> Iterator[ProtectiveArgument]:
    """Where the person is wanted, or a pathway ends in their own state, decisions that
    refused to extradite or remove people like them to that state show the risk is real."""
    ends_home = any(p.states[-1] in s.origins for p in s.pathways)
    if not (s.case.person.wanted or ends_home):
        return
    for fact in s.facts.protections("refusal_to_remove"):
        origins = [o for o in s.origins if o in fact.subject]
        if not origins:
            continue
        yield ProtectiveArgument(
            "precedent_against_removal",
            (fact.actor,),
            Message.of(_REFUSED_ELSEWHERE, state=Country(fact.actor), origin=Country(origins[0])),
            s.evidence_of([fact]),
            "removal.precedent_elsewhere",
            Message.of(_FORUM_AUTHORITY, state=Country(s.current)),
            answers=("direct_return", "extradition_exposure", "chain_refoulement"),
        )


@protective(
    "refoulement.absolute_prohibition",
    "Return to a real risk of torture or ill-treatment is prohibited, without exception",
    (f"{ECHR}: art. 3", "un-refugee-convention-1951: art. 33(1)"),
    valid_from=date(1953, 9, 3),
)
def absolute_prohibition(s: Screening) -> Iterator[ProtectiveArgument]:
    """Whenever a pathway ends in documented danger, the absolute prohibition applies to
    every state on it, whatever the mechanism (transfer, readmission, extradition,
    deportation)."""
    documented = [p for p in s.pathways if p.danger.gravity != "undocumented"]
    if not documented:
        return
    removers = tuple(sorted({hop.source for p in documented for hop in p.hops}))
    principles = s.facts.protections("legal_principle", everyone=True)
    yield ProtectiveArgument(
        "absolute_prohibition_of_refoulement",
        removers,
        Message.of(_ABSOLUTE, states=Countries(removers)),
        s.evidence_of(principles + _strasbourg_rulings(s)),
        "refoulement.absolute_prohibition",
        Message.of(_FORUM_AUTHORITY, state=Country(s.current)),
        answers=_all_removal_codes(),
    )
