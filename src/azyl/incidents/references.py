"""What incidents may cite: the knowledge base's source records and their texts.

Incidents cite `kb/sources/<id>.yaml` by id. The registry never creates a
source: an import or a seed that cites an id the knowledge base does not have
is refused. Where a copy of a source's text is at hand (`azyl.kb.texts`: a
texts folder holds a file with the hash the source records), quotes citing it
are checked against that text, with whitespace, line breaks, hyphenation and
typographic quotes normalised exactly as the knowledge base does
(`azyl.kb.quotes`), because a quote that cannot be found is either a typo or an
invention. Elsewhere they are not checked here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from azyl.config import Settings
from azyl.kb.texts import find_text
from azyl.limits import SAFE_LOADER


@dataclass(frozen=True)
class SourceCatalogue:
    """The knowledge-base source ids, and the texts of those whose copy is at hand."""

    ids: frozenset[str]
    texts: dict[str, str] = field(default_factory=dict)

    def archived_text(self, source_id: str) -> str | None:
        """The source's text in comparison form, or None when no copy is at hand."""
        return self.texts.get(source_id)


def load_catalogue(kb_dir: Path, text_roots: Sequence[Path]) -> SourceCatalogue:
    """Read `kb_dir/sources/*.yaml` for ids and the texts recorded there.

    Malformed source files still count as ids: the knowledge-base loader
    reports them on its own.
    """
    ids: set[str] = set()
    texts: dict[str, str] = {}
    for path in sorted((kb_dir / "sources").glob("*.yaml")):
        ids.add(path.stem)
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        except yaml.YAMLError:
            continue
        record = data.get("text") if isinstance(data, dict) else None
        if isinstance(record, dict) and isinstance(record.get("sha256"), str):
            found = find_text(path.stem, record["sha256"], record.get("file"), text_roots)
            if found.form is not None:
                texts[path.stem] = found.form
    return SourceCatalogue(frozenset(ids), texts)


def catalogue_for(settings: Settings) -> SourceCatalogue:
    """The source catalogue of these settings' knowledge base and texts folders."""
    return load_catalogue(settings.kb_dir, settings.source_texts)
