"""/api/incidents: public incidents only, filters validated."""

from __future__ import annotations

import datetime as dt

from azyl.config import Settings
from webtools import assert_error, assert_success, client_for


def _record(incident_id: str, visibility: str, host: str = "TUR") -> object:
    from azyl.incidents import IncidentRecord, SourceRef

    return IncidentRecord(
        id=incident_id,
        date=dt.date(2020, 5, 1),
        date_precision="month",
        origin="TJK",
        host=host,
        target_label="test target",
        target_profiles=("political_activist",),
        tactics=("detention",),
        outcome="unknown",
        mechanism="test mechanism",
        summary="A test incident written for this test only.",
        sources=(SourceRef(url="https://example.org/test", title="Test", pinpoint="p. 1"),),
        confidence="low",
        visibility=visibility,
    )


def _seed(settings: Settings) -> None:
    """Two test incidents, one public and one restricted, written through the library."""
    from azyl.appdb.engine import open_database, session_scope
    from azyl.incidents.store import new_row

    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    engine = open_database(settings)
    with session_scope(engine) as session:
        session.add(new_row(_record("test-public", "public"), now, now))  # type: ignore[arg-type]
        session.add(new_row(_record("test-restricted", "restricted", "KAZ"), now, now))  # type: ignore[arg-type]


def test_anonymous_visitors_see_only_public_incidents(settings: Settings) -> None:
    _seed(settings)
    body = client_for(settings).get("/api/incidents").json()
    assert_success(body)
    assert [i["id"] for i in body["data"]] == ["test-public"]
    assert body["data"][0]["stage"] == "detained"


def test_a_restricted_incident_is_not_found_for_anonymous_visitors(settings: Settings) -> None:
    _seed(settings)
    response = client_for(settings).get("/api/incidents/test-restricted")
    assert response.status_code == 404
    assert_error(response.json(), "not_found")


def test_filters_accept_names_and_the_stage_vocabulary(settings: Settings) -> None:
    _seed(settings)
    client = client_for(settings)
    assert len(client.get("/api/incidents?host=Turkey&stage=detained").json()["data"]) == 1
    assert client.get("/api/incidents?host=Turkey&year=2019").json()["data"] == []
    response = client.get("/api/incidents?stage=kidnapped")
    assert response.status_code == 422
    assert_error(response.json(), "invalid_input")
