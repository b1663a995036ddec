"""Editing incidents in the browser and the API: roles, forms, errors, conflicts, history."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from azyl.accounts.roles import Role
from azyl.config import Settings
from azyl.incidents import get_incident
from edit_support import app_on, client_as, form_of
from incident_docs import KB_QUOTE, KB_SOURCE, doc


@pytest.fixture
def app(settings: Settings, app_engine: Engine) -> FastAPI:
    return app_on(settings, app_engine)


def test_an_editor_creates_an_incident_through_the_form(app: FastAPI, app_engine: Engine) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    assert client.get("/incidents/new").status_code == 200
    response = client.post("/incidents/new", data=form_of(doc()), follow_redirects=False)
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"] == "/incidents/test-incident?saved=1"
    stored = get_incident(app_engine, "test-incident", visibility="all")
    assert stored.sources[0].quote == KB_QUOTE and list(stored.tactics) == doc()["tactics"]


def test_a_form_with_errors_shows_each_next_to_its_field_and_keeps_the_input(
    app: FastAPI, app_engine: Engine
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    typed = doc(date="2015-02-30", summary="Everything I typed, carefully.")
    typed["sources"][0]["source"] = "not-a-source"
    response = client.post("/incidents/new", data=form_of(typed))
    assert response.status_code == 422
    page = response.text
    assert re.search(r'id="err-date"><li>[^<]*not a date on the calendar', page)
    assert re.search(r'id="err-sources-0-source"><li>[^<]*not-a-source', page)
    assert "Everything I typed, carefully." in page
    assert 'value="not-a-source"' in page and 'value="2015-02-30"' in page
    assert KB_QUOTE in page


def test_the_api_answers_422_with_every_problem_and_its_field(
    app: FastAPI, app_engine: Engine
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    wrong = doc(
        confidence="certain",
        target={"name": "Public Person", "label": "A label"},
        sources=[{"url": "https://example.org/a", "date": "2017-01-02", "pinpoint": "p. 1"}],
        stage="detained",  # what a read returns; accepted and ignored
    )
    answer = client.post("/api/incidents", json={"incident": wrong})
    assert answer.status_code == 422
    assert answer.json()["error"]["details"]["problems"] == [
        {
            "field": "target",
            "message": "has both a name and a label: give the name of a public figure, "
            "or a label for anyone else",
        },
        {"field": "sources[0].title", "message": "a URL citation needs the title of the page"},
        {"field": "confidence", "message": "unknown confidence 'certain'"},
    ]


def test_saving_over_a_newer_version_answers_409_and_shows_their_change(
    app: FastAPI, app_engine: Engine
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    client.post("/incidents/new", data=form_of(doc()))
    theirs = form_of(doc(summary="Their wording."), 1)
    first = client.post("/incidents/test-incident/edit", data=theirs, follow_redirects=False)
    assert first.status_code == 303
    mine = client.post(
        "/incidents/test-incident/edit", data=form_of(doc(mechanism="My mechanism."), 1)
    )
    assert mine.status_code == 409
    assert "Someone else changed this incident" in mine.text
    assert "Their wording." in mine.text  # their change is shown
    assert "My mechanism." in mine.text  # and my input is kept
    assert 'name="base_version" value="2"' in mine.text
    assert get_incident(app_engine, "test-incident", visibility="all").mechanism != "My mechanism."


def test_the_history_page_lists_versions_with_diffs_and_reverts(
    app: FastAPI, app_engine: Engine
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    client.post("/incidents/new", data=form_of(doc()))
    client.post("/incidents/test-incident/edit", data=form_of(doc(outcome="unknown"), 1))
    page = client.get("/incidents/test-incident/history").text
    assert "Version 2" in page and "Version 1" in page
    assert re.search(
        r"<th scope=\"row\">outcome</th><td><del>released</del></td>"
        r"<td><ins>unknown</ins></td>",
        page,
    )
    restore = {"to_version": "1", "base_version": "2"}
    response = client.post("/incidents/test-incident/revert", data=restore, follow_redirects=False)
    assert response.status_code == 303
    assert get_incident(app_engine, "test-incident").outcome == "released"
    assert "Version 3" in client.get("/incidents/test-incident/history").text


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CASEWORKER])
def test_viewers_and_caseworkers_cannot_edit(app: FastAPI, app_engine: Engine, role: Role) -> None:
    client_as(app, app_engine, Role.EDITOR).post("/incidents/new", data=form_of(doc()))
    client = client_as(app, app_engine, role)
    assert client.get("/incidents/new").status_code == 403
    assert client.post("/incidents/new", data=form_of(doc(id="other"))).status_code == 403
    assert client.get("/incidents/test-incident/edit").status_code == 403
    assert client.get("/incidents/test-incident/history").status_code == 403
    api = client.put("/api/incidents/test-incident", json={"incident": doc(), "base_version": 1})
    assert api.status_code == 403 and api.json()["error"]["code"] == "forbidden"


def test_anonymous_visitors_are_sent_to_sign_in(app: FastAPI, app_engine: Engine) -> None:
    client = client_as(app, app_engine, None)
    page = client.get("/incidents/new", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    api = client.post("/api/incidents", json={"incident": doc()})
    assert api.status_code == 401 and api.json()["error"]["code"] == "sign_in_required"


def test_the_api_creates_updates_lists_history_and_reverts(
    app: FastAPI, app_engine: Engine
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    created = client.post("/api/incidents", json={"incident": doc()})
    assert created.status_code == 201 and created.json()["meta"]["version"] == 1
    read = client.get("/api/incidents/test-incident").json()
    assert read["meta"]["version"] == 1
    updated = client.put(
        "/api/incidents/test-incident", json={"incident": doc(summary="Better."), "base_version": 1}
    )
    assert updated.status_code == 200 and updated.json()["data"]["summary"] == "Better."
    stale = client.put(
        "/api/incidents/test-incident", json={"incident": doc(summary="Stale."), "base_version": 1}
    )
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "edit_conflict" and error["details"]["current_version"] == 2
    assert error["details"]["changes"] == [
        {"field": "summary", "before": "A test incident.", "after": "Better."}
    ]
    wrong = {"incident": doc(confidence="certain"), "base_version": 2}
    invalid = client.put("/api/incidents/test-incident", json=wrong)
    assert invalid.status_code == 422
    assert invalid.json()["error"]["details"]["problems"] == [
        {"field": "confidence", "message": "unknown confidence 'certain'"}
    ]
    history = client.get("/api/incidents/test-incident/history").json()
    assert [v["version"] for v in history["data"]] == [1, 2]
    assert history["data"][1]["changes"][0]["field"] == "summary"
    reverted = client.post(
        "/api/incidents/test-incident/revert", json={"to_version": 1, "base_version": 2}
    )
    assert reverted.json()["meta"]["version"] == 3
    assert reverted.json()["data"]["summary"] == "A test incident."


def test_a_kb_citation_form_row_uses_the_knowledge_base_source(
    app: FastAPI, app_engine: Engine
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    client.post("/incidents/new", data=form_of(doc()))
    page = client.get("/incidents/test-incident/edit").text
    assert f'value="{KB_SOURCE}"' in page
    assert 'name="base_version" value="1"' in page
    # two empty citation rows are offered after the stored one
    assert 'name="sources-2-pinpoint"' in page and 'name="sources-3-pinpoint"' not in page
