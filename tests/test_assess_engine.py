"""The screening engine's logic on small hand-made inputs.

Each test builds the few facts, rates and incidents it needs (see
assess_support.py) so that the expected result can be worked out by hand from
the rule's docstring.
"""

from __future__ import annotations

from datetime import date

from assess_support import Incident, Rate, case, context, fact
from azyl.assess import assess
from azyl.assess.graph import MAX_HOPS

POL_DEPORTS_RU = fact("deportation.pol-rus", "deportation_practice", "POL", ["RUS"])
POL_STC_BLR = fact("safe_third_country.pol-blr", "safe_third_country_designation", "POL", ["BLR"])
BLR_EXTRADITES = fact("extradition.blr-rus", "extradition_cooperation", "BLR", ["RUS"])


def test_dublin_transfer_then_deportation_is_a_chain_back_to_the_origin() -> None:
    result = assess(case(), context([POL_DEPORTS_RU]))
    chains = [p for p in result.pathways if p.states == ("DEU", "POL", "RUS")]
    assert len(chains) == 1
    assert [h.mechanism for h in chains[0].hops] == ["dublin_transfer", "deportation"]
    assert {"dublin_transfer_risk", "chain_refoulement"} <= result.codes()
    dublin = next(f for f in result.findings if f.code == "dublin_transfer_risk")
    assert dublin.severity == "high" and dublin.states == ("DEU", "POL")
    assert "deportation.pol-rus" in chains[0].hops[1].evidence.facts
    assert "dublin_discretionary_clause" in {a.code for a in result.protective_arguments}


def test_without_a_documented_onward_practice_there_is_no_chain() -> None:
    result = assess(case(), context())
    assert "dublin_transfer_risk" in result.codes()
    assert "chain_refoulement" not in result.codes()
    assert result.pathways == ()
    dublin = next(f for f in result.findings if f.code == "dublin_transfer_risk")
    assert dublin.severity == "elevated"  # capped: no danger follows from this hop alone


def test_facts_not_in_force_on_the_as_of_date_are_never_used() -> None:
    expired = fact(
        "safe_third_country.pol-blr-old",
        "safe_third_country_designation",
        "POL",
        ["BLR"],
        start=date(2016, 1, 1),
        end=date(2017, 12, 31),
    )
    later = assess(case(), context([expired, BLR_EXTRADITES]))
    assert "safe_third_country_risk" not in later.codes()
    assert all("safe_third_country.pol-blr-old" not in t.evidence.facts for t in later.trace.rules)
    assert later.trace.facts_not_in_force == 1
    earlier = assess(case(as_of="2017-06-01"), context([expired, BLR_EXTRADITES]))
    assert "safe_third_country_risk" in earlier.codes()


def test_a_wanted_person_sent_to_a_cooperating_transit_state_faces_extradition() -> None:
    wanted = case(person={"wanted": ["interpol_red_notice"]})
    result = assess(wanted, context([POL_STC_BLR, BLR_EXTRADITES]))
    path = next(p for p in result.pathways if p.states == ("DEU", "POL", "BLR", "RUS"))
    assert [h.mechanism for h in path.hops] == [
        "dublin_transfer",
        "safe_third_country_return",
        "extradition",
    ]
    assert {"extradition_exposure", "interpol_alert_exposure", "chain_refoulement"} <= (
        result.codes()
    )
    assert "interpol_refugee_policy" in {a.code for a in result.protective_arguments}


def test_a_court_ruling_setting_a_designation_aside_lowers_the_hop_and_is_cited() -> None:
    ruling = fact(
        "courts.pol-blr-ruling",
        "court_ruling",
        "POL",
        ["BLR"],
        start=date(2020, 1, 1),
        overturns=["safe_third_country.pol-blr"],
    )
    wanted = case(person={"wanted": ["criminal_case"]})
    result = assess(wanted, context([POL_STC_BLR, BLR_EXTRADITES, ruling]))
    hop = next(h for p in result.pathways for h in p.hops if h.mechanism.startswith("safe"))
    assert hop.severity == "low"
    precedent = [a for a in result.protective_arguments if a.code.startswith("court_precedent")]
    assert precedent and "courts.pol-blr-ruling" in precedent[0].evidence.facts


def test_a_region_specific_fact_needs_the_region_in_the_case() -> None:
    ipa = fact(
        "internal_protection.deu-chechens",
        "ipa_practice",
        "DEU",
        ["RUS"],
        regions=["RU-CE"],
    )
    no_region = assess(case(stage="first_instance"), context([ipa]))
    assert "internal_protection_alternative_risk" not in no_region.codes()
    chechen = assess(case(stage="first_instance", person={"region": "RU-CE"}), context([ipa]))
    assert "internal_protection_alternative_risk" in chechen.codes()


def test_the_ecthr_argument_needs_a_state_bound_by_the_convention_on_the_date() -> None:
    ru_extradites = fact("extradition.rus-tjk", "extradition_cooperation", "RUS", ["TJK"])
    tajik = {
        "person": {"citizenship": ["TJK"], "wanted": ["criminal_case"]},
        "route": [],
        "current_country": "RUS",
        "stage": "first_instance",
    }
    before = assess(case(as_of="2017-09-01", **tajik), context([ru_extradites]))
    after = assess(case(as_of="2023-09-01", **tajik), context([ru_extradites]))
    assert "extradition_exposure" in before.codes() and "extradition_exposure" in after.codes()
    assert "ecthr_interim_measure" in {a.code for a in before.protective_arguments}
    assert "ecthr_interim_measure" not in {a.code for a in after.protective_arguments}


