"""One number, percent and date format per language: the CLDR conventions, written by hand.

English groups thousands with a comma and writes the percent sign close ("6,749",
"73.7%"); Russian groups with a no-break space, uses a decimal comma and puts a
no-break space before the percent sign ("6 749", "73,7 %"). Every page, chart and
report goes through azyl.i18n.formats, so the same figure reads the same everywhere.
"""

from __future__ import annotations

from datetime import date

import pytest

from azyl import charts
from azyl.i18n import formats
from azyl.web import figures

NBSP = "\u00a0"
#: CLDR's Russian long date ends "2026 г." with a narrow no-break space before "г.".


@pytest.mark.parametrize(
    ("value", "lang", "digits", "expected"),
    [
        (6749, "en", 0, "6,749"),
        (6749, "ru", 0, f"6{NBSP}749"),
        (15169, "ru", 0, f"15{NBSP}169"),
        (239937, "en", 0, "239,937"),
        (5, "ru", 0, "5"),
        (0.5, "en", 1, "0.5"),
        (0.5, "ru", 1, "0,5"),
    ],
)
def test_numbers_are_grouped_as_the_language_writes_them(
    value: float, lang: str, digits: int, expected: str
) -> None:
    assert formats.number(value, lang, digits) == expected


@pytest.mark.parametrize(
    ("value", "lang", "digits", "expected"),
    [
        (0.737, "en", 1, "73.7%"),
        (0.737, "ru", 1, f"73,7{NBSP}%"),
        (0.064, "en", 1, "6.4%"),
        (0.064, "ru", 1, f"6,4{NBSP}%"),
        (1.0, "en", 0, "100%"),
        (1.0, "ru", 0, f"100{NBSP}%"),
        (0.0, "ru", 1, f"0,0{NBSP}%"),
    ],
)
def test_percentages_follow_the_language(
    value: float, lang: str, digits: int, expected: str
) -> None:
    assert formats.percent(value, lang, digits) == expected


def test_an_absent_figure_is_a_dash_in_both_languages() -> None:
    assert formats.number(None, "en") == formats.percent(None, "ru") == "–"


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", "December 6, 2026"), ("ru", "6 декабря 2026\u202fг.")]
)
def test_dates_are_written_in_full_in_the_language(lang: str, expected: str) -> None:
    assert formats.day(date(2026, 12, 6), lang) == expected


def test_an_iso_date_string_is_written_in_full_and_partial_dates_are_kept() -> None:
    assert formats.day("2022-02-24", "en") == "February 24, 2022"
    assert formats.day("2022-02-24", "ru") == "24 февраля 2022\u202fг."
    assert formats.day("2015-06", "ru") == "2015-06"


def test_charts_write_percentages_and_counts_in_the_readers_language() -> None:
    lottery = {
        "origin": "RUS",
        "year": 2025,
        "rate": "protection_rate",
        "rows": [{"destination": "DEU", "rate": 0.064, "low": 0.059, "high": 0.07,
                  "decisions": 6749, "small_n": False}],
    }  # fmt: skip
    russian = figures.lottery_bars(lottery, "ru")
    english = figures.lottery_bars(lottery, "en")
    assert f"n = 6{NBSP}749" in russian and f"6,4{NBSP}%" in russian and f"25{NBSP}%" in russian
    assert "n = 6,749" in english and "6.4%" in english and ">25%<" in english


def test_the_legend_of_a_map_writes_its_scale_in_the_language() -> None:
    svg = charts.europe_map({}, title="t", desc="d", legend_label="Rate", no_data="x", lang="ru")
    assert f">50{NBSP}%<" in svg and ">50 %<" not in svg


def test_a_narrow_time_series_puts_its_key_below_the_plot() -> None:
    lines = [charts.Series(label="Российская Федерация", points=[(2020, 0.5, 0.4, 0.6)])]
    svg = charts.time_series(lines, title="t", desc="d", axis_label="Доля", width=360)
    assert 'viewBox="0 0 360 348"' in svg  # 320 for the plot, one 20 px row of key, 8 px
    assert '<text x="70" y="331" font-size="12">Российская Федерация</text>' in svg
