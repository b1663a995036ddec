"""The knowledge base's closed vocabularies, declared once.

The loader rejects any value outside these lists, the screening engine and the
incident registry use the same names, and `azyl kb catalog` exports them (with
their definitions) for the web app, the API and the docs. Adding a term is a
reviewed change: add it here with a one-line definition and say why in the
CHANGELOG.
"""

from __future__ import annotations

from typing import Final

#: Fact kinds: what sort of statement about state law or practice a fact makes.
FACT_KINDS: Final[dict[str, str]] = {
    "safe_third_country_designation": (
        "The actor treats the subject state as a safe third country, so applicants who "
        "transited it can be sent back there without an examination of their claim."
    ),
    "safe_country_of_origin_designation": (
        "The actor presumes the subject state safe for its own nationals, whose claims go "
        "to accelerated procedures with fewer safeguards."
    ),
    "court_ruling": (
        "A court of the actor (or an international court) decided a point that changes "
        "how a designation or practice applies."
    ),
    "ipa_practice": (
        "The actor refuses protection on the ground that the applicant could relocate "
        "within the subject state (internal protection alternative)."
    ),
    "border_access_restriction": (
        "The actor refuses people arriving from the subject state access to asylum at its "
        "border: pushbacks, closed crossing points, suspended or refused applications."
    ),
    "travel_restriction": (
        "The actor restricts travel of the subject state's nationals without refusing asylum "
        "at its border: visa and entry bans, refused humanitarian visas, withdrawn residence "
        "permits, or exit bans on its own citizens."
    ),
    "readmission_agreement": (
        "An agreement obliging the subject state to take back its nationals, and often "
        "third-country nationals who transited it, from the actor."
    ),
    "extradition_cooperation": (
        "The actor extradites, or detains for extradition, people wanted by the subject "
        "state (treaties such as the 1993 Minsk Convention, or practice)."
    ),
    "interpol_practice": (
        "How INTERPOL alerts are issued, abused or reviewed (the actor's use of notices, "
        "or INTERPOL's own rules such as its Refugee Policy)."
    ),
    "deportation_practice": (
        "The actor deports or expels people to the subject state, including deportation "
        "used in place of extradition."
    ),
    "unsafe_for_profile": (
        "People with the listed profiles face known danger in the actor state, usually "
        "from the reach of the subject state's security services."
    ),
    "family_reprisal_practice": (
        "The actor punishes or pressures relatives at home of people who fled or speak out abroad."
    ),
    "detention_conditions": ("Conditions in which the actor detains asylum seekers or migrants."),
    "treaty_status": (
        "The actor's status under a treaty or in an organisation (ratification, "
        "withdrawal, expulsion, suspension)."
    ),
    "persecution_practice": (
        "The actor persecutes people with the listed profiles (inside its territory or "
        "a region of it)."
    ),
    "protection_practice": (
        "The actor offers a protective route for the listed people (humanitarian visas, "
        "admission programmes, refusals to transfer)."
    ),
    "dublin_practice": (
        "The actor transfers applicants to the subject member state under the Dublin or "
        "AMMR rules, or suspends or refuses such transfers."
    ),
    "recognition_practice": (
        "How the actor decides asylum claims of the listed people: its recognition and refusal "
        "patterns, the tests it applies, or a special processing track that is not a legal "
        "safe-country designation."
    ),
}

#: What kind of statement a fact is, which decides how time is read (see the resolver):
#: law holds from entry into force until repeal; a ruling is dated by its judgment; practice
#: is only known to hold up to the latest source that shows it (`last_confirmed`).
NATURES: Final[dict[str, str]] = {
    "law": (
        "A statute, decree, designation, agreement, treaty status or entry ban: in force from "
        "valid_from (entry into force) until valid_until (repeal or expiry)."
    ),
    "ruling": "A court decision, dated by its judgment.",
    "practice": (
        "What authorities do: it held from valid_from and was last shown by a source on "
        "last_confirmed (or ended on valid_until)."
    ),
}

#: The nature a fact has unless it says otherwise.
DEFAULT_NATURE: Final[dict[str, str]] = {
    "safe_third_country_designation": "law",
    "safe_country_of_origin_designation": "law",
    "readmission_agreement": "law",
    "treaty_status": "law",
    "court_ruling": "ruling",
}

#: What a protection_practice fact offers, so the screening engine can turn it into the
#: right protective argument (a humanitarian visa is not a court precedent).
PROTECTIONS: Final[dict[str, str]] = {
    "humanitarian_admission": (
        "The actor admits people at risk through humanitarian visas, an admission programme "
        "or direct work with NGOs."
    ),
    "refusal_to_remove": (
        "Courts or authorities of the actor refused to extradite or remove people like these "
        "because of the risk they faced."
    ),
    "no_internal_protection": (
        "The actor does not refuse protection on the ground that the person could relocate "
        "within their own state."
    ),
    "legal_principle": "A binding rule of international or EU law that protects against removal.",
    "dublin_discretion": (
        "The discretionary clause of the Dublin rules: a state may examine a claim itself."
    ),
    "temporary_protection": (
        "The actor grants temporary protection to people displaced from the subject state."
    ),
    "un_complaints": (
        "The actor accepts individual complaints to a UN treaty body (the Human Rights Committee "
        "under the first Optional Protocol to the ICCPR, or the Committee against Torture under "
        "art. 22 CAT), which can ask it to halt a removal."
    ),
}

