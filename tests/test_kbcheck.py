"""A proposed fact is checked in a scratch knowledge base that never writes the real one."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Kb:
    """A copy of the repository's kb/ standing in for the real one, as it was before a check."""

    settings: Settings
    before: dict[str, str]
    committed: str

    @property
    def broken(self) -> str:
        """The committed fact with a confidence level the vocabulary does not have."""
        broken = self.committed.replace("confidence: medium", "confidence: certain")
        assert broken != self.committed
        return broken

    def unchanged(self) -> bool:
        return _digests(self.settings.kb_dir) == self.before


@pytest.fixture
def kb(tmp_path: Path) -> Kb:
    folder = tmp_path / "kb"
    shutil.copytree(REPO_KB, folder)
    committed = (folder / FILE).read_text(encoding="utf-8")
    return Kb(_settings_on(folder, tmp_path), _digests(folder), committed)


def _reports_the_confidence_line(problems: list[Any], broken: str) -> None:
    line = broken.splitlines().index("confidence: certain") + 1
    said = [render(p, "en") for p in problems]
    assert any(s.startswith(f"line {line}: confidence:") for s in said), said


def test_checking_a_changed_fact_reports_its_problems_and_writes_nothing(kb: Kb) -> None:
    _reports_the_confidence_line(check_fact(kb.settings, FACT, kb.broken), kb.broken)
    assert kb.unchanged()


def test_a_new_fact_checked_beside_the_others_leaves_no_file_behind(kb: Kb) -> None:
    assert check_fact(kb.settings, "safe_third_country.bgr-russia-copy", kb.committed) == []
    assert kb.unchanged()


def test_where_links_are_refused_the_scratch_copy_is_a_copy(
    kb: Kb, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*_args: object, **_kwargs: object) -> None:
        raise OSError("symbolic links are not allowed here")

    monkeypatch.setattr(Path, "symlink_to", refused)
    _reports_the_confidence_line(check_fact(kb.settings, FACT, kb.broken), kb.broken)
    assert kb.unchanged()
