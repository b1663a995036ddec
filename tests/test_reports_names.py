"""How a report names the evidence it cites: incidents by date and target, in its language."""

from __future__ import annotations

from azyl.reports.model import Report

RETURNEE = {"name": None, "label": "Chechen returnee", "label_ru": "Вернувшийся чеченец"}
LABELLED = {"id": "x", "date": "2015-01-01", "target": RETURNEE}
NAMED = {"id": "y", "date": "2021-03-25",
         "target": {"name": "Izzat Amon", "label": None, "label_ru": None}}  # fmt: skip
SPELLED = {"id": "w", "date": "2021-12-30",
           "target": {"name": "Chorshanbe Chorshanbiev", "name_ru": "Чоршанбе Чоршанбиев",
                      "label": None, "label_ru": None}}  # fmt: skip
UNTRANSLATED = {"id": "z", "date": "2016-01-01",
                "target": {"name": None, "label": "Someone", "label_ru": None}}  # fmt: skip


def _report(lang: str) -> Report:
    appendix = {"facts": [], "incidents": [LABELLED, NAMED, UNTRANSLATED, SPELLED]}
    return Report(assessment={}, case=None, lang=lang, extra={"appendix": appendix})


def test_a_russian_report_names_a_labelled_target_in_russian() -> None:
    report = _report("ru")
    assert report.incident_name("x") == "2015-01-01, Вернувшийся чеченец"
    assert report.incident_name("y") == "2021-03-25, Izzat Amon"  # no Russian spelling: as written
    assert report.incident_name("w") == "2021-12-30, Чоршанбе Чоршанбиев"
    assert report.incident_name("z") == "2016-01-01, Someone"  # no Russian label: as written


def test_an_english_report_keeps_the_english_label() -> None:
    assert _report("en").incident_name("x") == "2015-01-01, Chechen returnee"
    assert _report("en").incident_name("w") == "2021-12-30, Chorshanbe Chorshanbiev"


def _cited(fact_id: str, title: str, date: str | None, pinpoint: str) -> dict[str, object]:
    return {"id": fact_id, "citations": [{"title": title, "date": date, "pinpoint": pinpoint}]}


def test_facts_of_one_source_are_told_apart_by_their_pinpoints() -> None:
    """Four facts of one long report read as the same line four times in a report's
    evidence and appendix headings; where a title and date are shared, the pinpoint in the
    source says which passage each fact rests on."""
    facts = [
        _cited("a", "Closing the Door", "2017-12-04", "fn 138"),
        _cited("b", "Closing the Door", "2017-12-04", "fn 142"),
        _cited("c", "Alone", "2020-01-01", "para. 3"),
        _cited("d", "Undated", None, "art. 3"),
        _cited("e", "Spain and Finland", "2017-12-04", "fn 142"),
        _cited("f", "Spain and Finland", "2017-12-04", "fn 142"),
    ]
    report = Report(assessment={}, case=None, lang="en", extra={"appendix": {"facts": facts}})
    assert report.fact_name("a") == "Closing the Door (2017-12-04), fn 138"
    assert report.fact_name("b") == "Closing the Door (2017-12-04), fn 142"
    assert report.fact_name("c") == "Alone (2020-01-01)"
    assert report.fact_name("d") == "Undated"
    # Two facts on one passage (Spain's and Finland's releases, one footnote): their ids.
    assert report.fact_name("e") == "Spain and Finland (2017-12-04), fn 142 (e)"
    assert report.fact_name("f") == "Spain and Finland (2017-12-04), fn 142 (f)"
