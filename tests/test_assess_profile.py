"""The case profile: strict validation, one clear message per field, and its JSON Schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from azyl.assess import case_profile_schema, load_case, parse_case
from azyl.assess.vocabulary import STAGES
from azyl.errors import CaseProfileError
from azyl.kb.vocabulary import PROFILES

VALID: dict[str, Any] = {
    "as_of": "2025-06-01",
    "person": {"citizenship": ["RU"], "region": "RU-CE", "profiles": ["lgbti"]},
    "route": [
        {"country": "Belarus", "role": "transit"},
        {"country": "POL", "role": "first_eu_entry", "fingerprinted": True},
    ],
    "current_country": "DEU",
    "stage": "dublin_procedure",
    "proposed_action": {"type": "dublin_transfer", "to": "Poland"},
}


def problems(data: Any) -> list[str]:
    with pytest.raises(CaseProfileError) as caught:
        parse_case(data)
    listed: list[str] = caught.value.details["problems"]
    assert caught.value.message.startswith("the case profile has problems")
    return listed


def test_codes_and_names_are_stored_as_iso_alpha3() -> None:
    case = parse_case(VALID)
    assert case.person.citizenship == ["RUS"]
    assert [s.country for s in case.route] == ["BLR", "POL"]
    assert case.proposed_action is not None and case.proposed_action.to == "POL"
    assert case.transit_states == ("BLR", "POL")


def test_every_field_problem_is_reported_at_once_with_its_location() -> None:
    bad = {
        "person": {"citizenship": ["Russa"], "profiles": ["gay"]},
        "route": [{"country": "Polnd"}],
        "current_country": "DEU",
        "stage": "waiting",
        "colour": "blue",
    }
    listed = problems(bad)
    assert any(p.startswith("person, citizenship, item 1: unknown country 'Russa'") for p in listed)
    assert any("did you mean RUS" in p for p in listed)
    assert any(p.startswith("person, profiles, item 1: unknown profile 'gay'") for p in listed)
    assert any(p.startswith("route, step 1, country: unknown country 'Polnd'") for p in listed)
    assert any("did you mean POL (Poland)" in p for p in listed)
    assert f"stage: unknown stage 'waiting'; expected one of: {', '.join(STAGES)}" in listed
    assert "colour: unknown field" in listed
    assert len(listed) == 5


def test_profiles_come_from_the_knowledge_base_vocabulary() -> None:
    listed = problems({**VALID, "person": {"citizenship": ["RUS"], "profiles": ["spy"]}})
    assert listed == [
        f"person, profiles, item 1: unknown profile 'spy'; expected one of: {', '.join(PROFILES)}"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"route": [{"country": "BLR"}, {"country": "BLR"}]},
            "route, step 2, country: BLR repeats the previous step",
        ),
        (
            {"route": [{"country": "BLR", "role": "first_eu_entry"}]},
            "route, step 1, role: BLR was not bound by the Dublin rules on 2025-06-01, "
            "so it cannot be the first EU entry state",
        ),
        (
            {"current_country": "RUS"},
            "current country: RUS is the person's own state; screening looks for ways back to "
            "it from elsewhere",
        ),
        (
            {"proposed_action": {"type": "dublin_transfer", "to": "TUR"}},
            "proposed action, to: TUR is not bound by the Dublin rules",
        ),
        (
            {"proposed_action": {"type": "return_to_origin", "to": "TJK"}},
            "proposed action, to: TJK is not a state of nationality (RUS); use type deportation",
        ),
        (
            {"person": {"citizenship": ["RUS"], "region": "UA-43"}},
            "person, region: UA-43 is not in a state of nationality (RUS)",
        ),
        (
            {"route": [{"country": "BLR", "entered": "2025-07-01"}]},
            "route, step 1, entered: after the screening date 2025-06-01",
        ),
        (
            {"route": [{"country": "BLR", "entered": "2025-02-01", "left": "2025-01-01"}]},
            "route, step 1, left: before the date it was entered",
        ),
        ({"as_of": "2025-13-01"}, "as of: not a calendar date in the form YYYY-MM-DD"),
        ({"person": {"citizenship": []}}, "person, citizenship: must not be empty"),
        ({"stage": None}, "stage: must be text"),
    ],
)
def test_impossible_or_malformed_values_get_a_specific_message(
    change: dict[str, Any], expected: str
) -> None:
    listed = problems({**VALID, **change})
    assert any(p.startswith(expected) for p in listed), listed


def test_names_in_russian_and_region_names_are_accepted() -> None:
    case = parse_case(
        {**VALID, "person": {"citizenship": ["Россия"], "region": "Чечня"},
         "current_country": "Германия", "route": [{"country": "Польша"}]}
    )  # fmt: skip
    assert case.person.citizenship == ["RUS"] and case.person.region == "RU-CE"
    assert (case.current_country, case.route[0].country) == ("DEU", "POL")
    assert parse_case({**VALID, "person": {"citizenship": ["RUS"], "region": "Chechnya"}})


def test_military_service_adds_its_profile() -> None:
    case = parse_case({**VALID, "person": {"citizenship": ["RUS"], "military_service": "deserter"}})
    assert case.person.all_profiles == ("deserter",)
    assert (
        "military service: unknown military-service status 'spy'"
        in problems({**VALID, "person": {"citizenship": ["RUS"], "military_service": "spy"}})[0]
    )


def test_a_profile_that_is_not_a_mapping_is_refused_plainly() -> None:
    with pytest.raises(CaseProfileError, match="must be a mapping"):
        parse_case(["RUS"])


def test_files_are_read_as_yaml_or_json_and_as_of_can_be_overridden(tmp_path: Path) -> None:
    yaml_file = tmp_path / "case.yaml"
    yaml_file.write_text(
        "person: {citizenship: [TJK]}\ncurrent_country: POL\nstage: first_instance\n"
    )
    assert load_case(yaml_file).person.citizenship == ["TJK"]
    json_file = tmp_path / "case.json"
    json_file.write_text(
        '{"person": {"citizenship": ["TJK"]}, "current_country": "POL", '
        '"stage": "first_instance", "as_of": "2020-01-01"}'
    )
    from datetime import date

    assert load_case(json_file, date(2021, 5, 1)).as_of == date(2021, 5, 1)
    broken = tmp_path / "broken.yaml"
    broken.write_text("person: [unclosed\n")
    with pytest.raises(CaseProfileError, match="not valid YAML or JSON"):
        load_case(broken)
    with pytest.raises(CaseProfileError, match="cannot read"):
        load_case(tmp_path / "missing.yaml")


def test_the_json_schema_lists_the_closed_vocabularies() -> None:
    schema = case_profile_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["required"]) == {"person", "current_country", "stage"}
    assert schema["properties"]["stage"]["enum"] == list(STAGES)
    person = schema["$defs"]["Person"]
    assert person["properties"]["profiles"]["items"]["enum"] == list(PROFILES)
    assert person["additionalProperties"] is False
