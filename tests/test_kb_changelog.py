"""CI fails when kb/ changes without `azyl kb stamp` and a CHANGELOG "Knowledge base" entry.

The first three tests guard the repository itself; when one fails, the fix
is the procedure in kb/README.md ("Changing the knowledge base"):

    azyl kb stamp [--version X.Y.Z]
    # then, in CHANGELOG.md:
    ### Knowledge base X.Y.Z (YYYY-MM-DD)
    - `area.name` (in force from YYYY-MM-DD): what was added or changed, and why.

The remaining tests show that each check can fail, on the fixture knowledge base.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from azyl.kb import KnowledgeBase, load_kb
from azyl.kb.changelog import changelog_problems, knowledge_base_sections

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VALID = HERE / "kb" / "valid"

STAMP_HELP = (
    "kb/ changed but kb/VERSION was not stamped: run `azyl kb stamp` (add --version X.Y.Z "
    'for a new version) and add a "### Knowledge base <version>" entry to CHANGELOG.md '
    "listing the added, changed and removed fact ids with their effective dates"
)


@pytest.fixture(scope="module")
def repo_kb() -> KnowledgeBase:
    return load_kb(REPO / "kb")


def test_recorded_content_hash_matches_the_content(kb_sha256: Callable[[Path], str]) -> None:
    recorded = yaml.safe_load((REPO / "kb" / "VERSION").read_text())
    assert recorded["content_sha256"] == kb_sha256(REPO / "kb"), STAMP_HELP


def test_changelog_has_a_section_for_the_current_version() -> None:
    version = yaml.safe_load((REPO / "kb" / "VERSION").read_text())["version"]
    changelog = (REPO / "CHANGELOG.md").read_text()
    headings = [line for line in changelog.splitlines() if line.startswith("### Knowledge base ")]
    assert any(h.split()[3] == str(version) for h in headings), (
        f'CHANGELOG.md needs a "### Knowledge base {version}" section for kb/VERSION {version}'
    )


def test_every_fact_is_logged_with_its_effective_date(repo_kb: KnowledgeBase) -> None:
    assert changelog_problems(repo_kb, (REPO / "CHANGELOG.md").read_text()) == []


# ---- the checks themselves, on the fixture -------------------------------------------------

FIXTURE_IDS = {
    "safe_third_country.nor-russia-2016": "2016-01-01",
    "safe_third_country.est-russia-2016": "2016-01-01",
    "courts.est-russia-not-safe-third-country": "2016-01-01",
    "readmission.eu-russia": "2017-12-04",
    "internal_protection.deu-chechens": "2017-12-04",
    "safe_country_of_origin.nld-ukraine-2016": "2016-12-31",
    "unsafe_states.arm-russian-deserters": "2025-06-03",
    "deportation.nor-returns-to-russia-2016": "2016-01-01",
}


def changelog(version: str = "1.0.0", skip: str = "", undated: str = "") -> str:
    entries = [
        f"- `{fact_id}` (in force from {'?' if fact_id == undated else day}): added."
        for fact_id, day in FIXTURE_IDS.items()
        if fact_id != skip
    ]
    return "\n".join(
        ["# Changelog", "", "## Unreleased", "", "### Added", "- code", "",
         f"### Knowledge base {version} (2026-11-22)", "", "#### Added", *entries, "",
         "## 0.0.1", "", "- `deportation.elsewhere` (2001-01-01) is outside any section"]
    )  # fmt: skip


@pytest.fixture(scope="module")
def fixture_kb() -> KnowledgeBase:
    return load_kb(VALID)


def test_a_complete_changelog_has_no_problems(fixture_kb: KnowledgeBase) -> None:
    assert changelog_problems(fixture_kb, changelog()) == []


def test_a_missing_section_for_the_version_is_a_problem(fixture_kb: KnowledgeBase) -> None:
    assert changelog_problems(fixture_kb, changelog(version="0.9.0")) == [
        'CHANGELOG.md has no "### Knowledge base 1.0.0" section for the current kb/VERSION: '
        "add one listing the added, changed and removed fact ids"
    ]


def test_an_unlisted_fact_is_a_problem(fixture_kb: KnowledgeBase) -> None:
    assert changelog_problems(fixture_kb, changelog(skip="readmission.eu-russia")) == [
        "fact `readmission.eu-russia` is not listed in any Knowledge base section of CHANGELOG.md"
    ]


def test_a_fact_listed_without_its_effective_date_is_a_problem(fixture_kb: KnowledgeBase) -> None:
    problems = changelog_problems(fixture_kb, changelog(undated="readmission.eu-russia"))
    assert problems == [
        "fact `readmission.eu-russia` is listed in CHANGELOG.md but never with its effective "
        "date 2017-12-04: add a Changed entry giving it"
    ]


def test_an_unstamped_change_is_a_problem(tmp_path: Path) -> None:
    kb_dir = tmp_path / "kb"
    shutil.copytree(VALID, kb_dir)
    (kb_dir / "sources" / "fpc-closing-the-door-2017.yaml").write_text(
        (VALID / "sources" / "fpc-closing-the-door-2017.yaml").read_text() + "# edited\n"
    )
    problems = changelog_problems(load_kb(kb_dir), changelog())
    assert len(problems) == 1
    assert problems[0].startswith("kb/VERSION records content ")
    assert "run `azyl kb stamp`" in problems[0]


def test_sections_run_to_the_next_heading_of_level_three_or_less() -> None:
    sections = knowledge_base_sections(changelog())
    assert [s.version for s in sections] == ["1.0.0"]
    assert "#### Added" in sections[0].body
    assert "deportation.elsewhere" not in sections[0].body
