"""The screening engine's logic on small hand-made inputs.

Each test builds the few facts, rates and incidents it needs (see
assess_support.py) so that the expected result can be worked out by hand from
docs/screening.md: the likelihood of each step, the gravity at the end of each
pathway, and the severity table.
"""

from __future__ import annotations

from datetime import date

from assess_support import Incident, Rate, case, context, fact
from azyl.assess import assess
from azyl.assess.graph import MAX_HOPS
from azyl.assess.screening import Screening
from azyl.i18n.message import render

POL_DEPORTS_RU = fact("deportation.pol-rus", "deportation_practice", "POL", ["RUS"])
POL_STC_BLR = fact("safe_third_country.pol-blr", "safe_third_country_designation", "POL", ["BLR"])
BLR_EXTRADITES = fact("extradition.blr-rus", "extradition_cooperation", "BLR", ["RUS"])
RU_PERSECUTES = fact("persecution.rus", "persecution_practice", "RUS", confirmed=date(2025, 1, 1))


def severities(result: object, code: str) -> list[str]:
    return [f.severity for f in result.findings if f.code == code]  # type: ignore[attr-defined]


def test_a_transfer_then_a_deportation_is_a_chain_as_likely_as_its_weakest_step() -> None:
    # DEU -> POL: Dublin transfer, likely (first entry in POL, Dublin procedure).
    # POL -> RUS: deportation practice from a state reached later: possible.
    # RUS persecutes (current): grave. Possible x grave = elevated.
    result = assess(case(), context([POL_DEPORTS_RU, RU_PERSECUTES]))
    chain = next(p for p in result.pathways if p.states == ("DEU", "POL", "RUS"))
    assert [h.mechanism for h in chain.hops] == ["dublin_transfer", "deportation"]
    assert [h.likelihood for h in chain.hops] == ["likely", "possible"]
    assert (chain.likelihood, chain.danger.gravity, chain.severity) == (
        "possible",
        "grave",
        "elevated",
    )
    assert severities(result, "dublin_transfer_risk") == ["elevated"]
    assert severities(result, "chain_refoulement") == ["elevated"]
    assert "deportation.pol-rus" in chain.hops[1].evidence.facts
    assert "dublin_discretionary_clause" in {a.code for a in result.protective_arguments}


def test_without_documented_persecution_the_origin_is_not_a_grave_danger() -> None:
    result = assess(case(), context([POL_DEPORTS_RU]))
    chain = next(p for p in result.pathways if p.states == ("DEU", "POL", "RUS"))
    assert chain.danger.gravity == "undocumented" and chain.severity == "low"
    assert "not documented" in render(chain.danger.text, "en")
    assert result.summary.headline == "low"


def test_a_dublin_transfer_leading_nowhere_dangerous_is_low() -> None:
    result = assess(case(), context())
    assert severities(result, "dublin_transfer_risk") == ["low"]
    assert "chain_refoulement" not in result.codes()


def test_an_eu_wide_fact_never_sends_anyone_to_a_state_off_their_route() -> None:
    to_croatia = fact("dublin.eu-hrv", "deportation_practice", "EU", ["HRV"])
    flew_in = case(route=[], stage="first_instance")
    result = assess(flew_in, context([to_croatia]))
    assert all("HRV" not in t.states for t in result.trace.rules)
    via_croatia = case(route=[{"country": "HRV"}], stage="rejected")
    assert any(
        t.states == ("DEU", "HRV") for t in assess(via_croatia, context([to_croatia])).trace.rules
    )


def test_stale_practice_alone_never_makes_more_than_an_elevated_finding() -> None:
    # Finland's pushbacks last confirmed in mid-2016; the border window is two years.
    pushbacks = fact(
        "border.fin-rus",
        "border_access_restriction",
        "FIN",
        ["RUS"],
        start=date(2016, 1, 1),
        confirmed=date(2016, 6, 1),
    )
    at_border = {"route": [], "current_country": "FIN", "stage": "at_border"}
    fresh = assess(case(as_of="2017-01-15", **at_border), context([pushbacks, RU_PERSECUTES]))
    stale = assess(case(as_of="2025-01-15", **at_border), context([pushbacks, RU_PERSECUTES]))
    assert severities(fresh, "border_access_denied") == ["high"]  # likely x grave
    assert severities(stale, "border_access_denied") == ["elevated"]  # possible x grave
    finding = next(f for f in stale.findings if f.code == "border_access_denied")
    assert finding.evidence.stale == ("border.fin-rus",)


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