#: Profiles: who a fact applies to, in the case profile's terms.
PROFILES: Final[dict[str, str]] = {
    "political_activist": "Member or supporter of an opposition party or movement.",
    "journalist": "Journalist, blogger or media worker.",
    "human_rights_defender": "Human rights defender, lawyer or NGO activist.",
    "lgbti": "Lesbian, gay, bisexual, transgender or intersex person.",
    "deserter": "Soldier who left the armed forces without permission.",
    "conscientious_objector": "Person refusing military service on grounds of conscience.",
    "draft_evader": "Person avoiding mobilisation or conscription.",
    "mobilised": "Person called up or serving under a mobilisation order.",
    "religious_opposition": (
        "Member of a religious group or movement the state treats as extremist or hostile."
    ),
    "family_member_of_target": "Relative of a person targeted by the state.",
    "former_official": "Former official, officer or regime insider.",
    "ethnic_minority": "Member of an ethnic minority targeted as such.",
    "anti_war": "Person who publicly opposed a war waged by the state.",
    "terrorism_accused": (
        "Person accused of extremism or terrorism, often on political or religious grounds."
    ),
    "crimean_resident": (
        "Resident of Crimea who refused Russian citizenship or opposed the occupation."
    ),
    "gender_based_violence": (
        "Woman or girl fleeing gender-based or honour-related violence, or forced marriage."
    ),
}

#: How sure the knowledge base is of a fact, given its sources.
CONFIDENCE: Final[dict[str, str]] = {
    "high": "Stated by a primary source (law, judgment, official act) or several reliable reports.",
    "medium": "Stated by one reliable secondary source (NGO or expert report, quality press).",
    "low": "Reported but thinly sourced, contested, or inferred; treat as a lead to verify.",
}

#: Kinds of source documents.
SOURCE_KINDS: Final[dict[str, str]] = {
    "report": "Report or essay collection by an NGO, expert body or researcher.",
    "statute": "National law.",
    "regulation": "EU regulation or directive, or another binding secondary act.",
    "treaty": "International treaty or convention, or an organisation's constitution.",
    "judgment": "Decision of a national or international court.",
    "official_statistics": "Statistics published by a statistical office or agency.",
    "press": "News article or press release.",
    "official_statement": "Statement or document of a government or an organisation.",
}

#: Areas: the folders under kb/facts/, named after the legal device or practice. A fact's
#: area groups it for reading and review; its `kind` says what it states.
AREAS: Final[dict[str, str]] = {
    "safe_third_country": "Safe-third-country designations and the practice of applying them.",
    "safe_country_of_origin": "Safe-country-of-origin lists and accelerated procedures.",
    "internal_protection": "Refusals based on an internal protection (relocation) alternative.",
    "border": "Access to the territory and to asylum at the border: pushbacks, closures, bans.",
    "readmission": "Readmission agreements and returns under them.",
    "extradition": "Extradition treaties, requests and cooperation between security services.",
    "interpol": "INTERPOL notices and diffusions, their abuse, and INTERPOL's safeguards.",
    "deportation": "Deportations and expulsions, including deportation in place of extradition.",
    "dublin": "Transfers under the Dublin III Regulation and its discretionary clauses.",
    "unsafe_states": "States where people with a given profile face known danger.",
    "family_reprisals": "Pressure on and punishment of relatives of people abroad.",
    "detention": "Detention of asylum seekers and migrants, and its conditions.",
    "treaties": "Treaty ratifications, withdrawals and membership of organisations.",
    "persecution": "Persecution of people with a given profile inside a state or region.",
    "courts": "Court rulings on designations, transfers, expulsions and interim measures.",
    "protection": "Protective routes: humanitarian visas, admission programmes, transfers refused.",
}

#: The longest quote a citation may carry: enough to verify, short enough to be fair use.
MAX_QUOTE_CHARS: Final[int] = 300


def catalog() -> dict[str, dict[str, str]]:
    """Every vocabulary with its definitions, for `azyl kb catalog` and the API."""
    return {
        "fact_kinds": dict(FACT_KINDS),
        "profiles": dict(PROFILES),
        "confidence": dict(CONFIDENCE),
        "source_kinds": dict(SOURCE_KINDS),
        "areas": dict(AREAS),
        "protections": dict(PROTECTIONS),
        "natures": dict(NATURES),
    }
