"""Two web workers on one database: an edit through one is seen by the other's next request."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from azyl.accounts.roles import Role
from azyl.config import Settings
from azyl.revisions import counter
from edit_support import app_on, client_as
from incident_docs import doc


def test_an_edit_through_one_worker_reaches_the_other_workers_cached_index(
    settings: Settings, app_engine: Engine
) -> None:
    first, second = app_on(settings, app_engine), app_on(settings, app_engine)
    cached = first.state.services
    assert len(cached.loaded().incidents) == 0  # the first worker has loaded its index
    assert cached.loaded() is cached.loaded()  # and reuses it while nothing changes

    editor = client_as(second, app_engine, Role.EDITOR)
    assert editor.post("/api/incidents", json={"incident": doc()}).status_code == 201
    found = cached.loaded().incidents.matching("TJK", "BLR")
    assert [v.id for v in found] == ["test-incident"]
    assert cached.loaded().context.incidents is cached.loaded().incidents

    body = {"incident": doc(summary="Changed through the other worker."), "base_version": 1}
    assert editor.put("/api/incidents/test-incident", json=body).status_code == 200
    assert cached.loaded().incidents.incidents[0].summary == "Changed through the other worker."

    body = {"incident": doc(visibility="restricted"), "base_version": 2}
    assert editor.put("/api/incidents/test-incident", json=body).status_code == 200
    assert len(cached.loaded().incidents) == 0  # the screening index holds public incidents


def test_a_public_incident_page_shows_an_edit_made_through_another_worker(
    settings: Settings, app_engine: Engine
) -> None:
    """The page and the API read a public incident from the worker's snapshot, so the
    snapshot must follow the registry: an edit, and a change to restricted, made through
    another worker are what the next reader of this one gets."""
    first, second = app_on(settings, app_engine), app_on(settings, app_engine)
    reader = TestClient(first)
    editor = client_as(second, app_engine, Role.EDITOR)
    assert reader.get("/api/incidents/test-incident").status_code == 404
    assert editor.post("/api/incidents", json={"incident": doc()}).status_code == 201
    assert reader.get("/api/incidents/test-incident").status_code == 200

    body = {"incident": doc(summary="Changed through the other worker."), "base_version": 1}
    assert editor.put("/api/incidents/test-incident", json=body).status_code == 200
    api = reader.get("/api/incidents/test-incident").json()["data"]
    assert api["summary"] == "Changed through the other worker."
    assert "Changed through the other worker." in reader.get("/incidents/test-incident").text

    body = {"incident": doc(visibility="restricted"), "base_version": 2}
    assert editor.put("/api/incidents/test-incident", json=body).status_code == 200
    assert reader.get("/api/incidents/test-incident").status_code == 404
    assert reader.get("/incidents/test-incident").status_code == 404


def test_the_counter_is_read_without_holding_a_write_lock(
    settings: Settings, app_engine: Engine
) -> None:
    from azyl.appdb import session_scope

    with session_scope(app_engine) as session:
        counter.bump(session)
        counter.bump(session)
        # another connection reads the committed value while this transaction writes
        assert counter.read(app_engine) == 0
    assert counter.read(app_engine) == 2
