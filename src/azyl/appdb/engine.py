"""Connecting to the application database and running one transaction.

`open_database(settings)` is what commands and the web app call: it builds the
engine for `settings.database` and applies any pending migration, so a fresh
data directory or a freshly created PostgreSQL database just works.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from azyl.appdb import sqlite
from azyl.appdb.migrate import migrate
from azyl.appdb.upgrade import schema_status
from azyl.config import Settings
from azyl.errors import ConfigError, InputError

log = logging.getLogger(__name__)

#: Modules that define application tables; imported before migrations compare or create.
MODEL_MODULES: tuple[str, ...] = (
    "azyl.incidents.model",
    "azyl.accounts.model",
    "azyl.audit.model",
    "azyl.cases.model",
    "azyl.revisions.model",
)


def import_models() -> None:
    """Import every module that declares tables, so `Base.metadata` knows them all."""
    for module in MODEL_MODULES:
        importlib.import_module(module)


def normalise_url(url: str) -> str:
    """Accept the usual spellings of a PostgreSQL URL and use the installed driver (psycopg 3)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _parameter_values(parameters: Any) -> Iterator[Any]:
    """Every bound value of one execution or of an executemany (dicts or sequences)."""
    batches = parameters if isinstance(parameters, list) else [parameters]
    for batch in batches:
        if isinstance(batch, dict):
            yield from batch.values()
        elif isinstance(batch, list | tuple):
            yield from batch


def _refuse_unstorable(
    _conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _many: bool
) -> None:
    """Refuse in a sentence a value the databases cannot store or look up, before it is sent.

    PostgreSQL holds no NUL character in text (psycopg refuses it with an
    error the web answered with a 500), and SQLite binds no integer past 64
    bits (OverflowError). Both come from input: a NUL typed into a form, a huge
    number in a URL. SQLite is held to the NUL rule too, so that what one
    database accepts every backup can restore into the other.
    """
    for value in _parameter_values(parameters):
        if isinstance(value, str) and "\x00" in value:
            raise InputError(
                "a value sent contains a NUL character (\\x00), which azyl neither stores nor "
                "looks up; remove it"
            )
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            raise InputError(f"the number {value} is too large for anything azyl stores")


#: The files SQLite keeps beside a database: its write-ahead log and index, a rollback journal.
JOURNALS = ("-wal", "-shm", "-journal")


def _owner_only(path: Path) -> None:
    """Create a SQLite database file 0600 (in a folder created 0700) before SQLite does.

    SQLite creates the file with the process's umask (usually 0644) and gives
    its journals (the write-ahead log and its index) the file's own mode, so a
    database made by SQLite was readable by every user of the machine, journals
    included. A file that already exists readable by others is made owner-only,
    with a warning, and so are journals left beside it.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for each in (path, *(path.with_name(path.name + s) for s in JOURNALS)):
            mode = each.stat().st_mode & 0o777 if each.exists() else 0
            if mode & 0o077:
                log.warning("the database file %s was readable by others (mode %03o); now 0600",
                            each, mode)  # fmt: skip
                each.chmod(0o600)
    else:
        os.close(descriptor)


def make_engine(url: str) -> Engine:
    """An engine for a SQLAlchemy URL; creates the folder of a SQLite file if needed."""
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except Exception as exc:  # SQLAlchemy raises ArgumentError with a terse message
        raise ConfigError(f"AZYL_DATABASE_URL={url!r} is not a database URL: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _owner_only(Path(parsed.database))
        engine = create_engine(parsed, connect_args={"timeout": sqlite.BUSY_SECONDS})
        sqlite.configure(engine)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed, pool_pre_ping=True)
    else:
        raise ConfigError(
            f"AZYL_DATABASE_URL uses {parsed.get_backend_name()!r}; azyl supports SQLite "
            "and PostgreSQL (postgresql+psycopg://user@host/dbname)"
        )
    event.listen(engine, "before_cursor_execute", _refuse_unstorable)
    return engine


def open_database(settings: Settings) -> Engine:
    """The application database of these settings, migrated to the current schema."""
    import_models()  # every table known, as when Alembic's environment ran (it is skipped at head)
    engine = make_engine(settings.database)
    try:
        schema_status(engine)  # refuses a schema written by a newer azyl, in one clear sentence
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


@contextmanager
def session_scope(engine: Engine, *, commit: bool = True) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back if it raises.

    With `commit=False` the work is always rolled back: dry runs go through
    exactly the same code as real runs and leave nothing behind.
    """
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        if commit:
            session.commit()
        else:
            session.rollback()
