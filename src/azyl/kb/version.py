"""The knowledge-base version: a human version plus a hash of the content.

Every output built from the knowledge base quotes its version, so a reader can
tell exactly which facts an assessment or an export rested on. Two parts:

- the *human version* (`kb/VERSION`: `version`, `released`), bumped by people
  and explained in CHANGELOG.md's "Knowledge base <version>" sections;
- the *content hash*, computed, never typed: SHA-256 over every file under
  `kb/sources/` and `kb/facts/` (hidden files excluded), taken in order of
  their paths relative to `kb/` (`facts/border/x.yaml`, with '/'), each fed as

      <relative path> NUL <size in bytes, decimal> NUL <file bytes>

  so that renaming, moving, adding or deleting a file changes the hash as
  surely as editing one.

`kb/VERSION` also records the hash it was stamped at (`content_sha256`). When
the recorded and computed hashes differ, `kb/` was changed without `azyl kb
stamp`; `tests/test_kb_changelog.py` fails in that case.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator

from azyl.errors import InputError
from azyl.kb.model import KbVersion
from azyl.validation import Problems, parse_day, read_yaml, validate

VERSION_FILE = "VERSION"
#: The folders whose content the hash covers.
HASHED_FOLDERS = ("sources", "facts")
_VERSION_FORM = re.compile(r"^\d+\.\d+\.\d+$")
_SHA_FORM = re.compile(r"^[0-9a-f]{64}$")
_HEADER = (
    "# The version of the knowledge base, quoted by every output built from it.\n"
    "# Written by `azyl kb stamp`: run it after any change under kb/sources or kb/facts,\n"
    '# then add a "### Knowledge base <version>" entry to CHANGELOG.md (see kb/README.md).\n'
)


def content_files(kb_dir: Path) -> Iterator[tuple[str, Path]]:
    """(path relative to kb/, file) for every hashed file, in hashing order."""
    found: list[tuple[str, Path]] = []
    for folder in HASHED_FOLDERS:
        base = kb_dir / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            relative = path.relative_to(kb_dir)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                found.append((relative.as_posix(), path))
    yield from sorted(found)


def content_sha256(kb_dir: Path) -> str:
    """The SHA-256 of the knowledge base's content (see the module docstring)."""
    digest = hashlib.sha256()
    for relative, path in content_files(kb_dir):
        data = path.read_bytes()
        digest.update(relative.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0")
        digest.update(data)
    return digest.hexdigest()


class VersionDoc(BaseModel):
    """`kb/VERSION`: the human version, its release date and the hash it was stamped at."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    released: Annotated[date, BeforeValidator(parse_day)]
    content_sha256: str

    @field_validator("version")
    @classmethod
    def _semver(cls, value: str) -> str:
        if not _VERSION_FORM.match(value):
            raise ValueError(f"{value!r} is not of the form 1.2.3")
        return value

    @field_validator("content_sha256")
    @classmethod
    def _sha(cls, value: str) -> str:
        if not _SHA_FORM.match(value):
            raise ValueError("not a SHA-256 in lower-case hex; run `azyl kb stamp`")
        return value


def read_version(kb_dir: Path, problems: Problems, display: str) -> KbVersion | None:
    """The version recorded in kb/VERSION with the hash of the content now on disk.

    `display` is how the VERSION file is named in problems (`kb/VERSION`).
    Returns None, after adding a problem, when the file is missing or malformed.
    """
    path = kb_dir / VERSION_FILE
    if not path.is_file():
        problems.add(display, 0, "missing; create it with `azyl kb stamp --version 0.1.0`")
        return None
    parsed = read_yaml(path.read_text(encoding="utf-8"), display, problems)
    doc = validate(VersionDoc, parsed, display, problems) if parsed else None
    if doc is None:
        return None
    return KbVersion(doc.version, doc.released, content_sha256(kb_dir), doc.content_sha256)


@dataclass(frozen=True)
class Stamp:
    """What `azyl kb stamp` would write: the new version, the file text, and whether it changes."""

    version: KbVersion
    text: str
    changed: bool


def plan_stamp(kb_dir: Path, *, today: date, version: str | None = None) -> Stamp:
    """Recompute the hash and prepare kb/VERSION; the caller writes `text` when `changed`.

    Without `version` the current human version is kept (a first stamp needs
    one). `released` becomes `today` whenever the version or the content hash
    changes, and stays as it was otherwise, so stamping twice changes nothing.
    """
    if version is not None and not _VERSION_FORM.match(version):
        raise InputError(f"--version {version!r} is not of the form 1.2.3 (major.minor.patch)")
    current = _current(kb_dir)
    new_version = version or (current.version if current else None)
    if new_version is None:
        raise InputError("kb/VERSION does not exist yet: give the first version with --version")
    sha = content_sha256(kb_dir)
    unchanged = (
        current is not None and current.version == new_version and current.recorded_sha256 == sha
    )
    released = current.released if unchanged and current is not None else today
    stamped = KbVersion(new_version, released, sha, sha)
    text = f"{_HEADER}version: {new_version}\nreleased: {released}\ncontent_sha256: {sha}\n"
    return Stamp(stamped, text, not unchanged)


def _current(kb_dir: Path) -> KbVersion | None:
    """The version kb/VERSION records now, or None when it is missing or unreadable."""
    problems = Problems()
    found = read_version(kb_dir, problems, VERSION_FILE)
    if found is None and (kb_dir / VERSION_FILE).is_file():
        raise InputError(
            "kb/VERSION cannot be read (" + "; ".join(problems.sorted_lines()) + "); "
            "fix it or delete it and stamp again with --version"
        )
    return found
