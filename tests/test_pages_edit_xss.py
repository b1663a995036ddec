"""Script payloads typed into any text field of an incident or a proposal come back escaped."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from azyl.accounts.roles import Role
from azyl.config import Settings
from edit_support import app_on, client_as, form_of
from incident_docs import doc

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"
#: What a browser would run if a payload came back unescaped.
LIVE = re.compile(r"<script>alert|<img src=x onerror")


@pytest.fixture
def app(settings: Settings, app_engine: Engine) -> FastAPI:
    return app_on(settings, app_engine)


def hostile_incident() -> dict[str, object]:
    return doc(
        target={"name": None, "label": "X" + PAYLOAD, "profiles": []},
        relatives_targeted=True,
        relatives_relation="R" + PAYLOAD,
        mechanism="M" + PAYLOAD,
        summary="S" + PAYLOAD,
        notes="N" + PAYLOAD,
        visibility="restricted",
        sources=[
            {
                "url": 'https://example.org/"><script>alert(3)</script>',
                "title": "T" + PAYLOAD,
                "date": "2016-01-01",
                "pinpoint": "P" + PAYLOAD,
                "quote": "Q" + PAYLOAD,
            }
        ],
    )


def test_incident_text_fields_are_escaped_on_every_page(app: FastAPI, app_engine: Engine) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    created = client.post("/api/incidents", json={"incident": hostile_incident()})
    assert created.status_code == 201, created.text
    body = {"incident": hostile_incident() | {"outcome": "unknown"}, "base_version": 1}
    assert client.put("/api/incidents/test-incident", json=body).status_code == 200
    stale = form_of(hostile_incident() | {"summary": "Mine."}, 1)
    pages = {
        "incident": client.get("/incidents/test-incident"),
        "list": client.get("/incidents"),
        "edit": client.get("/incidents/test-incident/edit"),
        "history": client.get("/incidents/test-incident/history"),
        "conflict": client.post("/incidents/test-incident/edit", data=stale),
    }
    for name, page in pages.items():
        assert page.status_code == (409 if name == "conflict" else 200), name
        assert not LIVE.search(page.text), name
        assert "alert(3)" not in page.text or "&lt;script&gt;alert(3)" in page.text, name
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for field in "XRMSNTPQ":  # target label, relation, mechanism, summary, notes, source texts
        assert field + escaped in pages["incident"].text, field
    assert "S" + escaped in pages["history"].text and "N" + escaped in pages["edit"].text


def test_proposal_text_is_escaped_on_every_page(
    app: FastAPI, app_engine: Engine, settings: Settings
) -> None:
    committed = (settings.kb_dir / "facts/safe_third_country/bgr-russia.yaml").read_text()
    hostile = committed.replace("statement: >-\n", f"statement: >-\n  {PAYLOAD}\n", 1)
    editor = client_as(app, app_engine, Role.EDITOR)
    admin = client_as(app, app_engine, Role.ADMIN)
    refused = editor.post(
        "/kb/proposals/new",
        data={"fact_id": "safe_third_country.bgr-russia", "text": hostile + "bad: key\n"},
    )
    assert refused.status_code == 422 and not LIVE.search(refused.text)
    made = editor.post(
        "/api/kb/proposals",
        json={"fact_id": "safe_third_country.bgr-russia", "text": hostile, "submit": True},
    )
    assert made.status_code == 201, made.text
    pid = made.json()["data"]["id"]
    decided = admin.post(
        f"/api/kb/proposals/{pid}/decide",
        json={"decision": "rejected", "base_version": 1, "note": PAYLOAD},
    )
    assert decided.status_code == 200
    for path in (f"/kb/proposals/{pid}", f"/kb/proposals/{pid}/history", "/kb/proposals"):
        page = editor.get(path)
        assert page.status_code == 200 and not LIVE.search(page.text), path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in editor.get(f"/kb/proposals/{pid}").text
