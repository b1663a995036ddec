#!/usr/bin/env python3
"""Pages beside PDF downloads: what other people's PDF downloads cost a reader's page views.

Starts `azyl serve` (one worker) over a statistics database built into a
temporary folder and times a reader opening a few pages one after another
(REQUESTS of each) on their own, then again while DOWNLOADERS clients keep
asking for the screening report as a PDF, each one after another. A page's
p95 with the downloads beside it, divided by its p95 alone (same run, same
server), is the figure to compare. With `--baseline-src DIR`, the same is
measured first for the code in DIR (a checkout's `src`, e.g. a worktree of the
commit before a change), so the two are run side by side on the same machine.
The figures go into the "PDF downloads beside pages" section of BENCHMARKS.md.

    .venv/bin/python bench/bench_pdf_neighbours.py [--baseline-src ../wt/src]
                                                   [--downloaders 4] [--seconds 4]

Traffic goes only to 127.0.0.1; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime

import httpx

from _record import machine, write_section
from bench_web import AZYL, CASE, ROOT, free_port, settle, start_server

PAGES = [("About", "/about"), ("Country RUS", "/countries/RUS"), ("Knowledge base", "/kb")]
PDF = "/api/assess/report?format=pdf"


def downloading(base: str, stop: threading.Event, done: list[int]) -> None:
    """Ask for the report as a PDF until told to stop (each answer counted)."""
    with httpx.Client(base_url=base, timeout=600) as client:
        while not stop.is_set():
            if client.post(PDF, json=CASE).status_code == 200:
                done.append(1)


def pages(base: str, args: argparse.Namespace) -> dict[str, float]:
    """Each page's p95 (ms), opened `args.requests` times one after another by one reader."""
    found = {}
    with httpx.Client(base_url=base, timeout=600) as client:
        for name, path in PAGES:
            client.get(path)  # warm
            times = []
            for _ in range(args.requests):
                started = time.perf_counter()
                client.get(path).raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            found[name] = times[max(0, int(len(times) * 0.95) - 1)]
    return found


def measure(src: str | None, args: argparse.Namespace, tmp: str) -> dict[str, object]:
    """Pages alone, then beside the downloads, for one version of the code (None: this one)."""
    env = {**os.environ, "AZYL_DATA_DIR": tmp, "HOME": tmp}
    if src:
        env["PYTHONPATH"] = src
    port = free_port()
    proc, _ = start_server(env, port, 1)
    base = f"http://127.0.0.1:{port}"
    try:
        alone = pages(base, args)
        stop, done = threading.Event(), []
        threads = [
            threading.Thread(target=downloading, args=(base, stop, done))
            for _ in range(args.downloaders)
        ]
        for thread in threads:
            thread.start()
        time.sleep(2)  # the downloads under way
        started = len(done)
        beside = pages(base, args)
        finished = len(done) - started
        stop.set()
        for thread in threads:
            thread.join(timeout=600)
        settle(base)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return {"alone": alone, "beside": beside, "pdfs": finished}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-src", help="the src folder of the code to compare with")
    parser.add_argument("--downloaders", type=int, default=8)
    parser.add_argument("--requests", type=int, default=40, help="views of each page")
    parser.add_argument("--no-record", action="store_true", help="print, leave BENCHMARKS.md")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="azyl-bench-") as tmp:
        env = {**os.environ, "AZYL_DATA_DIR": tmp, "HOME": tmp}
        subprocess.run([AZYL, "build"], env=env, check=True, capture_output=True)
        if args.baseline_src:
            results["baseline"] = measure(args.baseline_src, args, tmp)
        results["candidate"] = measure(None, args, tmp)
    print(json.dumps(results, indent=1), file=sys.stderr)
    lines = [
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/bench_pdf_neighbours.py "
        f"--downloaders {args.downloaders} --requests {args.requests}"
        f"{' --baseline-src ' + args.baseline_src if args.baseline_src else ''}`. "
        f"Machine: {machine()}. One worker; one reader opens each page {args.requests} times, "
        f"one view after another, on its own, then while {args.downloaders} clients each "
        "download the screening report as a PDF, one after another.",
        "",
        "| code | page | p95 alone ms | p95 beside the PDFs ms | ratio | PDFs served meanwhile |",
        "|---|---|---|---|---|---|",
    ]
    for label, result in results.items():
        alone, beside = result["alone"], result["beside"]
        assert isinstance(alone, dict) and isinstance(beside, dict)
        for name, _ in PAGES:
            lines.append(
                f"| {label} | {name} | {alone[name]:.1f} | {beside[name]:.1f} | "
                f"{beside[name] / alone[name]:.1f}x | {result['pdfs']} |"
            )
    text = "\n".join(lines)
    print(text)
    if not args.no_record:
        write_section(ROOT / "BENCHMARKS.md", "PDF downloads beside pages", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
