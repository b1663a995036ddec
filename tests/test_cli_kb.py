"""`azyl kb ...` on the command line: exit codes, output shapes and one-line errors.

Commands run in-process through `azyl.cli.main`, the real entry point, so
errors are shown exactly as a user sees them (one line on standard error, no
traceback). Expected values are read off the fixture files in tests/kb/valid/.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from azyl.kb.catalog import BEGIN_MARKER, END_MARKER
from azyl.kb.vocabulary import FACT_KINDS, PROFILES
from conftest import Run

HERE = Path(__file__).resolve().parent
VALID = HERE / "kb" / "valid"
REPO = HERE.parent


@pytest.fixture
def azyl(run_azyl: Callable[..., Run], tmp_path: Path, mirror_dir: Path) -> Callable[..., Run]:
    """Run `azyl <args>` against a knowledge base (the valid fixture unless told otherwise)."""

    def run(*args: str, kb: Path = VALID, texts: Path = mirror_dir.parent) -> Run:
        env = {
            "AZYL_KB_DIR": str(kb),
            "AZYL_SOURCE_TEXTS": str(texts),
            "AZYL_DATA_DIR": str(tmp_path / "data"),
        }
        return run_azyl(*args, env=env)

    return run


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    return kb


def test_check_reports_counts_version_and_quotes(azyl: Callable[..., Run]) -> None:
    run = azyl("kb", "check")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0].startswith("knowledge base 1.0.0+")
    assert lines[1] == "2 sources, 8 facts in 7 areas"
    assert lines[2] == "quotes: 8 verified here against their sources' texts"
    assert lines[-1] == "the knowledge base is valid"
    assert run.err == ""


def test_check_lists_every_problem_and_exits_1(azyl: Callable[..., Run], kb_copy: Path) -> None:
    shutil.copy(HERE / "kb" / "invalid" / "bad_date.yaml", kb_copy / "facts" / "courts" / "a.yaml")
    shutil.copy(HERE / "kb" / "invalid" / "source_bad_url.yaml", kb_copy / "sources" / "b.yaml")
    run = azyl("kb", "check", kb=kb_copy)
    assert run.code == 1
    assert run.out.splitlines() == [
        "kb/facts/courts/a.yaml:5: valid_from: 'early 2016' is not a date in the form YYYY-MM-DD",
        "kb/sources/b.yaml:6: url: 'fpc.org.uk/publications/closing-the-door/' is not an "
        "http:// or https:// address",
    ]
    assert run.err == "error: the knowledge base has 2 problems:\n"


def test_check_says_when_quotes_were_not_verified(azyl: Callable[..., Run], tmp_path: Path) -> None:
    run = azyl("kb", "check", texts=tmp_path / "absent")
    assert run.code == 0
    assert "quotes: 0 verified here against their sources' texts; 8 not checked here" in run.out
    assert "the knowledge base is valid" in run.out


def test_check_warns_when_the_version_is_stale_and_strict_fails(
    azyl: Callable[..., Run], kb_copy: Path
) -> None:
    fact = kb_copy / "facts" / "courts" / "est-russia-not-safe-third-country.yaml"
    fact.write_text(fact.read_text().replace("confidence: medium", "confidence: high"))
    relaxed = azyl("kb", "check", kb=kb_copy)
    assert relaxed.code == 0
    assert (
        "warning: kb/VERSION does not record the current content: run `azyl kb stamp`"
        in relaxed.err
    )
    assert azyl("kb", "check", "--strict", kb=kb_copy).code == 1


def test_list_filters_by_state_and_date_as_a_table(azyl: Callable[..., Run]) -> None:
    run = azyl("kb", "list", "--state", "Norway", "--as-of", "2016-06-01")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0].split() == ["ID", "KIND", "STATES", "FROM", "UNTIL"]
    assert [line.split()[0] for line in lines[1:-1]] == [
        "deportation.nor-returns-to-russia-2016",
        "safe_third_country.nor-russia-2016",
    ]
    assert lines[1].split()[1:] == [
        "deportation_practice",
        "NOR",
        "RUS",
        "2016-01-01",
        "2016-12-31",
    ]
    assert lines[-1].startswith("2 facts (knowledge base 1.0.0+")


def test_list_as_json_carries_facts_filters_and_version(azyl: Callable[..., Run]) -> None:
    document = azyl("kb", "list", "--profile", "deserter", "--nationality", "RU", "--kind",
                    "unsafe_for_profile", "--format", "json").json()  # fmt: skip
    assert [f["id"] for f in document["data"]] == ["unsafe_states.arm-russian-deserters"]
    assert document["meta"]["filters"]["nationality"] == "RUS"
    assert document["meta"]["kb_version"]["version"] == "1.0.0"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--kind", "pushback"],
            "error: unknown fact kind 'pushback'; allowed: safe_third_country_designation, ",
        ),
        (
            ["--profile", "dissident"],
            "error: unknown profile 'dissident'; allowed: political_activist, ",
        ),
        (["--as-of", "2017-02-30"], "error: --as-of '2017-02-30' is not a date on the calendar"),
        (
            ["--as-of", "June 2017"],
            "error: --as-of 'June 2017' is not a date: use YYYY-MM-DD, e.g. 2024-01-31",
        ),
        (["--state", "Narnia"], "error: unknown country 'Narnia': use an ISO 3166 code"),
    ],
)
def test_bad_list_options_give_one_line_errors(
    azyl: Callable[..., Run], args: list[str], message: str
) -> None:
    run = azyl("kb", "list", *args)
    assert run.code == 1
    assert run.out == ""
    assert run.err.startswith(message)
    assert run.err.count("\n") == 1
    assert "Traceback" not in run.err


def test_show_a_fact_with_its_citations_and_sources(azyl: Callable[..., Run]) -> None:
    run = azyl("kb", "show", "unsafe_states.arm-russian-deserters")
    assert run.code == 0, run.err
    assert "actor:       ARM (Armenia)" in run.out
    assert "applies to:  nationalities: RUS; profiles: political_activist, deserter" in run.out
    assert "Prokopieva, intervention (English text)" in run.out
    assert "Staying in Armenia and Kazakhstan is particularly dangerous" in run.out
    assert "valid/sources/russie-libertes-ep-hearing-2025.yaml" in run.out


def test_show_as_json_gives_the_full_source_records(azyl: Callable[..., Run]) -> None:
    data = azyl("kb", "show", "readmission.eu-russia", "--format", "json").json()["data"]
    assert data["fact"]["id"] == "readmission.eu-russia"
    assert data["fact"]["states"] == ["EU", "RUS"]
    assert [s["id"] for s in data["sources"]] == ["fpc-closing-the-door-2017"]
    assert data["sources"][0]["url"] == "https://fpc.org.uk/publications/closing-the-door/"


def test_show_an_overturned_fact_names_the_ruling(azyl: Callable[..., Run]) -> None:
    run = azyl("kb", "show", "safe_third_country.est-russia-2016")
    assert "overturned by: courts.est-russia-not-safe-third-country" in run.out.splitlines()
    document = azyl("kb", "show", "safe_third_country.est-russia-2016", "--format", "json").json()
    assert document["data"]["overturned_by"] == ["courts.est-russia-not-safe-third-country"]


def test_show_a_source_lists_the_facts_citing_it(azyl: Callable[..., Run]) -> None:
    run = azyl("kb", "show", "russie-libertes-ep-hearing-2025")
    assert run.out.splitlines()[-1] == "cited by: unsafe_states.arm-russian-deserters"


def test_show_an_unknown_id_suggests_close_ones(azyl: Callable[..., Run]) -> None:
    run = azyl("kb", "show", "readmission.eu-rusia")
    assert run.code == 1
    assert run.err == (
        "error: no fact or source 'readmission.eu-rusia' in the knowledge base; did you mean "
        "readmission.eu-russia? (`azyl kb list` shows the ids)\n"
    )


def test_export_gives_sources_facts_and_version(azyl: Callable[..., Run]) -> None:
    before = datetime.now().astimezone()
    document = azyl("kb", "export", "--format", "json").json()
    assert [s["id"] for s in document["data"]["sources"]] == sorted(
        p.stem for p in (VALID / "sources").glob("*.yaml")
    )
    facts = document["data"]["facts"]
    assert [f["id"] for f in facts] == sorted(
        f"{p.parent.name}.{p.stem}" for p in (VALID / "facts").glob("*/*.yaml")
    )
    required = {"id", "kind", "states", "applies_to", "valid_from", "valid_until", "statement",
                "citations", "confidence", "reviewed", "source_file"}  # fmt: skip
    assert all(required <= set(f) for f in facts)
    returns = next(f for f in facts if f["id"] == "deportation.nor-returns-to-russia-2016")
    assert (returns["valid_from"], returns["valid_until"]) == ("2016-01-01", "2016-12-31")
    assert set(returns["citations"][0]) == {"source", "pinpoint", "quote"}
    assert returns["source_file"] == "valid/facts/deportation/nor-returns-to-russia-2016.yaml"
    meta = document["meta"]
    assert meta["kb_version"]["version"] == "1.0.0"
    assert meta["kb_version"]["stamped"] is True
    assert datetime.fromisoformat(meta["exported_at"]) >= before.replace(microsecond=0)
    assert meta["quote_check"] == {
        "status": "verified",
        "verified": 8,
        "not_checked_here": 0,
        "no_text": 0,
    }


def test_catalog_exports_every_vocabulary_the_issue_requires(azyl: Callable[..., Run]) -> None:
    data = azyl("kb", "catalog").json()["data"]
    # The kinds and profiles the knowledge-base issue names as the minimum.
    assert {
        "safe_third_country_designation", "safe_country_of_origin_designation", "court_ruling",
        "ipa_practice", "border_access_restriction", "readmission_agreement",
        "extradition_cooperation", "interpol_practice", "deportation_practice",
        "unsafe_for_profile", "family_reprisal_practice", "detention_conditions",
        "treaty_status", "persecution_practice",
    } <= set(data["fact_kinds"])  # fmt: skip
    assert {
        "political_activist", "journalist", "human_rights_defender", "lgbti", "deserter",
        "conscientious_objector", "draft_evader", "religious_opposition",
        "family_member_of_target", "former_official", "ethnic_minority", "anti_war",
    } <= set(data["profiles"])  # fmt: skip
    assert data["fact_kinds"] == FACT_KINDS and data["profiles"] == PROFILES
    assert all(definition for vocab in data.values() for definition in vocab.values())


def test_catalog_writes_the_readme_section(azyl: Callable[..., Run], tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n\n{BEGIN_MARKER}\nstale\n{END_MARKER}\n\nafter\n")
    run = azyl("kb", "catalog", "--format", "markdown", "--write", str(readme))
    assert run.code == 0, run.err
    text = readme.read_text()
    assert text.startswith("intro\n\n" + BEGIN_MARKER) and text.endswith(END_MARKER + "\n\nafter\n")
    assert "stale" not in text and "- `deserter`: " + PROFILES["deserter"] in text
    readme.write_text("no markers")
    broken = azyl("kb", "catalog", "--write", str(readme))
    assert broken.code == 1 and "the vocabulary markers are missing" in broken.err


def test_stamp_records_the_content_hash_and_is_idempotent(
    azyl: Callable[..., Run], kb_copy: Path, kb_sha256: Callable[[Path], str]
) -> None:
    fact = kb_copy / "facts" / "courts" / "est-russia-not-safe-third-country.yaml"
    fact.write_text(fact.read_text().replace("confidence: medium", "confidence: high"))
    run = azyl("kb", "stamp", kb=kb_copy)
    assert run.code == 0, run.err
    text = (kb_copy / "VERSION").read_text()
    assert f"content_sha256: {kb_sha256(kb_copy)}\n" in text
    assert f"released: {date.today()}\n" in text and "version: 1.0.0\n" in text
    again = azyl("kb", "stamp", kb=kb_copy)
    assert again.out.startswith("kb/VERSION is up to date")
    assert (kb_copy / "VERSION").read_text() == text
    bumped = azyl("kb", "stamp", "--version", "1.1.0", kb=kb_copy)
    assert bumped.code == 0 and "version: 1.1.0\n" in (kb_copy / "VERSION").read_text()


def test_stamp_rejects_a_malformed_version(azyl: Callable[..., Run], kb_copy: Path) -> None:
    run = azyl("kb", "stamp", "--version", "v2", kb=kb_copy)
    assert run.code == 1
    assert run.err == "error: --version 'v2' is not of the form 1.2.3 (major.minor.patch)\n"


def test_the_repository_knowledge_base_checks_clean(azyl: Callable[..., Run]) -> None:
    run = azyl("kb", "check", "--strict", kb=REPO / "kb")
    assert run.code == 0, run.out + run.err
    assert "quotes:" in run.out and "verified here against their sources' texts" in run.out
