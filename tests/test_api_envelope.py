"""Every API route answers in the one success envelope or the one error envelope.

The routes are read from the OpenAPI document itself, so a new route is walked
without anyone adding it here.
"""

from __future__ import annotations

import re

import pytest

from azyl.config import Settings
from webtools import EXAMPLE_CASE, assert_error, assert_success, client_for


def api_operations(settings: Settings) -> list[tuple[str, str]]:
    schema = client_for(settings).get("/api/openapi.json").json()
    return [(m.upper(), p) for p, ops in schema["paths"].items() for m in ops]


def test_openapi_lists_every_resource_the_issue_names(settings: Settings) -> None:
    paths = {p for _, p in api_operations(settings)}
    for resource in ("rates", "lottery", "facts", "sources", "incidents", "assess"):
        assert f"/api/{resource}" in paths


def test_every_api_route_answers_in_an_envelope(settings: Settings) -> None:
    client = client_for(settings)
    for method, path in api_operations(settings):
        url = re.sub(r"\{[^}]+\}", "no-such-id", path)
        response = client.request(method, url, json=EXAMPLE_CASE if method == "POST" else None)
        if response.headers["content-type"].startswith("application/json"):
            body = response.json()
            if response.status_code < 400:
                assert_success(body) if path not in FILES else None
            else:
                assert_error(body)
        else:  # a file: only the download routes answer something else
            assert path in FILES and response.status_code == 200


#: Routes whose success is a file (a report, an export), not the envelope.
FILES = ("/api/assess/report", "/api/exports/incidents")


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("GET", "/api/no-such-route", 404, "not_found"),
        ("DELETE", "/api/health", 405, "method_not_allowed"),
        ("GET", "/api/facts?as_of=2020-13-40", 422, "invalid_input"),
        ("GET", "/api/lottery?year=abc", 422, "invalid_input"),
        ("GET", "/api/lottery?origin=Atlantis", 422, "unknown_country"),
        ("GET", "/api/catalog?lang=xx", 422, "invalid_input"),
        ("POST", "/api/assess", 422, "invalid_input"),
    ],
)
def test_framework_failures_use_the_error_envelope(
    settings: Settings, method: str, url: str, status: int, code: str
) -> None:
    response = client_for(settings).request(method, url)
    assert response.status_code == status
    assert_error(response.json(), code)


def test_a_bad_parameter_is_named_in_the_message(settings: Settings) -> None:
    body = client_for(settings).get("/api/lottery?year=abc").json()
    assert "year" in body["error"]["message"]
    assert body["error"]["details"][0]["name"] == "year"


def test_an_unexpected_error_is_a_500_envelope_without_traceback(settings: Settings) -> None:
    from azyl.web.app import create_app

    app = create_app(settings)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    from fastapi.testclient import TestClient

    response = TestClient(app, raise_server_exceptions=False).get("/api/boom")
    assert response.status_code == 500
    assert_error(response.json(), "internal_error")
    assert "secret internals" not in response.text


def test_html_pages_answer_errors_as_pages_for_browsers_and_envelopes_otherwise(
    settings: Settings,
) -> None:
    client = client_for(settings)
    page = client.get("/no-such-page", headers={"accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Page not found</h1>" in page.text
    machine = client.get("/no-such-page", headers={"accept": "application/json"})
    assert machine.status_code == 404
    assert_error(machine.json(), "not_found")
