"""Kill -9 the running server in the middle of writes: nothing acknowledged is lost.

`azyl serve` runs as a real process (on SQLite with one worker, on PostgreSQL
with two worker processes). Clients send failed sign-ins under unique
usernames: each one the server answers has committed an audit entry (and a
throttle row) first. The server's whole process group is killed with SIGKILL
while requests are in flight; after a restart, every answered request must
have its entry and the audit chain must verify. Requests that were not answered
may or may not be there: that is the contract of a transaction.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from azyl.appdb import make_engine, migrate, session_scope
from azyl.audit import verify
from azyl.audit.model import AuditEntry
from ops_support import BACKENDS, env_for, fresh_url  # noqa: F401

#: `azyl` with small Argon2 parameters (tests/cheap_azyl.py): the sign-ins here only make writes.
AZYL = [sys.executable, str(Path(__file__).with_name("cheap_azyl.py"))]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def loopback_client(base: str = "", **options: Any) -> httpx.Client:
    """An HTTP client for a server on this machine. Plain HTTP needs no certificates: without
    `verify=False` each client loads the system's CA bundle, some 30 ms of a core that the
    server starting beside it needs more."""
    return httpx.Client(base_url=base, verify=False, **options)


def _start(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    """Start `azyl serve` in its own process group and wait until it answers."""
    process = subprocess.Popen(
        [*AZYL, "serve", "--port", str(port), "--workers", str(workers)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60  # a start-up wait, not a timing assertion
    with loopback_client(f"http://127.0.0.1:{port}", timeout=2) as client:
        while time.monotonic() < deadline:
            try:
                if client.get("/login").status_code == 200:
                    return process
            except httpx.HTTPError:
                time.sleep(0.2)
    _kill(process)
    pytest.fail("azyl serve did not start within a minute")


def _kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the server and its workers: no shutdown handler, no flush, no rollback."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _client_loop(base: str, name: str, acknowledged: list[str], stop: threading.Event) -> None:
    """Send failed sign-ins until stopped; note each username the server answered for.

    A request that fails (a worker still starting, the server killed) is simply
    not acknowledged; the loop goes on until the test says stop.
    """
    with loopback_client(base, timeout=30) as client:
        n, token = 0, None
        while not stop.is_set():
            try:
                if token is None:
                    token = CSRF.search(client.get("/login").text)[1]  # type: ignore[index]
                username = f"{name}-{n}"
                n += 1
                data = {"username": username, "password": "wrong password!!", "csrf_token": token}
                if client.post("/login", data=data).status_code in (401, 429):
                    acknowledged.append(username)
            except httpx.HTTPError:
                time.sleep(0.1)


@pytest.mark.parametrize("kind", BACKENDS)
def test_killing_the_server_mid_write_loses_no_acknowledged_write(
    fresh_url: Callable[[str], str],  # noqa: F811
    tmp_path: Path,
    mirror_dir: Path,
    kind: str,
) -> None:
    url = fresh_url(kind)
    engine = make_engine(url)
    migrate(engine)
    env = env_for(tmp_path, mirror_dir, url)
    port = _free_port()
    server = _start(env, port, workers=2 if kind == "postgres" else 1)
    acknowledged: list[str] = []
    stop = threading.Event()
    clients = [
        threading.Thread(
            target=_client_loop, args=(f"http://127.0.0.1:{port}", f"c{i}", acknowledged, stop)
        )
        for i in range(3)
    ]
    try:
        for thread in clients:
            thread.start()
        deadline = time.monotonic() + 180  # a bound on waiting, not a timing assertion
        while len(acknowledged) < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        _kill(server)  # while the three clients still have requests in flight
    finally:
        stop.set()
        for thread in clients:
            thread.join()
        _kill(server)
    assert len(acknowledged) >= 30
    restarted = _start(env, port, workers=1)
    _kill(restarted)
    with session_scope(engine, commit=False) as db:
        actors = set(db.scalars(select(AuditEntry.actor)))
        result = verify(db)
    engine.dispose()
    lost = [name for name in acknowledged if name not in actors]
    assert lost == []
    assert result.ok, result.problem
