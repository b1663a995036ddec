#!/usr/bin/env python3
"""Web benchmark: p95 latency of every page and API route under 20 concurrent clients.

Starts `azyl serve` (one worker) on a free loopback port with a statistics
database built into a temporary folder (and the incident seed), measures its
cold start (process spawn to the first answered request), signs an admin in
and saves one case, then drives each route of ROUTES in turn with a load
generator on 127.0.0.1: CLIENTS concurrent clients, at most REQUESTS requests
and SECONDS seconds per route, after a warm-up. The generator is `wrk`
(Debian's package, written in C) when installed, because on a two-core
machine a Python generator takes CPU from the server it measures; otherwise a
small asyncio client (httpx). The atlas page is the baseline run side by side:
each route's p95 is also printed as a ratio to it, so results compare across
machines and across loads. The target is p95 < 100 ms for every route. The
figures go into the "Web" section of BENCHMARKS.md.

    .venv/bin/python bench/bench_web.py [--requests 20000] [--clients 20] [--seconds 5]
                                        [--workers 1] [--python-client] [--only /cases /kb ...]

With AZYL_DATABASE_URL set (a new, empty PostgreSQL database), the server uses it
and the section is "Web, N workers, PostgreSQL".

Traffic goes only to 127.0.0.1; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

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
#: Every page and API route a reader or caseworker requests, as (name, method, path, body,
#: signed in). Bodies: None, a JSON document, or a form (a dict sent urlencoded). Paths
#: may hold {case}, {fact}, {source} and {incident}, filled from the running server.
#: Left out: requests that change what they read (saving, editing, erasing, sign-in and
#: out, imports), which a load loop would pile up, and the editors' one-proposal pages
#: (the bench creates no proposal).
ROUTES: list[tuple[str, str, str, object, bool]] = [
    ("Atlas page (baseline)", "GET", "/", None, False),
    ("Atlas page, RUS", "GET", "/?origin=RUS", None, False),
    ("Atlas page, Russian", "GET", "/?lang=ru", None, False),
    ("Atlas chart SVG", "GET", "/atlas/lottery.svg?origin=RUS", None, False),
    ("Atlas chart CSV", "GET", "/atlas/lottery.csv?origin=RUS", None, False),
    ("Countries", "GET", "/countries", None, False),
    ("Country RUS", "GET", "/countries/RUS", None, False),
    ("Country RUS, Russian", "GET", "/countries/RUS?lang=ru", None, False),
    ("Country POL", "GET", "/countries/POL", None, False),
    ("Screening form", "GET", "/screening", None, False),
    ("Screening result", "POST", "/screening", "FORM", False),
    ("Screening report HTML", "POST", "/screening/report.html", "PROFILE", False),
    ("Incidents", "GET", "/incidents", None, False),
    ("Incidents, TJK", "GET", "/incidents?origin=TJK", None, False),
    ("Incidents CSV", "GET", "/incidents/export.csv", None, False),
    ("Incident", "GET", "/incidents/{incident}", None, False),
    ("Knowledge base", "GET", "/kb", None, False),
    ("Knowledge base, NOR", "GET", "/kb?state=NOR", None, False),
    ("Fact", "GET", "/kb/facts/{fact}", None, False),
    ("Source", "GET", "/kb/sources/{source}", None, False),
    ("About", "GET", "/about", None, False),
    ("Sign-in form", "GET", "/login", None, False),
    ("API docs", "GET", "/api/docs", None, False),
    ("Account", "GET", "/account", None, True),
    ("Cases", "GET", "/cases", None, True),
    ("Case", "GET", "/cases/{case}", None, True),
    ("Case edit form", "GET", "/cases/{case}/edit", None, True),
    ("Case compare", "GET", "/cases/{case}/compare?first=1&second=2", None, True),
    ("Case report HTML", "GET", "/cases/{case}/export.html", None, True),
    ("Case export JSON", "GET", "/cases/{case}/export.json", None, True),
    ("Incident history", "GET", "/incidents/{incident}/history", None, True),
    ("Incident edit form", "GET", "/incidents/{incident}/edit", None, True),
    ("New incident form", "GET", "/incidents/new", None, True),
    ("Incident import form", "GET", "/incidents/import", None, True),
    ("Proposals", "GET", "/kb/proposals", None, True),
    ("New proposal form", "GET", "/kb/proposals/new", None, True),
    ("Users (admin)", "GET", "/admin/users", None, True),
    ("Audit log (admin)", "GET", "/admin/audit", None, True),
    ("API health", "GET", "/api/health", None, False),
    ("API catalog", "GET", "/api/catalog", None, False),
    ("API countries", "GET", "/api/countries", None, False),
    ("API rates", "GET", "/api/rates?origin=RUS&destination=DEU", None, False),
    ("API lottery", "GET", "/api/lottery?origin=RUS", None, False),
    ("API heatmap", "GET", "/api/heatmap", None, False),
    ("API definitions", "GET", "/api/definitions", None, False),
    ("API provenance", "GET", "/api/provenance", None, False),
    ("API facts", "GET", "/api/facts", None, False),
    ("API fact", "GET", "/api/facts/{fact}", None, False),
    ("API sources", "GET", "/api/sources", None, False),
    ("API source", "GET", "/api/sources/{source}", None, False),
    ("API incidents", "GET", "/api/incidents", None, False),
    ("API incident", "GET", "/api/incidents/{incident}", None, False),
    ("API incident history", "GET", "/api/incidents/{incident}/history", None, True),
    ("API incidents export", "GET", "/api/exports/incidents", None, True),
    ("API assess schema", "GET", "/api/assess/schema", None, False),
    ("API assess", "POST", "/api/assess", CASE, False),
    ("API assess report HTML", "POST", "/api/assess/report?format=html", CASE, False),
    ("API proposals", "GET", "/api/kb/proposals", None, True),
    ("API cases", "GET", "/api/cases", None, True),
    ("API case", "GET", "/api/cases/{case}", None, True),
    ("API case compare", "GET", "/api/cases/{case}/compare?first=1&second=2", None, True),
    ("API case export", "GET", "/api/cases/{case}/export", None, True),
    # PDF renderings last: each takes seconds, and the ones left in flight when wrk stops
    # keep the worker busy long after.
    ("Screening report PDF", "POST", "/screening/report.pdf", "PROFILE", False),
    ("Case report PDF", "GET", "/cases/{case}/export.pdf", None, True),
    ("API assess report PDF", "POST", "/api/assess/report?format=pdf", CASE, False),
]
#: The screening form's fields for CASE, as a browser posts them.
FORM = {
    "citizenship": "TJK", "profiles": "political_activist", "wanted": "interpol_red_notice",
    "route-0-country": "RUS", "route-0-role": "residence",
    "route-1-country": "POL", "route-1-role": "first_eu_entry", "route-1-fingerprinted": "on",
    "current_country": "DEU", "stage": "dublin_procedure",
    "action_type": "dublin_transfer", "action_to": "POL", "as_of": "2024-05-01",
}  # fmt: skip
TARGET_MS = 100.0
SETTLED_MS = 250.0
WARM_UP = 3
USER, PASSWORD = "benchadmin", "bench password for the load run"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(
    env: dict[str, str], port: int, workers: int
) -> tuple[subprocess.Popen[bytes], float]:
    """Spawn `azyl serve` and return it with its cold start in seconds."""
    started = time.perf_counter()
    proc = subprocess.Popen([AZYL, "serve", "--port", str(port), "--workers", str(workers)],
                            env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = started + 60
    while time.perf_counter() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc, time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.02)
    proc.kill()
    raise SystemExit("azyl serve did not answer within 60 s")


@dataclass(frozen=True)
class Call:
    """One request as it goes on the wire: method, path, body and headers."""

    method: str
    path: str
    body: bytes
    headers: dict[str, str]


def call_for(route: tuple[str, str, str, object, bool], ids: dict[str, str],
             auth: dict[str, str]) -> Call:  # fmt: skip
    """The request for one row of ROUTES, its ids filled and its credentials attached."""
    _, method, path, body, signed = route
    headers = dict(auth) if signed else {}
    data = b""
    if body == "FORM":
        data = urlencode(FORM).encode()
    elif body == "PROFILE":
        data = urlencode({"profile": json.dumps(CASE)}).encode()
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if body in ("FORM", "PROFILE"):
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return Call(method, path.format(**ids), data, headers)


async def load(base: str, call: Call, args: argparse.Namespace) -> dict[str, float]:
    """Drive one route; return rps, p50, p95 and max latency in milliseconds."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=args.clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=600) as client:

        async def one() -> int:
            response = await client.request(
                call.method, call.path, content=call.body or None, headers=call.headers
            )
            return response.status_code

        for _ in range(WARM_UP):  # warm-up: first answers fill the caches
            await one()
        remaining = args.requests
        deadline = time.perf_counter() + args.seconds

        async def worker() -> None:
            nonlocal remaining, errors
            while remaining > 0 and time.perf_counter() < deadline:
                remaining -= 1
                t0 = time.perf_counter()
                status = await one()
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += status >= 400

        t_start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(args.clients)))
        elapsed = time.perf_counter() - t_start
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    return {"n": len(latencies), "rps": len(latencies) / elapsed,
            "p50": statistics.median(latencies), "p95": p95, "max": latencies[-1],
            "errors": errors}  # fmt: skip


