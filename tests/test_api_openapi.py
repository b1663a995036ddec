"""The OpenAPI document: a reviewed snapshot, and a property-based run of every operation.

To accept an intended change of the API, run
`.venv/bin/python scripts/update_openapi_snapshot.py` and commit the snapshot.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from pydantic import TypeAdapter
from schemathesis.specs.openapi.checks import positive_data_acceptance

from auth_support import make_user
from azyl.accounts import passwords
from azyl.accounts.roles import Role
from azyl.appdb import open_database
from azyl.config import Settings, load_settings
from azyl.web.app import create_app
from cases_support import PROFILE
from edit_support import app_on, client_as
from incident_docs import KB_SOURCE, doc
from webtools import EXAMPLE_CASE

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "snapshots" / "openapi.json"


def _snapshot_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "snap", ROOT / "scripts/update_openapi_snapshot.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_openapi_document_matches_the_reviewed_snapshot() -> None:
    current = _snapshot_script().document()
    assert json.loads(current) == json.loads(SNAPSHOT.read_text()), (
        "the API changed: run .venv/bin/python scripts/update_openapi_snapshot.py and review"
    )


def test_every_error_response_is_documented_as_the_error_envelope() -> None:
    schema = json.loads(SNAPSHOT.read_text())
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status[0] in "45":
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorEnvelope"), (method, path, status)


def _app_for_schemathesis():  # type: ignore[no-untyped-def]
    import tempfile

    tmp = tempfile.mkdtemp(prefix="azyl-schemathesis-")
    return create_app(load_settings({"AZYL_DATA_DIR": tmp, "HOME": tmp}))


schema = schemathesis.openapi.from_asgi("/api/openapi.json", _app_for_schemathesis())


@schema.parametrize()
@hypothesis_settings(max_examples=15, deadline=None,
                     suppress_health_check=list(HealthCheck))  # fmt: skip
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    """Generated requests never crash the server and always answer the documented shape."""
    response = case.call()
    if response.status_code == 503:  # a part of azyl this build does not have yet
        assert response.json()["error"]["code"] == "not_available"
        return
    # Country and vocabulary parameters are free text the library resolves (names, codes);
    # a well-typed but unknown value is rightly refused with a 422, so that check is off.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])


# -- Every payload typed, and every real answer in the shape its model declares ---------------


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """A schema with its `$ref` (to #/components/schemas/...) followed."""
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _untyped(schema: dict[str, Any], document: dict[str, Any]) -> str | None:
    """Why a payload schema documents no shape (None when it does).

    An object must list its properties, or be a map whose values have a
    schema; a list must say what it holds; nullable variants are looked into.
    """
    schema = _resolve(schema, document)
    if "anyOf" in schema:
        reasons = [_untyped(s, document) for s in schema["anyOf"]]
        return next((r for r in reasons if r), None)
    if schema.get("type") == "array":
        return _untyped(schema["items"], document) if "items" in schema else "a list of anything"
    if schema.get("type") == "object" or not schema:
        if schema.get("properties"):
            return None
        values = schema.get("additionalProperties", True)
        if isinstance(values, dict) and values:
            return _untyped(values, document)
        return "an object without properties"
    return None


def test_every_success_payload_documents_its_properties() -> None:
    document = json.loads(SNAPSHOT.read_text())
    untyped = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json")
                if status[0] != "2" or not content or not content.get("schema"):
                    continue
                envelope = _resolve(content["schema"], document)
                reason = _untyped(envelope["properties"]["data"], document)
                if reason:
                    untyped.append(f"{method.upper()} {path} {status}: data is {reason}")
    assert untyped == []


def _enveloped_routes() -> dict[tuple[str, str], Any]:
    """(method, path) -> response model of every API route answering the JSON envelope.

    Read from the application's route table (included routers unfolded, as in
    tests/test_security_matrix.py); file downloads declare no response model.
    """
    found = {}
    for route in _app_for_schemathesis().router.routes:
        unfold = getattr(route, "effective_route_contexts", None)
        for context in unfold() if unfold else [route]:
            model = getattr(context, "response_model", None)
            if context.path.startswith("/api/") and model is not None:
                found.update({(method, context.path): model for method in context.methods})
    return found


ENVELOPED = _enveloped_routes()


def _conforms(body: Any, model: Any) -> list[str]:
    """Where `body` departs from the JSON Schema the model declares (empty: it conforms)."""
    schema = TypeAdapter(model).json_schema(mode="serialization")
    validator = jsonschema_rs.validator_for(schema)
    return [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in
            validator.iter_errors(body)][:5]  # fmt: skip


@pytest.fixture(scope="module")
def answers(built_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Answers:
    """Real, successful answers of every enveloped API route, on the built statistics."""
    root = tmp_path_factory.mktemp("typed-api")
    settings = built_settings.model_copy(
        update={"data_dir": root / "data", "stats_db": built_settings.stats_db_path}
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
        engine = open_database(settings)
        app = app_on(settings, engine)
        make_user(engine, "colleague", Role.CASEWORKER)
        return _walk(client_as(app, engine, Role.ADMIN), settings)


Answers = dict[tuple[str, str], list[tuple[int, Any]]]


def _walk(client: TestClient, settings: Settings) -> Answers:
    """Request every route as an administrator would use it, keeping each answer by route."""
    seen: Answers = {}

    def call(method: str, route: str, url: str, **kwargs: Any) -> Any:
        response = client.request(method, url, **kwargs)
        assert response.status_code < 300, (method, url, response.text[:500])
        seen.setdefault((method, route), []).append((response.status_code, response.json()))
        return response.json()["data"]

    for route, url in (("/api/health", "/api/health"), ("/api/catalog", "/api/catalog"),
                       ("/api/countries", "/api/countries?lang=ru"),
                       ("/api/lottery", "/api/lottery?origin=RUS&year=2015"),
                       ("/api/lottery", "/api/lottery?origin=KAZ&scope=europe"),
                       ("/api/rates", "/api/rates?origin=RUS"),
                       ("/api/rates", "/api/rates?origin=RUS&destination=DEU"),
                       ("/api/heatmap", "/api/heatmap"), ("/api/definitions", "/api/definitions"),
                       ("/api/provenance", "/api/provenance"),
                       ("/api/facts", "/api/facts?as_of=2024-05-01"),
                       ("/api/sources", "/api/sources"),
                       ("/api/sources/{source_id}", f"/api/sources/{KB_SOURCE}"),
                       ("/api/assess/schema", "/api/assess/schema"),
                       ("/api/search", "/api/search?q=extradition"),
                       ("/api/search", "/api/search?q=экстрадиция&lang=ru")):  # fmt: skip
        call("GET", route, url)
    for fact in call("GET", "/api/facts", "/api/facts")[:40]:
        call("GET", "/api/facts/{fact_id}", f"/api/facts/{fact['id']}")
    call("POST", "/api/assess", "/api/assess", json=EXAMPLE_CASE)
    _walk_incidents(call)
    _walk_proposals(call, settings)
    _walk_cases(call)
    return seen


def _walk_incidents(call: Any) -> None:
    one = "/api/incidents/{incident_id}"
    call("POST", "/api/incidents", "/api/incidents", json={"incident": doc()})
    call("PUT", one, "/api/incidents/test-incident",
         json={"incident": doc(summary="Changed."), "base_version": 1})  # fmt: skip
    call("POST", f"{one}/revert", "/api/incidents/test-incident/revert",
         json={"to_version": 1, "base_version": 2})  # fmt: skip
    call("GET", f"{one}/history", "/api/incidents/test-incident/history")
    call("GET", one, "/api/incidents/test-incident")
    call("GET", "/api/incidents", "/api/incidents")
    for dry_run in ("true", "false"):
        file = json.dumps(
            {"format": "azyl-incidents", "version": 1, "incidents": [doc(id="imported-incident")]}
        ).encode()
        call("POST", "/api/imports/incidents", "/api/imports/incidents", data={"dry_run": dry_run},
             files={"file": ("incidents.json", file)})  # fmt: skip


def _walk_proposals(call: Any, settings: Settings) -> None:
    root, one = "/api/kb/proposals", "/api/kb/proposals/{proposal_id}"
    text = (settings.kb_dir / "facts/safe_third_country/bgr-russia.yaml").read_text()
    changed = text.replace("confidence: medium", "confidence: low")
    pid = call("POST", root, root, json={"fact_id": "safe_third_country.bgr-russia", "text": text})[
        "id"
    ]
    call("PUT", one, f"{root}/{pid}", json={"text": changed, "base_version": 1})
    call("POST", f"{one}/revert", f"{root}/{pid}/revert", json={"to_version": 1, "base_version": 2})
    call(
        "PUT",
        one,
        f"{root}/{pid}",
        json={"text": changed, "base_version": 3, "status": "submitted"},
    )
    call("GET", f"{one}/history", f"{root}/{pid}/history")
    call("GET", root, root)
    version = call("GET", one, f"{root}/{pid}")["version"]
    call("POST", f"{one}/decide", f"{root}/{pid}/decide",
         json={"decision": "accepted", "base_version": version, "note": "Checked."})  # fmt: skip


def _walk_cases(call: Any) -> None:
    one = "/api/cases/{case_id}"
    case = call("POST", "/api/cases", "/api/cases", json={"title": "T", "profile": PROFILE})["id"]
    call("POST", f"{one}/runs", f"/api/cases/{case}/runs", json={"as_of": "2024-02-20"})
    changed = {**PROFILE, "proposed_action": None, "stage": "first_instance"}
    call("PUT", f"{one}/profile", f"/api/cases/{case}/profile", json={"profile": changed})
    call("GET", f"{one}/compare", f"/api/cases/{case}/compare?first=1&second=3")
    call("GET", f"{one}/compare", f"/api/cases/{case}/compare?first=1&second=2")
    call("POST", f"{one}/shares", f"/api/cases/{case}/shares", json={"username": "colleague"})
    call("GET", "/api/cases", "/api/cases")
    call("GET", one, f"/api/cases/{case}")
    call("DELETE", f"{one}/shares/{{username}}", f"/api/cases/{case}/shares/colleague")
    call("DELETE", one, f"/api/cases/{case}")


def test_every_enveloped_route_is_walked(answers: Answers) -> None:
    """A new route fails here until the walk above requests it (and so checks its model)."""
    assert sorted(set(ENVELOPED) - set(answers)) == []


@pytest.mark.parametrize(
    ("method", "path"), sorted(ENVELOPED), ids=[f"{m} {p}" for m, p in sorted(ENVELOPED)]
)
def test_real_answers_have_the_shape_the_route_declares(
    answers: Answers, method: str, path: str
) -> None:
    model = ENVELOPED[(method, path)]
    recorded = answers.get((method, path), [])
    assert recorded, f"{method} {path} is not requested by _walk"
    for status, body in recorded:
        assert _conforms(body, model) == [], (method, path, status)