def test_a_wanted_person_returned_to_a_cooperating_transit_state_faces_extradition() -> None:
    # DEU -> POL (Dublin, likely) -> BLR (safe third country from a state a transfer makes
    # responsible: possible) -> RUS (extradition, criminal case and practice: likely).
    # RUS seeks the person: grave. Least likely step possible: elevated.
    wanted = case(person={"wanted": ["criminal_case"]})
    result = assess(wanted, context([POL_STC_BLR, BLR_EXTRADITES]))
    path = next(p for p in result.pathways if p.states == ("DEU", "POL", "BLR", "RUS"))
    assert [(h.mechanism, h.likelihood) for h in path.hops] == [
        ("dublin_transfer", "likely"),
        ("safe_third_country_return", "possible"),
        ("extradition", "likely"),
    ]
    assert (path.danger.gravity, path.severity) == ("grave", "elevated")
    assert severities(result, "extradition_exposure") == ["elevated"]


def test_a_court_ruling_setting_a_designation_aside_makes_the_step_remote_and_is_cited() -> None:
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
    assert hop.likelihood == "remote"
    precedent = [a for a in result.protective_arguments if a.code.startswith("court_precedent")]
    assert precedent and "courts.pol-blr-ruling" in precedent[0].evidence.facts


def test_a_region_specific_fact_needs_the_region_in_the_case() -> None:
    ipa = fact("internal_protection.deu-ce", "ipa_practice", "DEU", ["RUS"], regions=["RU-CE"])
    chechnya = fact("persecution.rus-ce", "persecution_practice", "RUS", regions=["RU-CE"])
    no_region = assess(case(stage="first_instance"), context([ipa, chechnya]))
    assert "internal_protection_alternative_risk" not in no_region.codes()
    chechen = assess(
        case(stage="first_instance", person={"region": "RU-CE"}), context([ipa, chechnya])
    )
    # Likely where the claim is pending x grave (persecution in Chechnya) = high; the
    # persecution fact is also the reach that answers it.
    assert severities(chechen, "internal_protection_alternative_risk") == ["high"]
    assert "against_internal_relocation" in {a.code for a in chechen.protective_arguments}


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
    assert severities(after, "extradition_exposure") == ["high"]  # likely x grave (wanted)
    assert "ecthr_interim_measure" in {a.code for a in before.protective_arguments}
    assert "ecthr_interim_measure" not in {a.code for a in after.protective_arguments}


def test_the_un_argument_needs_a_recorded_acceptance_of_individual_complaints() -> None:
    kaz_extradites = fact("extradition.kaz-rus", "extradition_cooperation", "KAZ", ["RUS"])
    accepts = fact(
        "protection.kaz-un", "protection_practice", "KAZ", nature="law", protection="un_complaints"
    )
    journalist = case(
        person={"profiles": ["journalist"], "wanted": ["criminal_case"]},
        route=[],
        current_country="KAZ",
        stage="first_instance",
    )
    without = assess(journalist, context([kaz_extradites]))
    assert "un_interim_measures" not in {a.code for a in without.protective_arguments}
    with_it = assess(journalist, context([kaz_extradites, accepts]))
    un = next(a for a in with_it.protective_arguments if a.code == "un_interim_measures")
    assert un.states == ("KAZ",) and "protection.kaz-un" in un.evidence.facts
    assert "can be brought against Kazakhstan, as the" in render(un.text, "en")
    assert "в отношении: Казахстан (по данным" in render(un.text, "ru")


def test_the_un_argument_reads_right_for_several_states() -> None:
    """ "{states} accepts" read "Germany and Poland accepts"; the sentence is built so that the
    list needs no verb to agree with it, in either language."""
    from azyl.assess.rules.protective import _UN
    from azyl.i18n.message import Countries, Message

    two = Message.of(_UN, states=Countries(("DEU", "POL")))
    assert "can be brought against Germany and Poland, as the" in render(two, "en")
    assert "в отношении: Германия и Польша (по данным" in render(two, "ru")


