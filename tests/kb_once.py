"""The knowledge base read once per content in a test process.

Reading and validating the knowledge base (some 520 facts, their sources, every
quote checked against the texts at hand) takes most of a second, and hundreds
of tests start an application that reads it again, unchanged; the incident
registry's source catalogue (`azyl.incidents.references.load_catalogue`) reads
the source records again for every seed loaded. `read_once` wraps such a
reader of (kb folder, texts folders) for the test session: the first read of a
given content runs the real reader; later reads of the same folder with the
same bytes, and the same texts folders, get that result again (it is never
changed after loading). A folder a test writes or edits has other bytes, so it
is read for real; a read that fails is never kept. The readers' own tests call
the functions they imported, the real ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


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


def read_once(read: Callable[[Path, Sequence[Path]], T]) -> Callable[[Path, Sequence[Path]], T]:
    """`read`, remembering its result per content key (see the module's docstring)."""
    kept: dict[str, T] = {}

    def read_kept(kb_dir: Path, text_roots: Sequence[Path] = ()) -> T:
        key = content_key(kb_dir, text_roots)
        if key not in kept:
            kept[key] = read(kb_dir, text_roots)
        return kept[key]

    return read_kept
