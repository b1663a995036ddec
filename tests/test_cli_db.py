"""`azyl db status|upgrade` on both backends: from -> to, audited, a newer schema refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from conftest import Run
from ops_support import BACKENDS, env_for, fresh_url  # noqa: F401

VERSIONS = Path(__file__).parent.parent / "src/azyl/appdb/migrations/versions"
#: The shipped revisions, read from the migration files' names (NNNN_area.py, in order).
SHIPPED = sorted(p.stem for p in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


@pytest.fixture(params=BACKENDS)
def db(
    request: pytest.FixtureRequest,
    fresh_url: Callable[[str], str],  # noqa: F811
    run_azyl: Callable[..., Run],
    tmp_path: Path,
    mirror_dir: Path,
) -> tuple[Callable[..., Run], str]:
    url = fresh_url(request.param)
    env = env_for(tmp_path, mirror_dir, url)
    return (lambda *args: run_azyl(*args, env=env)), url


def _sql(url: str, statement: str) -> list[tuple]:  # type: ignore[type-arg]
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(statement))
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def test_status_of_an_empty_database_lists_every_shipped_migration_as_pending(db) -> None:  # type: ignore[no-untyped-def]
    azyl, _ = db
    run = azyl("db", "status")
    assert run.code == 0
    assert "(empty: no schema yet)" in run.out
    assert f"newest    {SHIPPED[-1]}" in run.out
    assert f"pending   {', '.join(SHIPPED)}" in run.out


def test_upgrade_prints_from_and_to_and_is_audited_once(db) -> None:  # type: ignore[no-untyped-def]
    azyl, url = db
    run = azyl("db", "upgrade")
    assert run.code == 0 and run.out.strip() == f"upgraded (empty) -> {SHIPPED[-1]}"
    assert _sql(url, "SELECT version_num FROM alembic_version") == [(SHIPPED[-1],)]
    again = azyl("db", "upgrade")
    assert again.out.strip() == f"already at {SHIPPED[-1]}; nothing to do"
    assert azyl("db", "status").out.strip().endswith("up to date")
    logged = _sql(url, "SELECT action, details FROM audit_log ORDER BY seq")
    assert logged == [("db.upgrade", f'{{"from": null, "to": "{SHIPPED[-1]}"}}')]


def test_upgrade_from_an_older_revision_applies_only_the_rest(db) -> None:  # type: ignore[no-untyped-def]
    azyl, url = db
    from azyl.appdb import make_engine, migrate

    engine = make_engine(url)
    migrate(engine, SHIPPED[0])
    engine.dispose()
    assert f"pending   {', '.join(SHIPPED[1:])}" in azyl("db", "status").out
    run = azyl("db", "upgrade")
    assert run.out.strip() == f"upgraded {SHIPPED[0]} -> {SHIPPED[-1]}"


def test_a_database_upgraded_by_a_newer_azyl_is_refused_by_every_command(db) -> None:  # type: ignore[no-untyped-def]
    azyl, url = db
    azyl("db", "upgrade")
    _sql(url, "UPDATE alembic_version SET version_num = '0099_from_the_future'")
    for command in (("db", "upgrade"), ("db", "status"), ("audit", "verify")):
        run = azyl(*command)
        assert run.code == 1, command
        assert "'0099_from_the_future'" in run.err and "newer azyl" in run.err
        assert "Traceback" not in run.err
    # Nothing was written: the revision is untouched.
    assert _sql(url, "SELECT version_num FROM alembic_version") == [("0099_from_the_future",)]
