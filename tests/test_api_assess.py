"""/api/assess: the schema, an assessment, and the report downloads (stateless)."""

from __future__ import annotations

import pytest

from azyl.config import Settings
from webtools import EXAMPLE_CASE, assert_error, assert_success, client_for


def test_schema_is_the_case_profile_json_schema(settings: Settings) -> None:
    from azyl.assess import case_profile_schema

    body = client_for(settings).get("/api/assess/schema").json()
    assert_success(body)
    assert body["data"] == case_profile_schema()


def test_an_example_case_is_assessed_with_its_trace(settings: Settings) -> None:
    body = client_for(settings).post("/api/assess", json=EXAMPLE_CASE).json()
    assert_success(body)
    assert body["data"]["trace"]["as_of"] == EXAMPLE_CASE["as_of"]
    assert body["meta"]["as_of"] == EXAMPLE_CASE["as_of"]
    assert set(body["data"]) >= {"findings", "pathways", "protective_arguments", "destinations"}
    proposed = [f for f in body["data"]["findings"] if f["code"] == "dublin_transfer_risk"]
    assert proposed and "POL" in proposed[0]["states"]


def test_a_profile_with_problems_lists_each_field(settings: Settings) -> None:
    bad = {**EXAMPLE_CASE, "current_country": "Germny", "stage": "limbo"}
    response = client_for(settings).post("/api/assess", json=bad)
    assert response.status_code == 422
    body = response.json()
    assert_error(body, "invalid_case_profile")
    problems = body["error"]["details"]["problems"]
    assert any(p.startswith("current country:") and "DEU" in p for p in problems)
    assert any(p.startswith("stage:") for p in problems)


def test_a_body_that_is_not_json_is_a_422_envelope(settings: Settings) -> None:
    response = client_for(settings).post(
        "/api/assess", content=b"not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert_error(response.json(), "invalid_input")


def test_report_downloads_in_every_format(settings: Settings) -> None:
    client = client_for(settings)
    expected = {"pdf": b"%PDF", "markdown": b"# Screening report", "html": b"<!doctype html>"}
    for fmt, head in expected.items():
        response = client.post(f"/api/assess/report?format={fmt}", json=EXAMPLE_CASE)
        assert response.status_code == 200, fmt
        assert response.content.startswith(head), fmt
        assert "attachment" in response.headers["content-disposition"]


def test_report_in_russian_has_russian_headings(settings: Settings) -> None:
    response = client_for(settings).post(
        "/api/assess/report?format=markdown&lang=ru", json=EXAMPLE_CASE
    )
    assert response.text.startswith("# Отчёт об оценке рисков")


def test_an_unknown_report_format_is_rejected(settings: Settings) -> None:
    response = client_for(settings).post("/api/assess/report?format=docx", json=EXAMPLE_CASE)
    assert response.status_code == 422
    assert_error(response.json(), "invalid_input")


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 500_000 + b"]" * 500_000,  # RecursionError in the JSON parser before
        b'{"person": ' * 20_000 + b"{}" + b"}" * 20_000,
        b'{"as_of": ' + b"[" * 33 + b"]" * 33 + b"}",  # one past the limit
    ],
)
def test_a_json_body_nested_too_deep_is_refused_before_it_is_parsed(
    settings: Settings, body: bytes
) -> None:
    client = client_for(settings)
    for path in ("/api/assess", "/api/assess/report?format=json"):
        response = client.post(path, content=body, headers={"content-type": "application/json"})
        assert response.status_code == 422, response.text[:300]
        assert_error(response.json(), "limit_exceeded")
        assert "nested more than 32 levels deep" in response.json()["error"]["message"]
        assert response.json()["error"]["details"] == {"limit": "depth", "max": 32}


def test_a_json_body_at_the_depth_limit_reaches_the_route(settings: Settings) -> None:
    body = b'{"as_of": ' + b"[" * 31 + b"]" * 31 + b"}"  # 32 levels with the object
    response = client_for(settings).post(
        "/api/assess", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert_error(response.json(), "invalid_case_profile")
