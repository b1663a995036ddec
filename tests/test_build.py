"""`azyl build`: one command validates the knowledge base, builds statistics, seeds incidents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from azyl.build import build_all
from azyl.config import Settings
from azyl.errors import KnowledgeBaseError


def test_a_second_build_changes_nothing(built_settings: Settings, tmp_path: Path) -> None:
    settings = built_settings.model_copy(
        update=dict(database_url=f"sqlite:///{tmp_path / 'app.sqlite3'}")
    )
    first = build_all(settings, progress=False)
    assert len(first.kb.facts) >= 100
    assert not first.statistics.changed  # the session already built it from these files
    assert len(first.incidents.created) >= 30
    second = build_all(settings, progress=False)
    assert second.incidents.created == () and second.incidents.updated == ()
    assert len(second.incidents.unchanged) == len(first.incidents.created)
    lines = second.lines()
    assert lines[0].startswith(f"knowledge base {first.kb.version.label}")
    assert "up to date" in lines[1]


def test_a_broken_knowledge_base_stops_the_build_before_anything_is_written(
    built_settings: Settings, tmp_path: Path
) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(built_settings.kb_dir, kb)
    broken = next((kb / "facts").rglob("*.yaml"))
    broken.write_text(broken.read_text().replace("confidence:", "certainty:", 1))
    settings = built_settings.model_copy(update=dict(kb_dir=kb, data_dir=tmp_path / "data"))
    with pytest.raises(KnowledgeBaseError) as caught:
        build_all(settings, progress=False)
    assert any("certainty" in p for p in caught.value.problems)
    assert not settings.stats_db_path.exists()
    assert not (tmp_path / "data" / "azyl.sqlite3").exists()
