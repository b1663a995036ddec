"""Knowledge-base proposals: checked by the strict loader, versioned, decided, exported."""

from __future__ import annotations

import pytest
import yaml
from fastapi import FastAPI
from sqlalchemy import Engine

from azyl import audit
from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.config import Settings
from azyl.kb.loader import load_kb
from edit_support import app_on, client_as

FACT = "safe_third_country.bgr-russia"


@pytest.fixture
def app(settings: Settings, app_engine: Engine) -> FastAPI:
    return app_on(settings, app_engine)


@pytest.fixture
def committed(settings: Settings) -> str:
    """The committed text of an existing fact (read straight from kb/)."""
    return (settings.kb_dir / "facts/safe_third_country/bgr-russia.yaml").read_text()


def test_a_proposal_with_loader_errors_lists_every_line_and_saves_nothing(
    app: FastAPI, app_engine: Engine, committed: str
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    broken = committed.replace("confidence: medium", "confidence: certain") + "colour: red\n"
    response = client.post("/api/kb/proposals", json={"fact_id": FACT, "text": broken})
    assert response.status_code == 422
    problems = response.json()["error"]["details"]["problems"]
    lines = broken.splitlines()
    confidence_line = lines.index("confidence: certain") + 1
    colour_line = lines.index("colour: red") + 1
    messages = [p["message"] for p in problems]
    assert any(m.startswith(f"line {confidence_line}: confidence:") for m in messages), messages
    assert any(m.startswith(f"line {colour_line}: colour: unknown key") for m in messages)
    assert client.get("/api/kb/proposals").json()["data"] == []


def test_a_fact_id_that_is_not_a_kb_path_is_refused(app: FastAPI, app_engine: Engine) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    for bad in ("../../etc.passwd", "safe_third_country/../x", "nowhere.fact"):
        response = client.post("/api/kb/proposals", json={"fact_id": bad, "text": "kind: x\n"})
        assert response.status_code == 422
        assert response.json()["error"]["details"]["problems"][0]["field"] == "fact_id"


def test_proposals_are_versioned_reverted_decided_and_exported(
    app: FastAPI, app_engine: Engine, committed: str, settings: Settings, tmp_path
) -> None:
    editor = client_as(app, app_engine, Role.EDITOR)
    admin = client_as(app, app_engine, Role.ADMIN)
    created = editor.post("/api/kb/proposals", json={"fact_id": FACT, "text": committed})
    assert created.status_code == 201
    proposal = created.json()["data"]
    assert (proposal["kind"], proposal["status"], proposal["version"]) == ("change", "draft", 1)
    pid = proposal["id"]

    changed = committed.replace("confidence: medium", "confidence: low")
    edited = editor.put(f"/api/kb/proposals/{pid}", json={"text": changed, "base_version": 1})
    assert edited.json()["data"]["version"] == 2
    stale = editor.put(f"/api/kb/proposals/{pid}", json={"text": committed, "base_version": 1})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "edit_conflict"

    history = editor.get(f"/api/kb/proposals/{pid}/history").json()["data"]
    assert [v["version"] for v in history] == [1, 2]
    assert history[1]["changes"][0]["field"] == "text"
    reverted = editor.post(
        f"/api/kb/proposals/{pid}/revert", json={"to_version": 1, "base_version": 2}
    )
    assert reverted.json()["data"]["version"] == 3
    edited = editor.put(
        f"/api/kb/proposals/{pid}", json={"text": changed, "base_version": 3, "status": "submitted"}
    )
    assert edited.json()["data"]["status"] == "submitted"

    decision = {"decision": "accepted", "base_version": 4}
    assert editor.post(f"/api/kb/proposals/{pid}/decide", json=decision).status_code == 403
    assert editor.get(f"/api/kb/proposals/{pid}/export").status_code == 422  # not accepted yet
    accepted = admin.post(f"/api/kb/proposals/{pid}/decide", json=decision)
    assert accepted.status_code == 200 and accepted.json()["data"]["status"] == "accepted"
    final = editor.put(f"/api/kb/proposals/{pid}", json={"text": committed, "base_version": 4})
    assert final.status_code == 422  # decided proposals are final

    exported = editor.get(f"/api/kb/proposals/{pid}/export")
    assert exported.status_code == 200
    assert exported.headers["x-azyl-path"] == "kb/facts/safe_third_country/bgr-russia.yaml"
    assert yaml.safe_load(exported.text)["confidence"] == "low"
    # The exported file, committed in place of the old one, passes the strict loader.
    import shutil

    copy = tmp_path / "kb"
    shutil.copytree(settings.kb_dir, copy)
    (copy / "facts/safe_third_country/bgr-russia.yaml").write_text(exported.text)
    assert load_kb(copy).facts[FACT].confidence == "low"

    with session_scope(app_engine, commit=False) as db:
        actions = [e.action for e in audit.entries(db) if e.target_type == "kb_proposal"]
    assert actions == [
        "kb.propose",
        "kb.proposal_edit",
        "kb.proposal_revert",
        "kb.proposal_edit",
        "kb.proposal_decide",
    ]


def test_a_new_fact_proposal_needs_an_unused_id_to_be_new(
    app: FastAPI, app_engine: Engine, committed: str
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    created = client.post(
        "/api/kb/proposals", json={"fact_id": "safe_third_country.bgr-russia-2", "text": committed}
    )
    assert created.status_code == 201 and created.json()["data"]["kind"] == "new"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CASEWORKER])
