"""Human labels for the closed vocabularies, marked for translation.

The vocabularies (`azyl.kb.vocabulary`, `azyl.incidents.vocabulary`) are keyed
by stable snake_case names that live in data and in the API. People read the
labels below, translated through the gettext catalogue; the definitions stay
in the vocabularies. `tests/test_i18n.py` checks that every vocabulary key has
a label here, so a new term cannot reach the interface untranslated.
"""

from __future__ import annotations

import gettext
from functools import cache, lru_cache

import pycountry

from azyl import countries
from azyl.i18n.catalogue import N_, translations
from azyl.i18n.russian_names import russian

LABELS: dict[str, dict[str, str]] = {
    "fact_kinds": {
        "safe_third_country_designation": N_("Safe third country designation"),
        "safe_country_of_origin_designation": N_("Safe country of origin designation"),
        "court_ruling": N_("Court ruling"),
        "ipa_practice": N_("Internal protection alternative"),
        "border_access_restriction": N_("Border access restriction"),
        "travel_restriction": N_("Travel restriction"),
        "readmission_agreement": N_("Readmission agreement"),
        "extradition_cooperation": N_("Extradition cooperation"),
        "interpol_practice": N_("INTERPOL practice"),
        "deportation_practice": N_("Deportation practice"),
        "unsafe_for_profile": N_("Unsafe for profile"),
        "family_reprisal_practice": N_("Reprisals against families"),
        "detention_conditions": N_("Detention conditions"),
        "treaty_status": N_("Treaty status"),
        "persecution_practice": N_("Persecution practice"),
        "protection_practice": N_("Protection practice"),
        "dublin_practice": N_("Dublin transfer practice"),
        "recognition_practice": N_("How claims are decided"),
    },
    "profiles": {
        "political_activist": N_("Political activist"),
        "journalist": N_("Journalist"),
        "human_rights_defender": N_("Human rights defender"),
        "lgbti": N_("LGBTI person"),
        "deserter": N_("Deserter"),
        "conscientious_objector": N_("Conscientious objector"),
        "draft_evader": N_("Draft evader"),
        "religious_opposition": N_("Religious opposition"),
        "family_member_of_target": N_("Family member of a target"),
        "former_official": N_("Former official"),
        "ethnic_minority": N_("Ethnic minority"),
        "anti_war": N_("Anti-war"),
        "terrorism_accused": N_("Accused of terrorism or extremism"),
        "crimean_resident": N_("Crimean resident"),
        "mobilised": N_("Mobilised"),
        "gender_based_violence": N_("Fleeing gender-based or honour-related violence"),
    },
    # Lower-case msgids of their own: Russian agrees them with "достоверность" (feminine).
    "confidence": {"high": N_("high"), "medium": N_("medium"), "low": N_("low")},
    "source_kinds": {
        "report": N_("Report"),
        "statute": N_("Statute"),
        "regulation": N_("Regulation or directive"),
        "treaty": N_("Treaty"),
        "judgment": N_("Judgment"),
        "official_statistics": N_("Official statistics"),
        "press": N_("Press"),
        "official_statement": N_("Official statement"),
    },
    "stages": {
        "on_notice": N_("On notice"),
        "detained": N_("Detained"),
        "rendered_or_attacked": N_("Rendered or attacked"),
    },
    "tactics": {
        "threat": N_("Threat"),
        "surveillance": N_("Surveillance"),
        "family_reprisal": N_("Reprisal against family"),
        "wanted_list": N_("Wanted list"),
        "interpol_red_notice": N_("INTERPOL Red Notice"),
        "interpol_diffusion": N_("INTERPOL diffusion"),
        "regional_alert": N_("Regional alert (CIS, SCO)"),
        "extradition_request": N_("Extradition request"),
        "digital_attack": N_("Digital attack"),
        "passport_confiscation": N_("Passport confiscation"),
        "property_seizure": N_("Property seizure"),
        "entry_ban": N_("Entry ban"),
        "detention": N_("Detention"),
        "extradition": N_("Extradition"),
        "deportation": N_("Deportation"),
        "rendition": N_("Rendition"),
        "abduction": N_("Abduction"),
        "assault": N_("Assault"),
        "assassination": N_("Assassination or attempt"),
        "trial_in_absentia": N_("Trial in absentia"),
        "disappearance": N_("Disappearance"),
    },
    "outcomes": {
        "released": N_("Released"),
        "extradited": N_("Extradited"),
        "deported": N_("Deported"),
        "rendered": N_("Rendered"),
        "disappeared": N_("Disappeared"),
        "displaced": N_("Displaced"),
        "killed": N_("Killed"),
        "imprisoned": N_("Imprisoned"),
        "protected": N_("Protected"),
        "returned_under_pressure": N_("Returned under pressure"),
        "ongoing": N_("Ongoing"),
        "unknown": N_("Unknown"),
    },
    "rates": {
        "protection_rate": N_("Protection rate"),
        "recognition_rate": N_("Recognition rate"),
        "closed_share": N_("Share of cases closed without a decision"),
        "total_decided": N_("Decisions"),
        "eurostat_protection_rate": N_("Protection rate (Eurostat)"),
        "interval": N_("Interval"),
        "small_n": N_("Small numbers"),
        "may_be_rounded": N_("May be rounded"),
        "unhcr_level": N_("UNHCR decision level"),
        "basis": N_("Counting basis"),
        "sources": N_("Sources side by side"),
        "provisional": N_("Provisional figures"),
    },
    "organisations": {
        "EU": N_("European Union"),
        "COE": N_("Council of Europe"),
        "CIS": N_("Commonwealth of Independent States"),
        "SCO": N_("Shanghai Cooperation Organisation"),
        "INTERPOL": N_("International Criminal Police Organization (INTERPOL)"),
        "UN": N_("United Nations"),
    },
    "date_precision": {
        "day": N_("day"),
        "month": N_("month"),
        "year": N_("year"),
        "before": N_("undated; happened before this date"),
    },
    "visibility": {"public": N_("Public"), "restricted": N_("Restricted")},
    "revision_actions": {
        "create": N_("Created"),
        "edit": N_("Edited"),
        "revert": N_("Restored"),
        "seed": N_("Loaded from the reviewed seed"),
        "import": N_("Imported"),
        "baseline": N_("Content before versioning"),
    },
    "proposal_status": {
        "draft": N_("Draft"),
        "submitted": N_("Submitted for review"),
        "accepted": N_("Accepted"),
        "rejected": N_("Rejected"),
    },
    # The screening engine's vocabularies (azyl.assess.vocabulary).
    "severities": {
        "critical": N_("Critical"),
        "high": N_("High"),
        "elevated": N_("Elevated"),
        "low": N_("Low"),
    },
    "likelihoods": {
        "imminent": N_("Imminent"),
        "likely": N_("Likely"),
        "possible": N_("Possible"),
        "remote": N_("Remote"),
    },
    "gravities": {
        "grave": N_("Persecution documented"),
        "serious": N_("Documented danger in a third state"),
        "undocumented": N_("Risk not documented for this profile"),
    },
    "military_service": {
        "none": N_("No military-service issue"),
        "conscript": N_("Conscript"),
        "mobilised": N_("Mobilised"),
        "deserter": N_("Deserter"),
        "conscientious_objector": N_("Conscientious objector"),
        "draft_evader": N_("Draft evader"),
    },
    "documents": {
        "passport": N_("Passport"),
        "internal_passport": N_("Internal passport or ID card"),
        "visa": N_("Visa of that state"),
        "residence_permit": N_("Residence permit of that state"),
        "humanitarian_visa": N_("Humanitarian visa of that state"),
        "none": N_("No document"),
    },
    "protection_statuses": {
        "refugee": N_("Refugee status"),
        "subsidiary": N_("Subsidiary protection"),
        "temporary": N_("Temporary protection"),
    },
    "finding_codes": {
        "dublin_transfer_risk": N_("Dublin transfer"),
        "safe_third_country_risk": N_("Return to a 'safe third country'"),
        "safe_country_of_origin_procedure": N_("'Safe country of origin' procedure"),
        "internal_protection_alternative_risk": N_("Internal protection alternative"),
        "border_access_denied": N_("No access to asylum at the border"),
        "readmission_risk": N_("Readmission"),
        "extradition_exposure": N_("Extradition"),
        "interpol_alert_exposure": N_("INTERPOL alert"),
        "deportation_to_unsafe_third_country": N_("Removal to an unsafe third state"),
        "direct_return": N_("Removal to the person's own state"),
        "transnational_repression_presence": N_("Transnational repression in the host state"),
        "family_reprisal_risk": N_("Reprisals against relatives"),
        "low_recognition_destination": N_("Low recognition rate"),
        "detention_vulnerability": N_("Detention"),
        "chain_refoulement": N_("Chain refoulement"),
    },
    "protective_codes": {
        "dublin_discretionary_clause": N_("Dublin discretionary clause"),
        "dublin_systemic_deficiencies": N_("Systemic deficiencies bar a Dublin transfer"),
        "ecthr_interim_measure": N_("Interim measure of the European Court of Human Rights"),
        "court_precedent_against_designation": N_("Court precedent against the designation"),
        "precedent_against_removal": N_("Court precedent against removal"),
        "interpol_refugee_policy": N_("INTERPOL's refugee policy"),
        "family_reunification": N_("Family reunification"),
        "humanitarian_visa_or_admission": N_("Humanitarian visa or admission"),
        "absolute_prohibition_of_refoulement": N_("Absolute prohibition of refoulement"),
        "un_interim_measures": N_("Interim measures of a UN treaty body"),
        "against_internal_relocation": N_("No safe place to relocate to"),
    },
    "mechanisms": {
        "dublin_transfer": N_("Dublin transfer"),
        "safe_third_country_return": N_("Safe third country return"),
        "readmission": N_("Readmission"),
        "extradition": N_("Extradition"),
        "deportation": N_("Deportation"),
        "pushback": N_("Pushback"),
        "return_to_origin": N_("Return to the country of origin"),
        "rendition": N_("Rendition or handover"),
    },
    "wanted": {
        "interpol_red_notice": N_("INTERPOL Red Notice"),
        "interpol_diffusion": N_("INTERPOL diffusion"),
        "national_wanted_list": N_("National wanted list"),
        "extremist_list": N_("List of 'extremists' or 'terrorists'"),
        "criminal_case": N_("Criminal case in the origin state"),
    },
    "destination_roles": {
        "current": N_("where the person is"),
        "route": N_("on the route"),
        "comparison": N_("for comparison"),
        "proposed": N_("proposed destination"),
        "pathway": N_("on a pathway"),
    },
    "case_stages": {
        "at_border": N_("At the border"),
        "dublin_procedure": N_("Dublin procedure"),
        "first_instance": N_("First instance"),
        "appeal": N_("Appeal pending"),
        "rejected": N_("Claim finally refused"),
        "removal_ordered": N_("Removal ordered"),
        "protected": N_("Protected"),
    },
    "route_roles": {
        "transit": N_("Transit"),
        "first_eu_entry": N_("First EU entry"),
        "residence": N_("Residence"),
        "asylum_application": N_("Asylum application"),
    },
    "rule_outputs": {
        "hop": N_("step of a pathway"),
        "finding": N_("finding"),
        "protective_argument": N_("protective argument"),
    },
    "account_roles": {
        "viewer": N_("viewer"),
        "caseworker": N_("caseworker"),
        "editor": N_("editor"),
        "admin": N_("administrator"),
    },
    "actions": {
        "dublin_transfer": N_("Dublin transfer"),
        "safe_third_country_return": N_("Return to a safe third country"),
        "return_to_origin": N_("Return to the country of origin"),
        "deportation": N_("Deportation"),
        "extradition": N_("Extradition"),
    },
}


@lru_cache(maxsize=4096)
def label(vocabulary: str, key: str, lang: str) -> str:
    """The translated label of a vocabulary key; the key, made readable, if unknown."""
    english = LABELS.get(vocabulary, {}).get(key)
    if english is None:
        return key.replace("_", " ").capitalize()
    return translations(lang).gettext(english)


@cache
def _country_translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return gettext.NullTranslations()


@lru_cache(maxsize=4096)
def country_name(code: str, lang: str, case: str = "nom") -> str:
    """A country's (or organisation's) short name in the interface language; in Russian, in
    the grammatical case asked for where the state is listed (`azyl.i18n.russian_names`).

    Kept per code, language and case (bounded): a page names the same states hundreds of
    times, and the English name is found through pycountry on each call."""
    if lang == "ru" and (name := russian(code, case)) is not None:
        return name
    if code in countries.ORGANISATIONS:
        return label("organisations", code, lang)
    found = countries.lookup(code) if code else None
    if found is None:
        return code
    record = pycountry.countries.get(alpha_3=found.alpha3)
    english = getattr(record, "name", found.name) if record else found.name
    translated = _country_translations(lang).gettext(english)
    return found.name if translated == english else translated
