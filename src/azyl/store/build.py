"""Build (or refresh) the statistics database from the mirror or the publishers.

The build is:

* **idempotent**: the sha256 of every input file, the schema version and the
  mode (mirror or online) make a fingerprint stored in the database; when it
  has not changed, nothing is rebuilt (well under a second);
* **atomic**: everything is written into a temporary file beside the target
  and moved into place with `os.replace` only when complete, so a failed or
  interrupted build leaves the previous database intact and usable (the
  previous file is deleted afterwards, in the background: `azyl.store.replace`);
* **forgiving of bad lines**: a malformed line is reported with its file and
  line number (`DataFileError`) and skipped; the good rows are kept and the
  report says how many were skipped;
* **visible**: a progress bar on a terminal, nothing when output is not a TTY.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from threading import Event

import duckdb
import httpx
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from azyl import __version__
from azyl.config import Settings
from azyl.errors import DataFileError
from azyl.sources import ADAPTERS, SourceFile, source_files
from azyl.store.loaders import Ahead, LoadResult, fill_code_table
from azyl.store.readers import insert_rows, sql_str
from azyl.store.replace import put_in_place, stale
from azyl.store.schedule import Loading, start_ahead
from azyl.store.schema import DDL, SCHEMA_VERSION

#: Rows per row group of the built database. DuckDB writes a table straight to the
#: file, compressed, once a transaction has a full row group; with DuckDB's default
#: (122,880) most of our tables are smaller and go through the write-ahead log
#: first, then get compressed again at the checkpoint.
ROW_GROUP_SIZE = 16384

#: Compression the build does without: DuckDB tries bit-packing on every integer
#: column it writes, in four modes, and that trial is about a third of its work on
#: ours (the UNHCR decisions file with all 14 columns as integers, inserted and
#: committed: 34 ms of processor time with it, 22 without). The integers then go
#: plain or run-length encoded: the file is about 20 MB instead of 10, and the
#: queries, which read a few thousand rows, are as fast (BENCHMARKS.md).
DISABLED_COMPRESSION = "bitpacking"


@dataclass(frozen=True)
class FileReport:
    """What the build did with one input file."""

    adapter: str
    file_name: str
    sha256: str | None
    rows: int
    skipped: int


@dataclass(frozen=True)
class BuildReport:
    """The outcome of `build_statistics`."""

    path: Path
    changed: bool
    seconds: float
    files: tuple[FileReport, ...]
    problems: tuple[DataFileError, ...]

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(f.skipped for f in self.files)

    def summary(self) -> str:
        """One line for the terminal."""
        if not self.changed:
            return f"statistics database {self.path} is up to date (inputs unchanged)"
        return (
            f"built {self.path}: {self.rows:,} rows from {len(self.files)} files in "
            f"{self.seconds:.1f} s; {self.skipped:,} rows skipped, "
            f"{len(self.problems)} problem(s) reported"
        )


def sha256_of(path: Path) -> str | None:
    """The sha256 of a file, or None when it does not exist."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        return None


def build_statistics(
    settings: Settings,
    progress: bool = True,
    *,
    force: bool = False,
    transport: httpx.BaseTransport | None = None,
) -> BuildReport:
    """Build the statistics database at `settings.stats_db_path` unless it is up to date."""
    started = time.perf_counter()
    target = settings.stats_db_path
    root = settings.data_dir / "downloads" if settings.online else settings.mirror_dir
    files = source_files(settings.mirror_dir, settings.online, settings.data_dir / "downloads",
                         transport)  # fmt: skip
    early, stop = ThreadPoolExecutor(max_workers=1, thread_name_prefix="azyl-ahead"), Event()
    try:
        ahead = start_ahead(early, files, stop)  # inflating starts while the inputs are hashed
        digests = {f.path: sha256_of(f.path) for f in files}
        names = {f.path: _relative(f.path, root) for f in files}
        fingerprint = _fingerprint(files, digests, names, settings.online)
        if not force and stored_fingerprint(target) == fingerprint:
            return BuildReport(target, False, time.perf_counter() - started, (), ())
        results = _build(settings, files, digests, names, fingerprint, ahead, progress)
    finally:
        stop.set()
        early.shutdown(cancel_futures=True)
    reports = tuple(
        FileReport(f.adapter, names[f.path], digests[f.path], r.rows, r.skipped)
        for f, r in zip(files, results, strict=True)
    )
    problems = tuple(p for r in results for p in r.problems)
    return BuildReport(target, True, time.perf_counter() - started, reports, problems)


