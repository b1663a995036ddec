"""The knowledge-base documentation cannot drift from the code it describes."""

from __future__ import annotations

from pathlib import Path

from azyl.cli.kb import kb_group
from azyl.kb.catalog import generated_section, vocabulary_markdown
from azyl.kb.loader import (
    APPLIES_TO_KEYS,
    CITATION_KEYS,
    FACT_OPTIONAL,
    FACT_REQUIRED,
    SOURCE_OPTIONAL,
    SOURCE_REQUIRED,
)

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "kb" / "README.md").read_text()
GUIDE = (REPO / "docs" / "knowledge-base.md").read_text()


def test_the_readme_vocabulary_section_is_generated_from_vocabulary_py() -> None:
    assert generated_section(README) == vocabulary_markdown(), (
        "kb/README.md's vocabulary section is out of date: run "
        "`azyl kb catalog --format markdown --write kb/README.md`"
    )


def test_every_key_the_loader_accepts_is_shown_in_the_readme_examples() -> None:
    keys = SOURCE_REQUIRED + SOURCE_OPTIONAL + FACT_REQUIRED + FACT_OPTIONAL
    keys += APPLIES_TO_KEYS + CITATION_KEYS
    missing = [key for key in keys if f"{key}:" not in README]
    assert missing == []


def test_every_kb_command_is_documented() -> None:
    missing = [name for name in kb_group.commands if f"azyl kb {name}" not in GUIDE]
    assert missing == []
