"""The texts quotes were read in: where a copy is, and whether it is the same text.

The repository keeps only short quotes, never whole source texts. Each source
records the SHA-256 of the text its quotes were read in and the date they were
last verified against it (`text:` in kb/README.md). When a copy of that text is
at hand, in one of the *texts folders* (`AZYL_SOURCE_TEXTS`, then the shared
folder beside the checkout that holds the founding documents under `seeds/`),
the loader checks the copy's hash and every quote against it. Elsewhere the
quotes are reported as *not checked here*, with the hash and the date, never
as verified and never as an error: a fresh clone with nothing beside it must
load the knowledge base.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from azyl.kb.quotes import comparison_form

#: What is known of a source's text.
VERIFIED_HERE = "verified"  # a copy with the recorded hash was found; quotes were checked
NOT_CHECKED_HERE = "not_checked_here"  # the hash and date are recorded; no copy at hand
NO_TEXT = "no_text"  # the source records no text: quotes citing it are unverified


@dataclass(frozen=True)
class SourceText:
    """A source's text as far as this machine knows it."""

    source_id: str
    status: str
    #: Where the copy was looked for or found, for messages (`seeds/001_....txt`).
    shown: str = ""
    #: The text in comparison form, when a copy with the recorded hash was found.
    form: str | None = None
    #: A problem with the copy found (its hash differs), for the loader to report.
    problem: str | None = None


def file_name(source_id: str, relative: str | None) -> str:
    """The copy's path inside a texts folder: the one recorded, else `<source id>.txt`."""
    return relative or f"{source_id}.txt"


def find_text(
    source_id: str, sha256: str | None, relative: str | None, roots: Sequence[Path]
) -> SourceText:
    """Look for the copy of a source's text in the texts folders and check its hash."""
    if sha256 is None:
        return SourceText(source_id, NO_TEXT)
    name = file_name(source_id, relative)
    for root in roots:
        path = root / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        found = hashlib.sha256(data).hexdigest()
        if found != sha256:
            return SourceText(
                source_id,
                NOT_CHECKED_HERE,
                name,
                problem=(
                    f"text.sha256: the copy {path} has sha256 {found[:12]}..., not the text the "
                    "quotes were read in; point AZYL_SOURCE_TEXTS at that text, or re-read the "
                    "quotes in this one and record its hash and today's date"
                ),
            )
        try:
            form = comparison_form(data.decode("utf-8"))
        except UnicodeDecodeError:
            return SourceText(
                source_id, NOT_CHECKED_HERE, name, problem=f"text: {path} is not UTF-8"
            )
        return SourceText(source_id, VERIFIED_HERE, name, form)
    return SourceText(source_id, NOT_CHECKED_HERE, name)