def test_pathways_are_simple_bounded_and_stop_at_danger() -> None:
    # A ring POL -> BLR -> UKR -> POL plus exits to RUS: every path must be simple.
    facts = [
        POL_STC_BLR,
        fact("deportation.blr-ukr", "deportation_practice", "BLR", ["UKR"]),
        fact("deportation.ukr-pol", "deportation_practice", "UKR", ["POL"]),
        fact("deportation.ukr-rus", "deportation_practice", "UKR", ["RUS"]),
        fact("deportation.rus-blr", "deportation_practice", "RUS", ["BLR"]),
    ]
    result = assess(case(), context(facts))
    assert result.pathways
    for path in result.pathways:
        assert len(set(path.states)) == len(path.states)
        assert len(path.hops) <= MAX_HOPS
        assert path.states[-1] == "RUS"
        assert "RUS" not in path.states[:-1]
    ranks = [p.rank for p in result.pathways]
    assert ranks == list(range(1, len(ranks) + 1))


def test_a_third_state_unsafe_for_the_profile_ends_a_pathway() -> None:
    armenia = fact(
        "unsafe_states.arm-deserters",
        "unsafe_for_profile",
        "ARM",
        ["RUS"],
        nationalities=["RUS"],
        profiles=["deserter"],
    )
    deport = fact("deportation.nld-arm", "deportation_practice", "NLD", ["ARM"])
    deserter = case(
        person={"profiles": ["deserter"]},
        route=[],
        current_country="NLD",
        stage="rejected",
    )
    result = assess(deserter, context([armenia, deport]))
    # Refused in the Netherlands: removal home, and deportation to Armenia, both end in danger.
    assert {p.states for p in result.pathways} == {("NLD", "ARM"), ("NLD", "RUS")}
    finding = next(f for f in result.findings if f.code == "deportation_to_unsafe_third_country")
    assert finding.severity == "high"
    assert set(finding.evidence.facts) == {"deportation.nld-arm", "unsafe_states.arm-deserters"}
    other_profile = assess(
        case(person={"profiles": ["lgbti"]}, route=[], current_country="NLD", stage="rejected"),
        context([armenia, deport]),
    )
    assert "deportation_to_unsafe_third_country" not in other_profile.codes()


def test_low_recognition_uses_the_latest_full_year_before_the_as_of_date() -> None:
    rates = [
        Rate("RUS", "POL", 2023, 0.05, 400),
        Rate("RUS", "POL", 2024, 0.50, 400),  # not yet published on 2024-06-01
        Rate("RUS", "AUT", 2023, 0.45, 300),
        Rate("RUS", "LVA", 2023, 0.0, 5),  # below the small-number threshold
    ]
    result = assess(
        case(
            as_of="2024-06-01",
            route=[{"country": "POL", "role": "first_eu_entry"}, {"country": "LVA"}],
        ),
        context(rates=rates),
    )
    low = [f for f in result.findings if f.code == "low_recognition_destination"]
    assert [f.states for f in low] == [("POL",)]
    assert low[0].severity == "high"
    assert low[0].evidence.stats[0].year == 2023
    assert "Austria" in low[0].explanation
    roles = {(d.asylum, d.role) for d in result.destinations}
    assert {("DEU", "current"), ("POL", "route"), ("AUT", "comparison")} <= roles


def test_incidents_after_the_as_of_date_are_not_evidence() -> None:
    incidents = [
        Incident("i-old", date(2017, 5, 29), "RUS", "DEU", ("abduction",), "rendered_or_attacked"),
        Incident("i-new", date(2025, 1, 1), "RUS", "DEU", ("threat",), "on_notice"),
    ]
    result = assess(case(as_of="2020-01-01"), context(incidents=incidents))
    presence = next(f for f in result.findings if f.code == "transnational_repression_presence")
    assert presence.evidence.incidents == ("i-old",)
    assert presence.severity == "high"


def test_the_trace_names_the_rule_and_evidence_of_every_item() -> None:
    result = assess(case(), context([POL_DEPORTS_RU]))
    traced = {(t.produced, t.code) for t in result.trace.rules}
    for f in result.findings:
        assert ("finding", f.code) in traced
    for a in result.protective_arguments:
        assert ("protective_argument", a.code) in traced
    assert result.trace.kb_version == "test+000000000000"
    assert result.trace.as_of == date(2025, 6, 1)
    assert result.trace.statistics_up_to == 2024
    assert all(t.legal_basis for t in result.trace.rules)


def test_the_json_shape_has_the_five_sections() -> None:
    data = assess(case(), context([POL_DEPORTS_RU])).to_dict()
    assert set(data) == {"findings", "pathways", "protective_arguments", "destinations", "trace"}
    hop = data["pathways"][0]["hops"][0]
    assert set(hop) >= {"from", "to", "mechanism", "severity", "evidence"}
    assert set(hop["evidence"]) == {"facts", "stats", "incidents"}


def test_procedural_findings_stop_once_the_person_is_protected() -> None:
    rates = [Rate("GEO", "FRA", 2016, 0.02, 900)]
    listed = fact("safe_country_of_origin.fra-geo", "safe_country_of_origin_designation",
                  "FRA", ["GEO"])  # fmt: skip
    waiting = case(person={"citizenship": ["GEO"]}, route=[], current_country="FRA",
                   stage="first_instance", as_of="2017-06-01")  # fmt: skip
    protected = case(person={"citizenship": ["GEO"]}, route=[], current_country="FRA",
                     stage="protected", as_of="2017-06-01")  # fmt: skip
    before = assess(waiting, context([listed], rates))
    assert {"safe_country_of_origin_procedure", "low_recognition_destination"} <= before.codes()
    after = assess(protected, context([listed], rates))
    assert after.codes().isdisjoint(
        {"safe_country_of_origin_procedure", "low_recognition_destination"}
    )
