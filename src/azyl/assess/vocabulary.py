"""Closed vocabularies of the screening engine, declared once with their meaning.

The case-profile schema, the rules, the reports and the web form all take their
terms from here, and `azyl assess --catalog` exports them. Definitions are
written for a caseworker, not a programmer.
"""

from __future__ import annotations

from typing import Final

#: Severity of a pathway, a finding or a report, from most to least serious: a function of
#: likelihood and gravity (`azyl.assess.severity`).
SEVERITIES: Final[dict[str, str]] = {
    "critical": "Removal towards documented persecution is proposed or ordered; act now.",
    "high": "A documented mechanism applies now and leads to documented danger; act on it.",
    "elevated": (
        "A documented mechanism could lead to danger at a later stage or on a further fact."
    ),
    "low": "Worth knowing; no documented danger follows for this person.",
}

#: How documented and how imminent a step is, from most to least likely.
LIKELIHOODS: Final[dict[str, str]] = {
    "imminent": "A removal is proposed or ordered by the state the person is in.",
    "likely": "Current documented practice or the law applies to the person now, at this stage.",
    "possible": (
        "Documented practice or the law could apply at a later stage or on a further fact, "
        "or rests only on stale or unverified evidence."
    ),
    "remote": "A designation set aside by a court, or a step that needs several further facts.",
}

#: How grave the danger at the end of a pathway is, from most to least grave.
GRAVITIES: Final[dict[str, str]] = {
    "grave": (
        "The person's own state, where persecution of people with their profile is documented, "
        "or which seeks the person."
    ),
    "serious": (
        "A third state documented as unsafe for the profile, or where the person's own state "
        "has rendered, abducted or attacked exiles."
    ),
    "undocumented": "The person's own state, with no documented risk for this profile.",
}

#: Finding codes: each is one way the person could be sent back, or a circumstance
#: that makes such a way more likely or more harmful.
FINDING_CODES: Final[dict[str, str]] = {
    "direct_return": "Removal straight to the person's own state.",
    "dublin_transfer_risk": "Transfer under the Dublin Regulation to another state bound by it.",
    "safe_third_country_risk": (
        "Return, without examination of the claim, to a transit state treated as safe."
    ),
    "safe_country_of_origin_procedure": (
        "The claim goes to an accelerated procedure because the origin is listed as safe."
    ),
    "internal_protection_alternative_risk": (
        "Refusal on the ground that the person could relocate within the origin state."
    ),
    "border_access_denied": "Being turned back at a border without access to asylum.",
    "readmission_risk": "Return under a readmission agreement to the origin or a transit state.",
    "extradition_exposure": "Extradition, or detention for extradition, to the origin state.",
    "interpol_alert_exposure": "Arrest abroad on an INTERPOL notice or diffusion.",
    "deportation_to_unsafe_third_country": (
        "Deportation to a third state where the person faces known danger."
    ),
    "transnational_repression_presence": (
        "The origin state's services have acted against exiles where the person is or may go."
    ),
    "family_reprisal_risk": "Relatives in the origin state may be punished or used as leverage.",
    "low_recognition_destination": (
        "A state the person is in or may be sent to rarely protects people of this nationality."
    ),
    "detention_vulnerability": "Detention conditions that endanger this person.",
    "chain_refoulement": "Several transfers in a row could end in persecution.",
}

#: Protective arguments: legal routes that can stop or soften a removal.
PROTECTIVE_CODES: Final[dict[str, str]] = {
    "dublin_discretionary_clause": (
        "Any Dublin state may examine the claim itself instead of transferring (art. 17)."
    ),
    "dublin_systemic_deficiencies": (
        "No transfer where the responsible state's system has systemic flaws (art. 3(2))."
    ),
    "ecthr_interim_measure": (
        "The European Court of Human Rights can order a state to halt a removal (Rule 39)."
    ),
    "court_precedent_against_designation": (
        "A court has already refused to treat the destination as safe."
    ),
    "interpol_refugee_policy": (
        "INTERPOL's rules bar cooperation against recognised refugees pursued by their origin."
    ),
    "precedent_against_removal": (
        "Courts or authorities elsewhere refused to hand over people like this person."
    ),
    "family_reunification": "Relatives at risk can join, or claim protection in their own right.",
    "humanitarian_visa_or_admission": "A humanitarian visa or admission programme is available.",
    "absolute_prohibition_of_refoulement": (
        "Return to a real risk of torture or ill-treatment is prohibited without exception."
    ),
    "un_interim_measures": (
        "The UN Human Rights Committee or the Committee against Torture can ask a state that "
        "accepts individual complaints to halt a removal."
    ),
    "against_internal_relocation": (
        "The persecutor's documented reach across the state leaves no safe place to relocate to."
    ),
}

