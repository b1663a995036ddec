"""Which thread reads and writes which file during a build, and in how many transactions.

The build is bound by the processor, and one file (the R package's flat CSV,
nine tenths of the bytes) takes one core to inflate. So:

* that file is read ahead on a thread of its own from the very start (zlib
  inflates it on yet another thread, see `azyl.store.flatcsv`), and the same
  thread writes it as soon as it is read;
* this thread meanwhile creates the database, then reads and writes the other
  files one after the other, all in one transaction (one commit, one write to
  the disk), with DuckDB itself on one thread: the build's threads already
  fill the cores, and DuckDB's own would only compete with them;
* the tables derived from the UNHCR decisions are built as soon as those are in.

A file whose fast reader declines it is loaded by DuckDB's reader in a
transaction of its own, so that its failure cannot undo the others.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import duckdb

from azyl.errors import DataFileError
from azyl.sources import SourceFile, adapter_for
from azyl.store.loaders import Ahead, LoadResult, Ready, load_file, read_ahead
from azyl.store.schema import DERIVED, DERIVED_FROM, physical_tables

__all__ = ["load_all", "load_one", "start_ahead"]


def start_ahead(
    pool: ThreadPoolExecutor, files: list[SourceFile], digests: dict[Path, str | None]
) -> dict[Path, Ahead]:
    """Start reading the largest file on `pool` (before the database exists)."""
    present = [f for f in files if digests[f.path]]
    if not present:
        return {}
    big = max(present, key=lambda f: _size(f.path))
    return {big.path: pool.submit(read_ahead, big, adapter_for(big.adapter))}


def load_all(
    con: duckdb.DuckDBPyConnection,
    files: list[SourceFile],
    digests: dict[Path, str | None],
    ahead: dict[Path, Ahead],
    done: Callable[[SourceFile], None],
) -> list[LoadResult]:
    """Load every file (provenance id: position + 1); the results in the order of `files`."""
    results: dict[int, LoadResult] = {}

    def work(index: int) -> LoadResult:
        source = files[index]
        with contextlib.closing(con.cursor()) as cursor:
            cursor.execute("USE stats")  # a cursor starts in the in-memory catalog
            return load_one(cursor, source, index + 1, digests[source.path], ahead[source.path])

    later = [i for i, f in enumerate(files) if f.path in ahead]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="azyl-write") as pool:
        futures = {i: pool.submit(work, i) for i in later}
        rest = [i for i in range(len(files)) if i not in futures]
        derived = _load_in_one_transaction(con, files, digests, rest, done, results)
        for index, future in futures.items():
            results[index] = future.result()
            done(files[index])
    if not derived:
        for statement in DERIVED:
            con.execute(statement)
    return [results[i] for i in range(len(files))]


def _load_in_one_transaction(
    con: duckdb.DuckDBPyConnection,
    files: list[SourceFile],
    digests: dict[Path, str | None],
    indexes: list[int],
    done: Callable[[SourceFile], None],
    results: dict[int, LoadResult],
) -> bool:
    """Read and write `files[i]` for each index, the fast-read ones in one transaction.

    Fills `results`; True when the derived tables were built (their files were here).
    """
    batch: dict[int, Ready] = {}
    derived = {i for i, f in enumerate(files) if f.adapter == DERIVED_FROM}
    built = False
    con.execute("BEGIN")
    for index in indexes:
        source, pid, digest = files[index], index + 1, digests[files[index].path]
        ready = read_ahead(source, adapter_for(source.adapter)) if digest else None
        if ready is None:
            con.execute("COMMIT")
            results[index] = load_one(con, source, pid, digest, _done(None))
            con.execute("BEGIN")
        else:
            try:
                results[index] = ready.write(con, pid)
                batch[index] = ready
            except duckdb.Error:
                con.execute("ROLLBACK")
                batch[index] = ready
                results.update(_one_by_one(con, files, digests, batch))
                batch = {}
                con.execute("BEGIN")
        done(source)
        if not built and derived <= results.keys():
            built = True
            for statement in DERIVED:
                con.execute(statement)
    con.execute("COMMIT")
    return built


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
