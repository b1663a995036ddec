"""What incidents may cite: the knowledge base's source records and their archived texts.

Incidents cite `kb/sources/<id>.yaml` by id. The registry never creates a
source: an import or a seed that cites an id the knowledge base does not have
is refused. When a source record names an archived copy of its text
(`archived_text: seeds/001_...txt`, relative to the shared folder beside the
publisher mirror), quotes citing it are checked against that text, with
whitespace, line breaks, hyphenation and typographic quotes normalised exactly as
the knowledge base does (`azyl.kb.quotes`), because a quote that cannot be found
is either a typo or an invention.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from azyl.config import Settings
from azyl.kb.quotes import comparison_form


@dataclass(frozen=True)
class SourceCatalogue:
    """The knowledge-base source ids, and where their archived texts are (when known)."""

    ids: frozenset[str]
    archived: dict[str, Path] = field(default_factory=dict)

    def archived_text(self, source_id: str) -> str | None:
        """The archived text of a source in comparison form, or None when there is no copy."""
        path = self.archived.get(source_id)
        return _read_normalised(path) if path is not None and path.is_file() else None


@cache
def _read_normalised(path: Path) -> str:
    return comparison_form(path.read_text(encoding="utf-8"))


def load_catalogue(kb_dir: Path, archive_root: Path | None) -> SourceCatalogue:
    """Read `kb_dir/sources/*.yaml` for ids and `archived_text` paths.

    `archive_root` is the shared folder the archived paths are relative to
    (the parent of the publisher mirror); None when there is no mirror, in
    which case quotes simply cannot be checked.
    """
    ids: set[str] = set()
    archived: dict[str, Path] = {}
    for path in sorted((kb_dir / "sources").glob("*.yaml")):
        ids.add(path.stem)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue  # the knowledge-base loader reports malformed sources; the id still exists
        text = data.get("archived_text") if isinstance(data, dict) else None
        if archive_root is not None and isinstance(text, str):
            archived[path.stem] = archive_root / text
    return SourceCatalogue(frozenset(ids), archived)


def catalogue_for(settings: Settings) -> SourceCatalogue:
    """The source catalogue of these settings' knowledge base and mirror."""
    root = settings.mirror_dir.parent if settings.mirror_dir is not None else None
    return load_catalogue(settings.kb_dir, root)