#: How a hop moves a person from one state to another.
MECHANISMS: Final[dict[str, str]] = {
    "dublin_transfer": "Transfer to the state responsible under the Dublin Regulation.",
    "safe_third_country_return": "Return to a transit state designated or treated as safe.",
    "readmission": "Return under a readmission agreement.",
    "extradition": "Extradition at the request of a prosecuting state.",
    "deportation": "Deportation or administrative expulsion.",
    "pushback": "Refusal of entry and return across the border, without an asylum procedure.",
    "return_to_origin": "Removal to the country of nationality after a refusal.",
    "rendition": "Informal handover, abduction or expulsion by or for the person's own state.",
}

#: Military-service status, and the profile each adds.
MILITARY_SERVICE: Final[dict[str, str]] = {
    "none": "No military-service issue.",
    "conscript": "Liable to or serving conscription.",
    "mobilised": "Called up or serving under a mobilisation order.",
    "deserter": "Left the armed forces without permission.",
    "conscientious_objector": "Refuses military service on grounds of conscience.",
    "draft_evader": "Avoids mobilisation or conscription.",
}
MILITARY_PROFILE: Final[dict[str, str]] = {
    "mobilised": "mobilised",
    "deserter": "deserter",
    "conscientious_objector": "conscientious_objector",
    "draft_evader": "draft_evader",
}

#: Documents held at a step of the route.
DOCUMENTS: Final[dict[str, str]] = {
    "passport": "An international passport.",
    "internal_passport": "An internal (domestic) passport or identity card.",
    "visa": "A visa issued by that state.",
    "residence_permit": "A residence permit issued by that state.",
    "humanitarian_visa": "A humanitarian visa issued by that state.",
    "none": "No document.",
}

#: Protection already granted elsewhere.
PROTECTION_STATUSES: Final[dict[str, str]] = {
    "refugee": "Refugee status.",
    "subsidiary": "Subsidiary or complementary protection.",
    "temporary": "Temporary protection.",
}

#: Kinds of wanted status a person may be under.
WANTED: Final[dict[str, str]] = {
    "interpol_red_notice": "An INTERPOL Red Notice.",
    "interpol_diffusion": "An INTERPOL diffusion.",
    "national_wanted_list": "The origin state's own wanted list.",
    "extremist_list": "A list of 'extremists' or 'terrorists' kept by the origin state.",
    "criminal_case": "A criminal case opened against the person in the origin state.",
}

#: Where the person stands in the asylum process.
STAGES: Final[dict[str, str]] = {
    "at_border": "At or before a border, not yet admitted to a procedure.",
    "dublin_procedure": "In a Dublin procedure deciding which state is responsible.",
    "first_instance": "Claim under examination at first instance.",
    "appeal": "Appeal against a refusal pending.",
    "rejected": "Claim finally refused; no removal order yet.",
    "removal_ordered": "A removal, transfer or deportation order exists.",
    "protected": "Recognised as a refugee or granted another protection.",
}

#: Roles a state can have on the person's route.
ROUTE_ROLES: Final[dict[str, str]] = {
    "transit": "Passed through.",
    "first_eu_entry": "First state of the EU (Dublin area) entered.",
    "residence": "Lived there for a period.",
    "asylum_application": "Applied for asylum there.",
}

#: Actions a state may be proposing.
ACTIONS: Final[dict[str, str]] = {
    "dublin_transfer": "Transfer to another Dublin state.",
    "safe_third_country_return": "Return to a transit state treated as safe.",
    "return_to_origin": "Return to the country of nationality.",
    "deportation": "Deportation to a named state.",
    "extradition": "Extradition to a named state.",
}

#: Which mechanism each proposed action sets in motion.
ACTION_MECHANISM: Final[dict[str, str]] = {
    "dublin_transfer": "dublin_transfer",
    "safe_third_country_return": "safe_third_country_return",
    "return_to_origin": "return_to_origin",
    "deportation": "deportation",
    "extradition": "extradition",
}


def rank(severity: str) -> int:
    """0 for critical, 3 for low: sort keys put the most serious first."""
    return list(SEVERITIES).index(severity)


def worst(*severities: str) -> str:
    """The most serious of the given severities."""
    return min(severities, key=rank)


def catalog() -> dict[str, dict[str, str]]:
    """Every vocabulary of the screening engine, for the API, the form and the docs."""
    return {
        "severities": dict(SEVERITIES),
        "likelihoods": dict(LIKELIHOODS),
        "gravities": dict(GRAVITIES),
        "military_service": dict(MILITARY_SERVICE),
        "documents": dict(DOCUMENTS),
        "protection_statuses": dict(PROTECTION_STATUSES),
        "finding_codes": dict(FINDING_CODES),
        "protective_codes": dict(PROTECTIVE_CODES),
        "mechanisms": dict(MECHANISMS),
        "wanted": dict(WANTED),
        "stages": dict(STAGES),
        "route_roles": dict(ROUTE_ROLES),
        "actions": dict(ACTIONS),
    }
