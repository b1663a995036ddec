"""The resolver answers "which facts hold on this date, for this state and this person".

Expected ids are read off the fixture files in tests/kb/valid/ (actor,
subject, applies_to and dates of each), not taken from the resolver's output.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from azyl.errors import InputError, UnknownCountry
from azyl.kb import KnowledgeBase, facts_in_force, find_facts, load_kb
from azyl.kb.model import AppliesTo, Fact

VALID = Path(__file__).resolve().parent / "kb" / "valid"

NOR_STC = "safe_third_country.nor-russia-2016"  # NOR -> RUS, from 2016-01-01
EST_STC = "safe_third_country.est-russia-2016"  # EST -> RUS, from 2016-01-01
EST_COURT = "courts.est-russia-not-safe-third-country"  # EST -> RUS, from 2016-01-01
EU_READMISSION = "readmission.eu-russia"  # EU -> RUS, from 2017-12-04
DEU_IPA = "internal_protection.deu-chechens"  # DEU -> RUS; RUS nationals from RU-CE
NLD_SCO = "safe_country_of_origin.nld-ukraine-2016"  # NLD -> UKR; UKR nationals, 2016-12-31
ARM_UNSAFE = "unsafe_states.arm-russian-deserters"  # ARM -> RUS; RUS deserters, activists
NOR_RETURNS = "deportation.nor-returns-to-russia-2016"  # NOR -> RUS, 2016-01-01..2016-12-31


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb(VALID)


def ids(facts: list[Fact]) -> list[str]:
    return [f.id for f in facts]


def test_facts_in_force_on_a_date_sorted_by_id(kb: KnowledgeBase) -> None:
    assert ids(facts_in_force(kb, date(2016, 6, 1))) == [
        EST_COURT,
        NOR_RETURNS,
        EST_STC,
        NOR_STC,
    ]


def test_both_ends_of_the_validity_period_count(kb: KnowledgeBase) -> None:
    assert NOR_RETURNS in ids(facts_in_force(kb, date(2016, 12, 31)))
    assert NOR_RETURNS not in ids(facts_in_force(kb, date(2017, 1, 1)))
    assert NLD_SCO in ids(facts_in_force(kb, date(2016, 12, 31)))
    assert NLD_SCO not in ids(facts_in_force(kb, date(2016, 12, 30)))
    assert facts_in_force(kb, date(2015, 12, 31)) == []


def test_a_state_is_concerned_as_actor_or_subject(kb: KnowledgeBase) -> None:
    assert ids(facts_in_force(kb, date(2016, 6, 1), state="NOR")) == [NOR_RETURNS, NOR_STC]
    assert ids(facts_in_force(kb, date(2017, 6, 1), state="NOR")) == [NOR_STC]
    assert ids(facts_in_force(kb, date(2026, 1, 1), state="RUS")) == [
        EST_COURT,
        DEU_IPA,
        EU_READMISSION,
        EST_STC,
        NOR_STC,
        ARM_UNSAFE,
    ]


def test_an_eu_fact_concerns_the_states_that_are_members_on_the_date(kb: KnowledgeBase) -> None:
    assert ids(facts_in_force(kb, date(2018, 1, 1), state="DEU")) == [DEU_IPA, EU_READMISSION]
    assert ids(facts_in_force(kb, date(2018, 1, 1), state="HRV")) == [EU_READMISSION]
    # The United Kingdom left the EU on 31 January 2020.
    assert ids(facts_in_force(kb, date(2020, 1, 31), state="GBR")) == [EU_READMISSION]
    assert facts_in_force(kb, date(2020, 2, 1), state="GBR") == []
    # Norway was never a member.
    assert EU_READMISSION not in ids(facts_in_force(kb, date(2018, 1, 1), state="NOR"))


def test_asking_for_the_eu_matches_facts_naming_it_not_its_members_facts(
    kb: KnowledgeBase,
) -> None:
    assert ids(facts_in_force(kb, date(2018, 1, 1), state="EU")) == [EU_READMISSION]


def test_without_a_date_eu_membership_during_the_facts_validity_counts(kb: KnowledgeBase) -> None:
    assert EU_READMISSION in ids(find_facts(kb, state="GBR"))
    ended = replace(
        kb.facts[EU_READMISSION], valid_from=date(2005, 1, 1), valid_until=date(2010, 12, 31)
    )
    older = replace(kb, facts={EU_READMISSION: ended})
    assert ids(find_facts(older, state="GBR")) == [EU_READMISSION]
    # Croatia joined on 1 July 2013, after this version of the fact had ended.
    assert find_facts(older, state="HRV") == []


def test_find_facts_without_a_date_keeps_every_period(kb: KnowledgeBase) -> None:
    assert ids(find_facts(kb, state="NOR")) == [NOR_RETURNS, NOR_STC]
    assert len(find_facts(kb)) == len(kb.facts) == 8


def test_actor_and_subject_filter_one_role_each(kb: KnowledgeBase) -> None:
    assert find_facts(kb, actor="RUS") == []
    assert ids(find_facts(kb, subject="UKR")) == [NLD_SCO]
    assert ids(facts_in_force(kb, date(2018, 1, 1), actor="DEU")) == [DEU_IPA, EU_READMISSION]
    assert ids(find_facts(kb, actor="EST", kind="court_ruling")) == [EST_COURT]


def test_an_empty_nationality_list_applies_to_everyone(kb: KnowledgeBase) -> None:
    assert ids(facts_in_force(kb, date(2026, 1, 1), nationality="UKR")) == [
        EST_COURT,
        EU_READMISSION,
        NLD_SCO,
        EST_STC,
        NOR_STC,
    ]


def test_regions_and_profiles_narrow_the_same_way(kb: KnowledgeBase) -> None:
    on = date(2026, 1, 1)
    assert DEU_IPA in ids(facts_in_force(kb, on, nationality="RUS", region="RU-CE"))
    dagestan = ids(facts_in_force(kb, on, nationality="RUS", region="RU-DA"))
    assert DEU_IPA not in dagestan
    assert NOR_STC in dagestan  # no regions listed: applies to everyone
    assert ARM_UNSAFE in ids(facts_in_force(kb, on, profile="deserter"))
    assert ARM_UNSAFE not in ids(facts_in_force(kb, on, profile="journalist"))
    assert NOR_STC in ids(facts_in_force(kb, on, profile="journalist"))


def test_kind_filter(kb: KnowledgeBase) -> None:
    assert ids(find_facts(kb, kind="safe_third_country_designation")) == [EST_STC, NOR_STC]


def test_inputs_are_canonicalised(kb: KnowledgeBase) -> None:
    on = date(2018, 1, 1)
    assert facts_in_force(kb, on, state="Germany") == facts_in_force(kb, on, state="DEU")
    assert facts_in_force(kb, on, state="de") == facts_in_force(kb, on, state="DEU")
    assert facts_in_force(kb, on, state="eu") == facts_in_force(kb, on, state="EU")
    assert facts_in_force(kb, on, region="ru-ce") == facts_in_force(kb, on, region="RU-CE")


@pytest.mark.parametrize(
    ("filters", "error", "message"),
    [
        (
            {"kind": "safe_third"},
            InputError,
            "unknown fact kind 'safe_third'; allowed: safe_third_country_designation,",
        ),
        (
            {"profile": "deserters"},
            InputError,
            "unknown profile 'deserters'; allowed: political_activist,",
        ),
        ({"state": "Narnia"}, UnknownCountry, "organisation codes: EU, COE"),
        ({"nationality": "Atlantis"}, UnknownCountry, "unknown country 'Atlantis'"),
        ({"region": "RU-XX"}, InputError, "unknown region 'RU-XX': use an ISO 3166-2 code"),
    ],
)
def test_bad_filters_raise_errors_naming_what_is_allowed(
    kb: KnowledgeBase, filters: dict[str, str], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        find_facts(kb, **filters)
    assert message in str(caught.value)


def test_applies_to_admits_each_axis_independently() -> None:
    reach = AppliesTo(nationalities=("RUS",), profiles=("deserter",))
    assert reach.admits("RUS", "RU-CE", "deserter")
    assert reach.admits(None, None, None)
    assert not reach.admits("UKR")
    assert not reach.admits(profile="journalist")
    assert AppliesTo().everyone and AppliesTo().admits("UKR", "UA-43", "lgbti")


def test_an_excepted_profile_is_outside_the_fact() -> None:
    """The Dutch designation of Armenia holds "with the exception of LGBTIQ applicants"."""
    reach = AppliesTo(nationalities=("ARM",), except_profiles=("lgbti",))
    assert reach.admits("ARM", None, "journalist") and reach.admits("ARM")
    assert not reach.admits("ARM", None, "lgbti")
    assert not reach.everyone


def test_in_force_and_states_of_a_fact(kb: KnowledgeBase) -> None:
    fact = kb.facts[NOR_RETURNS]
    assert fact.in_force(date(2016, 1, 1)) and fact.in_force(date(2016, 12, 31))
    assert not fact.in_force(date(2015, 12, 31)) and not fact.in_force(date(2017, 1, 1))
    assert fact.states == ("NOR", "RUS")
    assert kb.facts[EU_READMISSION].states == ("EU", "RUS")
