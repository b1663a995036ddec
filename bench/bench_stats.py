#!/usr/bin/env python3
"""Benchmark the statistics build and queries against plain DuckDB, side by side, and record it.

Baseline: DuckDB's own `read_csv` of every input file into a table (auto-detected
columns, nothing checked, no provenance), in one transaction: the least work a
build could do with the same library. Candidate: `build_statistics` from the same
files (adapters, checks, bad-line reports, provenance, atomic swap), from scratch,
then again with nothing changed. Queries: the rates and lottery the atlas asks for,
against a plain `SELECT` of the same rows as baseline, median and p95.

Targets (issue 19): a full build within 10 s on a 2-core machine, a rebuild with
nothing changed under 1 s, statistics queries p95 under 20 ms. The figures are
written into the "Statistics" section of BENCHMARKS.md.

Usage: `.venv/bin/python bench/bench_stats.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from _record import machine, write_section
from azyl.config import load_settings
from azyl.countries import FSU_ORIGINS
from azyl.sources import locate
from azyl.stats import lottery, open_store, rates
from azyl.store import build_statistics

ROOT = Path(__file__).resolve().parent.parent


def seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def plain_read(files: list[Path], target: Path) -> None:
    """The baseline: every file into a table with DuckDB's own CSV reader, one transaction."""
    target.unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    con.execute("BEGIN")
    for i, path in enumerate(files):
        con.execute(
            f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?, all_varchar = true, "
            "ignore_errors = true)",
            [str(path)],
        )
    con.execute("COMMIT")
    con.close()


def latencies(work: Callable[[str], object], rounds: int) -> list[float]:
    """Milliseconds per call, every FSU origin `rounds` times after one warm-up pass."""
    for origin in FSU_ORIGINS:
        work(origin)
    out = []
    for _ in range(rounds):
        for origin in FSU_ORIGINS:
            started = time.perf_counter()
            work(origin)
            out.append((time.perf_counter() - started) * 1000)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="builds and query passes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({"AZYL_DATA_DIR": tmp, "AZYL_ONLINE": "no"})
        found = locate(settings.mirror_dir, settings.downloads_dir, online=False)
        files = [f.path for f in found.files]
        size = sum(p.stat().st_size for p in files)
        baseline = [seconds(lambda: plain_read(files, Path(tmp) / "plain.duckdb"))]
        builds, rebuilds = [], []
        for _ in range(args.rounds):
            baseline.append(seconds(lambda: plain_read(files, Path(tmp) / "plain.duckdb")))
            builds.append(seconds(lambda: build_statistics(settings, False, force=True)))
            rebuilds.append(seconds(lambda: build_statistics(settings, False)))
        with open_store(settings.stats_db_path) as store:
            year = max(store.decision_years(None)["UNHCR"]) - 1
            rate_ms = latencies(lambda o: rates(store, o), args.rounds * 5)
            lottery_ms = latencies(lambda o: lottery(store, o, year), args.rounds * 5)
        con = duckdb.connect(str(settings.stats_db_path), read_only=True)
        select_ms = latencies(
            lambda o: con.execute("SELECT * FROM unhcr_decisions WHERE origin = ?", [o]).fetchall(),
            args.rounds * 5,
        )
        con.close()
    build, plain = min(builds), min(baseline)
    rows = [
        ("input files", f"{len(files)} files, {size / 1e6:.1f} MB"),
        ("baseline: DuckDB read_csv of every file (best)", f"{plain:.2f} s"),
        ("azyl build from scratch (best)", f"{build:.2f} s, {build / plain:.2f}x the baseline"),
        ("rebuild with nothing changed (best)", f"{min(rebuilds) * 1000:.0f} ms"),
        ("baseline: plain SELECT of one origin's rows, median / p95",
         f"{statistics.median(select_ms):.2f} / {p95(select_ms):.2f} ms"),
        ("rates for one origin, median / p95",
         f"{statistics.median(rate_ms):.2f} / {p95(rate_ms):.2f} ms"),
        (f"lottery for one origin in {year}, median / p95",
         f"{statistics.median(lottery_ms):.2f} / {p95(lottery_ms):.2f} ms"),
    ]  # fmt: skip
    for name, value in rows:
        print(f"{name:60s} {value}")
    body = [
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/bench_stats.py "
        f"--rounds {args.rounds}`. Machine: {machine()}.",
        "",
        "Baseline: DuckDB's own `read_csv` of every input file into a table, in one",
        "transaction, nothing checked. Targets: build within 10 s, rebuild with nothing",
        "changed under 1 s, query p95 under 20 ms. Other processes shared the machine.",
        "",
        "| measure | result |",
        "|---|---|",
        *[f"| {name} | {value} |" for name, value in rows],
    ]
    write_section(ROOT / "BENCHMARKS.md", "Statistics", "\n".join(body))


if __name__ == "__main__":
    main()