def test_a_journalist_wanted_at_home_in_a_cis_state_faces_extradition_under_the_convention() -> (
    None
):
    minsk = fact("treaties.minsk", "treaty_status", "CIS", ["KAZ", "RUS", "KGZ"], nature="law")
    journalist = case(
        person={"profiles": ["journalist"], "wanted": ["national_wanted_list"]},
        route=[],
        current_country="KGZ",
        stage="first_instance",
    )
    result = assess(journalist, context([minsk]))
    hop = next(p for p in result.pathways if p.states == ("KGZ", "RUS")).hops[0]
    # A convention alone, without documented practice: possible; RUS seeks them: grave.
    assert (hop.mechanism, hop.likelihood) == ("extradition", "possible")
    assert severities(result, "extradition_exposure") == ["elevated"]
    assert severities(result, "direct_return") == ["elevated"]
    suspended = fact(
        "treaties.kgz-out",
        "treaty_status",
        "KGZ",
        ["RUS"],
        nature="law",
        related=["treaties.minsk"],
    )
    assert "extradition_exposure" not in assess(journalist, context([minsk, suspended])).codes()


def test_direct_return_to_the_own_state_has_its_own_finding_never_critical_undocumented() -> None:
    refused = case(
        route=[], stage="removal_ordered", proposed_action={"type": "return_to_origin", "to": "RUS"}
    )
    documented = assess(refused, context([RU_PERSECUTES]))
    assert severities(documented, "direct_return") == ["critical"]  # imminent x grave
    undocumented = assess(refused, context())
    assert severities(undocumented, "direct_return") == ["elevated"]  # imminent x undocumented
    assert undocumented.summary.headline == "elevated"


def test_pathways_are_simple_bounded_and_stop_at_the_origin() -> None:
    # A ring POL -> BLR -> UKR -> POL plus exits to RUS: every path must be simple.
    facts = [
        POL_STC_BLR,
        fact("deportation.blr-ukr", "deportation_practice", "BLR", ["UKR"]),
        fact("deportation.ukr-pol", "deportation_practice", "UKR", ["POL"]),
        fact("deportation.ukr-rus", "deportation_practice", "UKR", ["RUS"]),
    ]
    route = [{"country": "UKR"}, {"country": "BLR"}, {"country": "POL", "role": "first_eu_entry"}]
    result = assess(case(route=route), context(facts))
    assert result.pathways
    for path in result.pathways:
        assert len(set(path.states)) == len(path.states)
        assert len(path.hops) <= MAX_HOPS
        assert path.states[-1] == "RUS"
        assert "RUS" not in path.states[:-1]
    ranks = [p.rank for p in result.pathways]
    assert ranks == list(range(1, len(ranks) + 1))


def test_an_unsafe_third_state_is_a_danger_and_a_node_towards_the_origin() -> None:
    armenia = fact(
        "unsafe_states.arm-deserters",
        "unsafe_for_profile",
        "ARM",
        ["RUS"],
        nationalities=["RUS"],
        profiles=["deserter"],
    )
    handed_back = Incident(
        "rus-arm-2024", date(2024, 3, 1), "RUS", "ARM", ("rendition",), "rendered_or_attacked",
        target_profiles=("deserter",),
    )  # fmt: skip
    deserter = case(
        person={"military_service": "deserter"},
        route=[],
        current_country="NLD",
        stage="removal_ordered",
        proposed_action={"type": "deportation", "to": "ARM"},
    )
    result = assess(deserter, context([armenia, RU_PERSECUTES], incidents=[handed_back]))
    to_armenia = next(p for p in result.pathways if p.states == ("NLD", "ARM"))
    # Proposed: imminent; Armenia unsafe for deserters: serious -> high.
    assert (to_armenia.danger.gravity, to_armenia.severity) == ("serious", "high")
    onward = next(p for p in result.pathways if p.states == ("NLD", "ARM", "RUS"))
    # Onward by rendition (a recent incident, not wanted): possible x grave = elevated.
    assert [h.mechanism for h in onward.hops] == ["deportation", "rendition"]
    assert onward.severity == "elevated"
    assert "rus-arm-2024" in onward.hops[1].evidence.incidents
    assert severities(result, "deportation_to_unsafe_third_country") == ["high"]
    other = assess(
        case(route=[], current_country="NLD", stage="removal_ordered",
             proposed_action={"type": "deportation", "to": "ARM"}),
        context([armenia]),
    )  # fmt: skip
    assert "deportation_to_unsafe_third_country" not in other.codes()


