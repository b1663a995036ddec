"""`azyl audit list|export|verify|head` on SQLite and PostgreSQL, and tampering found through it."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from azyl.appdb import make_engine, migrate, session_scope
from azyl.audit import record
from conftest import Run
from ops_support import BACKENDS, env_for, fresh_url  # noqa: F401

Azyl = Callable[..., Run]


@pytest.fixture(params=BACKENDS)
def setup(
    request: pytest.FixtureRequest,
    fresh_url: Callable[[str], str],  # noqa: F811
    run_azyl: Callable[..., Run],
    tmp_path: Path,
    mirror_dir: Path,
) -> tuple[Azyl, Engine]:
    """`azyl` bound to a fresh migrated database, and an engine on that database."""
    url = fresh_url(request.param)
    engine = make_engine(url)
    migrate(engine)
    request.addfinalizer(engine.dispose)
    env = env_for(tmp_path, mirror_dir, url)
    return (lambda *args: run_azyl(*args, env=env)), engine


def _write(engine: Engine, address: str = "10.0.0.7") -> None:
    """Six entries: two sign-ins, three case views by two people, one failed sign-in."""
    plan = [
        ("auth.sign_in", "amina", None),
        ("case.view", "amina", ("case", 1)),
        ("case.view", "amina", ("case", 2)),
        ("auth.sign_in", "timur", None),
        ("case.view", "timur", ("case", 2)),
        ("auth.sign_in_failed", "=cmd|' /C calc'!A0", None),
    ]
    for action, actor, target in plan:
        with session_scope(engine) as session:
            record(session, action, actor=actor, target=target, address=address)


def _raw_head(engine: Engine) -> str:
    with engine.connect() as connection:
        seq, digest = connection.execute(text("SELECT seq, hash FROM audit_head")).one()
    return f"{seq}:{digest}"


def test_verify_reports_the_count_and_the_head_of_an_intact_chain(setup) -> None:  # type: ignore[no-untyped-def]
    azyl, engine = setup
    _write(engine)
    run = azyl("audit", "verify")
    assert run.code == 0, run.err
    assert run.out.strip() == f"6 entries, chain intact, head {_raw_head(engine)}"
    assert azyl("audit", "head").out.strip() == _raw_head(engine)


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        ("UPDATE audit_log SET actor = 'nobody' WHERE seq = 3", "entry 3 was changed"),
        ("UPDATE audit_log SET details = '{\"x\": 1}' WHERE seq = 5", "entry 5 was changed"),
        ("DELETE FROM audit_log WHERE seq = 2", "entry 2 is missing"),
        ("DELETE FROM audit_log WHERE seq = 6", "entries were removed"),
        # Reorder: entries 2 and 3 swap places (their sequence numbers).
        (
            "UPDATE audit_log SET seq = -seq WHERE seq IN (2, 3);"
            "UPDATE audit_log SET seq = 3 WHERE seq = -2;"
            "UPDATE audit_log SET seq = 2 WHERE seq = -3",
            "entry 2 does not follow entry 1",
        ),
    ],
    ids=["changed-actor", "changed-details", "deleted", "deleted-newest", "reordered"],
)
def test_verify_exits_1_naming_the_first_tampered_entry(setup, tamper: str, named: str) -> None:  # type: ignore[no-untyped-def]
    azyl, engine = setup
    _write(engine)
    with engine.begin() as connection:
        for statement in tamper.split(";"):
            connection.execute(text(statement))
    run = azyl("audit", "verify")
    assert run.code == 1
    assert "BROKEN" in run.err and named in run.err, run.err
    assert "Traceback" not in run.err


def test_a_forged_chain_is_caught_only_with_the_head_written_down(setup) -> None:  # type: ignore[no-untyped-def]
    azyl, engine = setup
    _write(engine)
    anchor = azyl("audit", "head").out.strip()
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log"))
        connection.execute(text("UPDATE audit_head SET seq = 0, hash = :h"), {"h": "0" * 64})
    _write(engine, address="10.0.0.8")  # a consistent but different history
    assert azyl("audit", "verify").code == 0
    run = azyl("audit", "verify", "--expect", anchor)
    assert run.code == 1 and "entry 6 is not the one written down" in run.err


def test_a_malformed_expected_head_is_a_one_line_error(setup) -> None:  # type: ignore[no-untyped-def]
    azyl, _ = setup
    run = azyl("audit", "verify", "--expect", "12:nothex")
    assert run.code == 1 and run.err.startswith("error: ") and "SEQ:HASH" in run.err
    assert len(run.err.strip().splitlines()) == 1


def test_list_filters_by_action_prefix_actor_and_limit(setup) -> None:  # type: ignore[no-untyped-def]
    azyl, engine = setup
    _write(engine)
    run = azyl("audit", "list", "--action", "case.", "--format", "json")
    assert [(e["seq"], e["actor"]) for e in run.json()["data"]] == [
        (2, "amina"),
        (3, "amina"),
        (5, "timur"),
    ]
    run = azyl("audit", "list", "--actor", "amina", "--limit", "2", "--format", "json")
    assert [e["seq"] for e in run.json()["data"]] == [2, 3]  # the newest two, oldest first
    assert azyl("audit", "list", "--since", "2999-01-01", "--format", "json").json()["data"] == []
    table = azyl("audit", "list", "--action", "auth.sign_in")
    assert [line.split()[0] for line in table.out.splitlines()] == ["1", "4"]
    bad = azyl("audit", "list", "--since", "last tuesday")
    assert bad.code == 1 and "is not a date" in bad.err


def test_csv_listing_neutralises_spreadsheet_formulas(setup) -> None:  # type: ignore[no-untyped-def]
    azyl, engine = setup
    _write(engine)
    rows = list(csv.DictReader(io.StringIO(azyl("audit", "list", "--format", "csv").out)))
    assert rows[5]["actor"] == "'=cmd|' /C calc'!A0"
    assert [int(r["seq"]) for r in rows] == [1, 2, 3, 4, 5, 6]


def test_an_export_holds_a_chain_that_can_be_checked_without_azyl(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    azyl, engine = setup
    _write(engine)
    target = tmp_path / "audit.jsonl"
    run = azyl("audit", "export", "--format", "jsonl", "-o", str(target))
    assert run.code == 0, run.err
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [e["seq"] for e in lines] == [1, 2, 3, 4, 5, 6]
    previous = "0" * 64
    for e in lines:  # the documented definition of an entry's hash, recomputed here
        content = {
            "seq": e["seq"], "at": e["at"], "actor": e["actor"], "action": e["action"],
            "target_type": e["target_type"], "target_id": e["target_id"],
            "address": e["address"], "details": json.dumps(e["details"], sort_keys=True),
            "prev": previous,
        }  # fmt: skip
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert e["prev_hash"] == previous
        assert e["hash"] == hashlib.sha256(canonical.encode()).hexdigest()
        previous = e["hash"]
    # The export itself is the seventh entry, and the chain still verifies.
    newest = azyl("audit", "list", "--limit", "1", "--format", "json").json()["data"][0]
    assert (newest["seq"], newest["action"], newest["details"]) == (
        7,
        "audit.export",
        {"entries": 6, "format": "jsonl"},
    )
    assert azyl("audit", "verify").out.startswith("7 entries, chain intact")


def test_the_cli_reads_the_same_log_the_web_app_writes(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A second engine (another process's view) sees committed entries at once."""
    azyl, engine = setup
    _write(engine)
    other = create_engine(engine.url)
    try:
        with other.connect() as connection:
            count = connection.execute(text("SELECT COUNT(*) FROM audit_log")).scalar_one()
    finally:
        other.dispose()
    assert count == 6
    assert azyl("audit", "list").err.strip() == "6 entries"


