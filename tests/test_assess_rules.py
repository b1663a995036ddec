"""The screening rules are dated, documented and cite the knowledge base they rest on."""

from __future__ import annotations

from azyl.assess import vocabulary as v
from azyl.assess.rules import FINDING_RULES, MECHANISM_RULES, PROTECTIVE_RULES
from azyl.config import Settings
from azyl.kb import load_configured_kb

ALL_RULES = MECHANISM_RULES + FINDING_RULES + PROTECTIVE_RULES


def test_every_rule_cites_an_existing_source_with_a_pinpoint(settings: Settings) -> None:
    sources = load_configured_kb(settings).sources
    for rule in ALL_RULES:
        assert rule.info.legal_basis, rule.info.id
        for basis in rule.info.legal_basis:
            source, _, pinpoint = basis.partition(": ")
            assert pinpoint, f"{rule.info.id}: {basis!r} has no pinpoint"
            assert source == "data" or source in sources, f"{rule.info.id}: unknown {source!r}"


def test_every_rule_says_what_it_checks_and_why() -> None:
    for rule in ALL_RULES:
        doc = (rule.check.__doc__ or "").strip()
        assert len(doc) > 60, f"{rule.info.id} needs a docstring a lawyer can read"
        assert rule.info.title and rule.info.valid_from, rule.info.id


def test_rule_ids_are_unique_and_name_their_area() -> None:
    ids = [r.info.id for r in ALL_RULES]
    assert len(ids) == len(set(ids))
    assert all("." in i for i in ids)


def test_the_vocabularies_cover_the_issue_s_codes() -> None:
    required_findings = {
        "dublin_transfer_risk", "safe_third_country_risk", "safe_country_of_origin_procedure",
        "internal_protection_alternative_risk", "border_access_denied", "readmission_risk",
        "extradition_exposure", "interpol_alert_exposure", "deportation_to_unsafe_third_country",
        "transnational_repression_presence", "family_reprisal_risk",
        "low_recognition_destination", "detention_vulnerability", "chain_refoulement",
        "direct_return",
    }  # fmt: skip
    required_arguments = {
        "dublin_discretionary_clause", "ecthr_interim_measure",
        "court_precedent_against_designation", "interpol_refugee_policy",
        "family_reunification", "humanitarian_visa_or_admission", "un_interim_measures",
        "against_internal_relocation",
    }  # fmt: skip
    assert required_findings <= set(v.FINDING_CODES)
    assert required_arguments <= set(v.PROTECTIVE_CODES)
    assert list(v.SEVERITIES) == ["critical", "high", "elevated", "low"]
    assert list(v.LIKELIHOODS) == ["imminent", "likely", "possible", "remote"]
    assert list(v.GRAVITIES) == ["grave", "serious", "undocumented"]


def test_the_severity_table_is_total_and_matches_the_documentation() -> None:
    """docs/screening.md's table, read back: every cell equals the engine's."""
    from pathlib import Path

    from azyl.assess.severity import severity

    doc = (Path(__file__).parent.parent / "docs" / "screening.md").read_text()
    table = doc[doc.index("| likelihood \\ gravity |") :].splitlines()[2:6]
    for row in table:
        cells = [c.strip() for c in row.strip("|").split("|")]
        likelihood, values = cells[0], cells[1:]
        for gravity, expected in zip(v.GRAVITIES, values, strict=True):
            assert severity(likelihood, gravity) == expected, (likelihood, gravity)


def test_the_time_limit_facts_the_dublin_arguments_name_exist_from_the_ammr_s_application(
    settings: Settings,
) -> None:
    """The arguments quote these facts' time limits; a renamed or removed fact would silently
    drop them from every screening."""
    from datetime import date

    from azyl.assess.rules.protective import AMMR_APPEAL_LIMIT, AMMR_TRANSFER_LIMIT

    facts = load_configured_kb(settings).facts
    for fid in (AMMR_TRANSFER_LIMIT, AMMR_APPEAL_LIMIT):
        assert fid in facts, fid
        assert facts[fid].valid_from == date(2026, 7, 1)  # AMMR art. 85
        assert facts[fid].valid_until is None
