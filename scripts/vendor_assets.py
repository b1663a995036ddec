#!/usr/bin/env python3
"""Vendor azyl's third-party assets from the npm registry, pinned and checked.

azyl's pages never load anything from the internet, so the few JavaScript, CSS and
data files it uses are copied into the package that uses them and committed: the
browser's files into `src/azyl/web/static/vendor/`, the map outlines the charts draw
into `src/azyl/charts/vendor/`. The manifest, with every file's sha256, is
`src/azyl/VENDORED.md`. This script is how they got there and how they are updated:
it asks the ordinary npm client for each pinned package tarball (`npm pack`),
refuses any tarball whose sha256 differs from the one recorded below, and copies
only the listed files (with their licences). Run it after changing a pin:

    python3 scripts/vendor_assets.py            # download, verify, copy
    python3 scripts/vendor_assets.py --check    # verify the committed copies only

`--check` needs no network: it compares the committed files with the hashes
written into VENDORED.md, so a hand edit to a vendored file is caught.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Targets are paths under src/azyl/, in the package that uses the file.
PACKAGE = ROOT / "src" / "azyl"
WEB = "web/static/vendor/"
CHARTS = "charts/vendor/"


@dataclass(frozen=True)
class Package:
    """One npm package: the pinned version, its tarball's sha256, and the files we keep."""

    name: str
    version: str
    sha256: str
    licence: str
    files: dict[str, str]  # path inside the tarball -> path under vendor/
    purpose: str


PACKAGES = (
    Package(
        "swagger-ui-dist",
        "5.35.0",
        "1b8e891893404ea4c3558b6a87e2a3e494e7eedba41168c2ece5800a391a6ea6",
        "Apache-2.0",
        {
            "package/swagger-ui-bundle.js": WEB + "swagger-ui/swagger-ui-bundle.js",
            "package/swagger-ui.css": WEB + "swagger-ui/swagger-ui.css",
            "package/favicon-32x32.png": WEB + "swagger-ui/favicon-32x32.png",
            "package/LICENSE": WEB + "swagger-ui/LICENSE.txt",
            "package/NOTICE": WEB + "swagger-ui/NOTICE.txt",
        },
        "interactive API documentation at /api/docs",
    ),
    Package(
        "htmx.org",
        "2.0.11",
        "165a2655073e9e6e55e307a7c74e8ebcdb76afb7701f9c16cfd106a13add408e",
        "0BSD",
        {
            "package/dist/htmx.min.js": WEB + "htmx/htmx.min.js",
            "package/LICENSE": WEB + "htmx/LICENSE.txt",
        },
        "progressive enhancement of forms and filters (pages work without it)",
    ),
    Package(
        "world-atlas",
        "2.0.2",
        "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97",
        "ISC (data: Natural Earth, public domain)",
        {
            "package/countries-50m.json": CHARTS + "world-atlas/countries-50m.json",
            "package/LICENSE": CHARTS + "world-atlas/LICENSE.txt",
        },
        "country outlines for the map of Europe (projected in Python)",
    ),
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(package: Package, workdir: Path) -> Path:
    """Download one tarball with `npm pack` and verify its sha256."""
    spec = f"{package.name}@{package.version}"
    result = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(workdir)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"error: npm pack {spec} failed: {result.stderr.strip()}")
    tarball = workdir / result.stdout.strip().splitlines()[-1]
    digest = sha256(tarball)
    if digest != package.sha256:
        raise SystemExit(f"error: {spec}: sha256 {digest} is not the pinned {package.sha256}")
    return tarball


def extract(package: Package, tarball: Path) -> None:
    """Copy the listed members of the tarball into vendor/."""
    with tarfile.open(tarball) as tar:
        for member, target in package.files.items():
            source = tar.extractfile(member)
            if source is None:
                raise SystemExit(f"error: {package.name}: {member} is missing from the tarball")
            destination = PACKAGE / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            with destination.open("wb") as out:
                shutil.copyfileobj(source, out)


def manifest() -> str:
    """VENDORED.md: what is vendored, from which pinned tarball, with every file's sha256."""
    lines = [
        "# Vendored assets",
        "",
        "Written by `scripts/vendor_assets.py`; do not edit by hand. Each package was",
        "downloaded with `npm pack NAME@VERSION` and its tarball checked against the sha256",
        "pinned in the script. `python3 scripts/vendor_assets.py --check` verifies the files.",
        "",
        "| package | version | licence | tarball sha256 | used for |",
        "|---|---|---|---|---|",
    ]
    for p in PACKAGES:
        lines.append(f"| {p.name} | {p.version} | {p.licence} | `{p.sha256}` | {p.purpose} |")
    lines += ["", "## Files", "", "| file (under src/azyl/) | sha256 |", "|---|---|"]
    for p in PACKAGES:
        for target in p.files.values():
            lines.append(f"| {target} | `{sha256(PACKAGE / target)}` |")
    return "\n".join(lines) + "\n"


def check() -> int:
    """Compare the committed files with the hashes recorded in VENDORED.md."""
    recorded = PACKAGE / "VENDORED.md"
    problems = []
    for line in recorded.read_text().splitlines():
        parts = [p.strip().strip("`") for p in line.strip("|").split("|")]
        is_file_row = len(parts) == 2 and (PACKAGE / parts[0]).is_file()
        if is_file_row and sha256(PACKAGE / parts[0]) != parts[1]:
            problems.append(f"{parts[0]} differs from its recorded sha256")
    for p in PACKAGES:
        problems += [f"{t} is missing" for t in p.files.values() if not (PACKAGE / t).is_file()]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the committed files only")
    if parser.parse_args().check:
        return check()
    with tempfile.TemporaryDirectory() as tmp:
        for package in PACKAGES:
            extract(package, fetch(package, Path(tmp)))
    (PACKAGE / "VENDORED.md").write_text(manifest())
    print(f"vendored {len(PACKAGES)} packages (manifest: src/azyl/VENDORED.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
