"""Which thread reads and writes which file during a build, and in how many transactions.

The build is bound by the processor, and one file (the R package's flat CSV,
nine tenths of the bytes) takes one core just to inflate. So:

* that file is read ahead on a thread of its own from the very start, before
  the inputs are even hashed (zlib inflates it on yet another thread, see
  `azyl.store.flatcsv`), and written as soon as it is read, its two large
  tables at the same time (`azyl.store.sparse`);
* the other files wait in a queue, largest first. A thread of lower priority
  reads and writes them one after the other meanwhile, using what the flat
  file's threads leave of the processor (it reads its first file while the
  database is being created); the thread that wrote the flat file then takes
  the files still queued, so that both cores finish together;
* each thread writes its share of the queue in one transaction (one commit, one
  write to the disk), DuckDB itself on one thread: the build's own threads
  already fill the cores;
* the table derived from the UNHCR decisions is built right after them, in the
  same transaction.

A file whose fast reader declines it is loaded by DuckDB's reader in a
transaction of its own, so that its failure cannot undo the others.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import duckdb

from azyl.errors import DataFileError
from azyl.sources import SourceFile, adapter_for
from azyl.store.loaders import Ahead, LoadResult, Ready, load_file, read_ahead
from azyl.store.loading import cursor_like
from azyl.store.schema import DERIVED, DERIVED_FROM, delete_file_rows

__all__ = ["Loading", "load_one", "start_ahead"]


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


class Loading:
    """The loading of every file, begun before the database exists.

    The threads start at once: the writer of the file read ahead waits for it;
    the thread of the small files reads the first of them meanwhile. Both get
    their cursor from `finish`, once the schema is made (`abandon` if it cannot
    be). Provenance id of `files[i]`: i + 1.
    """

    def __init__(
        self,
        files: list[SourceFile],
        digests: dict[Path, str | None],
        ahead: dict[Path, Ahead],
        done: Callable[[SourceFile], None],
    ) -> None:
        self._files, self._digests, self._ahead = files, digests, ahead
        self._later = [i for i, f in enumerate(files) if f.path in ahead]
        rest = [i for i in range(len(files)) if i not in self._later]
        self._queue = _Queue(files, digests, done, rest)
        self._cursors: list[Future[duckdb.DuckDBPyConnection]] = [Future(), Future()]
        self._write = ThreadPoolExecutor(max_workers=1, thread_name_prefix="azyl-write")
        self._small = ThreadPoolExecutor(max_workers=1, thread_name_prefix="azyl-small",
                                         initializer=_yield_to_others)  # fmt: skip
        self._jobs = [self._write.submit(self._ahead_then_queue),
                      self._small.submit(self._queue.work, self._cursors[1])]  # fmt: skip

    def _ahead_then_queue(self) -> None:
        cursor = self._cursors[0].result()
        for index in self._later:
            source = self._files[index]
            result = load_one(cursor, source, index + 1, self._digests[source.path],
                              self._ahead[source.path])  # fmt: skip
            self._queue.finished(index, result, cursor)
        self._queue.work(self._cursors[0])

    def finish(self, con: duckdb.DuckDBPyConnection) -> list[LoadResult]:
        """Hand the threads their cursors on `con` and wait for every file.

        Cursors are made here: a DuckDB connection refuses to make one while
        another thread runs a statement on it.
        """
        cursors = [cursor_like(con) for _ in self._cursors]
        for future, cursor in zip(self._cursors, cursors, strict=True):
            future.set_result(cursor)
        try:
            for job in self._jobs:
                job.result()
        finally:
            self.abandon()
            for cursor in cursors:
                cursor.close()
        if not self._queue.derived:  # the decisions were not among the files
            for statement in DERIVED:
                con.execute(statement)
        return [self._queue.results[i] for i in range(len(self._files))]

    def abandon(self) -> None:
        """Let the threads stop after their current file, and wait for them."""
        self._queue.clear()
        for future in self._cursors:
            if not future.done():
                future.set_exception(_Abandoned("the database could not be created"))
        self._write.shutdown()
        self._small.shutdown()


class _Abandoned(Exception):
    """The build stopped before the threads got their cursors."""


#: How much the thread of the small files yields to the flat file's threads (nice).
SMALL_FILES_NICENESS = 5


def _yield_to_others() -> None:
    """Lower this thread's priority, so that the flat file's threads keep their core.

    The flat file is the longest chain of the build (inflate, parse, assemble,
    write); the small files only have to be done by its end. An ordinary user may
    lower a thread's priority (never raise it back): the thread is the build's
    own and ends with it. Elsewhere than on Linux, nothing.
    """
    if sys.platform.startswith("linux"):  # there a thread's id names it for setpriority
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
        self.derived = False
        self._left = sorted(indexes, key=lambda i: -_size(files[i].path))
        self._lock = threading.Lock()

    def _next(self) -> int | None:
        with self._lock:
            return self._left.pop(0) if self._left else None

    def clear(self) -> None:
        with self._lock:
            self._left.clear()

    def finished(self, index: int, result: LoadResult, con: duckdb.DuckDBPyConnection) -> None:
        """Record a file's result; after the UNHCR decisions, build the tables derived
        from them at once, in the writer's transaction (it sees its own rows)."""
        self.results[index] = result
        self.done(self.files[index])
        if self.files[index].adapter == DERIVED_FROM:
            for statement in DERIVED:
                con.execute(statement)
            self.derived = True

    def work(self, cursor: Future[duckdb.DuckDBPyConnection]) -> None:
        """Read and write queued files until none is left, the fast-read ones in one
        transaction; one that DuckDB's reader loads gets a transaction of its own.

        Files are read while `cursor` is not there yet (the database is being made).
        """
        read: list[tuple[int, Ready | None]] = []
        writer = _Writer(self, cursor)
        while (index := self._next()) is not None:
            source = self.files[index]
            digest = self.digests[source.path]
            read.append(
                (index, read_ahead(source, adapter_for(source.adapter)) if digest else None)
            )
            if cursor.done():
                for done in read:
                    writer.write(*done)
                read.clear()
        for done in read:
            writer.write(*done)
        writer.commit()


class _Writer:
    """One thread's writes: fast-read files in one transaction, others in their own."""

    def __init__(self, queue: _Queue, cursor: Future[duckdb.DuckDBPyConnection]) -> None:
        self._queue, self._cursor = queue, cursor
        self._con: duckdb.DuckDBPyConnection | None = None
        self._batch: dict[int, Ready] = {}

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = self._cursor.result()
            self._con.execute("BEGIN")
        return self._con

    def write(self, index: int, ready: Ready | None) -> None:
        q, con = self._queue, self._connection()
        source, pid, digest = q.files[index], index + 1, q.digests[q.files[index].path]
        if ready is None:
            self.commit()  # the batch so far is safe: a later failure must not redo it
            q.finished(index, load_one(con, source, pid, digest, _done(None)), con)
            con.execute("BEGIN")
            return
        try:
            result = ready.write(con, pid)
        except duckdb.Error:
            con.execute("ROLLBACK")  # the batch so far is undone: write it file by file
            self._batch[index] = ready
            for again, outcome in _one_by_one(con, q.files, q.digests, self._batch).items():
                q.finished(again, outcome, con)
            self._batch = {}
            con.execute("BEGIN")
            return
        self._batch[index] = ready
        q.finished(index, result, con)

    def commit(self) -> None:
        """Commit the batch: its files are then written for good, never redone."""
        if self._con is not None:
            self._con.execute("COMMIT")
            self._batch = {}


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
        for statement in delete_file_rows(adapter.table, pid):
            con.execute(statement)
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
