"""Closed vocabularies of the screening engine, declared once with their meaning.

The case-profile schema, the rules, the reports and the web form all take their
terms from here, and `azyl assess --catalog` exports them. Definitions are
written for a caseworker, not a programmer.
"""

from __future__ import annotations

from typing import Final

#: Severity of a finding or a hop, from most to least serious.
SEVERITIES: Final[dict[str, str]] = {
    "critical": "Removal towards persecution is under way or imminent on documented practice.",
    "high": "A documented mechanism applies to this person now; act on it.",
    "elevated": "A documented mechanism could apply at a later stage or on a further fact.",
    "low": "Worth knowing; no documented mechanism points at this person yet.",
}

#: Finding codes: each is one way the person could be sent back, or a circumstance
#: that makes such a way more likely or more harmful.
FINDING_CODES: Final[dict[str, str]] = {
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


def mildest(*severities: str) -> str:
    """The least serious of the given severities (a chain is as strong as its weakest hop)."""
    return max(severities, key=rank)


def catalog() -> dict[str, dict[str, str]]:
    """Every vocabulary of the screening engine, for the API, the form and the docs."""
    return {
        "severities": dict(SEVERITIES),
        "finding_codes": dict(FINDING_CODES),
        "protective_codes": dict(PROTECTIVE_CODES),
        "mechanisms": dict(MECHANISMS),
        "wanted": dict(WANTED),
        "stages": dict(STAGES),
        "route_roles": dict(ROUTE_ROLES),
        "actions": dict(ACTIONS),
    }
