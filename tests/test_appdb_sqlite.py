"""One writing transaction at a time on SQLite, queued in the process (`azyl.appdb.sqlite`).

Every path that ends a transaction must hand the process's lock on: a
commit, a rollback after an error, a connection returned to the pool
unfinished, a connection the pool discards. If one did not, the next
transaction would wait `BUSY_SECONDS` and fail, which these tests make short.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from azyl.appdb import make_engine, sqlite
from azyl.errors import Busy


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setattr(sqlite, "BUSY_SECONDS", 2.0)
    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (n INTEGER NOT NULL)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))
    yield engine
    engine.dispose()


def count(engine: Engine) -> int:
    with engine.begin() as connection:
        return int(connection.execute(text("SELECT n FROM counter")).scalar_one())


def test_concurrent_read_then_write_transactions_all_succeed_and_lose_no_update(
    engine: Engine,
) -> None:
    def add_one(_: int) -> None:
        with engine.begin() as connection:  # read, then write from what was read
            n = connection.execute(text("SELECT n FROM counter")).scalar_one()
            connection.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(add_one, range(240)))
    assert count(engine) == 240


def test_a_rolled_back_transaction_lets_the_next_one_in(engine: Engine) -> None:
    with pytest.raises(ZeroDivisionError), engine.begin() as connection:
        connection.execute(text("UPDATE counter SET n = 5"))
        _ = 1 / 0
    assert count(engine) == 0  # rolled back, and the lock was handed on


def test_a_connection_closed_mid_transaction_lets_the_next_one_in(engine: Engine) -> None:
    connection = engine.connect()
    connection.begin()
    connection.execute(text("UPDATE counter SET n = 7"))
    connection.close()  # the pool rolls it back
    with ThreadPoolExecutor(max_workers=1) as other:  # another thread, as another request
        assert other.submit(count, engine).result(timeout=10) == 0


def test_a_discarded_connection_lets_the_next_one_in(engine: Engine) -> None:
    with engine.connect() as connection:
        transaction = connection.begin()
        connection.execute(text("UPDATE counter SET n = 3"))
        connection.invalidate()  # as after a broken connection: SQLAlchemy drops it
        transaction.rollback()
        with connection.begin():  # the same thread, reconnected, in a new transaction
            connection.execute(text("UPDATE counter SET n = n + 1"))
    assert count(engine) == 1


def test_one_connection_runs_transactions_one_after_another(engine: Engine) -> None:
    with engine.connect() as connection:
        for _ in range(3):
            with connection.begin() as transaction:
                connection.execute(text("UPDATE counter SET n = n + 10"))
                transaction.rollback()
            with connection.begin():  # committed when the block ends
                connection.execute(text("UPDATE counter SET n = n + 1"))
    assert count(engine) == 3


def test_a_transaction_that_waits_too_long_gets_a_clear_error(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite, "BUSY_SECONDS", 0.2)
    with engine.begin(), ThreadPoolExecutor(max_workers=1) as other:
        waiting = other.submit(count, engine)
        with pytest.raises(Busy, match="stayed busy"):
            waiting.result(timeout=10)
    assert count(engine) == 0  # and the lock is free again once the holder commits
