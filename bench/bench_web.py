#!/usr/bin/env python3
"""Web benchmark: requests/s and latency of the atlas and the API under 20 concurrent clients.

Starts `azyl serve` (one worker) on a free loopback port with a statistics
database built into a temporary folder, measures its cold start (process
spawn to the first answered request), then drives each endpoint with a small
asyncio load generator (httpx) on 127.0.0.1: CLIENTS concurrent clients, at
most REQUESTS requests and SECONDS seconds per endpoint, after a warm-up.
`/api/health` is the baseline run side by side: each endpoint's p95 is also
printed as a ratio to it, so results compare across machines.

    .venv/bin/python bench/bench_web.py [--requests 400] [--clients 20] [--seconds 20]

Traffic goes only to 127.0.0.1; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
AZYL = ROOT / ".venv" / "bin" / "azyl"
CASE = {
    "person": {"citizenship": ["TJK"], "profiles": ["political_activist"],
               "wanted": ["interpol_red_notice"]},
    "route": [{"country": "RUS", "role": "residence"},
              {"country": "POL", "role": "first_eu_entry", "fingerprinted": True}],
    "current_country": "DEU",
    "stage": "dublin_procedure",
    "proposed_action": {"type": "dublin_transfer", "to": "POL"},
    "as_of": "2024-05-01",
}  # fmt: skip
ENDPOINTS = [
    ("baseline /api/health", "GET", "/api/health", None),
    ("rates API", "GET", "/api/rates?origin=RUS&destination=DEU", None),
    ("lottery API", "GET", "/api/lottery?origin=RUS", None),
    ("assess API", "POST", "/api/assess", CASE),
    ("Atlas page", "GET", "/?origin=RUS", None),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(env: dict[str, str], port: int) -> tuple[subprocess.Popen[bytes], float]:
    """Spawn `azyl serve` and return it with its cold start in seconds."""
    started = time.perf_counter()
    proc = subprocess.Popen([AZYL, "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = started + 60
    while time.perf_counter() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc, time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.02)
    proc.kill()
    raise SystemExit("azyl serve did not answer within 60 s")


async def load(
    base: str, method: str, path: str, body: object, args: argparse.Namespace
) -> dict[str, float]:
    """Drive one endpoint; return rps, p50, p95 and max latency in milliseconds."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=args.clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        for _ in range(10):  # warm-up: first answers fill the caches
            await client.request(method, path, json=body)
        remaining = args.requests
        deadline = time.perf_counter() + args.seconds

        async def worker() -> None:
            nonlocal remaining, errors
            while remaining > 0 and time.perf_counter() < deadline:
                remaining -= 1
                t0 = time.perf_counter()
                response = await client.request(method, path, json=body)
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += response.status_code >= 400

        t_start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(args.clients)))
        elapsed = time.perf_counter() - t_start
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    return {"n": len(latencies), "rps": len(latencies) / elapsed,
            "p50": statistics.median(latencies), "p95": p95, "max": latencies[-1],
            "errors": errors}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="azyl-bench-") as tmp:
        env = {**os.environ, "AZYL_DATA_DIR": tmp, "HOME": tmp}
        print("building the statistics database for the benchmark ...", file=sys.stderr)
        subprocess.run([AZYL, "build"], env=env, check=True, capture_output=True)
        port = free_port()
        proc, cold = start_server(env, port)
        try:
            base = f"http://127.0.0.1:{port}"
            results = [
                (name, asyncio.run(load(base, m, p, b, args))) for name, m, p, b in ENDPOINTS
            ]
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"cold start of azyl serve (spawn to first answer): {cold:.2f} s")
    print(f"{args.clients} concurrent clients, up to {args.requests} requests per endpoint")
    print(f"{'endpoint':<22}{'n':>6}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
          f"{'p95/base':>10}{'errors':>8}")  # fmt: skip
    base_p95 = results[0][1]["p95"]
    for name, r in results:
        print(f"{name:<22}{r['n']:>6.0f}{r['rps']:>9.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}"
              f"{r['max']:>9.1f}{r['p95'] / base_p95:>10.1f}{r['errors']:>8.0f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