#: wrk script (one thread): a request budget (bounded count), the body and headers
#: of the call, and the latency percentiles printed as one JSON line at the end.
WRK_SCRIPT = """
local budget = tonumber(os.getenv("AZYL_BENCH_BUDGET"))
local answered = 0
wrk.method = os.getenv("AZYL_BENCH_METHOD")
local body = os.getenv("AZYL_BENCH_BODY")
if body ~= "" then wrk.body = body end
for line in string.gmatch(os.getenv("AZYL_BENCH_HEADERS"), "[^\\n]+") do
  local name, value = string.match(line, "^([^:]+): (.*)$")
  wrk.headers[name] = value
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


def load_wrk(base: str, call: Call, args: argparse.Namespace, script: Path) -> dict[str, float]:
    """Drive one route with wrk; return rps, p50, p95 and max latency in milliseconds."""
    for _ in range(WARM_UP):  # warm-up: first answers fill the caches
        httpx.request(call.method, base + call.path, content=call.body or None,
                      headers=call.headers, timeout=600)  # fmt: skip
    env = {
        **os.environ,
        "AZYL_BENCH_METHOD": call.method,
        "AZYL_BENCH_BODY": call.body.decode(),
        "AZYL_BENCH_HEADERS": "\n".join(f"{k}: {v}" for k, v in call.headers.items()),
        "AZYL_BENCH_BUDGET": str(args.requests),
    }
    seconds = f"-d{max(1, round(args.seconds))}s"
    # wrk counts an answer slower than its timeout (2 s by default) as an error, not as a
    # latency: a PDF queued behind others would vanish from the percentiles.
    cmd = ["wrk", "-t1", f"-c{args.clients}", seconds, "--timeout", "120s", "-s", str(script),
           base + call.path]  # fmt: skip
    started = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    elapsed = time.perf_counter() - started  # wrk's own duration ignores an early stop
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    result["rps"] = result["n"] / elapsed
    return result


def add_user(env: dict[str, str]) -> None:
    """An admin account for the signed-in pages (admin may open every one of them)."""
    subprocess.run([AZYL, "users", "add", USER, "--role", "admin", "--password-stdin"],
                   env=env, input=PASSWORD + "\n", text=True, check=True,
                   capture_output=True)  # fmt: skip


def sign_in(base: str) -> tuple[dict[str, str], dict[str, str]]:
    """Sign in through the form; (credential headers, ids: a saved case, fact, source, incident)."""
    with httpx.Client(base_url=base, timeout=60) as client:
        form = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        if token is None:
            raise SystemExit("the sign-in form carries no CSRF token")
        fields = {"username": USER, "password": PASSWORD, "csrf_token": token.group(1)}
        client.post("/login", data=fields)
        meta = re.search(r'<meta name="csrf-token" content="([^"]+)">', client.get("/account").text)
        if meta is None:
            raise SystemExit("signing in for the benchmark failed")
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        auth = {"Cookie": cookie, "X-CSRF-Token": meta.group(1)}
        saved = client.post("/api/cases", json={"title": "Benchmark", "profile": CASE},
                            headers={"X-CSRF-Token": meta.group(1)})  # fmt: skip
        saved.raise_for_status()
        case_id = saved.json()["data"]["id"]
        again = client.post(
            f"/api/cases/{case_id}/runs",
            json={"as_of": "2025-01-01"},
            headers={"X-CSRF-Token": meta.group(1)},
        )  # a second run to compare
        again.raise_for_status()
        ids = {
            "case": case_id,
            "fact": client.get("/api/facts").json()["data"][0]["id"],
            "source": client.get("/api/sources").json()["data"][0]["id"],
            "incident": client.get("/api/incidents").json()["data"][0]["id"],
        }
    return auth, ids


def measure(base: str, tmp: str, args: argparse.Namespace, use_wrk: bool) -> list[Row]:
    """Every selected route in turn, the baseline first."""
    auth, ids = sign_in(base)
    script = Path(tmp) / "bench.lua"
    script.write_text(WRK_SCRIPT)
    rows = []
    for route in ROUTES:
        settle(base)
        if args.only and route is not ROUTES[0] and not any(o in route[2] for o in args.only):
            continue
        call = call_for(route, ids, auth)
        result = (
            load_wrk(base, call, args, script) if use_wrk else asyncio.run(load(base, call, args))
        )
        rows.append(Row(route[0], f"{route[1]} {route[2]}", result))
        print(f"{route[0]}: p95 {result['p95']:.1f} ms, {result['rps']:.0f}/s", file=sys.stderr)
    return rows


def settle(base: str) -> None:
    """Wait (at most five minutes) until the server has worked off the last route's queue.

    wrk stops at its deadline, but the requests it left in flight (slow PDF
    renderings) still run; the next route would otherwise be measured behind
    them. Settled: three health checks in a row answered within SETTLED_MS.
    """
    deadline = time.perf_counter() + 300
    quick = 0
    while quick < 3 and time.perf_counter() < deadline:
        t0 = time.perf_counter()
        httpx.get(base + "/api/health", timeout=120)
        quick = quick + 1 if (time.perf_counter() - t0) * 1000 < SETTLED_MS else 0


@dataclass(frozen=True)
class Row:
    name: str
    route: str
    result: dict[str, float]


def answered(row: Row) -> float:
    """Requests the route answered without an error status, a timeout or a broken socket."""
    return row.result["n"] - row.result["errors"]


def over_target(row: Row) -> bool:
    """p95 at or over the target, an error, or no answer at all within the route's time."""
    return answered(row) <= 0 or row.result["errors"] > 0 or row.result["p95"] >= TARGET_MS


