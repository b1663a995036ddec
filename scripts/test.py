#!/usr/bin/env python3
"""README command 2: run the whole test suite, with the checks CI runs.

Sets up `.venv` with the development dependencies, installs Debian's Chromium
for the browser tests, makes sure the PostgreSQL server used by the
shared-server tests answers, then runs ruff, mypy and pytest (with downloads
turned off: AZYL_ONLINE=no), and finally installs requirements/main.lock alone
into a brand-new virtual environment, as the start command does. It exits
non-zero when any of them fails. Extra arguments are passed to pytest
(for example `python3 scripts/test.py -k lottery`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import venv

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


def fresh_runtime_install() -> list[str]:
    """A brand-new virtual environment installs the runtime lock alone and runs azyl.

    The same steps as the README's start command (`--no-deps`, then `pip check`), in a
    throwaway environment without the development packages, so a pin missing from
    requirements/main.lock, or a runtime import of a development-only package, fails here.
    """
    with tempfile.TemporaryDirectory(prefix="azyl-lock-") as folder:
        venv.EnvBuilder(with_pip=True).create(folder)
        python = os.path.join(folder, "bin", "python")
        pip = [python, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        lock = str(boot.ROOT / "requirements" / "main.lock")
        return [
            " ".join(cmd)
            for cmd in (
                [*pip, "--no-deps", "--require-hashes", "-r", lock],
                [*pip, "--no-deps", "--no-build-isolation", "-e", str(boot.ROOT)],
                [python, "-m", "pip", "check", "--disable-pip-version-check"],
                [os.path.join(folder, "bin", "azyl"), "--help"],
            )
            if subprocess.run(cmd, cwd=boot.ROOT, stdout=subprocess.DEVNULL).returncode != 0
        ][:1]


def parallel(args: list[str]) -> list[str]:
    """One pytest worker per core (pytest-xdist), unless the caller chose (`-n 0` turns it off).

    The suite's slow parts (the statistics build each worker's session makes once, the browser
    and PostgreSQL tests) are independent, so two cores halve its time on a CI machine.
    """
    chose = any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args)
    return [] if chose else ["-n", "auto"]


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
        ("pytest", [boot.BIN / "pytest", *parallel(sys.argv[1:]), *sys.argv[1:]]),
    ]
    # Tests never download anything; azyl's own code refuses to while this is set.
    env = {**os.environ, "AZYL_ONLINE": "no"}
    failed = []
    for name, cmd in steps:
        boot.say(name)
        if subprocess.run([str(c) for c in cmd], cwd=boot.ROOT, env=env).returncode != 0:
            failed.append(name)
    boot.say("a fresh virtual environment from requirements/main.lock alone")
    if broken := fresh_runtime_install():
        print(f"failed: {broken[0]}", file=sys.stderr)
        failed.append("fresh install of the runtime lock")
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    boot.say("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
