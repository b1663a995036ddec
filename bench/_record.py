"""Shared helpers of the benchmarks: timing, the machine description, BENCHMARKS.md sections."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from pathlib import Path


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of `runs` timings in seconds (the least disturbed by other processes)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def machine_parts() -> tuple[str, str]:
    """(`uname`, CPU model) of this machine."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return " ".join(platform.uname()), cpu


def machine() -> str:
    """`uname` and the CPU model, for the record next to every figure."""
    uname, cpu = machine_parts()
    return f"`{uname}`; CPU: {cpu}, {os.cpu_count()} cores"


def write_section(path: Path, title: str, text: str) -> None:
    """Replace (or add) the `## title` section of a Markdown file, keeping the others."""
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    marker = f"\n## {title}\n"
    head, found, rest = current.partition(marker)
    tail = rest[rest.index("\n## ") :] if found and "\n## " in rest else ""
    path.write_text(head.rstrip() + f"\n\n## {title}\n\n" + text.strip() + "\n" + tail)
