"""Shared helpers of the benchmarks: the machine description and BENCHMARKS.md sections."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> str:
    """`uname` and the CPU model, for the record next to every figure."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"`{' '.join(platform.uname())}`; CPU: {cpu}, {os.cpu_count()} cores"


def write_section(path: Path, title: str, text: str) -> None:
    """Replace (or add) the `## title` section of a Markdown file, keeping the others."""
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    marker = f"\n## {title}\n"
    head, found, rest = current.partition(marker)
    tail = rest[rest.index("\n## ") :] if found and "\n## " in rest else ""
    path.write_text(head.rstrip() + f"\n\n## {title}\n\n" + text.strip() + "\n" + tail)
