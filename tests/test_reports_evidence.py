"""The evidence appendix lets a printed report stand on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from azyl.assess import assess, load_case
from azyl.assess.adapters import Loaded, load
from azyl.config import Settings
from azyl.reports import build_report, render
from azyl.reports.evidence import cited_ids, evidence_appendix

EXAMPLES = Path(__file__).resolve().parent.parent / "kb" / "examples"


@pytest.fixture(scope="module")
def loaded(built_settings: Settings, screening_context: object) -> Loaded:
    return load(built_settings)


def test_every_cited_fact_is_resolved_with_its_citations(loaded: Loaded) -> None:
    case = load_case(EXAMPLES / "tajik-opposition-red-notice-russia.yaml")
    data = assess(case, loaded.context).to_dict()
    facts, incidents = cited_ids(data)
    appendix = evidence_appendix(data, loaded.kb, loaded.incidents.incidents)
    assert [f["id"] for f in appendix["facts"]] == facts
    for entry in appendix["facts"]:
        fact = loaded.kb.facts[entry["id"]]
        assert entry["statement"] == fact.statement
        assert [c["quote"] for c in entry["citations"]] == [c.quote for c in fact.citations]
        assert all(c["title"] == loaded.kb.sources[c["source"]].title for c in entry["citations"])
    assert {i["id"] for i in appendix["incidents"]} <= set(incidents)
    assert all(i["visibility"] == "public" for i in appendix["incidents"])


def test_the_markdown_report_carries_the_appendix(loaded: Loaded) -> None:
    case = load_case(EXAMPLES / "chechen-lgbti-dublin-germany.yaml")
    result = assess(case, loaded.context)
    data = result.to_dict()
    appendix = evidence_appendix(data, loaded.kb, loaded.incidents.incidents)
    text = render(build_report(data, None, appendix=appendix), "markdown").content.decode()
    section = text.split("## Evidence cited", 1)[1]
    for fact_id in cited_ids(data)[0]:
        fact = loaded.kb.facts[fact_id]
        first = loaded.kb.sources[fact.citations[0].source]
        assert f"`{fact_id}`" in section  # the id, beside the fact's name
        assert f"### {first.title} ({first.date.isoformat()})" in section
        assert fact.citations[0].pinpoint in section


def test_a_report_without_an_appendix_says_nothing_about_one(loaded: Loaded) -> None:
    case = load_case(EXAMPLES / "chechen-lgbti-dublin-germany.yaml")
    result = assess(case, loaded.context)
    assert b"Evidence cited" not in render(build_report(result), "markdown").content
