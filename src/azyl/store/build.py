"""Build (or refresh) the statistics database from a mirror or the publishers' downloads.

The build is:

* **idempotent**: the sha256 of every input file and the schema version make a
  fingerprint stored in the database; when it has not changed, nothing is
  rebuilt;
* **atomic**: every file is loaded in one transaction into a new database file
  beside the target, which replaces the target (`os.replace`) only when
  complete, so a failed or interrupted build leaves the previous database
  intact and usable;
* **forgiving of bad lines**: a malformed line is reported with its file and
  line number (`DataFileError`) and skipped; the good rows are kept and the
  report says how many were skipped;
* **honest about what is missing**: a dataset that neither the mirror nor a
  download provides is listed, in the report and in the database
  (`build_info.missing`), so the CLI and the web app can say which statistics
  are missing and how to get them;
* **visible**: progress bars on a terminal (downloads, loading), nothing otherwise.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import httpx
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from azyl import __version__
from azyl.config import Settings
from azyl.errors import DataFileError
from azyl.sources import ADAPTERS, Missing, SourceFile, adapter_for, locate
from azyl.store.loaders import LoadResult, load_file
from azyl.store.readers import insert_rows
from azyl.store.schema import DDL, INDEXES, SCHEMA_VERSION


@dataclass(frozen=True)
class FileReport:
    """What the build did with one input file."""

    adapter: str
    file_name: str
    sha256: str
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
    missing: tuple[Missing, ...] = ()
    downloaded: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(f.skipped for f in self.files)

    def summary(self) -> str:
        """One line for the terminal (what is missing comes in `missing_lines`)."""
        if not self.files and self.missing:
            return "no statistics: no mirror holds the publishers' files and none was downloaded"
        if not self.changed:
            return f"statistics database {self.path} is up to date (inputs unchanged)"
        return (
            f"built {self.path}: {self.rows:,} rows from {len(self.files)} files in "
            f"{self.seconds:.1f} s; {self.skipped:,} rows skipped, "
            f"{len(self.problems)} problem(s) reported"
        )

    def missing_lines(self) -> list[str]:
        """Which statistics are missing, why, and how to get them."""
        return missing_advice(self.missing)


def missing_advice(missing: tuple[Missing, ...] | list[Missing]) -> list[str]:
    """Lines naming each missing dataset and saying how to get it."""
    if not missing:
        return []
    lines = [f"missing statistics: {m.title} ({m.reason})" for m in missing]
    lines.append(
        "to get them: point AZYL_MIRROR_DIR at a mirror of the publishers' files "
        "(../shared/data beside the checkout is found by itself), or allow downloads "
        "(AZYL_ONLINE=yes, the default) on a machine that reaches api.unhcr.org and "
        "ec.europa.eu, then run `azyl build` again"
    )
    return lines


def sha256_of(path: Path) -> str:
    """The sha256 of a file."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


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
    with _progress(progress) as bar:
        found = locate(
            settings.mirror_dir,
            settings.downloads_dir,
            settings.online,
            transport=transport,
            progress=bar,
        )
        missing, downloaded = tuple(found.missing), tuple(found.downloaded)
        if not found.files:
            return BuildReport(target, False, time.perf_counter() - started, (), (), missing)
        digests = {f.path: sha256_of(f.path) for f in found.files}
        fingerprint = _fingerprint(found.files, digests, missing)
        if not force and stored_fingerprint(target) == fingerprint:
            seconds = time.perf_counter() - started
            return BuildReport(target, False, seconds, (), (), missing, downloaded)
        results = _build(target, found.files, digests, fingerprint, missing, settings, bar)
    reports = tuple(
        FileReport(f.adapter, f.relpath, digests[f.path], r.rows, r.skipped)
        for f, r in zip(found.files, results, strict=True)
    )
    problems = tuple(p for r in results for p in r.problems)
    seconds = time.perf_counter() - started
    return BuildReport(target, True, seconds, reports, problems, missing, downloaded)


def _build(
    target: Path,
    files: list[SourceFile],
    digests: dict[Path, str],
    fingerprint: str,
    missing: tuple[Missing, ...],
    settings: Settings,
    bar: Progress,
) -> list[LoadResult]:
    """Load every file in one transaction into a new file, then move it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.building")
    _remove(tmp)
    task = bar.add_task("loading statistics", total=len(files))
    try:
        with contextlib.closing(duckdb.connect(str(tmp))) as con:
            con.execute("SET enable_progress_bar = false")
            con.execute("BEGIN")
            for statement in DDL:
                con.execute(statement)
            results = []
            for pid, source in enumerate(files, start=1):
                results.append(load_file(con, source, adapter_for(source.adapter), pid))
                bar.advance(task)
            _record(con, files, digests, results)
            _write_build_info(con, fingerprint, missing, settings)
            for statement in INDEXES:
                con.execute(statement)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        os.replace(tmp, target)
    finally:
        _remove(tmp)
    return results


def _record(
    con: duckdb.DuckDBPyConnection,
    files: list[SourceFile],
    digests: dict[Path, str],
    results: list[LoadResult],
) -> None:
    """Every file's provenance record (id `i` is the `i`-th file) and its problems."""
    now = datetime.now(UTC).replace(tzinfo=None)
    insert_rows(con, "provenance", [
        (
            pid, s.adapter, s.publisher, s.dataset, s.title, s.relpath, digests[s.path],
            s.path.stat().st_size, s.format.value, s.retrieved_at, s.licence, s.release,
            s.url, s.note, r.rows, r.skipped, now,
        )
        for pid, (s, r) in enumerate(zip(files, results, strict=True), start=1)
    ])  # fmt: skip
    insert_rows(con, "problems", [
        (pid, p.line, p.problem) for pid, r in enumerate(results, start=1) for p in r.problems
    ])  # fmt: skip


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
    files: list[SourceFile], digests: dict[Path, str], missing: tuple[Missing, ...]
) -> str:
    """What the database content depends on: schema, loaders and every input's sha256."""
    parts = {
        "schema": SCHEMA_VERSION,
        "azyl": __version__,
        "adapters": [a.key for a in ADAPTERS],
        "files": [[f.adapter, f.relpath, digests[f.path]] for f in files],
        "missing": [m.adapter for m in missing],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _write_build_info(
    con: duckdb.DuckDBPyConnection,
    fingerprint: str,
    missing: tuple[Missing, ...],
    settings: Settings,
) -> None:
    info = {
        "schema_version": SCHEMA_VERSION,
        "fingerprint": fingerprint,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "azyl_version": __version__,
        "duckdb_version": duckdb.__version__,
        "mirror": str(settings.mirror_dir or ""),
        "missing": json.dumps([[m.adapter, m.title, m.reason] for m in missing]),
    }
    insert_rows(con, "build_info", list(info.items()))


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


@contextlib.contextmanager
def _progress(enabled: bool) -> Iterator[Progress]:
    """Rich progress bars on a terminal (standard error); silent otherwise."""
    console = Console(stderr=True)
    bar = Progress(
        TextColumn("[bold]{task.description}", justify="left"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not (enabled and console.is_terminal),
        transient=True,
    )
    with bar:
        yield bar


__all__ = ["BuildReport", "FileReport", "build_statistics", "missing_advice", "stored_fingerprint"]
