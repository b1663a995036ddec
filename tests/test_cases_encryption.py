"""Saved cases at rest: the database holds no name, route or profile, and erasure shreds.

On SQLite the raw bytes of the database file (and any journal beside it) are
searched; on PostgreSQL every column of every table is read back as text.
Needles are written with JSON quotes or spaces where they are short, so that
they cannot occur by chance inside base64 ciphertext.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select, text, update

from azyl.appdb import session_scope
from azyl.appdb.engine import JOURNALS
from azyl.cases import erase_case, get_case, save_case
from azyl.cases.model import Case, CaseRun
from azyl.config import Settings
from azyl.errors import NotFound
from azyl.vault import Vault, VaultError
from cases_support import PROFILE, add_user, context

TITLE = "Ruslan Kadyrbekov"
NOTES = "Lives at Hauptstrasse 12, Berlin; his sister Zarema is in Grozny"
NEEDLES = (
    "Ruslan", "Kadyrbekov", "Hauptstrasse", "Zarema", "Grozny",
    '"RU-CE"', '"KAZ"', '"POL"', "anti_war", "first_eu_entry", "dublin_transfer",
    "dublin_procedure", '"findings"', '"explanation"', '"citizenship"',
)  # fmt: skip


def stored_bytes(engine: Engine, settings: Settings) -> bytes:
    """Everything the database stores, as bytes: the files (SQLite) or every column (PostgreSQL)."""
    if engine.dialect.name == "sqlite":
        path = Path(str(engine.url.database))
        siblings = [path, *(path.with_name(path.name + s) for s in JOURNALS)]
        return b"".join(p.read_bytes() for p in siblings if p.exists())
    chunks = []
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for column in inspect(engine).get_columns(table):
                query = text(f'SELECT CAST("{column["name"]}" AS TEXT) FROM "{table}"')
                chunks += [str(v) for v in connection.execute(query).scalars() if v is not None]
    return "\n".join(chunks).encode("utf-8")


def test_the_stored_database_holds_no_name_route_or_profile(
    app_engine: Engine, settings: Settings
) -> None:
    vault = Vault.from_settings(settings)
    anna = add_user(app_engine, "anna")
    for n in range(3):
        save_case(app_engine, vault, anna, title=f"{TITLE} {n}", notes=NOTES, profile=PROFILE,
                  context=context())  # fmt: skip
    app_engine.dispose()  # close connections so the file on disk is complete
    raw = stored_bytes(app_engine, settings)
    assert b"azyl1." in raw and b"anna" in raw  # the search does see the stored rows
    found = [needle for needle in NEEDLES if needle.encode("utf-8") in raw]
    assert found == []


def test_after_erasure_nothing_of_the_case_remains_in_the_database(
    app_engine: Engine, settings: Settings
) -> None:
    vault = Vault.from_settings(settings)
    anna = add_user(app_engine, "anna")
    case = save_case(app_engine, vault, anna, title=TITLE, notes=NOTES, profile=PROFILE,
                     context=context())  # fmt: skip
    with session_scope(app_engine) as session:
        row = session.get(Case, case.id)
        assert row is not None
        tokens = [row.wrapped_key, row.title, row.profile, row.notes]
        tokens += list(session.scalars(select(CaseRun.assessment)))
    ciphertexts = [t.split(".", 2)[2][:48].encode() for t in tokens]
    assert all(c in stored_bytes(app_engine, settings) for c in ciphertexts)
    erase_case(app_engine, anna, case.id)
    # Read while the engine's connections are still open, as a running server keeps them
    # (closing the last one would copy SQLite's write-ahead log back on its own).
    raw = stored_bytes(app_engine, settings)
    assert [c for c in ciphertexts if c in raw] == []
    assert case.id.encode() in raw  # the audit log still names the erased case's id
    app_engine.dispose()
    assert [c for c in ciphertexts if c in stored_bytes(app_engine, settings)] == []


def test_a_tampered_or_moved_ciphertext_gives_a_clear_error(
    app_engine: Engine, settings: Settings
) -> None:
    vault = Vault.from_settings(settings)
    anna = add_user(app_engine, "anna")
    first = save_case(app_engine, vault, anna, title="one", profile=PROFILE, context=context())
    second = save_case(app_engine, vault, anna, title="two", profile=PROFILE, context=context())
    with session_scope(app_engine) as session:
        token = session.get(Case, first.id).title  # type: ignore[union-attr]
        flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
        session.execute(update(Case).where(Case.id == first.id).values(title=flipped))
        key = session.get(Case, first.id).wrapped_key  # type: ignore[union-attr]
        session.execute(update(Case).where(Case.id == second.id).values(wrapped_key=key))
    with pytest.raises(VaultError, match=f"case:{first.id}:title") as tampered:
        get_case(app_engine, vault, anna, first.id)
    assert "integrity check" in tampered.value.message
    with pytest.raises(VaultError, match=f"case:{second.id}:key"):
        get_case(app_engine, vault, anna, second.id)


def test_a_tampered_run_gives_a_clear_error_when_it_is_read(
    app_engine: Engine, settings: Settings
) -> None:
    """Runs are decrypted when first read (a page shows one of many), and checked then."""
    vault = Vault.from_settings(settings)
    anna = add_user(app_engine, "anna")
    case = save_case(app_engine, vault, anna, title="one", profile=PROFILE, context=context())
    with session_scope(app_engine) as session:
        run = session.scalars(select(CaseRun).where(CaseRun.case_id == case.id)).one()
        token = run.assessment
        run.assessment = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    opened = get_case(app_engine, vault, anna, case.id)  # the title and the key are intact
    with pytest.raises(VaultError, match=f"case:{case.id}:run:1:assessment"):
        _ = opened.runs[0].assessment


@pytest.mark.postgres
def test_on_postgresql_no_old_row_version_of_an_erased_case_stays_in_the_table_files(
    own_pg: Engine, settings: Settings
) -> None:
    """PostgreSQL keeps deleted rows in its pages until they are vacuumed, even in free space.

    The raw pages of the case tables are read with `pageinspect` (as someone
    holding a copy of the server's data directory would read the files).
    """
    from conftest import _empty_application_tables

    _empty_application_tables(own_pg)
    vault = Vault.from_settings(settings)
    anna = add_user(own_pg, "anna")
    kept = save_case(own_pg, vault, anna, title="kept", profile=PROFILE, context=context())
    erased = save_case(own_pg, vault, anna, title=TITLE, notes=NOTES, profile=PROFILE,
                       context=context())  # fmt: skip
    with session_scope(own_pg) as session:
        row = session.get(Case, erased.id)
        assert row is not None
        secrets = [row.wrapped_key, row.title, row.notes]
    needles = [t.split(".", 2)[2][:48].encode() for t in secrets if t]
    assert all(n in raw_pages(own_pg, "cases") for n in needles)  # the search sees them
    erase_case(own_pg, anna, erased.id)
    pages = raw_pages(own_pg, "cases")
    assert kept.id.encode() in pages
    assert [n for n in needles if n in pages] == []


def raw_pages(engine: Engine, table: str) -> bytes:
    """Every page of a table's file, bytes as stored (dead rows and free space included)."""
    with engine.connect() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        connection.commit()
        blocks = connection.execute(
            text(
                "SELECT pg_relation_size(CAST(:t AS regclass)) / current_setting('block_size')::int"
            ),
            {"t": table},
        ).scalar_one()
        return b"".join(
            bytes(connection.execute(text("SELECT get_raw_page(:t, :b)"), {"t": table, "b": b})
                  .scalar_one())
            for b in range(int(blocks))
        )  # fmt: skip


def _one_case(engine: Engine, settings: Settings) -> tuple[Vault, Any, Any, bytes]:
    """An empty database with one saved case: the vault, its owner, the case, and the
    start of its wrapped key's ciphertext (to look for in the table's raw pages)."""
    from conftest import _empty_application_tables

    _empty_application_tables(engine)
    vault = Vault.from_settings(settings)
    anna = add_user(engine, "anna")
    case = save_case(engine, vault, anna, title=TITLE, profile=PROFILE, context=context())
    with session_scope(engine) as session:
        token = session.get(Case, case.id).wrapped_key  # type: ignore[union-attr]
    return vault, anna, case, token.split(".", 2)[2][:48].encode()


@pytest.mark.postgres
def test_an_erasure_stands_when_the_tables_are_too_busy_to_rewrite_and_reclaim_finishes_later(
    own_pg: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from azyl.cases import erasure

    waits = erasure.WAIT_SECONDS
    monkeypatch.setattr(erasure, "WAIT_SECONDS", 0.2)
    vault, anna, case, needle = _one_case(own_pg, settings)
    with own_pg.connect() as reader:  # a long transaction still reading the case tables
        reader.execute(text("SELECT count(*) FROM cases"))
        erase_case(own_pg, anna, case.id)
        with pytest.raises(NotFound):
            get_case(own_pg, vault, anna, case.id)
        assert needle in raw_pages(own_pg, "cases")  # left for later, not lost
    _reclaimed_later(own_pg, erasure, waits, monkeypatch)
    assert needle not in raw_pages(own_pg, "cases")


def _reclaimed_later(
    engine: Engine, erasure: Any, waits: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run `reclaim_space` as `azyl cases reclaim` would, later, until it is done.

    The rewrite waits for every older transaction on the PostgreSQL server, and
    another test's may still run beside this one; so it is tried again with the
    usual wait until it reports done (a bound on waiting, not a timing assertion).
    """
    monkeypatch.setattr(erasure, "WAIT_SECONDS", waits)
    deadline = time.monotonic() + 120
    while not erasure.reclaim_space(engine):
        assert time.monotonic() < deadline, "the case tables were never rewritten"


@pytest.mark.postgres
def test_the_rewrite_waits_for_a_transaction_that_could_still_see_the_erased_rows(
    own_pg: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """VACUUM FULL copies "recently dead" rows, so rewriting under an old snapshot keeps them."""
    from azyl.cases import erasure, reclaim_space

    waits = erasure.WAIT_SECONDS
    monkeypatch.setattr(erasure, "WAIT_SECONDS", 0.3)
    _, anna, case, needle = _one_case(own_pg, settings)
    # A report in another table, begun before the erasure, holding its snapshot.
    older = own_pg.connect().execution_options(isolation_level="REPEATABLE READ")
    older.execute(text("SELECT count(*) FROM users"))
    try:
        erase_case(own_pg, anna, case.id, reclaim=False)
        assert reclaim_space(own_pg) is False  # never "done" while the row is still seen
        assert needle in raw_pages(own_pg, "cases")
    finally:
        older.close()
    _reclaimed_later(own_pg, erasure, waits, monkeypatch)
    assert needle not in raw_pages(own_pg, "cases")
