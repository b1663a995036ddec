"""The knowledge base read once per content in a test process.

Reading and validating the knowledge base (some 520 facts, their sources, every
quote checked against the texts at hand) takes most of a second, and hundreds
of tests start an application that reads it again, unchanged. `read_once`
wraps `azyl.kb.loader.load_kb` for the test session: the first read of a
given content runs the real loader; later reads of the same folder with the
same bytes, and the same texts folders, get that result again (it is never
changed after loading). A folder a test writes or edits has other bytes, so it
is read for real; a read that fails is never kept. The loader's own tests call
the function they imported, the real one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

from azyl.kb.model import KnowledgeBase

Loader = Callable[[Path, Sequence[Path]], KnowledgeBase]


def content_key(kb_dir: Path, text_roots: Sequence[Path]) -> str:
    """A digest of every file under `kb_dir` (name and bytes) and of the texts folders'
    files (name, size and modification time: they are large and never edited here)."""
    digest = hashlib.blake2b(digest_size=20)
    folder = kb_dir.resolve()
    digest.update(str(folder).encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(b"\0" + str(path.relative_to(folder)).encode() + b"\0")
        digest.update(path.read_bytes())
    for root in text_roots:
        digest.update(b"\1" + str(root).encode())
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def read_once(load: Loader) -> Loader:
    """`load`, remembering its result per content key (see the module's docstring)."""
    kept: dict[str, KnowledgeBase] = {}

    def load_kb(kb_dir: Path, text_roots: Sequence[Path] = ()) -> KnowledgeBase:
        key = content_key(kb_dir, text_roots)
        if key not in kept:
            kept[key] = load(kb_dir, text_roots)
        return kept[key]

    return load_kb
