"""Restricted incidents and fields: caseworkers and up see them; viewers and visitors never."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from azyl.accounts.roles import Role
from azyl.config import Settings
from azyl.incidents import export_incidents
from azyl.incidents.edits import create_incident, import_rules
from azyl.incidents.references import catalogue_for
from edit_support import app_on, client_as
from incident_docs import doc

SECRET_NOTE = "Contact through the lawyer only"
RELATION = "the brother in Dushanbe"
RELATION_RU = "брат в Душанбе"


@pytest.fixture
def app(settings: Settings, app_engine: Engine) -> FastAPI:
    rules = import_rules(catalogue_for(settings))
    create_incident(
        app_engine,
        doc(id="hidden-case", visibility="restricted", summary="A restricted summary."),
        rules=rules,
        actor="t",
    )
    create_incident(
        app_engine,
        doc(
            id="open-case",
            notes=SECRET_NOTE,
            relatives_targeted=True,
            relatives_relation=RELATION,
            relatives_relation_ru=RELATION_RU,
        ),
        rules=rules,
        actor="t",
    )
    return app_on(settings, app_engine)


@pytest.mark.parametrize("role", [None, Role.VIEWER])
def test_visitors_and_viewers_get_the_same_404_as_for_a_missing_incident(
    app: FastAPI, app_engine: Engine, role: Role | None
) -> None:
    client = client_as(app, app_engine, role)
    hidden, missing = client.get("/api/incidents/hidden-case"), client.get("/api/incidents/nope")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["code"] == missing.json()["error"]["code"] == "not_found"
    assert hidden.json()["error"]["message"] == 'no incident with id "hidden-case"'
    assert client.get("/incidents/hidden-case").status_code == 404
    listed = client.get("/api/incidents").json()["data"]
    assert [i["id"] for i in listed] == ["open-case"]
    listing = client.get("/incidents")
    assert listing.status_code == 200 and "/incidents/open-case" in listing.text
    assert "hidden-case" not in listing.text
    page = client.get("/incidents/open-case").text
    assert SECRET_NOTE not in page and RELATION not in page
    assert RELATION_RU not in client.get("/incidents/open-case?lang=ru").text
    data = client.get("/api/incidents/open-case").json()["data"]
    assert data["notes"] is None and data["relatives_relation"] is None
    assert data["relatives_relation_ru"] is None


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.EDITOR, Role.ADMIN])
def test_caseworkers_and_up_see_restricted_incidents_and_fields(
    app: FastAPI, app_engine: Engine, role: Role
) -> None:
    client = client_as(app, app_engine, role)
    page = client.get("/incidents/hidden-case")
    assert page.status_code == 200 and "Restricted incident" in page.text
    assert client.get("/api/incidents/hidden-case").json()["data"]["summary"] == (
        "A restricted summary."
    )
    listed = {i["id"] for i in client.get("/api/incidents").json()["data"]}
    assert listed == {"hidden-case", "open-case"}
    assert "/incidents/hidden-case" in client.get("/incidents").text
    page = client.get("/incidents/open-case").text
    assert SECRET_NOTE in page and RELATION in page
    assert RELATION_RU in client.get("/incidents/open-case?lang=ru").text


def test_the_public_export_still_leaves_out_restricted_incidents_and_fields(
    app: FastAPI, app_engine: Engine
) -> None:
    exported = export_incidents(app_engine, "json", visibility="public").decode()
    assert "hidden-case" not in exported
    assert SECRET_NOTE not in exported and RELATION not in exported
    assert RELATION_RU not in exported


def test_kept_lists_never_show_a_caseworkers_view_to_a_visitor_and_follow_every_edit(
    app: FastAPI, app_engine: Engine, settings: Settings
) -> None:
    """The incident list and /api/incidents are kept per audience until the registry changes."""
    worker = client_as(app, app_engine, Role.CASEWORKER)
    visitor = client_as(app, app_engine, None)
    for client, expected in ((worker, {"hidden-case", "open-case"}), (visitor, {"open-case"})):
        for _ in range(2):  # the second answer is the kept one
            listed = client.get("/api/incidents").json()["data"]
            assert {i["id"] for i in listed} == expected
            assert ("/incidents/hidden-case" in client.get("/incidents").text) == (
                "hidden-case" in expected
            )
    create_incident(app_engine, doc(id="new-case"), rules=import_rules(catalogue_for(settings)),
                    actor="t")  # fmt: skip
    assert "new-case" in {i["id"] for i in visitor.get("/api/incidents").json()["data"]}
    assert "/incidents/new-case" in visitor.get("/incidents").text
    assert "/incidents/new-case" in worker.get("/incidents?lang=ru").text
