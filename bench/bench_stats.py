#!/usr/bin/env python3
"""Benchmark the statistics atlas, side by side on this machine, and record it.

Measures, in one run:

* the floor: decompress and read every input file's bytes (nothing can be faster);
* a plain pandas reading of the same files (`read_csv`, strings kept as strings);
* the full build of the database from the mirror (`build_statistics`, from scratch);
* a rebuild when nothing changed;
* rates and lottery query latency from a warm store (median and p95);
* peak memory of the build (VmHWM of a separate process, so pandas does not count).

Then it writes the figures, with the date and the machine, into the
"Statistics" section of BENCHMARKS.md. Usage: `.venv/bin/python bench/bench_stats.py`.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from azyl.config import Settings, find_mirror, load_settings
from azyl.countries import FSU_ORIGINS
from azyl.errors import AzylError
from azyl.sources import Format, SourceFile, source_files
from azyl.stats import lottery, open_store, rates
from azyl.store import build_statistics

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 1 << 22


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of `runs` timings (the least disturbed by other processes)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def floor(files: list[SourceFile]) -> None:
    """Decompress and read every byte of every input."""
    for f in files:
        opener = gzip.open if f.path.suffix == ".gz" else open
        with opener(f.path, "rb") as handle:
            while handle.read(CHUNK):
                pass


def pandas_read(files: list[SourceFile]) -> None:
    """What an analyst would write: read each file with pandas, codes kept as text."""
    for f in files:
        sep = "\t" if f.format is Format.EUROSTAT_TSV else ","
        pd.read_csv(f.path, sep=sep, encoding=f.encoding, keep_default_na=False, na_values=[""])


def settings_for(data_dir: Path, mirror: Path) -> Settings:
    return load_settings(
        {"AZYL_DATA_DIR": str(data_dir), "AZYL_MIRROR_DIR": str(mirror), "HOME": str(data_dir)}
    )


def build_in_child(data_dir: Path, mirror: Path) -> dict[str, float]:
    """Build from scratch in a fresh process; return its time and peak memory."""
    code = (
        "import json, sys, time\n"
        "from azyl.config import load_settings\n"
        "from azyl.store import build_statistics\n"
        f"s = load_settings({{'AZYL_DATA_DIR': {str(data_dir)!r}, "
        f"'AZYL_MIRROR_DIR': {str(mirror)!r}, 'HOME': {str(data_dir)!r}}})\n"
        "t = time.perf_counter(); r = build_statistics(s, progress=False, force=True)\n"
        "t = time.perf_counter() - t\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "rss = int(hwm.split()[1])\n"
        "print(json.dumps({'seconds': t, 'peak_mib': rss / 1024, 'rows': r.rows}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def latencies(work: Callable[[], object], calls: int) -> tuple[float, float]:
    """Median and p95 latency in milliseconds over `calls` calls."""
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def machine() -> tuple[str, str]:
    uname = " ".join(platform.uname())
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return uname, cpu


def query_mix(store_path: Path) -> dict[str, tuple[float, float]]:
    """Warm-store latency of `rates` and `lottery` over the twelve post-Soviet origins."""
    with open_store(store_path) as store:
        pairs = [(o, y) for o in FSU_ORIGINS for y in (2016, 2022, 2023)]
        for origin, year in pairs:  # warm up
            rates(store, origin, year)
        state = {"i": 0}

        def next_pair() -> tuple[str, int]:
            state["i"] += 1
            return pairs[state["i"] % len(pairs)]

        def one_rates() -> None:
            rates(store, *next_pair())

        def one_lottery() -> None:
            origin, year = next_pair()
            with contextlib.suppress(AzylError):  # an origin with no data that year
                lottery(store, origin, year)

        return {"rates": latencies(one_rates, 300), "lottery": latencies(one_lottery, 300)}


def write_section(text: str) -> None:
    """Replace (or add) the "Statistics" section of BENCHMARKS.md."""
    path = ROOT / "BENCHMARKS.md"
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    head, marker, rest = current.partition("\n## Statistics\n")
    tail = ""
    if marker and "\n## " in rest:
        tail = rest[rest.index("\n## ") :]
    path.write_text(head.rstrip() + "\n\n## Statistics\n\n" + text.strip() + "\n" + tail)


def main() -> None:
    mirror = find_mirror({})
    if mirror is None:
        sys.exit("error: the publisher mirror (shared/data) was not found")
    files = source_files(mirror, False, Path(tempfile.gettempdir()))
    total = sum(f.path.stat().st_size for f in files)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        builds = [build_in_child(data, mirror) for _ in range(2)]
        floor_s = best_of(3, lambda: floor(files))
        pandas_s = best_of(2, lambda: pandas_read(files))
        build = min(builds, key=lambda b: b["seconds"])
        settings = settings_for(data, mirror)
        rebuild_s = best_of(3, lambda: build_statistics(settings, progress=False))
        queries = query_mix(settings.stats_db_path)
    uname, cpu = machine()
    build_s = build["seconds"]
    (r_med, r_p95), (l_med, l_p95) = queries["rates"], queries["lottery"]
    text = f"""
Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/bench_stats.py`.
Machine: `{uname}`; CPU: {cpu}; {len(files)} input files, {total / 1e6:.1f} MB on disk
({build["rows"]:,} rows). Best of several runs each; other processes shared the machine.

| measure | result | target |
|---|---|---|
| floor: decompress and read every byte | {floor_s:.2f} s | - |
| pandas `read_csv` of the same files | {pandas_s:.2f} s | - |
| full build from the mirror | {build_s:.2f} s | - |
| pandas / build | {pandas_s / build_s:.2f}x | >= 2x |
| build / floor | {build_s / floor_s:.2f}x | <= 2x |
| rebuild when nothing changed | {rebuild_s * 1000:.0f} ms | < 1 s |
| `rates` latency, median / p95 | {r_med:.1f} / {r_p95:.1f} ms | p95 < 20 ms |
| `lottery` latency, median / p95 | {l_med:.1f} / {l_p95:.1f} ms | p95 < 20 ms |
| peak memory of the build process | {build["peak_mib"]:.0f} MiB | - |

Where the build time goes: one input, the flat CSV of Eurostat `migr_asyappctza`
(6.3 million rows, 90% of them zeros for sex × age breakdowns), dominates. DuckDB's
CSV reader parses it at about the speed of pandas on this two-core machine, and
writing that many rows into a persistent DuckDB file costs as much again, so the
build is slower than a pandas read, which stores nothing. The rebuild-when-unchanged
and query targets are met; the two build-speed targets are not (see the report of the
statistics work for the options: store zero cells implicitly with a coverage table,
or keep the sex × age breakdown out of the default build).
"""
    print(text)
    write_section(text)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this benchmark process itself peaked at {peak:.0f} MiB, pandas included)")


if __name__ == "__main__":
    main()
