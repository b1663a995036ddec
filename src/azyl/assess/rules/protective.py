"""Protective rules: the legal arguments that can stop or soften a removal.

Each rule looks at what the screening found (hops, pathways, the person's
circumstances) and names the argument that answers it, with the facts that
support it. An argument is offered only where it fits the case: the ECtHR's
interim measures only against a state bound by the Convention on the as-of
date, INTERPOL's refugee policy only for a person under an INTERPOL alert.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from azyl import countries
from azyl.assess.context import FactLike
from azyl.assess.model import ProtectiveArgument
from azyl.assess.rules.base import protective
from azyl.assess.rules.mechanisms import DUBLIN_III
from azyl.assess.screening import Screening, evidence, names

ECHR = "coe-echr-1950"


def _dublin_targets(s: Screening) -> list[str]:
    return sorted(
        h.target
        for h in s.hops.values()
        if h.mechanism == "dublin_transfer" and h.source == s.current
    )


def _strasbourg_rulings(s: Screening) -> list[FactLike]:
    """European Court rulings that apply to people like this person and concern a removal
    towards one of the states on their pathways (or their own state)."""
    places = set(s.origins) | s.states_on_pathways()
    return [f for f in s.facts.of("court_ruling", actor="COE") if set(f.subject) & places]


@protective(
    "dublin.discretionary_clause",
    "Ask the state where the person is to examine the claim itself",
    (f"{DUBLIN_III}: art. 17(1)",),
    valid_from=countries.DUBLIN_START,
)
def discretionary_clause(s: Screening) -> Iterator[ProtectiveArgument]:
    """Any Dublin state may decide to examine a claim it is not responsible for (the
    sovereignty or discretionary clause). It is the first argument against a transfer."""
    targets = _dublin_targets(s)
    if not targets:
        return
    support = s.facts.protections("dublin_discretion", everyone=True)
    yield ProtectiveArgument(
        "dublin_discretionary_clause",
        (s.current,),
        f"{countries.name(s.current)} may examine the claim itself instead of transferring the "
        f"person to {names(targets)} (Dublin III Regulation, art. 17(1)); the risks set out "
        "in this screening are the humanitarian grounds to cite.",
        evidence(support),
        "dublin.discretionary_clause",
    )


@protective(
    "dublin.systemic_deficiencies",
    "No transfer to a state whose asylum system fails people like this person",
    (f"{DUBLIN_III}: art. 3(2)", "eu-charter-fundamental-rights-2012: arts. 4, 19(2)"),
    valid_from=date(2014, 1, 1),
)
def systemic_deficiencies(s: Screening) -> Iterator[ProtectiveArgument]:
    """A transfer is barred where the responsible state's procedure or reception
    conditions carry a real risk of inhuman or degrading treatment. Documented detention
    conditions, removal practice or low recognition there are the evidence."""
    for target in _dublin_targets(s):
        facts = (
            s.facts.of("detention_conditions", actor=target)
            + s.facts.of("deportation_practice", actor=target)
            + s.facts.of("court_ruling", subject=target)
        )
        low = s.low_recognition(target)
        if not facts and low is None:
            continue
        cells = [low[1]] if low else []
        yield ProtectiveArgument(
            "dublin_systemic_deficiencies",
            (s.current, target),
            f"Argue that {countries.name(target)}'s treatment of people like this person "
            "amounts to systemic flaws that bar the transfer (Dublin III, art. 3(2)).",
            evidence(facts, cells=cells),
            "dublin.systemic_deficiencies",
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
    """A state bound by the ECHR on the as-of date can be ordered to suspend a removal
    that would expose the person to a real risk of treatment contrary to Article 3. Not
    available against a state that is not (or no longer) a party, such as Russia since
    16 September 2022."""
    removers = sorted({p.hops[0].source for p in s.pathways})
    bound = [state for state in removers if countries.echr_party(state, s.as_of)]
    if not bound:
        return
    rulings = _strasbourg_rulings(s)
    treaty = [f for f in s.facts.of("treaty_status", everyone=True) if f.actor in bound]
    yield ProtectiveArgument(
        "ecthr_interim_measure",
        tuple(bound),
        f"{names(bound)} {'is' if len(bound) == 1 else 'are'} bound by the European Convention "
        "on Human Rights: if removal is imminent, ask the Court to indicate an interim measure "
        "under Rule 39. The Court's case law on removals to the person's own state supports it.",
        evidence(rulings + treaty),
        "echr.interim_measure",
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
    used = {fid for hop in s.hops.values() for fid in hop.evidence.facts}
    kinds = {"safe_third_country_designation", "safe_country_of_origin_designation"}
    designations = [f for f in s.facts.in_force if f.id in used and f.kind in kinds]
    for fact in designations:
        rulings = s.facts.overturning(fact)
        if rulings:
            yield ProtectiveArgument(
                "court_precedent_against_designation",
                tuple(dict.fromkeys(r.actor for r in rulings)),
                f"Courts have set aside {countries.name(fact.actor)}'s treatment of "
                f"{names(fact.subject)} as safe; cite the ruling(s) against any reliance on it.",
                evidence([*rulings, fact]),
                "courts.precedent_against_designation",
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
        "Ask the Commission for the Control of INTERPOL's Files to delete the alert: "
        "INTERPOL may not assist a state against a refugee it persecutes (Constitution, "
        "arts. 2 and 3; Refugee Policy). Tell border and police authorities that a request "
        "is pending.",
        evidence(rules),
        "interpol.refugee_policy",
    )


@protective(
    "family.reunification",
    "Protect relatives at risk: family reunification or their own claims",
    ("eu-qd-2011: art. 23", "eu-family-reunification-directive-2003: arts. 9-12"),
    valid_from=date(2003, 10, 3),
)
def family_reunification(s: Screening) -> Iterator[ProtectiveArgument]:
    """Relatives punished for the person's activity are at risk in their own right: they
    can claim protection, and reunification should be sought once the person is protected."""
    if not s.case.person.relatives_in_origin:
        return
    practice = [f for o in s.origins for f in s.facts.of("family_reprisal_practice", actor=o)]
    if not practice:
        return
    yield ProtectiveArgument(
        "family_reunification",
        tuple(s.origins),
        "The relatives' risk is documented: raise it in the person's claim, and seek family "
        "reunification (or the relatives' own protection) as soon as the person is protected.",
        evidence(practice),
        "family.reunification",
    )


@protective(
    "admission.humanitarian",
    "Use a humanitarian visa or admission programme",
    ("eu-visa-code-2009: art. 25",),
    valid_from=date(2000, 1, 1),
)
def humanitarian_admission(s: Screening) -> Iterator[ProtectiveArgument]:
    """Where a state documents a humanitarian visa, admission programme or direct work
    with NGOs open to people like this person, that route avoids the transfer chain."""
    for fact in s.facts.protections("humanitarian_admission"):
        yield ProtectiveArgument(
            "humanitarian_visa_or_admission",
            (fact.actor,),
            f"{countries.name(fact.actor)}: {fact.statement}",
            evidence([fact]),
            "admission.humanitarian",
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
    if not (s.case.person.wanted or s.pathways):
        return
    for fact in s.facts.protections("refusal_to_remove"):
        if not set(fact.subject) & set(s.origins):
            continue
        yield ProtectiveArgument(
            "precedent_against_removal",
            (fact.actor,),
            f"{countries.name(fact.actor)}: {fact.statement} Cite it as evidence of the risk.",
            evidence([fact]),
            "removal.precedent_elsewhere",
        )


@protective(
    "refoulement.absolute_prohibition",
    "Return to a real risk of torture or ill-treatment is prohibited, without exception",
    (f"{ECHR}: art. 3", "un-refugee-convention-1951: art. 33(1)"),
    valid_from=date(1953, 9, 3),
)
def absolute_prohibition(s: Screening) -> Iterator[ProtectiveArgument]:
    """Whenever a pathway ends in danger, the absolute prohibition applies to every state
    on it, whatever the mechanism (transfer, readmission, extradition, deportation)."""
    if not s.pathways:
        return
    removers = sorted({hop.source for p in s.pathways for hop in p.hops})
    principles = s.facts.protections("legal_principle", everyone=True)
    rulings = _strasbourg_rulings(s)
    yield ProtectiveArgument(
        "absolute_prohibition_of_refoulement",
        tuple(removers),
        f"Every state on the pathways ({names(removers)}) is bound not to expose the person, "
        "directly or through another state, to a real risk of torture or ill-treatment; the "
        "prohibition admits no exception for security or public order.",
        evidence(principles + rulings),
        "refoulement.absolute_prohibition",
    )
