"""The whole application on PostgreSQL and on SQLite, configured only by AZYL_DATABASE_URL.

The app is built from settings exactly as `azyl serve` builds it; the tests
drive it through pages, the incidents and screening APIs, signing in, the
admins' pages, and check the audit chain that all of this wrote.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from auth_support import make_user, sign_in
from azyl.accounts.roles import Role
from azyl.appdb import make_engine, migrate, session_scope
from azyl.audit import entries, verify
from azyl.config import Settings, load_settings
from azyl.incidents import import_incidents
from azyl.incidents.references import catalogue_for
from azyl.web.app import create_app
from ops_support import BACKENDS, env_for, fresh_url  # noqa: F401
from webtools import EXAMPLE_CASE, assert_success

VALID_INCIDENTS = Path(__file__).parent / "incidents" / "valid.yaml"


@pytest.fixture(params=BACKENDS)
def app(
    request: pytest.FixtureRequest,
    fresh_url: Callable[[str], str],  # noqa: F811
    tmp_path: Path,
    mirror_dir: Path,
    built_settings: Settings,
):  # type: ignore[no-untyped-def]
    """A client on an app whose settings name a fresh database, and an engine on that database."""
    url = fresh_url(request.param)
    env = env_for(tmp_path, mirror_dir, url)
    env["AZYL_STATS_DB"] = str(built_settings.stats_db_path)
    settings = load_settings(env)
    engine = make_engine(url)
    migrate(engine)
    as_json = tmp_path / "incidents.json"
    as_json.write_text(json.dumps(yaml.safe_load(VALID_INCIDENTS.read_text()), default=str))
    import_incidents(engine, as_json, catalogue_for(settings))
    make_user(engine, "root", Role.ADMIN)
    web = create_app(settings)
    with TestClient(web) as client:
        yield client, engine
    engine.dispose()
    web.state.services.app_engine().dispose()  # the app's own pool, opened from the URL


def test_public_pages_and_the_incidents_api_read_the_configured_database(app) -> None:  # type: ignore[no-untyped-def]
    client, _ = app
    for path in ("/", "/incidents", "/incidents/tjk-blr-2015-test", "/about"):
        assert client.get(path).status_code == 200, path
    listed = client.get("/api/incidents").json()
    assert_success(listed)
    assert [i["id"] for i in listed["data"]] == ["tjk-blr-2015-test"]
    one = client.get("/api/incidents/tjk-blr-2015-test").json()
    assert one["data"]["host"] == "BLR" and one["data"]["origin"] == "TJK"


def test_screening_uses_the_incidents_of_the_configured_database(app) -> None:  # type: ignore[no-untyped-def]
    client, _ = app
    body = client.post("/api/assess", json=EXAMPLE_CASE).json()
    assert_success(body)
    assert body["data"]["trace"]["as_of"] == EXAMPLE_CASE["as_of"]


def test_an_admin_session_writes_an_intact_audit_chain(app) -> None:  # type: ignore[no-untyped-def]
    client, engine = app
    sign_in(client, "root")
    added = client.post(
        "/admin/users",
        data={"username": "ana", "role": "caseworker", "password": "a long enough password"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert client.get("/admin/audit").status_code == 200
    assert client.get("/admin/audit/export.jsonl").status_code == 200
    with session_scope(engine, commit=False) as db:
        actions = [e.action for e in entries(db)]
        result = verify(db)
    assert actions == [
        "incident.import",  # the fixture's registry
        "user.add",
        "auth.sign_in",
        "user.add",
        "audit.view",
        "audit.export",
    ]
    assert result.ok and result.checked == 6
