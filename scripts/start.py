#!/usr/bin/env python3
"""README command 1: set everything up and run azyl's main job, the web application.

Creates `.venv`, installs the locked dependencies (and the Debian libraries PDF
and PNG rendering need, where the machine allows), validates the knowledge base,
builds the statistics database from the local mirror of publisher files (nothing
is redone when no file changed), loads the incident registry's seed, and starts
the web application on http://127.0.0.1:8000. Extra arguments are passed to
`azyl serve` (for example `--port 8080`). Ctrl+C stops it.
"""

from __future__ import annotations

import sys

import _bootstrap as boot


def main() -> None:
    boot.setup(dev=False)
    boot.say("building: knowledge base, statistics, incident registry (skipped if unchanged)")
    boot.azyl("build")
    boot.say("starting the web application (default http://127.0.0.1:8000)")
    boot.azyl("serve", *sys.argv[1:])


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("\nazyl stopped", file=sys.stderr)
