"""/api/facts and /api/sources over the project's knowledge base."""

from __future__ import annotations

import yaml

from azyl.config import Settings
from webtools import assert_error, assert_success, client_for


def test_sources_list_every_source_file_of_the_knowledge_base(settings: Settings) -> None:
    body = client_for(settings).get("/api/sources").json()
    assert_success(body)
    on_disk = {p.stem for p in (settings.kb_dir / "sources").glob("*.yaml")}
    assert {s["id"] for s in body["data"]} == on_disk
    assert body["meta"]["total"] == len(on_disk)


def test_one_source_carries_its_title_from_the_file(settings: Settings) -> None:
    path = sorted((settings.kb_dir / "sources").glob("*.yaml"))[0]
    title = yaml.safe_load(path.read_text())["title"]
    body = client_for(settings).get(f"/api/sources/{path.stem}").json()
    assert body["data"]["title"] == title


def test_an_unknown_source_is_a_404_envelope(settings: Settings) -> None:
    response = client_for(settings).get("/api/sources/no-such-source")
    assert response.status_code == 404
    assert_error(response.json(), "not_found")


def test_facts_quote_the_knowledge_base_version(settings: Settings) -> None:
    body = client_for(settings).get("/api/facts").json()
    assert_success(body)
    recorded = (settings.kb_dir / "VERSION").read_text()
    assert body["meta"]["kb_version"]["version"] in recorded
    assert body["meta"]["total"] == len(body["data"])


def test_facts_filter_rejects_an_unknown_kind_naming_the_catalogue(settings: Settings) -> None:
    response = client_for(settings).get("/api/facts?kind=safe_fourth_country")
    assert response.status_code == 422
    assert_error(response.json(), "invalid_input")
    assert "/api/catalog" in response.json()["error"]["message"]


def test_facts_filter_accepts_country_names_and_answers_alpha3(settings: Settings) -> None:
    body = client_for(settings).get("/api/facts?state=Norway").json()
    assert body["meta"]["filters"]["state"] == "NOR"
    assert all("NOR" in f["states"] or "EU" in f["states"] for f in body["data"])
