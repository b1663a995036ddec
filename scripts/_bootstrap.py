"""Set up a working azyl checkout on a machine that has only Python.

The two commands in the README (`scripts/start.py` and `scripts/test.py`) call
into this module. It uses nothing but the standard library, because it runs
before any dependency exists. Every step is idempotent and cheap when nothing
changed, so both commands can run it every time:

1. refuse a Python older than 3.11, with a message saying what to install;
2. create the virtual environment at `.venv`;
3. install the locked dependencies (`requirements/*.lock`, pinned with hashes)
   and azyl itself in editable mode, only when the lock file or pyproject.toml
   changed;
4. install the Debian packages a step needs (PDF rendering, the browser for
   the browser tests) when they are missing and the machine allows it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PYTHON = BIN / "python"
MIN_PYTHON = (3, 11)

# Debian packages, by the step that needs them. WeasyPrint renders PDF reports
# with Pango; CairoSVG turns the SVG charts into PNG downloads with Cairo; the
# browser tests drive Debian's Chromium; fonts with Cyrillic glyphs make Russian
# pages and PDFs legible.
SYSTEM_PACKAGES = {
    # WeasyPrint subsets fonts with HarfBuzz's subsetter; without it it warns (an error in
    # the tests) and embeds whole fonts. Chromium's packages happen to bring it; say it here.
    "pdf": {
        "libpango-1.0-0": "libpango-1.0.so.0",
        "libpangoft2-1.0-0": "libpangoft2-1.0.so.0",
        "libharfbuzz-subset0": "libharfbuzz-subset.so.0",
    },
    "png": {"libcairo2": "libcairo.so.2"},
    "fonts": {"fonts-dejavu-core": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"},
    "browser": {"chromium": "/usr/bin/chromium"},
}


def say(message: str) -> None:
    """Print a progress line that stands out from tool output."""
    print(f"\033[1m==> {message}\033[0m" if sys.stdout.isatty() else f"==> {message}", flush=True)


def fail(message: str) -> None:
    """Stop with a one-line explanation instead of a traceback."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(1)


def check_python() -> None:
    """azyl needs Python 3.11 or newer (tomllib, typing features, its locked wheels)."""
    if sys.version_info < MIN_PYTHON:
        found = ".".join(map(str, sys.version_info[:3]))
        fail(f"azyl needs Python 3.11 or newer; this is Python {found}. Install python3.11+.")


def run(*args: str | Path, env: dict[str, str] | None = None, quiet: bool = False) -> None:
    """Run a command, failing with its name when it fails."""
    cmd = [str(a) for a in args]
    out = subprocess.DEVNULL if quiet else None
    result = subprocess.run(cmd, cwd=ROOT, env=env, stdout=out)
    if result.returncode != 0:
        fail(f"command failed ({result.returncode}): {' '.join(cmd)}")


def ensure_venv() -> None:
    """Create `.venv` with pip, unless a usable one is already there."""
    if PYTHON.exists():
        return
    say("creating the virtual environment in .venv")
    venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)


def ensure_dependencies(dev: bool) -> None:
    """Install the lock file (and azyl, editable) when it or pyproject.toml changed."""
    lock = ROOT / "requirements" / ("dev.lock" if dev else "main.lock")
    inputs = [lock, ROOT / "pyproject.toml"]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in inputs)).hexdigest()
    stamp = VENV / f".installed-{lock.stem}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"installing locked dependencies from {lock.relative_to(ROOT)}")
    pip = [PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    # The lock is complete: every package and every dependency of a package is pinned in
    # it with its hashes. `--no-deps` makes pip install exactly those pins and never
    # resolve a requirement on its own: without it, a requirement asked for with extras
    # (WeasyPrint's `fonttools[woff]>=...`) is resolved against the registry of the day,
    # and a newer release than the pin breaks hash-checking mode although nothing in the
    # repository changed. `pip check` then proves the pins satisfy every requirement, so
    # a pin missing from the lock fails loudly here instead of at import time.
    run(*pip, "--no-deps", "--require-hashes", "-r", lock)
    run(*pip, "--no-deps", "--no-build-isolation", "-e", ".")
    run(PYTHON, "-m", "pip", "check", "--disable-pip-version-check")
    stamp.write_text(digest)


def _present(probe: str) -> bool:
    """A package counts as present when its file (or shared library) is found."""
    if probe.startswith("/"):
        return Path(probe).exists()
    for libdir in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/lib"):
        if (Path(libdir) / probe).exists():
            return True
    return False


def ensure_system_packages(*groups: str, required: bool = True) -> list[str]:
    """Install missing Debian packages; return what is still missing.

    On a machine without apt-get or root rights nothing is installed, and the
    missing packages are named so that the user can install them.
    """
    wanted = {pkg: probe for g in groups for pkg, probe in SYSTEM_PACKAGES[g].items()}
    missing = [pkg for pkg, probe in wanted.items() if not _present(probe)]
    if not missing:
        return []
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        say(f"installing Debian packages: {', '.join(missing)}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        # Wait for another apt/dpkg run (a parallel setup, unattended upgrades) to finish.
        lock = "DPkg::Lock::Timeout=600"
        install = [apt, "-o", lock, "install", "-y", "-q", "--no-install-recommends", *missing]
        if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            run(apt, "-o", lock, "update", "-q", env=env, quiet=True)
            run(*install, env=env, quiet=True)
        missing = [pkg for pkg in missing if not _present(wanted[pkg])]
    if missing and required:
        fail(f"missing system packages: {' '.join(missing)} (install them with apt-get as root)")
    return missing


def azyl(*args: str, env: dict[str, str] | None = None) -> None:
    """Run the azyl command from the virtual environment."""
    run(BIN / "azyl", *args, env=env)


def setup(dev: bool) -> None:
    """Everything both README commands need before they do their job."""
    check_python()
    ensure_venv()
    ensure_dependencies(dev=dev)
    ensure_system_packages("pdf", "png", "fonts", required=False)
