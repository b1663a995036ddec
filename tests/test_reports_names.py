"""How a report names the evidence it cites: incidents by date and target, in its language."""

from __future__ import annotations

from azyl.reports.model import Report

RETURNEE = {"name": None, "label": "Chechen returnee", "label_ru": "Вернувшийся чеченец"}
LABELLED = {"id": "x", "date": "2015-01-01", "target": RETURNEE}
NAMED = {"id": "y", "date": "2021-03-25",
         "target": {"name": "Izzat Amon", "label": None, "label_ru": None}}  # fmt: skip
UNTRANSLATED = {"id": "z", "date": "2016-01-01",
                "target": {"name": None, "label": "Someone", "label_ru": None}}  # fmt: skip


def _report(lang: str) -> Report:
    appendix = {"facts": [], "incidents": [LABELLED, NAMED, UNTRANSLATED]}
    return Report(assessment={}, case=None, lang=lang, extra={"appendix": appendix})


def test_a_russian_report_names_a_labelled_target_in_russian() -> None:
    report = _report("ru")
    assert report.incident_name("x") == "2015-01-01, Вернувшийся чеченец"
    assert report.incident_name("y") == "2021-03-25, Izzat Amon"  # a name is never translated
    assert report.incident_name("z") == "2016-01-01, Someone"  # no Russian label: as written


def test_an_english_report_keeps_the_english_label() -> None:
    assert _report("en").incident_name("x") == "2015-01-01, Chechen returnee"