def test_low_recognition_is_compared_only_within_the_same_year() -> None:
    rates = [
        Rate("RUS", "POL", 2023, 0.05, 400),
        Rate("RUS", "POL", 2024, 0.50, 400),  # not yet published on 2024-06-01
        Rate("RUS", "AUT", 2023, 0.45, 300),
        Rate("RUS", "FRA", 2022, 0.80, 900),  # another year: never set beside 2023
        Rate("RUS", "LVA", 2023, 0.0, 5),  # below the small-number threshold
    ]
    result = assess(
        case(
            as_of="2024-06-01",
            route=[{"country": "POL", "role": "first_eu_entry"}, {"country": "LVA"}],
        ),
        context([RU_PERSECUTES], rates=rates),
    )
    low = [f for f in result.findings if f.code == "low_recognition_destination"]
    assert [f.states for f in low] == [("POL",)]
    assert low[0].severity == "elevated"  # possible x grave
    assert [c.year for c in low[0].evidence.stats] == [2023, 2023]
    text = render(low[0].text, "en")
    assert "Austria" in text and "France" not in text


def test_incidents_after_the_as_of_date_are_not_evidence() -> None:
    incidents = [
        Incident("i-old", date(2017, 5, 29), "RUS", "DEU", ("abduction",), "rendered_or_attacked"),
        Incident("i-new", date(2025, 1, 1), "RUS", "DEU", ("threat",), "on_notice"),
    ]
    result = assess(case(as_of="2020-01-01"), context(incidents=incidents))
    presence = next(f for f in result.findings if f.code == "transnational_repression_presence")
    assert presence.evidence.incidents == ("i-old",)
    assert presence.severity == "high"  # a recent attack where the person is: likely x serious


def test_humanitarian_admission_is_offered_only_to_people_outside_the_admitting_state() -> None:
    visas = fact(
        "protection.deu-visas",
        "protection_practice",
        "DEU",
        ["RUS"],
        protection="humanitarian_admission",
    )
    abroad = assess(case(route=[], current_country="GEO", stage="first_instance"), context([visas]))
    assert "humanitarian_visa_or_admission" in {a.code for a in abroad.protective_arguments}
    inside = assess(case(route=[], stage="first_instance"), context([visas]))
    assert "humanitarian_visa_or_admission" not in {a.code for a in inside.protective_arguments}


def test_claims_registered_from_july_2026_follow_the_ammr_and_its_twenty_months() -> None:
    entered = [{"country": "POL", "role": "first_eu_entry", "entered": "2025-01-10"}]
    ammr = assess(case(as_of="2026-08-15", application_date="2026-08-01", route=entered), context())
    hop = next(t for t in ammr.trace.rules if t.produced == "hop" and t.code == "dublin_transfer")
    assert hop.rule == "ammr.transfer_to_responsible_state"  # 19 months: still responsible
    dublin_iii = assess(
        case(as_of="2026-06-20", application_date="2026-06-15", route=entered), context()
    )
    # Seventeen months after the entry, beyond Dublin III's twelve: no transfer to Poland.
    assert "dublin_transfer_risk" not in dublin_iii.codes()


AMMR_TRANSFER_LIMIT = fact(
    "dublin.eu-ammr-transfer-time-limit-2026",
    "dublin_practice",
    "EU",
    start=date(2026, 7, 1),
    nature="law",
)
AMMR_APPEAL_LIMIT = fact(
    "dublin.eu-ammr-transfer-decision-appeal-time-limit-2026",
    "dublin_practice",
    "EU",
    start=date(2026, 7, 1),
    nature="law",
)
POL_DETENTION = fact("detention.pol", "detention_conditions", "POL", ["RUS"])


def _arguments(result: object) -> dict[str, object]:
    return {a.code: a for a in result.protective_arguments}  # type: ignore[attr-defined]


