"""JSON answers and files are the bytes the standard library would write, on real data.

The web envelope, the incident export and the report's JSON are written by
pydantic-core for speed; `json.dumps` with the options each used before is the
independent reference. A difference here would change a download or an API
answer that users and scripts compare byte for byte.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Engine

from azyl import __version__
from azyl.config import Settings
from azyl.incidents import export_incidents, find_incidents, load_seed
from azyl.web.envelope import envelope_bytes


def test_the_envelope_writes_compact_json_as_the_standard_library(
    settings: Settings, app_engine: Engine
) -> None:
    load_seed(settings, engine=app_engine)
    documents = [view.to_document() for view in find_incidents(app_engine, visibility="all")]
    data = {"incidents": documents, "as_of": date(2024, 5, 1), "rate": 0.0641, "none": None}
    expected = {"data": {**data, "as_of": "2024-05-01"}, "meta": {"azyl_version": __version__}}
    assert envelope_bytes(data) == json.dumps(
        expected, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def test_the_incident_export_is_indented_json_as_the_standard_library(
    settings: Settings, app_engine: Engine
) -> None:
    load_seed(settings, engine=app_engine)
    written = export_incidents(app_engine, "json")
    parsed = json.loads(written)
    assert len(parsed["incidents"]) > 200  # the whole seed, restricted included
    reference = (json.dumps(parsed, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    assert written == reference
