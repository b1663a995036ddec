#!/usr/bin/env python3
"""Rewrite tests/snapshots/openapi.json from the application, after an intended API change.

tests/test_api_openapi.py fails whenever the OpenAPI document differs from the
snapshot, so that every change to the API's contract shows up in review as a
diff of this file. Run this script (from the checkout, with the .venv) and
commit the new snapshot together with the change that caused it:

    .venv/bin/python scripts/update_openapi_snapshot.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from azyl.config import load_settings
from azyl.web.app import create_app

SNAPSHOT = Path(__file__).resolve().parent.parent / "tests" / "snapshots" / "openapi.json"


def document() -> str:
    """The OpenAPI document as stable, readable JSON (it does not depend on settings)."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(load_settings({"AZYL_DATA_DIR": tmp, "HOME": tmp}))
        return json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    SNAPSHOT.write_text(document())
    print(f"wrote {SNAPSHOT}")
