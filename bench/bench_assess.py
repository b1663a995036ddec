#!/usr/bin/env python3
"""Benchmark one screening, side by side with an uncached baseline, and record it.

Candidate: the context the CLI and the web app use (`build_context`): knowledge
base in memory, incidents in an in-memory index, rates cached per nationality.
Baseline: the same engine on a context that asks the databases on every lookup
(a DuckDB rates query and an SQL incident query each time), which is what a
naive wiring would do. Both screen every scenario profile under tests/cases/
many times; the script prints median and p95 latencies and their ratio and
writes them into the "Screening" section of BENCHMARKS.md.

Usage: `.venv/bin/python bench/bench_assess.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import yaml

from _record import machine, write_section
from azyl.appdb import open_database
from azyl.assess import Context, assess, parse_case
from azyl.assess.adapters import build_context
from azyl.assess.context import IncidentLike, RateLike
from azyl.assess.profile import CaseProfile
from azyl.config import load_settings
from azyl.errors import NoData
from azyl.incidents.query import find_incidents
from azyl.incidents.seed import load_seed
from azyl.stats import StatsStore, open_store, rates
from azyl.store import build_statistics

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class UncachedRates:
    """Ask DuckDB for every lookup."""

    store: StatsStore

    def latest_rates(self, origin: str, max_year: int) -> Sequence[RateLike]:
        try:
            rows = rates(self.store, origin, source="UNHCR").rows
        except NoData:
            return []
        latest: dict[str, RateLike] = {}
        for row in rows:
            if (
                row.year <= max_year
                and row.total_decided
                and (row.asylum not in latest or row.year > latest[row.asylum].year)
            ):
                latest[row.asylum] = row
        return list(latest.values())

    def latest_year(self, origin: str) -> int | None:
        return None


@dataclass
class UncachedIncidents:
    """Ask the application database for every lookup."""

    engine: object

    def matching(
        self, origin: str, host: str, profile: str | None = None, as_of: date | None = None
    ) -> Sequence[IncidentLike]:
        return find_incidents(self.engine, origin=origin, host=host, as_of=as_of)  # type: ignore[arg-type]


def cases() -> list[CaseProfile]:
    out = []
    for path in sorted((ROOT / "tests" / "cases").rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for variant in doc.get("cases") or [{}]:
            profile = dict(doc["profile"])
            if "as_of" in variant:
                profile["as_of"] = variant["as_of"]
            out.append(parse_case(profile))
    return out


def timings(context: Context, profiles: list[CaseProfile], rounds: int) -> list[float]:
    """Milliseconds per screening, every profile `rounds` times (after one warm-up pass)."""
    for case in profiles:
        assess(case, context)
    out = []
    for _ in range(rounds):
        for case in profiles:
            started = time.perf_counter()
            assess(case, context)
            out.append((time.perf_counter() - started) * 1000)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({"AZYL_DATA_DIR": tmp})
        build_statistics(settings, progress=False)
        load_seed(settings)
        started = time.perf_counter()
        cached = build_context(settings)
        load_ms = (time.perf_counter() - started) * 1000
        naive = replace(
            cached,
            rates=UncachedRates(open_store(settings.stats_db_path)),
            incidents=UncachedIncidents(open_database(settings)),
        )
        profiles = cases()
        candidate = timings(cached, profiles, args.rounds)
        baseline = timings(naive, profiles, max(1, args.rounds // 10))
    rows = [
        ("screenings timed (candidate)", f"{len(candidate):,} ({len(profiles)} profiles)"),
        ("context load, once", f"{load_ms:.0f} ms"),
        (
            "uncached baseline, median / p95",
            f"{statistics.median(baseline):.1f} / {p95(baseline):.1f} ms",
        ),
        (
            "candidate, median / p95",
            f"{statistics.median(candidate):.2f} / {p95(candidate):.2f} ms (target p95 < 50 ms)",
        ),
        (
            "ratio baseline / candidate (median)",
            f"{statistics.median(baseline) / statistics.median(candidate):.0f}x",
        ),
    ]
    for name, value in rows:
        print(f"{name:40s} {value}")
    body = [
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/bench_assess.py "
        f"--rounds {args.rounds}`. Machine: {machine()}.",
        "",
        "Every scenario profile under tests/cases/ screened repeatedly after one warm-up",
        "pass. Baseline: the same engine with a context that queries DuckDB and the",
        "application database on every lookup; candidate: the context of the CLI and web",
        "app (knowledge base and incident index in memory, rates cached per nationality).",
        "",
        "| measure | result |",
        "|---|---|",
        *[f"| {name} | {value} |" for name, value in rows],
    ]
    write_section(ROOT / "BENCHMARKS.md", "Screening", "\n".join(body))


if __name__ == "__main__":
    main()
