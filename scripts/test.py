#!/usr/bin/env python3
"""README command 2: run the whole test suite, with the checks CI runs.

Sets up `.venv` with the development dependencies, installs Debian's Chromium
for the browser tests, makes sure the PostgreSQL server used by the
shared-server tests answers, then runs ruff, mypy and pytest. It exits non-zero
when any of them fails. Extra arguments are passed to pytest
(for example `python3 scripts/test.py -k lottery`).
"""

from __future__ import annotations

import socket
import subprocess
import sys

import _bootstrap as boot

PG_HOST, PG_PORT = "127.0.0.1", 5432


def postgres_answers() -> bool:
    """True when something accepts connections on the PostgreSQL port."""
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=2):
            return True
    except OSError:
        return False


def ensure_postgres() -> None:
    """Start the local cluster if it is installed but stopped (as on a fresh CI machine)."""
    if postgres_answers():
        return
    boot.say("PostgreSQL is not answering on 127.0.0.1:5432; trying to start it")
    start = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
    subprocess.run(["sh", "-c", start], check=False)
    if not postgres_answers():
        boot.fail(
            "PostgreSQL is needed on 127.0.0.1:5432 (user postgres, trust auth) for the tests"
        )


def main() -> int:
    boot.setup(dev=True)
    boot.ensure_system_packages("browser")
    ensure_postgres()
    steps = [
        ("ruff", [boot.BIN / "ruff", "check", "src", "tests", "bench", "scripts"]),
        (
            "ruff format",
            [boot.BIN / "ruff", "format", "--check", "src", "tests", "bench", "scripts"],
        ),
        ("mypy", [boot.BIN / "mypy"]),
        ("pytest", [boot.BIN / "pytest", *sys.argv[1:]]),
    ]
    failed = []
    for name, cmd in steps:
        boot.say(name)
        if subprocess.run([str(c) for c in cmd], cwd=boot.ROOT).returncode != 0:
            failed.append(name)
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    boot.say("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
