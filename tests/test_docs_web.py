"""docs/web.md documents every API route of the OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_api_path_is_in_the_web_docs() -> None:
    doc = (ROOT / "docs" / "web.md").read_text()
    paths = json.loads((ROOT / "tests" / "snapshots" / "openapi.json").read_text())["paths"]
    for path, operations in paths.items():
        for method in operations:
            assert f"| {method.upper()} | `{path}` |" in doc, f"{method.upper()} {path}"