def test_an_export_to_a_missing_folder_is_refused_before_anything_is_recorded(
    setup, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    azyl, engine = setup
    _write(engine)
    run = azyl("audit", "export", "-o", str(tmp_path / "no" / "such" / "audit.jsonl"))
    assert (
        run.code == 1 and run.err.startswith("error: cannot write") and "does not exist" in run.err
    )
    assert azyl("audit", "verify").out.startswith("6 entries")  # no audit.export entry


@pytest.mark.parametrize(
    "tamper",
    [
        "DELETE FROM audit_log; UPDATE audit_head SET seq = 0, hash = '" + "0" * 64 + "'",
        "DELETE FROM audit_log; DELETE FROM audit_head",
    ],
    ids=["head-reset", "head-deleted"],
)
def test_an_emptied_log_of_a_database_with_accounts_is_broken(setup, tamper: str) -> None:  # type: ignore[no-untyped-def]
    """A log emptied with its head reset used to verify as '0 entries, chain intact'."""
    from azyl.accounts import users
    from azyl.accounts.roles import Role

    azyl, engine = setup
    with session_scope(engine) as session:
        users.add(session, "amina", "a long enough password", Role.CASEWORKER, actor="cli:root")
    with engine.begin() as connection:
        for statement in tamper.split(";"):
            connection.execute(text(statement))
    run = azyl("audit", "verify")
    assert run.code == 1, run.out
    assert "the log is empty, but the database holds 1 account: entries were removed" in run.err


def test_the_empty_log_of_an_empty_database_is_intact(setup) -> None:  # type: ignore[no-untyped-def]
    azyl, _engine = setup
    run = azyl("audit", "verify")
    assert run.code == 0, run.err
    assert run.out.startswith("0 entries, chain intact")
