"""Which thread reads and writes which file during a build, and in how many transactions.

The build is bound by the processor, and one file (the R package's flat CSV,
nine tenths of the bytes) takes one core just to inflate. So:

* that file is read ahead on a thread of its own from the very start (zlib
  inflates it on yet another thread, see `azyl.store.flatcsv`), and written as
  soon as it is read, its two large tables at the same time (`azyl.store.sparse`);
* the other files wait in a queue, largest first. A thread of lower priority
  reads and writes them one after the other meanwhile, using what the flat
  file's threads leave of the processor; the thread that wrote the flat file
  then takes the files still queued, so that both cores finish together;
* each thread writes its share of the queue in one transaction (one commit, one
  write to the disk), DuckDB itself on one thread: the build's own threads
  already fill the cores;
* the tables derived from the UNHCR decisions are built once everything is in.

A file whose fast reader declines it is loaded by DuckDB's reader in a
transaction of its own, so that its failure cannot undo the others.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import duckdb

from azyl.errors import DataFileError
from azyl.sources import SourceFile, adapter_for
from azyl.store.loaders import Ahead, LoadResult, Ready, load_file, read_ahead
from azyl.store.loading import cursor_like
from azyl.store.schema import DERIVED, physical_tables

__all__ = ["load_all", "load_one", "start_ahead"]


def start_ahead(
    pool: ThreadPoolExecutor, files: list[SourceFile], stop: threading.Event
) -> dict[Path, Ahead]:
    """Start reading the largest file on `pool`, first of all: before the inputs are even
    hashed (set `stop` when they turn out unchanged) and the database exists."""
    present = [f for f in files if _size(f.path)]
    if not present:
        return {}
    big = max(present, key=lambda f: _size(f.path))
    return {big.path: pool.submit(read_ahead, big, adapter_for(big.adapter), stop)}


def load_all(
    con: duckdb.DuckDBPyConnection,
    files: list[SourceFile],
    digests: dict[Path, str | None],
    ahead: dict[Path, Ahead],
    done: Callable[[SourceFile], None],
) -> list[LoadResult]:
    """Load every file (provenance id: position + 1); the results in the order of `files`.

    This thread only waits. Cursors are made here: a DuckDB connection refuses to
    make one while another thread runs a statement on it.
    """
    later = [i for i, f in enumerate(files) if f.path in ahead]
    queue = _Queue(files, digests, done, [i for i in range(len(files)) if i not in later])
    cursors = [cursor_like(con) for _ in range(2)]

    def first_ahead_then_queue() -> None:
        for index in later:
            source = files[index]
            result = load_one(cursors[0], source, index + 1, digests[source.path],
                              ahead[source.path])  # fmt: skip
            queue.finished(index, result)
        queue.work(cursors[0])

    try:
        with (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="azyl-write") as pool,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="azyl-small",
                               initializer=_yield_to_others) as small,
        ):  # fmt: skip
            jobs = [pool.submit(first_ahead_then_queue), small.submit(queue.work, cursors[1])]
            for job in jobs:
                job.result()
    finally:
        for cursor in cursors:
            cursor.close()
    for statement in DERIVED:
        con.execute(statement)
    return [queue.results[i] for i in range(len(files))]


#: How much the thread of the small files yields to the flat file's threads (nice).
SMALL_FILES_NICENESS = 5


def _yield_to_others() -> None:
    """Lower this thread's priority, so that the flat file's threads keep their core.

    The flat file is the longest chain of the build (inflate, parse, assemble,
    write); the small files only have to be done by its end. An ordinary user may
    lower a thread's priority (never raise it back): the thread is the build's
    own and ends with it. Where threads have no priority of their own, nothing.
    """
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), SMALL_FILES_NICENESS)


class _Queue:
    """The files left to load, largest first, taken one at a time by the writing threads."""

    def __init__(
        self,
        files: list[SourceFile],
        digests: dict[Path, str | None],
        done: Callable[[SourceFile], None],
        indexes: list[int],
    ) -> None:
        self.files, self.digests, self.done = files, digests, done
        self.results: dict[int, LoadResult] = {}
        self._left = sorted(indexes, key=lambda i: -_size(files[i].path))
        self._lock = threading.Lock()

    def _next(self) -> int | None:
        with self._lock:
            return self._left.pop(0) if self._left else None

    def finished(self, index: int, result: LoadResult) -> None:
        self.results[index] = result
        self.done(self.files[index])

    def work(self, con: duckdb.DuckDBPyConnection) -> None:
        """Read and write queued files until none is left, the fast-read ones in one
        transaction; one that DuckDB's reader loads gets a transaction of its own."""
        batch: dict[int, Ready] = {}
        con.execute("BEGIN")
        while (index := self._next()) is not None:
            source, pid = self.files[index], index + 1
            digest = self.digests[source.path]
            ready = read_ahead(source, adapter_for(source.adapter)) if digest else None
            if ready is None:
                con.execute("COMMIT")
                self.finished(index, load_one(con, source, pid, digest, _done(None)))
                con.execute("BEGIN")
                continue
            try:
                result = ready.write(con, pid)
            except duckdb.Error:
                con.execute("ROLLBACK")  # the batch so far is undone: write it file by file
                batch[index] = ready
                self.results.update(_one_by_one(con, self.files, self.digests, batch))
                self.done(source)
                batch = {}
                con.execute("BEGIN")
                continue
            batch[index] = ready
            self.finished(index, result)
        con.execute("COMMIT")


def _one_by_one(
    con: duckdb.DuckDBPyConnection,
    files: list[SourceFile],
    digests: dict[Path, str | None],
    batch: dict[int, Ready],
) -> dict[int, LoadResult]:
    """Write files again each in its own transaction (after a failed shared one)."""
    return {
        index: load_one(con, files[index], index + 1, digests[files[index].path], _done(ready))
        for index, ready in batch.items()
    }


def load_one(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    pid: int,
    digest: str | None,
    ahead: Ahead | None = None,
) -> LoadResult:
    """Load one file; a file that cannot be read becomes a reported problem."""
    adapter = adapter_for(source.adapter)
    if digest is None:
        return LoadResult(problems=[DataFileError(str(source.path), None, "file not found")])
    try:
        return load_file(con, source, adapter, pid, ahead)
    except DataFileError as exc:
        return LoadResult(problems=[exc])
    except duckdb.Error as exc:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")  # a failed transaction of the writer's own
        for table in physical_tables(adapter.table):
            con.execute(f"DELETE FROM {table} WHERE provenance_id = {pid}")
        problem = str(exc).splitlines()[0]
        return LoadResult(problems=[DataFileError(str(source.path), None, problem)])


def _done(ready: Ready | None) -> Ahead:
    """A finished `Ahead`: the fast reader's answer, already known."""
    future: Ahead = Future()
    future.set_result(ready)
    return future


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
