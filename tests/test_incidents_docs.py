"""The registry's documentation cannot drift from the code: every column, term and command."""

from __future__ import annotations

from pathlib import Path

import pytest

from azyl.cli.incidents import incidents
from azyl.incidents import RESTRICTED_FIELDS
from azyl.incidents.formats import COLUMNS, SOURCE_FIELDS
from azyl.incidents.vocabulary import DATE_PRECISION, OUTCOMES, TACTICS

REPO = Path(__file__).resolve().parent.parent
DOCS = (REPO / "docs" / "incidents.md").read_text(encoding="utf-8")
README = (REPO / "incidents" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("column", [*COLUMNS, *(f"source_N_{f}" for f in SOURCE_FIELDS)])
def test_every_flat_column_is_documented(column: str) -> None:
    assert f"`{column}`" in DOCS


@pytest.mark.parametrize("term", [*TACTICS, *OUTCOMES, *DATE_PRECISION, *RESTRICTED_FIELDS])
def test_every_vocabulary_term_is_documented(term: str) -> None:
    assert f"`{term}`" in DOCS
    assert term in README


@pytest.mark.parametrize("command", sorted(incidents.commands))
def test_every_command_is_documented_with_help(command: str) -> None:
    assert f"azyl incidents {command}" in DOCS
    assert incidents.commands[command].help
