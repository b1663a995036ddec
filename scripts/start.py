#!/usr/bin/env python3
"""README command 1: set everything up and run azyl's main job.

Creates `.venv`, installs the locked dependencies, builds the statistics
database from the local mirror of publisher files (or refreshes it; nothing is
redone when no file changed), and prints the asylum lottery for Russian
nationals in the latest year with data. Until the web application exists this
is azyl's main job; it will then start `azyl serve` instead. Extra arguments
are passed to `azyl lottery` (for example `--origin GEO --year 2016`).
"""

from __future__ import annotations

import sys

import _bootstrap as boot


def main() -> None:
    boot.setup(dev=False)
    boot.say("building the statistics database (skipped when nothing changed)")
    boot.azyl("build")
    boot.say("the asylum lottery: first-instance protection rates across destinations")
    args = sys.argv[1:] or ["--origin", "RUS"]
    boot.azyl("lottery", *args)


if __name__ == "__main__":
    main()
