#!/usr/bin/env python3
"""Web benchmark: requests/s and latency of the atlas and the API under 20 concurrent clients.

Starts `azyl serve` (one worker) on a free loopback port with a statistics
database built into a temporary folder, measures its cold start (process
spawn to the first answered request), then drives each endpoint with a load
generator on 127.0.0.1: CLIENTS concurrent clients, at most REQUESTS requests
and SECONDS seconds per endpoint, after a warm-up. The generator is `wrk`
(Debian's package, written in C) when installed, because on a two-core
machine a Python generator takes CPU from the server it measures; otherwise a
small asyncio client (httpx). `/api/health` is the baseline run side by side:
each endpoint's p95 is also printed as a ratio to it, so results compare
across machines. The figures go into the "Web" section of BENCHMARKS.md.

    .venv/bin/python bench/bench_web.py [--requests 50000] [--clients 20] [--seconds 10]
                                        [--python-client]

Traffic goes only to 127.0.0.1; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from _record import machine, write_section

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


#: wrk script (one thread): a request budget (bounded count), JSON bodies for POST,
#: and the latency percentiles printed as one JSON line at the end.
WRK_SCRIPT = """
local budget = tonumber(os.getenv("AZYL_BENCH_BUDGET"))
local answered = 0
wrk.method = os.getenv("AZYL_BENCH_METHOD")
local body = os.getenv("AZYL_BENCH_BODY")
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
function response(status, headers, body)
  answered = answered + 1
  if answered >= budget then wrk.thread:stop() end
end
function done(summary, latency, requests)
  io.write(string.format(
    '{"n": %d, "seconds": %f, "p50": %f, "p95": %f, "max": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency.max / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


def load_wrk(
    base: str, method: str, path: str, body: object, args: argparse.Namespace, script: Path
) -> dict[str, float]:
    """Drive one endpoint with wrk; return rps, p50, p95 and max latency in milliseconds."""
    for _ in range(10):  # warm-up: first answers fill the caches
        httpx.request(method, base + path, json=body, timeout=30)
    env = {
        **os.environ,
        "AZYL_BENCH_METHOD": method,
        "AZYL_BENCH_BODY": json.dumps(body) if body is not None else "",
        "AZYL_BENCH_BUDGET": str(args.requests),
    }
    seconds = f"-d{max(1, round(args.seconds))}s"
    cmd = ["wrk", "-t1", f"-c{args.clients}", seconds, "-s", str(script), base + path]
    started = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    elapsed = time.perf_counter() - started  # wrk's own duration ignores an early stop
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    result["rps"] = result["n"] / elapsed
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    args = parser.parse_args()
    use_wrk = shutil.which("wrk") is not None and not args.python_client
    with tempfile.TemporaryDirectory(prefix="azyl-bench-") as tmp:
        env = {**os.environ, "AZYL_DATA_DIR": tmp, "HOME": tmp}
        print("building the statistics database for the benchmark ...", file=sys.stderr)
        subprocess.run([AZYL, "build"], env=env, check=True, capture_output=True)
        port = free_port()
        proc, cold = start_server(env, port)
        try:
            base = f"http://127.0.0.1:{port}"
            script = Path(tmp) / "bench.lua"
            script.write_text(WRK_SCRIPT)
            results = [
                (name, load_wrk(base, m, p, b, args, script) if use_wrk
                 else asyncio.run(load(base, m, p, b, args)))
                for name, m, p, b in ENDPOINTS
            ]  # fmt: skip
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    generator = "wrk (1 thread)" if use_wrk else "Python asyncio client (httpx)"
    base_p95 = results[0][1]["p95"]
    lines = [
        f"| {name} | {r['n']:.0f} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
        f"{r['max']:.1f} | {r['p95'] / base_p95:.1f} | {r['errors']:.0f} |"
        for name, r in results
    ]
    text = "\n".join([
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/bench_web.py "
        f"--requests {args.requests} --clients {args.clients} --seconds {args.seconds:g}`. "
        f"Machine: {machine()}. Load generator: {generator}, on the same machine.",
        "",
        f"Cold start of `azyl serve` (spawn to first answer): {cold:.2f} s. "
        f"{args.clients} concurrent clients; targets: Atlas page and rates API p95 < 100 ms.",
        "",
        "| endpoint | requests | req/s | p50 ms | p95 ms | max ms | p95 / baseline | errors |",
        "|---|---|---|---|---|---|---|---|",
        *lines,
    ])  # fmt: skip
    print(text)
    write_section(ROOT / "BENCHMARKS.md", "Web", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
