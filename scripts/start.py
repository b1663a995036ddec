#!/usr/bin/env python3
"""README command 1: set everything up and run azyl's main job.

Creates `.venv`, installs the locked dependencies, builds the statistics
database from the local mirror of publisher files (or refreshes it), loads the
knowledge base and the incident registry, and starts the web application on
http://127.0.0.1:8000. Extra arguments are passed to `azyl serve`.
"""

from __future__ import annotations

import sys

import _bootstrap as boot


def main() -> None:
    boot.setup(dev=False)
    boot.say("building the database (skipped when nothing changed)")
    boot.azyl("build")
    boot.say("starting azyl on http://127.0.0.1:8000 (Ctrl+C stops it)")
    boot.azyl("serve", *sys.argv[1:])


if __name__ == "__main__":
    main()
