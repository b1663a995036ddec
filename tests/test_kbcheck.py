"""A proposed fact is checked in a scratch knowledge base that never writes the real one."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from azyl.config import Settings, load_settings
from azyl.i18n.message import render
from azyl.revisions.kbcheck import check_fact

REPO_KB = Path(__file__).resolve().parent.parent / "kb"
FACT = "safe_third_country.bgr-russia"
FILE = "facts/safe_third_country/bgr-russia.yaml"


def _digests(folder: Path) -> dict[str, str]:
    """Every file's SHA-256 under `folder`, by relative path."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _settings_on(kb: Path, tmp_path: Path) -> Settings:
    return load_settings(
        {"AZYL_KB_DIR": str(kb), "AZYL_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path)}
    )


def test_checking_a_changed_fact_reports_its_problems_and_writes_nothing(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(REPO_KB, kb)
    before = _digests(kb)
    committed = (kb / FILE).read_text(encoding="utf-8")
    broken = committed.replace("confidence: medium", "confidence: certain")
    assert broken != committed

    problems = check_fact(_settings_on(kb, tmp_path), FACT, broken)

    line = broken.splitlines().index("confidence: certain") + 1
    said = [render(p, "en") for p in problems]
    assert any(s.startswith(f"line {line}: confidence:") for s in said), said
    assert _digests(kb) == before


def test_a_new_fact_checked_beside_the_others_leaves_no_file_behind(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(REPO_KB, kb)
    before = _digests(kb)
    committed = (kb / FILE).read_text(encoding="utf-8")

    settings = _settings_on(kb, tmp_path)
    assert check_fact(settings, "safe_third_country.bgr-russia-copy", committed) == []
    assert _digests(kb) == before


def test_where_links_are_refused_the_scratch_copy_is_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(REPO_KB, kb)
    before = _digests(kb)
    committed = (kb / FILE).read_text(encoding="utf-8")
    broken = committed.replace("confidence: medium", "confidence: certain")

    def refused(*_args: object, **_kwargs: object) -> None:
        raise OSError("symbolic links are not allowed here")

    monkeypatch.setattr(Path, "symlink_to", refused)
    problems = check_fact(_settings_on(kb, tmp_path), FACT, broken)

    line = broken.splitlines().index("confidence: certain") + 1
    said = [render(p, "en") for p in problems]
    assert any(s.startswith(f"line {line}: confidence:") for s in said), said
    assert _digests(kb) == before
