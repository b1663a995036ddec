"""The application database: engines, packaged migrations, UTC timestamps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from azyl.appdb import (
    Base,
    current_revision,
    head_revision,
    make_engine,
    migrate,
    open_database,
    session_scope,
)
from azyl.appdb import engine as engine_module
from azyl.appdb.engine import import_models, normalise_url
from azyl.appdb.migrate import downgrade
from azyl.config import Settings
from azyl.errors import ConfigError


def test_open_database_creates_the_sqlite_file_at_the_newest_revision(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "migrate", migrate)  # the real one, not the tests' copy
    engine = open_database(settings)
    assert (settings.data_dir / "azyl.sqlite3").is_file()
    assert current_revision(engine) == head_revision() is not None
    open_database(settings).dispose()  # a second run migrates nothing and does not fail
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_the_models_and_the_migrations_agree(app_engine: Engine) -> None:
    """Fails when a model changes without a migration (or the reverse)."""
    import_models()
    with app_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrations_go_down_to_nothing_and_back_up(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    migrate(engine)
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert "incidents" not in inspect(engine).get_table_names()
    migrate(engine)
    assert "incidents" in inspect(engine).get_table_names()
    engine.dispose()


def test_sqlite_enforces_foreign_keys(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_postgres_urls_use_the_installed_driver(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url"])
def test_unsupported_database_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError, match="AZYL_DATABASE_URL"):
        make_engine(url)


def test_timestamps_come_back_as_utc_whatever_zone_they_were_written_in(
    app_engine: Engine,
) -> None:
    from azyl.incidents.model import IncidentRow

    tashkent = dt.timezone(dt.timedelta(hours=5))
    written = dt.datetime(2020, 1, 1, 12, 0, tzinfo=tashkent)
    row = IncidentRow(
        id="stamp",
        date=dt.date(2020, 1, 1),
        date_precision="day",
        date_end=dt.date(2020, 1, 1),
        origin="UZB",
        host="RUS",
        target_label="x",
        relatives_targeted=False,
        stage="on_notice",
        outcome="unknown",
        mechanism="m",
        summary="s",
        confidence="low",
        visibility="public",
        created_at=written,
        updated_at=written,
    )
    with session_scope(app_engine) as session:
        session.add(row)
    with session_scope(app_engine, commit=False) as session:
        stored = session.get(IncidentRow, "stamp")
        assert stored is not None
        assert stored.created_at == dt.datetime(2020, 1, 1, 7, 0, tzinfo=dt.UTC)
        assert stored.created_at.tzinfo == dt.UTC


def test_naive_timestamps_are_refused(app_engine: Engine) -> None:
    from azyl.incidents.model import IncidentRow

    naive = dt.datetime(2020, 1, 1, 12, 0)
    row = IncidentRow(
        id="naive",
        date=dt.date(2020, 1, 1),
        date_precision="day",
        date_end=dt.date(2020, 1, 1),
        origin="UZB",
        host="RUS",
        target_label="x",
        relatives_targeted=False,
        stage="on_notice",
        outcome="unknown",
        mechanism="m",
        summary="s",
        confidence="low",
        visibility="public",
        created_at=naive,
        updated_at=naive,
    )
    with pytest.raises(Exception, match="timezone-aware"), session_scope(app_engine) as session:
        session.add(row)


def test_a_sqlite_database_and_its_write_ahead_log_are_owner_only(tmp_path: Path) -> None:
    """SQLite made the file (and so its journal) 0644 in a 0755 folder: readable by anyone.
    The write-ahead log and its index take the database file's mode."""
    import stat

    path = tmp_path / "new" / "azyl.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with engine.connect() as connection:  # a write transaction left open: the log exists
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        connection.execute(
            text("INSERT INTO known_addresses VALUES ('a', 'b', '2026-01-01 00:00:00.000000')")
        )
        for suffix in ("-wal", "-shm"):
            written = path.with_name(path.name + suffix)
            assert stat.S_IMODE(written.stat().st_mode) == 0o600, suffix
        connection.rollback()
    engine.dispose()


def test_an_existing_database_readable_by_others_is_made_owner_only(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging
    import stat

    path = tmp_path / "azyl.sqlite3"
    make_engine(f"sqlite:///{path}").dispose()
    path.chmod(0o644)
    left = path.with_name(path.name + "-wal")  # a log a crashed process left behind
    left.write_bytes(b"")
    left.chmod(0o640)
    with caplog.at_level(logging.WARNING, logger="azyl.appdb.engine"):
        make_engine(f"sqlite:///{path}").dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(left.stat().st_mode) == 0o600
    assert f"{path} was readable by others (mode 644); now 0600" in caplog.text
    assert f"{left} was readable by others (mode 640); now 0600" in caplog.text
