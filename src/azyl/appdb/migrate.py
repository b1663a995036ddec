"""Alembic migrations run from the package: no alembic.ini at run time.

The migration scripts live in `azyl/appdb/migrations/` and ship with the
package. `migrate(engine)` upgrades a database to the newest revision; it is
idempotent, so every command that opens the database can call it.

Developers create a new revision with
    .venv/bin/alembic -c src/azyl/appdb/alembic.ini revision --autogenerate -m "what changed"
after adding or changing a model; `tests/test_appdb.py` fails when the models
and the migrations disagree.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic configuration pointing at the packaged scripts (and an engine, if given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind `engine` to `revision` (default: the newest).

    A database already at the newest revision is left alone without Alembic
    reading its scripts again: every command and every application start
    opens the database this way, and nearly always finds it up to date.
    """
    if revision == "head" and current_revision(engine) == head_revision():
        return
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to `revision` ("base" empties it). For developers and tests:
    downgrades drop tables, and with them data."""
    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with this version of azyl."""
    return scripts().get_current_head()


@cache
def scripts() -> ScriptDirectory:
    """The migration scripts shipped with this azyl, read once per process (they are part
    of the installed package and do not change while it runs)."""
    return ScriptDirectory.from_config(alembic_config())
