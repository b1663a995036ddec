#!/usr/bin/env python3
"""Keep the interface catalogues in step with the code: extract, then update every language.

    python3 scripts/i18n.py            # extract messages.pot and merge it into en and ru
    python3 scripts/i18n.py --check    # fail if the catalogues miss a message (CI, tests)

Translators then edit `src/azyl/i18n/locale/ru/LC_MESSAGES/messages.po`; new or
changed messages arrive there empty or marked fuzzy. Nothing needs compiling:
azyl compiles the .po files in memory when it starts (see azyl/i18n/catalogue.py).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "azyl" / "i18n" / "locale"
POT = LOCALE / "messages.pot"
PYBABEL = ROOT / ".venv" / "bin" / "pybabel"
KEYWORDS = ["-k", "N_", "-k", "Nn_:1,2", "-k", "t:2"]


def extract(target: Path) -> None:
    """Write the template catalogue of every translatable string in the sources."""
    subprocess.run(
        [
            PYBABEL,
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            *KEYWORDS,
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            target,
            "src",
        ],
        cwd=ROOT,
        check=True,
    )


def update() -> None:
    for lang in ("en", "ru"):
        po = LOCALE / lang / "LC_MESSAGES" / "messages.po"
        command = "update" if po.exists() else "init"
        args = ["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []
        subprocess.run(
            [PYBABEL, "-q", command, "-i", POT, "-d", LOCALE, "-l", lang, *args], check=True
        )


def check() -> int:
    """The msgids in the sources, compared with the committed template."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "messages.pot"
        extract(fresh)
        if fresh.read_text() != POT.read_text():
            print(
                "error: messages.pot is out of date; run python3 scripts/i18n.py", file=sys.stderr
            )
            return 1
    return 0


def main() -> int:
    if "--check" in sys.argv:
        return check()
    extract(POT)
    update()
    print(f"updated {POT.relative_to(ROOT)} and the en, ru catalogues")
    return 0


if __name__ == "__main__":
    sys.exit(main())
