"""The knowledge-base documentation cannot drift from the code it describes."""

from __future__ import annotations

from pathlib import Path

from azyl.cli.kb import kb_group
from azyl.kb.catalog import generated_section, vocabulary_markdown
from azyl.kb.documents import AppliesToDoc, CitationDoc, FactDoc, SourceDoc, TextRecord

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "kb" / "README.md").read_text()
GUIDE = (REPO / "docs" / "knowledge-base.md").read_text()


def test_the_readme_vocabulary_section_is_generated_from_vocabulary_py() -> None:
    assert generated_section(README) == vocabulary_markdown(), (
        "kb/README.md's vocabulary section is out of date: run "
        "`azyl kb catalog --format markdown --write kb/README.md`"
    )


def test_every_key_the_loader_accepts_is_shown_in_the_readme_examples() -> None:
    models = (SourceDoc, TextRecord, FactDoc, AppliesToDoc, CitationDoc)
    keys = [key for model in models for key in model.model_fields]
    missing = [key for key in keys if f"{key}:" not in README]
    assert missing == []


def test_every_kb_command_is_documented() -> None:
    missing = [name for name in kb_group.commands if f"azyl kb {name}" not in GUIDE]
    assert missing == []


def test_the_readme_examples_are_a_valid_source_and_fact(tmp_path: Path) -> None:
    """The two YAML examples in kb/README.md load (quotes not checked here: no texts folder)."""
    import re
    import shutil

    from azyl.kb import load_kb

    blocks = re.findall(r"```yaml\n(# kb/(\S+)\.yaml.*?)```", README, flags=re.S)
    assert [path for _, path in blocks] == [
        "sources/ecthr-i-u-v-russia-2017",
        "facts/safe_third_country/nor-russia-2016",
    ]
    kb = tmp_path / "kb"
    shutil.copytree(REPO / "tests" / "kb" / "valid", kb)
    for text, path in blocks:
        (kb / f"{path}.yaml").write_text(text)
    loaded = load_kb(kb)
    assert "ecthr-i-u-v-russia-2017" in loaded.sources
    example = loaded.facts["safe_third_country.nor-russia-2016"]
    assert example.kind == "safe_third_country_designation"
    assert (example.actor, example.subject) == ("NOR", ("RUS",))
