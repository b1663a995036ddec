"""Helpers for the web tests: a client on a fresh app, envelope checks, an example case."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from azyl.config import Settings
from azyl.web.app import create_app

FIXTURES = Path(__file__).parent / "fixtures"

#: An example case used across the web tests (the API docs show the same one).
EXAMPLE_CASE: dict[str, Any] = {
    "person": {"citizenship": ["RUS"], "profiles": ["anti_war"]},
    "route": [{"country": "POL", "role": "first_eu_entry"}],
    "current_country": "DEU",
    "stage": "dublin_procedure",
    "proposed_action": {"type": "dublin_transfer", "to": "POL"},
    "as_of": "2024-05-01",
}


def client_for(settings: Settings) -> TestClient:
    """A test client that reports server errors as responses (to test the 500 envelope)."""
    return TestClient(create_app(settings), raise_server_exceptions=False)


def assert_success(body: Any) -> None:
    """The one success shape: exactly data and meta, meta carrying the version."""
    assert set(body) == {"data", "meta"}, body
    assert isinstance(body["meta"], dict) and "azyl_version" in body["meta"]


def assert_error(body: Any, code: str | None = None) -> None:
    """The one error shape: error.code, error.message (a sentence), error.details."""
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"].strip()
    assert "Traceback" not in body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body


def assessment_fixture() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "assessment.json").read_text())
    return data


class PageAudit(HTMLParser):
    """Collects what the accessibility checks need from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.headings: list[str] = []
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.open_labels = 0
        self.wrapped: set[int] = set()
        self.links: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(tag)
        if tag == "label":
            self.open_labels += 1
            if a.get("for"):
                self.label_for.add(str(a["for"]))
        if tag in {"input", "select", "textarea"} and a.get("type") not in {"hidden", "submit"}:
            if self.open_labels:
                self.wrapped.add(len(self.controls))
            self.controls.append(a)
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        if tag in {"script", "img"} and a.get("src"):
            self.assets.append(str(a["src"]))
        if tag == "link" and a.get("href"):
            self.assets.append(str(a["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1

    def unlabelled(self) -> list[str]:
        """Controls with neither a <label for=id> nor a wrapping <label> nor aria-label."""
        missing = []
        for i, control in enumerate(self.controls):
            labelled = (
                control.get("id") in self.label_for
                or i in self.wrapped
                or control.get("aria-label")
            )
            if not labelled:
                missing.append(str(control.get("name") or control.get("id")))
        return missing


def audit(html: str) -> PageAudit:
    parser = PageAudit()
    parser.feed(html)
    return parser
