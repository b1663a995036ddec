"""Screening a case file uploaded on the screening page: the same report as the command line.

The file is read exactly as `azyl assess FILE` reads it; the page then fills
the form with the whole profile, so that posting the form back (what a
browser sends when the caseworker presses "Screen this case" without changing
anything) gives the same screening. The downloads carry the screened profile.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from azyl.config import Settings
from webtools import client_for

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "kb" / "examples").glob("*.yaml"))
SCENARIOS = sorted((ROOT / "tests" / "cases").rglob("*.yaml"))


class FormFields(HTMLParser):
    """The name/value pairs a browser would send for the form with id `form_id`."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.select = form_id, False, None
        self.pairs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.pairs.append((a["name"], a.get("value", "on")))
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.pairs.append((self.select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        if tag == "select":
            self.select = None


def form_fields(html: str, form_id: str = "screening-form") -> dict[str, list[str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in parser.pairs:
        fields.setdefault(name, []).append(value)
    return fields


def screened_json(client: Any, profile: dict[str, Any]) -> dict[str, Any]:
    """The assessment of a profile through the JSON API: the independent reference."""
    response = client.post("/api/assess", json=profile)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def download_json(client: Any, fields: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/screening/report.json", data=fields)
    assert response.status_code == 200, response.text[:500]
    document: dict[str, Any] = response.json()
    return document


def profile_of(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    profile: dict[str, Any] = json.loads(json.dumps(document.get("profile", document), default=str))
    return profile  # dates as the text JSON carries


@pytest.mark.parametrize("path", EXAMPLES + SCENARIOS, ids=lambda p: p.stem[:60])
def test_a_screened_file_fills_the_form_so_that_screening_it_again_changes_nothing(
    settings: Settings, path: Path
) -> None:
    client = client_for(settings)
    profile = profile_of(path)
    text = yaml.safe_dump(profile, allow_unicode=True)
    page = client.post("/screening/file", files={"file": ("case.yaml", text.encode())})
    assert page.status_code == 200, page.text[:2000]
    assert "Screened from the file case.yaml" in page.text
    reference = screened_json(client, profile)
    again = download_json(client, form_fields(page.text))
    shown = download_json(client, form_fields(page.text, "screening-downloads"))
    for document in (again, shown):
        assert document["data"]["findings"] == reference["findings"]
        assert document["data"]["pathways"] == reference["pathways"]


def test_a_json_case_file_is_read_as_json(settings: Settings) -> None:
    client = client_for(settings)
    profile = profile_of(EXAMPLES[0])
    data = json.dumps(profile, default=str).encode()
    page = client.post("/screening/file", files={"file": ("case.json", data)})
    assert page.status_code == 200
    assert "Screening report" in page.text


def test_a_profile_with_mistakes_lists_each_one_and_keeps_nothing(settings: Settings) -> None:
    profile = {**profile_of(EXAMPLES[0]), "current_country": "Germny", "stage": "nowhere"}
    page = client_for(settings).post(
        "/screening/file", files={"file": ("mine.yaml", yaml.safe_dump(profile).encode())}
    )
    assert page.status_code == 422
    assert "mine.yaml cannot be screened" in page.text
    assert "current_country" in page.text and "stage" in page.text
    assert "Screening report" not in page.text


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("latin1.yaml", "person:\n  region: Tsch\xe4tschenien\n".encode("latin-1"), "not UTF-8"),
        ("aliases.yaml", b"a: &x [1]\nb: *x\n", "anchors and aliases"),
        ("broken.yaml", b"person: [unclosed\n", "not valid YAML or JSON"),
        ("broken.json", b'{"person": ', "not valid YAML or JSON"),
        ("list.yaml", b"- 1\n- 2\n", "must be a mapping"),
        ("binary.yaml", bytes(range(256)) * 4, "not UTF-8"),
        ("empty.yaml", b"", "the file is empty"),
    ],
)
def test_a_malformed_case_file_gets_one_clear_sentence(
    settings: Settings, name: str, content: bytes, says: str
) -> None:
    page = client_for(settings).post("/screening/file", files={"file": (name, content)})
    assert page.status_code == 422
    assert says in page.text
    assert "Traceback" not in page.text


def test_a_form_without_a_file_is_refused_clearly(settings: Settings) -> None:
    page = client_for(settings).post("/screening/file", data={"x": "y"})
    assert page.status_code == 422
    assert "choose a file to upload" in page.text


def test_a_file_larger_than_the_server_accepts_gets_a_413_page(settings: Settings) -> None:
    big = b"# padding\n" * (settings.max_upload_bytes // 10 + 1)
    page = client_for(settings).post(
        "/screening/file",
        files={"file": ("big.yaml", big)},
        headers={"accept": "text/html"},
    )
    assert page.status_code == 413
    assert page.headers["content-type"].startswith("text/html")
    assert "larger than this server accepts" in page.text


def test_a_file_name_is_shown_without_its_folders_or_markup(settings: Settings) -> None:
    name = "C:\\Users\\amina\\<img src=x onerror=alert(1)>.yaml"
    page = client_for(settings).post("/screening/file", files={"file": (name, b"- 1\n")})
    assert page.status_code == 422
    assert "<img src=x" not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;.yaml cannot be screened" in page.text
    assert "amina" not in page.text


DEEP_YAML = b"as_of: " + b"[" * 25_000 + b"]" * 25_000 + b"\n"  # ~50 KB: the reviewer's file


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("deep.yaml", DEEP_YAML, "nested more than 32 levels deep"),
        ("deep.json", b'{"as_of": ' + b"[" * 20_000 + b"]" * 20_000 + b"}", "nested more than 32"),
        ("twice.yaml", b"stage: a\nstage: b\n", "the key &#39;stage&#39; appears twice"),
        ("twice.json", b'{"stage": "a", "stage": "b"}', "&#39;stage&#39; appears twice"),
        ("digits.json", b'{"as_of": ' + b"9" * 5000 + b"}", "not valid YAML or JSON"),
        ("big.yaml", b"# padding\n" * 110_000, "larger than the 1.0 MiB accepted"),
    ],
)
def test_a_hostile_case_file_is_refused_before_it_is_parsed(
    settings: Settings, name: str, content: bytes, says: str
) -> None:
    client = client_for(settings)
    page = client.post("/screening/file", files={"file": (name, content)})
    assert page.status_code in (413, 422), page.text[:300]
    assert says in page.text
    assert "Traceback" not in page.text
    assert client.get("/api/health").status_code == 200  # the server is still there


def test_an_uploaded_case_file_is_read_outside_the_event_loop(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from azyl.web.pages import screening

    loops: list[bool] = []
    real = screening.read_case_document

    def reading(raw: bytes, name: str) -> Any:
        try:
            asyncio.get_running_loop()
            loops.append(True)
        except RuntimeError:  # no loop in this thread: a worker thread
            loops.append(False)
        return real(raw, name)

    monkeypatch.setattr(screening, "read_case_document", reading)
    page = client_for(settings).post("/screening/file", files={"file": ("c.yaml", DEEP_YAML)})
    assert page.status_code == 422
    assert loops == [False]
