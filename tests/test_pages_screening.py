"""The screening page: the form, the report, the downloads, and a form with mistakes."""

from __future__ import annotations

from azyl.config import Settings
from webtools import audit, client_for

FORM = {
    "citizenship": "RUS",
    "profiles": ["anti_war"],
    "route-0-country": "Poland",
    "route-0-role": "first_eu_entry",
    "current_country": "DEU",
    "stage": "dublin_procedure",
    "action_type": "dublin_transfer",
    "action_to": "POL",
    "as_of": "2024-05-01",
}


def test_the_form_has_an_ordered_route_and_every_control_labelled(settings: Settings) -> None:
    page = audit(client_for(settings).get("/screening").text)
    names = [c.get("name") for c in page.controls]
    assert names.index("route-0-country") < names.index("route-1-country")
    assert page.unlabelled() == []


def test_submitting_the_form_shows_the_report_with_findings_by_severity(
    settings: Settings,
) -> None:
    response = client_for(settings).post("/screening", data=FORM)
    assert response.status_code == 200
    assert "Screening report" in response.text
    assert "Dublin transfer" in response.text
    assert 'value="Poland"' in response.text  # the form keeps what was typed
    assert audit(response.text).headings.count("h1") == 1


def test_a_form_with_mistakes_comes_back_with_every_value_and_each_problem(
    settings: Settings,
) -> None:
    bad = {**FORM, "current_country": "Germny"}
    response = client_for(settings).post("/screening", data=bad)
    assert response.status_code == 422
    assert "current country: unknown country" in response.text and "DEU" in response.text
    assert 'value="Germny"' in response.text and 'value="Poland"' in response.text


def test_a_russian_reader_reads_the_problems_in_russian(settings: Settings) -> None:
    """Field names and problems are translated; what the person typed stays as typed."""
    bad = {**FORM, "current_country": "Германя", "route-0-entered": "вчера"}
    response = client_for(settings).post("/screening?lang=ru", data=bad)
    assert response.status_code == 422
    assert "текущая страна: неизвестная страна" in response.text
    assert "маршрут, шаг 1, въезд: это не календарная дата" in response.text
    assert "unknown country" not in response.text and "not a date" not in response.text
    # A country typed in Russian is understood.
    good = client_for(settings).post(
        "/screening?lang=ru", data={**FORM, "current_country": "Германия"}
    )
    assert good.status_code == 200


def test_the_report_downloads_as_pdf_markdown_and_json(settings: Settings) -> None:
    client = client_for(settings)
    pdf = client.post("/screening/report.pdf", data=FORM)
    assert pdf.content.startswith(b"%PDF")
    md = client.post("/screening/report.md?lang=ru", data=FORM)
    assert md.text.startswith("# Отчёт об оценке рисков")
    js = client.post("/screening/report.json", data=FORM).json()
    assert js["data"]["trace"]["as_of"] == "2024-05-01"
    assert js["meta"]["case"]["route"][0]["country"] == "POL"


def test_a_russian_screening_writes_the_engines_sentences_in_russian(settings: Settings) -> None:
    """Findings and pathways are the engine's sentences rendered in the page's language
    (the translators' wording of the readmission step, not the English template)."""
    page = client_for(settings).post("/screening?lang=ru", data=FORM).text
    assert "соглашение о реадмиссии обязывает Россию принять обратно" in page
    assert "readmission agreement obliges" not in page
    assert "data-untranslated" not in page