def table(rows: list[Row], seconds: float) -> list[str]:
    """The Markdown table, each p95 also as a ratio to the atlas page (the first row)."""
    base_p95 = rows[0].result["p95"]
    lines = [
        "| route | requests | req/s | p50 ms | p95 ms | max ms | p95 / atlas | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        r = row.result
        if answered(row) <= 0:
            lines.append(f"| {row.name}: `{row.route}` | {r['n']:.0f} | 0 | – | **no answer "
                         f"within {seconds:g} s** | – | – | {r['errors']:.0f} |")  # fmt: skip
            continue
        flag = " **over**" if over_target(row) else ""
        lines.append(
            f"| {row.name}: `{row.route}` | {r['n']:.0f} | {r['rps']:.0f} | {r['p50']:.1f} | "
            f"{r['p95']:.1f}{flag} | {r['max']:.1f} | {r['p95'] / base_p95:.1f} | "
            f"{r['errors']:.0f} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes of `azyl serve` (default 1)"
    )
    parser.add_argument(
        "--only",
        nargs="*",
        default=[],
        help="only routes whose path contains one of these (and the atlas)",
    )
    parser.add_argument("--no-record", action="store_true", help="print, leave BENCHMARKS.md")
    args = parser.parse_args()  # fmt: skip
    use_wrk = shutil.which("wrk") is not None and not args.python_client
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="azyl-bench-") as tmp:
        env = {**os.environ, "AZYL_DATA_DIR": tmp, "HOME": tmp}
        print("building the statistics database for the benchmark ...", file=sys.stderr)
        subprocess.run([AZYL, "build"], env=env, check=True, capture_output=True)
        add_user(env)
        port = free_port()
        proc, cold = start_server(env, port, args.workers)
        try:
            rows = measure(f"http://127.0.0.1:{port}", tmp, args, use_wrk)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    load_after = os.getloadavg()
    generator = "wrk (1 thread)" if use_wrk else "Python asyncio client (httpx)"
    database = "PostgreSQL" if os.environ.get("AZYL_DATABASE_URL") else "SQLite"
    over = [row.name for row in rows if over_target(row)]
    text = "\n".join([
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/bench_web.py "
        f"--requests {args.requests} --clients {args.clients} --seconds {args.seconds:g} "
        f"--workers {args.workers}`"
        f"{' with AZYL_DATABASE_URL on a local PostgreSQL' if database == 'PostgreSQL' else ''}. "
        f"Machine: {machine()}. Load generator: {generator}, on the same machine. "
        f"Load average (1 min) {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end: "
        "other processes shared the two cores, so absolute figures run high; the ratio to the "
        "atlas page, measured in the same run, is the figure to compare.",
        "",
        f"Cold start of `azyl serve` (spawn to first answer): {cold:.2f} s. "
        f"{'One worker' if args.workers == 1 else f'{args.workers} workers'}, "
        f"{args.clients} concurrent clients, each route for {args.seconds:g} s after "
        f"{WARM_UP} warm-up requests. Target: p95 < {TARGET_MS:.0f} ms for every route; "
        f"{'all within it' if not over else 'over it: ' + ', '.join(over)}.",
        "",
        *table(rows, args.seconds),
    ])  # fmt: skip
    print(text)
    if not args.no_record and not args.only:
        title = "Web" if args.workers == 1 else f"Web, {args.workers} workers"
        if database == "PostgreSQL":
            title += ", PostgreSQL"
        write_section(ROOT / "BENCHMARKS.md", title, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