def test_viewers_and_caseworkers_cannot_propose(
    app: FastAPI, app_engine: Engine, role: Role, committed: str
) -> None:
    client = client_as(app, app_engine, role)
    assert client.get("/api/kb/proposals").status_code == 403
    assert (
        client.post("/api/kb/proposals", json={"fact_id": FACT, "text": committed}).status_code
        == 403
    )
    assert client.get("/kb/proposals").status_code == 403


def test_the_proposal_pages_prefill_a_change_and_show_loader_problems(
    app: FastAPI, app_engine: Engine, committed: str
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    form = client.get(f"/kb/proposals/new?fact={FACT}")
    assert form.status_code == 200
    assert "Bulgaria has treated Russia as a safe third country" in form.text
    broken = committed.replace("actor: BGR", "actor: XXX")
    response = client.post("/kb/proposals/new", data={"fact_id": FACT, "text": broken})
    assert response.status_code == 422
    assert "line 2: actor:" in response.text and "actor: XXX" in response.text
    saved = client.post(
        "/kb/proposals/new", data={"fact_id": FACT, "text": committed}, follow_redirects=False
    )
    assert saved.status_code == 303
    page = client.get(saved.headers["location"])
    assert page.status_code == 200 and "kb/facts/safe_third_country/bgr-russia.yaml" in page.text


def test_the_command_line_exports_an_accepted_proposal_in_place(
    app: FastAPI, app_engine: Engine, committed: str, settings: Settings, run_azyl, tmp_path
) -> None:
    import shutil

    from azyl.revisions import proposals as props

    kb_copy = tmp_path / "kb"
    shutil.copytree(settings.kb_dir, kb_copy)
    changed = committed.replace("confidence: medium", "confidence: low")
    made = props.propose(app_engine, settings, FACT, changed, actor="erin", submit=True)
    props.decide(app_engine, settings, made.id, "accepted", 1, actor="ada")
    url = str(app_engine.url.render_as_string(hide_password=False))
    env = {
        "AZYL_DATA_DIR": str(settings.data_dir),
        "AZYL_DATABASE_URL": url,
        "AZYL_KB_DIR": str(kb_copy),
    }
    listed = run_azyl("kb", "proposals", "list", env=env)
    assert listed.code == 0 and f"{made.id}\taccepted\t{FACT}\terin" in listed.out
    run = run_azyl("kb", "proposals", "export", str(made.id), "--in-place", env=env)
    assert run.code == 0, run.err
    assert (kb_copy / "facts/safe_third_country/bgr-russia.yaml").read_text() == changed
    assert load_kb(kb_copy).facts[FACT].confidence == "low"
    refused = run_azyl("kb", "proposals", "export", "999", env=env)
    assert refused.code != 0 and "no knowledge-base proposal 999" in refused.err


def test_a_proposal_nested_thousands_deep_is_a_problem_not_a_crash(
    app: FastAPI, app_engine: Engine
) -> None:
    """libyaml's composer recurses per level (25,000 kill the process); refused before it runs."""
    client = client_as(app, app_engine, Role.EDITOR)
    deep = "kind: " + "[" * 9_000 + "]" * 9_000 + "\n"  # within the 20,000-character limit
    response = client.post("/api/kb/proposals", json={"fact_id": FACT, "text": deep})
    assert response.status_code == 422, response.text[:300]
    messages = [p["message"] for p in response.json()["error"]["details"]["problems"]]
    assert any("nested more than 32 levels deep" in m for m in messages), messages
    aliased = "kind: &k x\nstatement: *k\n"
    response = client.post("/api/kb/proposals", json={"fact_id": FACT, "text": aliased})
    assert response.status_code == 422
    messages = [p["message"] for p in response.json()["error"]["details"]["problems"]]
    assert any("anchors and aliases" in m for m in messages), messages
    assert client.get("/api/kb/proposals").json()["data"] == []
