#!/usr/bin/env python3
"""How much the strict knowledge-base loader costs, as ratios against plain YAML parsing.

Builds a knowledge base of N facts (the fixture's eight real facts copied
under new names), then times, side by side and interleaved:

- baseline: `yaml.safe_load` of every source and fact file (parsing only);
- strict: `load_kb(kb, None)` (every check, quotes not verified);
- strict + quotes: `load_kb(kb, archive)` (quotes verified against the seeds).

It prints the best of several runs of each and the ratios to the baseline,
so the numbers mean the same on any machine. `real` measures the repository's
own kb/ instead of copies of the fixture. Usage:

    .venv/bin/python bench/kb_load.py [copies]     # default 25 copies: 208 facts
    .venv/bin/python bench/kb_load.py real         # the knowledge base as shipped
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml

from _record import best_of
from azyl.config import find_mirror
from azyl.kb import load_kb

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "kb" / "valid"


def build(copies: int, into: Path) -> Path:
    kb = into / "kb"
    shutil.copytree(FIXTURE, kb)
    for fact in sorted(FIXTURE.glob("facts/*/*.yaml")):
        for n in range(copies):
            shutil.copy(fact, kb / "facts" / fact.parent.name / f"{fact.stem}-c{n:03d}.yaml")
    return kb


def main() -> None:
    asked = sys.argv[1] if len(sys.argv) > 1 else "25"
    mirror = find_mirror()
    roots = (mirror.parent,) if mirror else ()  # the shared folder: seeds/ beside data/
    with tempfile.TemporaryDirectory() as tmp:
        kb = ROOT / "kb" if asked == "real" else build(int(asked), Path(tmp))
        files = sorted(kb.glob("sources/*.yaml")) + sorted(kb.glob("facts/*/*.yaml"))
        facts = len(load_kb(kb).facts)
        cases: dict[str, Callable[[], object]] = {
            "baseline yaml.safe_load": lambda: [yaml.safe_load(f.read_text()) for f in files],
            "strict load_kb": lambda: load_kb(kb),
        }
        if roots:
            cases["strict load_kb + quotes"] = lambda: load_kb(kb, roots)
        results = {name: float("inf") for name in cases}
        for _ in range(5):  # interleave, so drift in machine load hits every case alike
            for name, work in cases.items():
                results[name] = min(results[name], best_of(1, work))
    base = results["baseline yaml.safe_load"]
    print(f"{facts} facts, {len(files)} files")
    for name, seconds in results.items():
        print(f"{name:<26} {seconds * 1000:8.1f} ms   x{seconds / base:.2f}")


if __name__ == "__main__":
    main()
