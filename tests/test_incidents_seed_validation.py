"""The seed loader is strict: one broken fixture per failure mode, each with its line.

Each file in tests/incidents/invalid/ is tests/incidents/valid.yaml with one
defect; the expected line and message are read off the fixture by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from azyl.incidents import SeedError
from azyl.incidents.references import SourceCatalogue, load_catalogue
from azyl.incidents.seed import read_seed

FIXTURES = Path(__file__).parent / "incidents"
REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 1, 1)

# (fixture, line, message the loader must give for that line)
BROKEN = [
    ("unknown_key", 22, "severity: unknown key; allowed keys are id, date_precision, date,"),
    ("duplicate_key", 6, "host: duplicate key (first given on line 5)"),
    ("unknown_tactic", 12, "tactics[0]: unknown tactic 'kidnap'"),
    ("tactic_twice", 12, "tactics: detention is listed twice"),
    ("no_tactics", 12, "tactics: needs at least one tactic"),
    ("unknown_profile", 9, "target.profiles[0]: unknown profile 'dissident'"),
    ("unknown_outcome", 13, "outcome: unknown outcome 'vanished'"),
    ("unknown_precision", 3, "date_precision: unknown date precision 'approx'"),
    ("bad_date", 2, "date: 2015-02-30 is not a date on the calendar"),
    ("date_format", 2, "date: '15/06/2015' is not a date in the form YYYY-MM-DD"),
    ("month_not_first", 2, "write the first of the month (2015-06-01)"),
    ("future_date", 2, "date: 2999-01-01 is in the future"),
    ("unknown_country", 5, "host: 'XXX' is not an ISO 3166-1 alpha-3 code"),
    ("alpha2_code", 4, "origin: 'TJ' is not an ISO 3166-1 alpha-3 code"),
    ("region_elsewhere", 5, "origin_region: region UA-43 is not in TJK"),
    ("missing_sources", 16, "sources: needs at least one citation"),
    ("dangling_source", 17, "sources[0].source: 'no-such-report' is not a knowledge-base source"),
    ("missing_quote", 17, "sources[0].quote: cite a short exact quote"),
    ("wrong_quote", 19, "sources[0].quote: not found in the archived text of fpc-closing-the"),
    ("url_without_title", 17, "sources[0].title: a URL citation needs the title"),
    ("name_and_label", 6, "target: has both a name and a label"),
    ("no_name_no_label", 6, "target: needs a name (public figures only) or a pseudonymous label"),
    (
        "relation_without_relatives",
        11,
        "relatives_relation: is given but relatives_targeted is false",
    ),
    ("relatives_not_boolean", 10, "relatives_targeted: must be true or false, not 'maybe'"),
    ("duplicate_id", 22, "id 'tjk-blr-2015-test' is already used at line 1"),
    ("notes_in_seed", 22, "notes: the seed file is public and carries no notes"),
    ("derived_stage", 22, "stage: derived from the tactics, never written by hand"),
    ("bad_id", 1, "id: 'TJK_Test' is not a valid id"),
    ("missing_field", 1, "mechanism: missing (required)"),
    ("not_a_list", 1, "the seed is a list of incidents"),
    ("invalid_yaml", 5, "not valid YAML"),
]


@pytest.fixture(scope="module")
def catalogue(seeds_dir: Path) -> SourceCatalogue:
    return load_catalogue(REPO / "kb", [seeds_dir.parent])


def test_the_valid_fixture_loads(catalogue: SourceCatalogue) -> None:
    records, checked, unchecked = read_seed(FIXTURES / "valid.yaml", catalogue, TODAY)
    assert [r.id for r in records] == ["tjk-blr-2015-test"]
    assert records[0].stage == "detained"
    assert (checked, unchecked) == (1, 0)


def test_every_broken_fixture_has_an_expectation() -> None:
    files = {p.stem for p in (FIXTURES / "invalid").glob("*.yaml")}
    assert files == {name for name, _, _ in BROKEN}


@pytest.mark.parametrize(("name", "line", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_seed_is_refused_with_file_line_and_problem(
    catalogue: SourceCatalogue, name: str, line: int, message: str
) -> None:
    path = FIXTURES / "invalid" / f"{name}.yaml"
    with pytest.raises(SeedError) as raised:
        read_seed(path, catalogue, TODAY)
    problems = raised.value.problems
    assert any(p.startswith(f"{path}:{line}: ") and message in p for p in problems), problems
    assert "nothing was loaded" in raised.value.message


def test_a_missing_seed_file_is_a_clear_error(catalogue: SourceCatalogue, tmp_path: Path) -> None:
    with pytest.raises(SeedError, match="cannot be read"):
        read_seed(tmp_path / "absent.yaml", catalogue, TODAY)


def test_quotes_are_not_checked_without_an_archived_copy_but_are_counted(tmp_path: Path) -> None:
    catalogue = load_catalogue(REPO / "kb", [])  # no texts folder, so no copy of any text
    records, checked, unchecked = read_seed(
        FIXTURES / "invalid" / "wrong_quote.yaml", catalogue, TODAY
    )
    assert len(records) == 1
    assert (checked, unchecked) == (0, 1)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- id: " + "[" * 25_000 + "]" * 25_000 + "\n", "nested more than 32 levels deep"),
        ("- &a {id: x}\n- *a\n", "anchors and aliases"),
    ],
)
def test_a_hostile_seed_is_refused_before_it_is_composed(
    catalogue: SourceCatalogue, tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(text)
    with pytest.raises(SeedError, match=problem):
        read_seed(path, catalogue, TODAY)


TWO_BROKEN = """\
- id: tjk-blr-2015-first
  date: 2015-06-15
  date_precision: month
  origin: TJ
  host: BLR
  target:
    name: Someone Public
    label: Test target
    profiles: [political_activist, political_activist]
  relatives_targeted: false
  tactics: [kidnap, detention]
  outcome: released
  mechanism: Detained at the origin state's request.
  summary: A test incident.
  sources:
    - source: fpc-closing-the-door-2017
      pinpoint: fn 86
  confidence: medium
  visibility: public