def test_under_the_ammr_the_dublin_arguments_state_the_time_limits_the_kb_records() -> None:
    # AMMR art. 46(1): transfer within six months of the acceptance; art. 43(2): an appeal
    # period of one to three weeks after notification of the transfer decision.
    entered = [{"country": "POL", "role": "first_eu_entry", "entered": "2026-02-10"}]
    ammr = case(as_of="2026-08-15", application_date="2026-08-01", route=entered)
    facts = [AMMR_TRANSFER_LIMIT, AMMR_APPEAL_LIMIT, POL_DETENTION]
    args = _arguments(assess(ammr, context(facts)))
    clause = args["dublin_discretionary_clause"]
    assert "six months" in render(clause.time_limit, "en")  # type: ignore[attr-defined]
    assert AMMR_TRANSFER_LIMIT.id in clause.evidence.facts  # type: ignore[attr-defined]
    systemic = args["dublin_systemic_deficiencies"]
    assert "one to three weeks" in render(systemic.time_limit, "en")  # type: ignore[attr-defined]
    assert AMMR_APPEAL_LIMIT.id in systemic.evidence.facts  # type: ignore[attr-defined]
    data = assess(ammr, context(facts)).to_dict("en")
    rendered = {a["code"]: a["time_limit"] for a in data["protective_arguments"]}
    assert "art. 46" in rendered["dublin_discretionary_clause"]


def test_no_time_limit_is_stated_without_its_fact_or_for_a_dublin_iii_claim() -> None:
    entered = [{"country": "POL", "role": "first_eu_entry", "entered": "2026-02-10"}]
    ammr = case(as_of="2026-08-15", application_date="2026-08-01", route=entered)
    bare = _arguments(assess(ammr, context([POL_DETENTION])))
    assert bare["dublin_discretionary_clause"].time_limit is None  # type: ignore[attr-defined]
    assert bare["dublin_systemic_deficiencies"].time_limit is None  # type: ignore[attr-defined]
    # Registered on 15 June 2026, before the AMMR applies (art. 84(2)): Dublin III, whose time
    # limits the knowledge base does not record.
    dublin_iii = case(as_of="2026-08-15", application_date="2026-06-15", route=entered)
    facts = [AMMR_TRANSFER_LIMIT, AMMR_APPEAL_LIMIT, POL_DETENTION]
    old = _arguments(assess(dublin_iii, context(facts)))
    assert old["dublin_discretionary_clause"].time_limit is None  # type: ignore[attr-defined]
    assert AMMR_TRANSFER_LIMIT.id not in old["dublin_discretionary_clause"].evidence.facts  # type: ignore[attr-defined]


def test_the_summary_puts_the_most_severe_item_and_its_answers_first() -> None:
    result = assess(
        case(person={"wanted": ["criminal_case"]}), context([POL_STC_BLR, BLR_EXTRADITES])
    )
    items = [f.severity for f in result.findings] + [p.severity for p in result.pathways]
    assert result.summary.headline == min(items, key=["critical", "high", "elevated", "low"].index)
    assert render(result.summary.lines[0], "en").startswith("Germany → Poland")
    assert result.summary.first_steps


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


def test_the_json_shape_has_its_six_sections_and_rendered_sentences() -> None:
    data = assess(case(), context([POL_DEPORTS_RU, RU_PERSECUTES])).to_dict("ru")
    assert set(data) == {
        "summary", "findings", "pathways", "protective_arguments", "destinations", "trace",
    }  # fmt: skip
    hop = data["pathways"][0]["hops"][0]
    assert set(hop) >= {"from", "to", "mechanism", "likelihood", "explanation", "evidence"}
    assert set(hop["evidence"]) == {"facts", "stale_facts", "stats", "figures", "incidents"}
    assert hop["message"]["id"] and "Германия" in hop["explanation"]


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
    # Nothing documented against Georgians: likely x undocumented = low.
    assert severities(before, "safe_country_of_origin_procedure") == ["low"]
    after = assess(protected, context([listed], rates))
    assert after.codes().isdisjoint(
        {"safe_country_of_origin_procedure", "low_recognition_destination"}
    )


