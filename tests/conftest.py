"""Fixtures shared by every test file.

Tests never use the network. The real publisher files live in the local mirror
(`../shared/data`), present on every machine and in CI; tests that need them
use the `mirror_dir` fixture, which fails loudly (it does not skip) when the
mirror cannot be found, so that CI can never pass by skipping them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sqlalchemy import Engine

from azyl.assess import Context
from azyl.config import Settings, find_mirror, load_settings
from azyl.store.queries import StatsStore

REPO = Path(__file__).resolve().parent.parent

# Tests never go online: commands run in subprocesses or through `main()` inherit this.
os.environ["AZYL_ONLINE"] = "no"


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    """The local mirror of publisher files (`shared/data`)."""
    found = find_mirror()
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
            "AZYL_ONLINE": "no",
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


@pytest.fixture(autouse=True, scope="session")
def _read_once_per_content(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Applications and seeds loaded by tests read an unchanged knowledge base, its source
    catalogue, the incident seed and a proposal's check once, and new SQLite databases get
    their schema from one migrated once (tests/read_once.py)."""
    from azyl.appdb import engine
    from azyl.incidents import references, seed
    from azyl.kb import loader
    from azyl.revisions import proposals
    from read_once import check_once, migrate_once, read_once, seed_read_once

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader, "load_kb", read_once(loader.load_kb))
        patch.setattr(references, "load_catalogue", read_once(references.load_catalogue))
        patch.setattr(seed, "read_seed", seed_read_once(seed.read_seed))
        patch.setattr(proposals, "check_fact", check_once(proposals.check_fact))
        schema = tmp_path_factory.mktemp("schema")
        patch.setattr(engine, "migrate", migrate_once(engine.migrate, schema))
        yield


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with small parameters in tests (production's cost 0.5 s per check)."""
    from argon2 import PasswordHasher

    from azyl.accounts import passwords

    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024))


# -- application database --------------------------------------------------------------------

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A freshly created, uniquely named PostgreSQL database (its URL), dropped afterwards.

    CI guarantees a server on 127.0.0.1:5432, so an unreachable server FAILS
    the test (it never skips): a green run must have exercised PostgreSQL.
    """
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    name = f"azyl_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL is required on 127.0.0.1:5432 (user postgres): {exc}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """The session's PostgreSQL database, shared by the tests of one worker."""
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(scope="module")
def own_pg() -> Iterator[Engine]:
    """A PostgreSQL database of one test module's own, migrated: for tests that need no
    other session in the database (what VACUUM may remove depends on every open
    transaction in it, and another test's leftover session would change the answer)."""
    from azyl.appdb import make_engine, migrate

    with fresh_pg_database() as url:
        engine = make_engine(url)
        migrate(engine)
        yield engine
        engine.dispose()


@pytest.fixture(scope="session")
def pg_engine(pg_url: str) -> Iterator[Engine]:
    """An engine on the session's PostgreSQL database, migrated to the newest schema."""
    from azyl.appdb import make_engine, migrate

    engine = make_engine(pg_url)
    migrate(engine)
    yield engine
    engine.dispose()


def _empty_application_tables(engine: Engine) -> None:
    from sqlalchemy import delete, text

    from azyl.appdb import Base, session_scope
    from azyl.appdb.engine import import_models

    import_models()
    with session_scope(engine) as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(delete(table))
        # A freshly migrated database starts its audit chain with this head row.
        session.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :h)"),
                        {"h": "0" * 64})  # fmt: skip


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def app_engine(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Engine]:
    """The application database, migrated and empty, on SQLite and on PostgreSQL."""
    from azyl.appdb import open_database

    if request.param == "postgres":
        engine: Engine = request.getfixturevalue("pg_engine")
        _empty_application_tables(engine)
        yield engine
        return
    engine = open_database(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(settings: Settings) -> Iterator[Engine]:
    """The default application database (SQLite in the data directory), migrated and empty."""
    from azyl.appdb import open_database

    engine = open_database(settings)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory, mirror_dir: Path) -> Settings:
    """Settings whose statistics database is built once per test session from the mirror."""
    from azyl.store import build_statistics

    root = tmp_path_factory.mktemp("stats")
    settings = load_settings(
        {
            "AZYL_DATA_DIR": str(root / "data"),
            "AZYL_MIRROR_DIR": str(mirror_dir),
            "AZYL_ONLINE": "no",
            "HOME": str(root),
        }
    )
    report = build_statistics(settings, progress=False)
    assert report.changed and report.rows > 0
    return settings


@pytest.fixture(scope="session")
def store(built_settings: Settings) -> Iterator[StatsStore]:
    """The session's statistics database, open read-only."""
    from azyl.store import open_store

    with open_store(built_settings.stats_db_path) as opened:
        yield opened


@pytest.fixture(scope="session")
def raw_unhcr_decisions(mirror_dir: Path) -> list[dict[str, str]]:
    """The UNHCR decisions file read with the csv module, independently of azyl's code."""
    import csv
    import gzip

    path = mirror_dir / "unhcr/PopulationStatistics_refugees/asylum_decisions.derived.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def screening_context(built_settings: Settings) -> Context:
    """The screening engine's context on the real knowledge base, statistics and incidents.

    The statistics come from the session's store built from the mirror; the incident
    registry is the reviewed seed, loaded into the session's SQLite database.
    """
    from azyl.assess.adapters import build_context
    from azyl.incidents.seed import load_seed

    load_seed(built_settings)
    return build_context(built_settings)


class Run(NamedTuple):
    """What a command-line run left behind: exit code, standard output and error."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """Standard output parsed as JSON."""
        import json

        return json.loads(self.out)


@pytest.fixture
def run_azyl(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Run]:
    """Run `azyl <args>` through its real entry point (errors become exit codes there)."""
    from azyl.cli import main

    def run(*args: str, env: Mapping[str, str] | None = None) -> Run:
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "argv", ["azyl", *args])
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