def _build(
    settings: Settings,
    files: list[SourceFile],
    digests: dict[Path, str | None],
    names: dict[Path, str],
    fingerprint: str,
    ahead: dict[Path, Ahead],
    progress: bool,
) -> list[LoadResult]:
    """Write the database into a temporary file, then move it into place (atomically)."""
    target = settings.stats_db_path
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.building")
    try:
        with _progress(progress) as bar:
            task = bar.add_task("reading", total=sum(_size(f.path) for f in files) or 1)
            loading = Loading(files, digests, ahead, lambda f: bar.advance(task, _size(f.path)))
            try:
                con = _create(tmp)
            except BaseException:
                loading.abandon()
                raise
            with contextlib.closing(con):
                results = loading.finish(con)
                bar.update(task, description="saving")  # provenance, last commit, checkpoint
                con.execute("BEGIN")  # the records of the build: one transaction
                _record_all(con, files, digests, names, results)
                _write_build_info(con, fingerprint, settings)
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
        put_in_place(tmp, target)
    finally:
        _remove(tmp)
    return results


def _create(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection to a new database file at `path`, set up for one bulk build, with its
    tables, views and code table (made in one transaction: one write to the disk)."""
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("SET threads = 1")  # the build runs its own threads, one per core
        con.execute(f"SET disabled_compression_methods = '{DISABLED_COMPRESSION}'")
        con.execute(f"ATTACH {sql_str(str(path))} AS stats (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
        con.execute("USE stats")
        con.execute("BEGIN")
        con.execute(";\n".join(DDL))
        fill_code_table(con)
        con.execute("COMMIT")
    except BaseException:
        con.close()
        raise
    return con


def _record_all(
    con: duckdb.DuckDBPyConnection,
    files: list[SourceFile],
    digests: dict[Path, str | None],
    names: dict[Path, str],
    results: list[LoadResult],
) -> None:
    """Every file's provenance record and the problems found in it.

    Provenance id `i + 1` is the `i`-th file, the id its rows were stamped with.
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    insert_rows(con, "provenance", [
        (
            pid, source.adapter, source.publisher, source.dataset, source.title,
            names[source.path], str(source.path), digests[source.path] or "",
            _size(source.path), source.format.value, source.retrieved_at, source.licence,
            source.release, source.url, source.note, result.rows, result.skipped, now,
        )
        for pid, (source, result) in enumerate(zip(files, results, strict=True), start=1)
    ])  # fmt: skip
    insert_rows(con, "problems", [(pid, p.line, p.problem)
                                  for pid, result in enumerate(results, start=1)
                                  for p in result.problems])  # fmt: skip


def stored_fingerprint(path: Path) -> str | None:
    """The fingerprint of the inputs the database at `path` was built from, if readable."""
    if not path.exists():
        return None
    try:
        with contextlib.closing(duckdb.connect(str(path), read_only=True)) as con:
            row = con.execute("SELECT value FROM build_info WHERE key = 'fingerprint'").fetchone()
    except duckdb.Error:
        return None
    return str(row[0]) if row else None


def _fingerprint(
    files: list[SourceFile], digests: dict[Path, str | None], names: dict[Path, str], online: bool
) -> str:
    """What the database content depends on: schema, loaders, mode and every input's sha256."""
    parts = {
        "schema": SCHEMA_VERSION,
        "azyl": __version__,
        "adapters": [a.key for a in ADAPTERS],
        "online": online,
        "files": [[f.adapter, names[f.path], digests[f.path]] for f in files],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _write_build_info(con: duckdb.DuckDBPyConnection, fingerprint: str, settings: Settings) -> None:
    info = {
        "schema_version": SCHEMA_VERSION,
        "fingerprint": fingerprint,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "azyl_version": __version__,
        "duckdb_version": duckdb.__version__,
        "mode": "online" if settings.online else "mirror",
        "mirror": str(settings.mirror_dir or ""),
    }
    insert_rows(con, "build_info", list(info.items()))


def _relative(path: Path, root: Path | None) -> str:
    """The file's name relative to the mirror (or download) folder, for citations."""
    if root is not None:
        with contextlib.suppress(ValueError):
            return path.relative_to(root).as_posix()
    return path.name


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def _remove_stale_temporaries(target: Path) -> None:
    """Delete the files left by a build that was killed (its process is gone): half-built
    databases, and second names of replaced ones (`azyl.store.replace`)."""
    for leftover in target.parent.iterdir():
        pid = stale(target, leftover.name)
        if pid is not None and not _alive(pid):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _progress(enabled: bool) -> Iterator[Progress]:
    """A rich progress bar on a terminal (standard error); silent otherwise."""
    console = Console(stderr=True)
    bar = Progress(
        TextColumn("[bold]{task.description}", justify="left"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=console,
        disable=not (enabled and console.is_terminal),
        transient=True,
    )
    with bar:
        yield bar


__all__ = ["BuildReport", "FileReport", "build_statistics", "stored_fingerprint"]
