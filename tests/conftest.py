"""Fixtures shared by every test file.

Tests never use the network. The real publisher files live in the local mirror
(`../shared/data`), present on every machine and in CI; tests that need them
use the `mirror_dir` fixture, which fails loudly (it does not skip) when the
mirror cannot be found, so that CI can never pass by skipping them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from azyl.config import Settings, find_mirror, load_settings

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    """The local mirror of publisher files (`shared/data`)."""
    found = find_mirror({})
    if found is None:
        pytest.fail("the publisher mirror (../shared/data) was not found; set AZYL_MIRROR_DIR")
    return found


@pytest.fixture(scope="session")
def seeds_dir(mirror_dir: Path) -> Path:
    """The founding documents (`shared/seeds`), beside the mirror."""
    path = mirror_dir.parent / "seeds"
    if not path.is_dir():
        pytest.fail(f"the seeds folder {path} is missing")
    return path


@pytest.fixture
def settings(tmp_path: Path, mirror_dir: Path) -> Iterator[Settings]:
    """Settings that write only into a temporary directory."""
    yield load_settings(
        {
            "AZYL_DATA_DIR": str(tmp_path / "data"),
            "AZYL_MIRROR_DIR": str(mirror_dir),
            "HOME": str(tmp_path),
        }
    )


def _independent_kb_sha256(kb_dir: Path) -> str:
    """The content hash of a knowledge base, computed here from its documented definition.

    kb/README.md and azyl.kb.version define it; this is a second, separate
    implementation (os.walk instead of pathlib), so a test comparing the two
    checks the definition rather than the code against itself.
    """
    import hashlib
    import os

    entries = []
    for folder in ("sources", "facts"):
        for dirpath, dirnames, filenames in os.walk(kb_dir / folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for filename in filenames:
                if not filename.startswith("."):
                    full = Path(dirpath) / filename
                    entries.append((full.relative_to(kb_dir).as_posix(), full))
    digest = hashlib.sha256()
    for relative, full in sorted(entries):
        data = full.read_bytes()
        digest.update(f"{relative}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


@pytest.fixture(scope="session")
def kb_sha256() -> Callable[[Path], str]:
    """Compute a knowledge base's content hash independently of azyl.kb.version."""
    return _independent_kb_sha256
