"""Reports: one report object, four formats that say the same thing."""

from __future__ import annotations

import json

import pytest

from azyl.errors import InputError
from azyl.reports import FORMATS, build_report, render
from webtools import assessment_fixture

CASE = {
    "person": {"citizenship": ["RUS"], "profiles": ["anti_war"], "wanted": [], "region": None},
    "route": [{"country": "POL", "role": "first_eu_entry"}],
    "current_country": "DEU",
    "stage": "dublin_procedure",
    "proposed_action": {"type": "dublin_transfer", "to": "POL"},
}


def test_every_format_is_registered() -> None:
    assert set(FORMATS) == {"html", "markdown", "json", "pdf"}


def test_json_report_is_the_assessment_in_the_envelope() -> None:
    data = assessment_fixture()
    body = json.loads(render(build_report(data, CASE), "json").content)
    assert body["data"] == data and body["meta"]["case"] == CASE


def test_markdown_lists_findings_under_their_severity_most_serious_first() -> None:
    text = render(build_report(assessment_fixture(), CASE), "markdown").content.decode()
    assert text.index("### High") < text.index("### Low")
    assert "test.fact-one" in text and "test-incident-1" in text
    assert "Germany → Poland → Russian Federation" in text


def test_html_links_each_evidence_item_to_its_page() -> None:
    html = render(build_report(assessment_fixture(), CASE), "html").content.decode()
    assert 'href="/kb/facts/test.fact-one"' in html
    assert 'href="/incidents/test-incident-1"' in html
    assert 'href="/about#source-test-prov"' in html
    assert "<svg" in html  # the pathway's route diagram


def test_russian_report_translates_headings_but_keeps_the_engine_text() -> None:
    text = render(build_report(assessment_fixture(), CASE, "ru"), "markdown").content.decode()
    assert text.startswith("# Отчёт об оценке рисков")
    assert "Test explanation: relatives remain in the origin state." in text


def test_pdf_is_a_pdf_with_a_file_name_from_the_date() -> None:
    rendered = render(build_report(assessment_fixture(), CASE), "pdf")
    assert rendered.content.startswith(b"%PDF")
    assert rendered.filename == "azyl-screening-2024-05-01.pdf"
    assert rendered.media_type == "application/pdf"


def test_an_unknown_format_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown report format 'docx'"):
        render(build_report(assessment_fixture(), CASE), "docx")
