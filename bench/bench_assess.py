#!/usr/bin/env python3
"""Benchmark screening latency against the previous engine, side by side, and record it.

Candidate: this checkout's engine, knowledge base and incident seed, in the
context the CLI and the web app use (`build_context`: everything in memory).
Baseline: the engine of an earlier commit (`--baseline-ref`, by default the
last commit before the engine was rewritten for issue 20), run from a
temporary git worktree in its own process, on its own knowledge base and seed,
with its own statistics build from the same mirror.

Both screen the same cases: the scenario profiles of the baseline commit
(`tests/cases/` there), written in the profile format both engines read (a
route step's `permit: true` becomes `documents: [residence_permit]` for the
candidate). The candidate also screens its own, larger scenario set. Each
process warms up once, then screens every profile `--rounds` times; the
script prints median and p95 per screening and the p95 ratio, and writes them
into the "Screening" section of BENCHMARKS.md.

Usage: `.venv/bin/python bench/bench_assess.py [--rounds N] [--baseline-ref REF]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from _record import machine, write_section
from azyl.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
#: The last commit whose engine predates the issue-20 rewrite.
BASELINE_REF = "7a4d5d7"

#: Run inside each process (the baseline's or the candidate's code on sys.path): build the
#: statistics and the incident seed into a fresh data folder, load the context once, screen
#: every profile, print the per-screening milliseconds as JSON.
TIMER = r"""
import json, sys, tempfile, time
from pathlib import Path
import yaml
from azyl.assess import assess, parse_case
from azyl.assess.adapters import build_context
from azyl.config import load_settings
from azyl.incidents.seed import load_seed
from azyl.store import build_statistics

root, rounds, convert = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "convert"
sets = {name: Path(folder) for name, folder in json.loads(sys.argv[4]).items()}
mirror = sys.argv[5]

def profiles(folder):
    out = []
    for path in sorted(folder.rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for variant in doc.get("cases") or [{}]:
            profile = dict(doc["profile"])
            if "as_of" in variant:
                profile["as_of"] = variant["as_of"]
            if convert:
                route = []
                for step in profile.get("route") or []:
                    step = dict(step)
                    if step.pop("permit", False):
                        step["documents"] = ["residence_permit"]
                    route.append(step)
                profile["route"] = route
            out.append(parse_case(profile))
    return out

with tempfile.TemporaryDirectory() as tmp:
    settings = load_settings({"AZYL_DATA_DIR": tmp, "AZYL_KB_DIR": str(root / "kb"),
                              "AZYL_INCIDENTS_SEED": str(root / "incidents" / "seed.yaml"),
                              "AZYL_MIRROR_DIR": mirror})
    build_statistics(settings, progress=False)
    load_seed(settings)
    started = time.perf_counter()
    context = build_context(settings)
    load_ms = (time.perf_counter() - started) * 1000
    result = {"load_ms": load_ms, "facts": len(context.facts)}
    for name, folder in sets.items():
        cases = profiles(folder)
        for case in cases:
            assess(case, context)
        timings = []
        for _ in range(rounds):
            for case in cases:
                started = time.perf_counter()
                assess(case, context)
                timings.append((time.perf_counter() - started) * 1000)
        result[name] = {"profiles": len(cases), "ms": timings}
print(json.dumps(result))
"""


def run(src: Path, root: Path, rounds: int, convert: bool, sets: dict[str, Path]) -> dict:
    """Time one engine in its own process, with `src` first on the import path."""
    env = {**os.environ, "PYTHONPATH": str(src), "AZYL_ONLINE": "no"}
    args = [sys.executable, "-c", TIMER, str(root), str(rounds)]
    args += ["convert" if convert else "as-is", json.dumps({k: str(v) for k, v in sets.items()})]
    args.append(str(load_settings({}).mirror_dir))
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"timing failed in {root}:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def summary(ms: list[float]) -> str:
    return f"{statistics.median(ms):.2f} / {p95(ms):.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--baseline-ref", default=BASELINE_REF)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "baseline"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.baseline_ref],
            check=True,
            capture_output=True,
        )
        try:
            old_cases = tree / "tests" / "cases"
            baseline = run(tree / "src", tree, args.rounds, False, {"same": old_cases})
            candidate = run(
                ROOT / "src",
                ROOT,
                args.rounds,
                True,
                {"same": old_cases, "own": ROOT / "tests" / "cases"},
            )
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                check=False,
                capture_output=True,
            )
    same_old, same_new, own = baseline["same"], candidate["same"], candidate["own"]
    facts = f"{baseline['facts']} / {candidate['facts']}"
    loads = f"{baseline['load_ms']:.0f} / {candidate['load_ms']:.0f} ms"
    ratio = p95(same_new["ms"]) / p95(same_old["ms"])
    rows = [
        ("knowledge base (facts): baseline / candidate", facts),
        ("context load, once: baseline / candidate", loads),
        (f"baseline on its {same_old['profiles']} profiles, median / p95", summary(same_old["ms"])),
        (f"candidate on the same {same_new['profiles']} profiles", summary(same_new["ms"])),
        ("p95 ratio, candidate / baseline", f"{ratio:.2f}x"),
        (f"candidate on its {own['profiles']} scenario profiles", summary(own["ms"])),
    ]
    for name, value in rows:
        print(f"{name:64s} {value}")
    body = [
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/bench_assess.py "
        f"--rounds {args.rounds} --baseline-ref {args.baseline_ref}`. Machine: {machine()}.",
        "",
        "Baseline: the engine before the issue-20 rewrite (commit "
        f"`{args.baseline_ref}`), with its knowledge base and incident seed, in its own",
        "process; candidate: this checkout. Both screen the baseline's scenario profiles",
        "(the same cases), each after one warm-up pass; the candidate also screens its own",
        "scenario set. Times are per screening, context already loaded (as in the web app).",
        "",
        "| measure | result |",
        "|---|---|",
        *[f"| {name} | {value} |" for name, value in rows],
    ]
    write_section(ROOT / "BENCHMARKS.md", "Screening", "\n".join(body))


if __name__ == "__main__":
    main()
