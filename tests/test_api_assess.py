"""/api/assess: the schema, an assessment, and the report downloads (stateless)."""

from __future__ import annotations

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
