"""What tests would otherwise compute again and again on the same content, done once per
content in a test process: the knowledge base, its source catalogue, the incident seed, a
proposal's check and the application database's schema.

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
the functions they imported, the real ones. `seed_read_once` does the same for
the incident seed (`azyl.incidents.seed.read_seed`), which hundreds of tests
load into their own database: the file is parsed and validated once per bytes,
catalogue and day, and each test's database is still written for real.
`check_once` does the same for a knowledge-base proposal's check
(`azyl.revisions.kbcheck.check_fact`, a whole scratch knowledge base loaded
for one file): the same text proposed as the same fact against the same
knowledge base is checked once. `migrate_once` gives a new, empty SQLite
application database the schema by copying, page for page, one that the real
migrations built in this process (Alembic takes about 25 ms a database, the
copy about one). The migrations' own tests call `azyl.appdb.migrate`
directly, so they run for real.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from copy import copy
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine

from azyl.appdb.engine import make_engine

T = TypeVar("T")


def content_key(kb_dir: Path, text_roots: Sequence[Path]) -> str:
    """A digest of every file under `kb_dir` (name and bytes) and of the texts folders'
    files (name, size and modification time: they are large and never edited here)."""
    digest = hashlib.blake2b(digest_size=20)
    folder = str(kb_dir.resolve())
    digest.update(folder.encode())
    for path in _files(folder):
        with open(path, "rb") as file:
            digest.update(b"\0" + path[len(folder) :].encode() + b"\0" + file.read())
    for root in text_roots:
        digest.update(b"\1" + str(root).encode())
        for path in _files(str(root)):
            stat = os.stat(path)
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _files(folder: str) -> list[str]:
    """Every file under `folder`, sorted (none when it does not exist)."""
    found = [os.path.join(top, name) for top, _, names in os.walk(folder) for name in names]
    return sorted(found)


def read_once(read: Callable[[Path, Sequence[Path]], T]) -> Callable[[Path, Sequence[Path]], T]:
    """`read`, remembering its result per content key (see the module's docstring)."""
    kept: dict[str, T] = {}

    def read_kept(kb_dir: Path, text_roots: Sequence[Path] = ()) -> T:
        key = content_key(kb_dir, text_roots)
        if key not in kept:
            kept[key] = read(kb_dir, text_roots)
        return kept[key]

    return read_kept


def check_once(check: Callable[[Any, str, str], T]) -> Callable[[Any, str, str], T]:
    """`check(settings, fact_id, text)`, remembering its answer per knowledge-base content,
    fact id and text (see the module's docstring)."""
    kept: dict[tuple[str, str, str], T] = {}

    def check_kept(settings: Any, fact_id: str, text: str) -> T:
        key = (content_key(settings.kb_dir, settings.source_texts), fact_id, text)
        if key not in kept:
            kept[key] = check(settings, fact_id, text)
        return copy(kept[key])

    return check_kept


def seed_read_once(read_seed: Callable[..., Any]) -> Callable[..., Any]:
    """`read_seed(path, catalogue, today)`, remembering its result per bytes of the file, the
    catalogue and the day; each caller gets its own list of the (frozen) records."""
    kept: dict[tuple[bytes, int, date], Any] = {}

    def read_kept(path: Path, catalogue: Any, today: date) -> Any:
        try:
            key = (hashlib.blake2b(Path(path).read_bytes()).digest(), id(catalogue), today)
        except OSError:
            return read_seed(path, catalogue, today)  # the reader says what is wrong
        if key not in kept:
            kept[key] = (read_seed(path, catalogue, today), catalogue)
        (records, checked, unchecked), _ = kept[key]
        return list(records), checked, unchecked

    return read_kept


def migrate_once(migrate: Callable[..., None], folder: Path) -> Callable[..., None]:
    """`migrate(engine, revision)`, copying a database migrated once per process into a new,
    empty SQLite database brought to "head" (see the module's docstring)."""
    template: list[sqlite3.Connection] = []

    def migrate_kept(engine: Engine, revision: str = "head") -> None:
        if revision != "head" or engine.dialect.name != "sqlite":
            return migrate(engine, revision)
        raw = engine.raw_connection()
        try:
            target: Any = raw.driver_connection
            if target.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                return migrate(engine, revision)  # not new: the real upgrade decides
            if not template:
                template.append(_migrated(migrate, folder / "template.sqlite3"))
            template[0].backup(target)
        finally:
            raw.close()

    return migrate_kept


def _migrated(migrate: Callable[..., None], path: Path) -> sqlite3.Connection:
    """A connection to a new SQLite database at `path` that the real migrations built."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        migrate(engine)
    finally:
        engine.dispose()
    return sqlite3.connect(path, check_same_thread=False)
