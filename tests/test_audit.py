"""The audit log: entries chain by hash, and any change, removal or insertion is found."""

from __future__ import annotations

import hashlib
import itertools
import json
import threading

from sqlalchemy import Engine, text

from azyl.appdb import session_scope
from azyl.audit import entries, head, record, verify


def _write(engine: Engine, count: int, actor: str = "amina") -> None:
    for i in range(count):
        with session_scope(engine) as session:
            record(session, "case.view", actor=actor, target=("case", i), details={"run": i})


def test_entries_chain_and_verify(app_engine: Engine) -> None:
    _write(app_engine, 5)
    with session_scope(app_engine) as session:
        listed = entries(session)
        result = verify(session)
        assert head(session) == (5, listed[-1].hash)
    assert [e.seq for e in listed] == [1, 2, 3, 4, 5]
    assert result.ok and result.checked == 5
    # The first entry's hash, recomputed here from its stored fields by hand.
    first = listed[0]
    content = {
        "seq": 1, "at": first.at.isoformat(), "actor": "amina", "action": "case.view",
        "target_type": "case", "target_id": "0", "address": None,
        "details": json.dumps({"run": 0}), "prev": "0" * 64,
    }  # fmt: skip
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    assert first.hash == hashlib.sha256(canonical.encode()).hexdigest()
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(listed))


def test_a_changed_entry_is_named(app_engine: Engine) -> None:
    _write(app_engine, 4)
    with app_engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'someone' WHERE seq = 3"))
    with session_scope(app_engine) as session:
        result = verify(session)
    assert not result.ok and result.broken_at == 3
    assert "entry 3 was changed" in (result.problem or "")


def test_a_deleted_entry_is_named(app_engine: Engine) -> None:
    _write(app_engine, 4)
    with app_engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    with session_scope(app_engine) as session:
        result = verify(session)
    assert not result.ok and result.broken_at == 2
    assert "entry 2 is missing" in (result.problem or "")


def test_deleting_the_newest_entries_is_found_through_the_head(app_engine: Engine) -> None:
    _write(app_engine, 4)
    with app_engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq >= 3"))
    with session_scope(app_engine) as session:
        result = verify(session)
    assert not result.ok and "entries were removed" in (result.problem or "")


def test_a_rewritten_chain_is_caught_by_a_written_down_head(app_engine: Engine) -> None:
    _write(app_engine, 3)
    with session_scope(app_engine) as session:
        anchor = head(session)
    with app_engine.begin() as connection:  # wipe the log and the head, then forge a new chain
        connection.execute(text("DELETE FROM audit_log"))
        connection.execute(text("UPDATE audit_head SET seq = 0, hash = :h"), {"h": "0" * 64})
    _write(app_engine, 3, actor="forger")
    with session_scope(app_engine) as session:
        assert verify(session).ok  # internally consistent...
        caught = verify(session, expect=anchor)
    assert not caught.ok and caught.broken_at == 3  # ...but not the log written down earlier


def test_a_rolled_back_change_leaves_no_entry(app_engine: Engine) -> None:
    try:
        with session_scope(app_engine) as session:
            record(session, "case.erase", actor="amina", target=("case", 1))
            raise RuntimeError("the erasure failed")
    except RuntimeError:
        pass
    with session_scope(app_engine) as session:
        assert entries(session) == [] and verify(session).ok


def test_concurrent_writers_never_fork_the_chain(app_engine: Engine) -> None:
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            _write(app_engine, 10, actor=name)
        except BaseException as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"user{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with session_scope(app_engine) as session:
        result = verify(session)
        assert result.ok and result.checked == 60
        assert len({e.actor for e in entries(session)}) == 6


def test_a_database_without_its_head_row_starts_the_chain(app_engine: Engine) -> None:
    with app_engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_head"))
    with session_scope(app_engine) as session:
        assert head(session) == (0, "0" * 64)
    _write(app_engine, 2)
    with session_scope(app_engine) as session:
        written = entries(session)
        assert [e.seq for e in written] == [1, 2]
        assert written[0].prev_hash == "0" * 64 and written[1].prev_hash == written[0].hash
        assert head(session) == (2, written[1].hash) and verify(session).ok


def test_an_entry_stores_what_its_hash_covers(app_engine: Engine) -> None:
    """Every field is stored as given, and the hash recomputed from the stored row matches."""
    with session_scope(app_engine) as session:
        record(session, "case.view", actor="amina", target=("case", 7), address="10.0.0.7",
               details={"run": 3, "note": "ü"})  # fmt: skip
    with app_engine.connect() as connection:
        row = connection.execute(text("SELECT * FROM audit_log")).mappings().one()
    assert (row["seq"], row["actor"], row["action"]) == (1, "amina", "case.view")
    assert (row["target_type"], row["target_id"], row["address"]) == ("case", "7", "10.0.0.7")
    assert json.loads(row["details"]) == {"run": 3, "note": "ü"}
    with session_scope(app_engine) as session:
        assert verify(session).ok and head(session) == (1, row["hash"])
