"""A report names the years of the figures it used, never a year derived from its date.

A screening as of 1 January 1990 found no figure (the UNHCR data begin in 2000); its
report must not say "statistics up to 1989".
"""

from __future__ import annotations

from azyl.reports import build_report, render
from webtools import assessment_fixture


def test_a_report_names_the_year_of_the_figures_it_used() -> None:
    data = assessment_fixture()
    used = [d["statistics"]["year"] for d in data["destinations"] if d.get("statistics")]
    text = render(build_report(data), "markdown").content.decode()
    assert f"statistics of {max(used)}" in text
    assert "statistics up to" not in text


def test_an_early_screening_with_no_figure_names_no_year() -> None:
    data = assessment_fixture()
    data["trace"]["as_of"] = "1990-01-01"
    data["trace"]["statistics_up_to"] = 1989
    for destination in data["destinations"]:
        destination["statistics"] = None
    for lang in ("en", "ru"):
        for fmt in ("markdown", "html"):
            text = render(build_report(data, lang=lang), fmt).content.decode()
            assert "1989" not in text, (lang, fmt)
    english = render(build_report(data), "markdown").content.decode()
    assert "no published statistics for this nationality were at hand for this date" in english