def test_a_designation_that_excepts_a_profile_does_not_reach_that_person() -> None:
    """The Netherlands lists Armenia "with the exception of LGBTIQ applicants"
    (safe_country_of_origin.nld-armenia): a gay Armenian is outside the designation."""
    listed = fact("safe_country_of_origin.nld-arm", "safe_country_of_origin_designation",
                  "NLD", ["ARM"], nationalities=["ARM"], except_profiles=["lgbti"])  # fmt: skip
    where = {"route": [], "current_country": "NLD", "stage": "first_instance"}
    journalist = case(person={"citizenship": ["ARM"], "profiles": ["journalist"]}, **where)
    gay = case(person={"citizenship": ["ARM"], "profiles": ["lgbti"]}, **where)
    assert "safe_country_of_origin_procedure" in assess(journalist, context([listed])).codes()
    assert "safe_country_of_origin_procedure" not in assess(gay, context([listed])).codes()


def test_a_deportation_decided_by_a_host_is_a_step_not_danger_in_the_host() -> None:
    """Germany deporting a Tajik to Tajikistan shows a way back from Germany; it does not make
    Germany a place where Tajikistan's agents reach exiles (docs/screening.md, gravity)."""
    deported = Incident(
        "tjk-deu-2023", date(2023, 3, 1), "TJK", "DEU", ("deportation",), "rendered_or_attacked",
        target_profiles=("political_activist",),
    )  # fmt: skip
    abducted = Incident(
        "tjk-tur-2023", date(2023, 3, 1), "TJK", "TUR", ("abduction",), "rendered_or_attacked",
        target_profiles=("political_activist",),
    )  # fmt: skip
    activist = case(person={"citizenship": ["TJK"], "profiles": ["political_activist"]},
                    route=[{"country": "TUR"}], current_country="POL",
                    stage="first_instance", as_of="2024-06-01")  # fmt: skip
    # Recorded where it happened (host TJK), with where the person lived (residence POL).
    deported_home = Incident(
        "tjk-pol-2022", date(2022, 5, 1), "TJK", "TJK", ("deportation", "detention"),
        "rendered_or_attacked", residence="POL",
    )  # fmt: skip
    incidents = [deported, abducted, deported_home]
    screening = Screening(activist, context([], incidents=incidents), date(2024, 6, 1))
    assert screening.danger("DEU") is None
    danger = screening.danger("TUR")
    assert danger is not None and danger.gravity == "serious"
    assert [i.id for i in screening.handovers("DEU", "TJK")] == ["tjk-deu-2023"]
    assert [i.id for i in screening.handovers("POL", "TJK")] == ["tjk-pol-2022"]


def test_reprisals_against_relatives_make_the_origin_grave_for_a_relative() -> None:
    """A relative of a targeted exile faces the reprisals documented against relatives at
    home (kb kind family_reprisal_practice); someone without that profile does not."""
    reprisals = fact("family_reprisals.tjk-relatives", "family_reprisal_practice", "TJK",
                     nationalities=["TJK"], profiles=["family_member_of_target"],
                     confirmed=date(2024, 1, 1))  # fmt: skip
    relative = case(person={"citizenship": ["TJK"], "profiles": ["family_member_of_target"]},
                    route=[], current_country="POL", stage="first_instance",
                    as_of="2024-06-01")  # fmt: skip
    other = case(person={"citizenship": ["TJK"]}, route=[], current_country="POL",
                 stage="first_instance", as_of="2024-06-01")  # fmt: skip
    on = date(2024, 6, 1)
    assert Screening(relative, context([reprisals]), on).danger("TJK").gravity == "grave"
    assert Screening(other, context([reprisals]), on).danger("TJK").gravity == "undocumented"


def test_the_interpol_misuse_finding_reads_right_for_a_dual_national() -> None:
    """ "{origins} has misused" read "Tajikistan and Russia has misused" for a person with two
    nationalities; the authorities are the subject now, in both languages."""
    from azyl.assess.rules.circumstance_findings import _ALERT_MISUSE
    from azyl.i18n import country_name
    from azyl.i18n.message import Countries, Message

    two = Message.of(_ALERT_MISUSE, origins=Countries(("TJK", "RUS")))
    # The states' names are the app's own (English: "Russian Federation"); the verb is the test.
    both = f"{country_name('TJK', 'en')} and {country_name('RUS', 'en')}"
    assert render(two, "en").startswith(f"The authorities of {both} have")
    assert render(two, "ru").startswith("Власти Таджикистана и России злоупотребляли")