- id: tjk-blr-2015-second
  date: 2015-06-15
  date_precision: day
  origin: TJK
  host: BLR
  host_region: UA-43
  target:
    label: Test target
  relatives_targeted: maybe
  tactics: [detention]
  outcome: released
  mechanism: Detained at the origin state's request.
  summary:
  sources:
    - url: https://example.org/report
      pinpoint: para. 3
  confidence: certain
  visibility: public
"""


def test_every_problem_of_every_incident_is_listed_at_once_in_line_order(
    catalogue: SourceCatalogue, tmp_path: Path
) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(TWO_BROKEN)
    with pytest.raises(SeedError) as raised:
        read_seed(path, catalogue, TODAY)
    # The first target's name and label are judged together once its fields are fine.
    assert raised.value.problems == [
        f"{path}:2: date: 2015-06-15 has precision 'month': write the first of the month "
        "(2015-06-01)",
        f"{path}:4: origin: 'TJ' is not an ISO 3166-1 alpha-3 code (did you mean TJK?)",
        f"{path}:9: target.profiles: political_activist is listed twice",
        f"{path}:11: tactics[0]: unknown tactic 'kidnap'",
        f"{path}:16: sources[0].quote: cite a short exact quote from the source",
        f"{path}:25: host_region: region UA-43 is not in BLR",
        f"{path}:28: relatives_targeted: must be true or false, not 'maybe'",
        f"{path}:32: summary: missing (required)",
        f"{path}:34: sources[0].date: a URL citation needs the date it was published (YYYY-MM-DD)",
        f"{path}:34: sources[0].title: a URL citation needs the title of the page",
        f"{path}:36: confidence: unknown confidence 'certain'",
    ]


def test_an_empty_seed_holds_no_incidents(catalogue: SourceCatalogue, tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text("# nothing reviewed yet\n")
    assert read_seed(path, catalogue, TODAY) == ([], 0, 0)
