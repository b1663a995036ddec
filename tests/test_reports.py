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


def test_markdown_puts_the_bottom_line_first_then_findings_most_serious_first() -> None:
    text = render(build_report(assessment_fixture(), CASE), "markdown").content.decode()
    assert text.index("## Bottom line: High") < text.index("## Findings")
    assert text.index("Test line: Germany") < text.index("Test step:")
    assert text.index("### High") < text.index("### Low")
    assert "test.fact-one" in text and "test-incident-1" in text  # unresolved ids stay ids
    assert "Germany → Poland → Russian Federation" in text
    assert "Anti-war" in text and "Dublin procedure" in text  # the case: profiles, stage
    assert "9,385" in text  # the figure, in the language's number format


def test_html_links_each_evidence_item_inside_the_report() -> None:
    """Anchors to the evidence appendix: they work in a PDF and offline, never file:///."""
    html = render(build_report(assessment_fixture(), CASE), "html").content.decode()
    assert 'href="#fact-test.fact-one"' in html
    assert 'href="#incident-test-incident-1"' in html
    assert "file://" not in html and 'href="/kb' not in html
    assert "older evidence" in html  # the stale danger fact is marked
    assert "<svg" in html  # the pathway's route diagram


def test_russian_report_translates_headings_and_numbers() -> None:
    text = render(build_report(assessment_fixture(), CASE, "ru"), "markdown").content.decode()
    assert text.startswith("# Отчёт об оценке рисков")
    assert "## Главное: Высокий" in text
    assert "9\u00a0385" in text or "9 385" in text


#: An appendix entry as azyl.reports.evidence builds it (the report reads nothing else).
FACT = {
    "id": "test.fact-one",
    "statement": "A test fact.",
    "statement_ru": None,
    "valid_from": "2020-01-01",
    "valid_until": None,
    "last_confirmed": None,
    "nature": "law",
    "unverified": False,
    "confidence": "high",
    "citations": [],
}


def test_pdf_renderings_in_one_process_take_turns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Several at once left every other request a thin slice of the interpreter's lock
    (bench/bench_pdf_neighbours.py): renderings queue instead, and every one is served."""
    import threading
    import time

    import weasyprint

    running, most = [0], [0]
    guard = threading.Lock()

    def laying_out(self: object, *args: object, **kwargs: object) -> bytes:
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)  # long enough for the other threads to arrive
        with guard:
            running[0] -= 1
        return b"%PDF-1.7 laid out"

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", laying_out)
    report = build_report(assessment_fixture(), CASE)
    served: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: served.append(render(report, "pdf").content))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert served == [b"%PDF-1.7 laid out"] * 4
    assert most[0] == 1


def test_pdf_is_a_pdf_named_after_the_case_and_the_date() -> None:
    """A Russian in Germany screened as of 2024-05-01: the file says which case, never a name."""
    rendered = render(build_report(assessment_fixture(), CASE), "pdf")
    assert rendered.content.startswith(b"%PDF")
    assert rendered.filename == "azyl-screening-rus-in-deu-2024-05-01.pdf"
    assert rendered.media_type == "application/pdf"
    without_case = render(build_report(assessment_fixture()), "markdown")
    assert without_case.filename == "azyl-screening-2024-05-01.md"


def test_links_to_the_sites_pages_only_where_there_is_a_site() -> None:
    """The CLI's report has no site to link to; a download from the web links absolutely."""
    appendix = {"facts": [FACT], "incidents": []}
    offline = render(build_report(assessment_fixture(), CASE, appendix=appendix), "html")
    assert b'href="/kb/facts/' not in offline.content
    site = "https://azyl.example.org"
    online = build_report(assessment_fixture(), CASE, base_url=site, appendix=appendix)
    assert f'href="{site}/kb/facts/{FACT["id"]}"'.encode() in render(online, "html").content


def test_an_unknown_format_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown report format 'docx'"):
        render(build_report(assessment_fixture(), CASE), "docx")
