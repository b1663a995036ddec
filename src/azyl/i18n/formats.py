"""Numbers, percentages, dates and region names in the reader's language (Babel).

One format everywhere in one language: pages, charts' tables and reports all
call these, so "6 749" and "6,4 %" in Russian and "6,749" and "6.4%" in English
are never mixed on a page.
"""

from __future__ import annotations

import gettext
from datetime import date
from functools import cache, lru_cache

import pycountry
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from azyl import countries

#: What an absent figure looks like.
MISSING = "–"


#: Formatted figures kept per (value, language, digits): Babel parses the pattern and reads
#: the locale's symbols on each call, and a report formats the same figures many times.
_KEPT = 8192


@lru_cache(maxsize=_KEPT)
def number(value: float | int | None, lang: str, digits: int = 0) -> str:
    """A number grouped and rounded the way the language writes it."""
    if value is None:
        return MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=lang)


@lru_cache(maxsize=_KEPT)
def percent(value: float | None, lang: str, digits: int = 0) -> str:
    """A share between 0 and 1 as a percentage, in the language's format (its own spacing
    before the sign: "6.4%", "6,4 %")."""
    if value is None:
        return MISSING
    return format_percent(value, format=_percent_pattern(lang, digits), locale=lang)


@cache
def _percent_pattern(lang: str, digits: int) -> str:
    """The language's percent pattern with `digits` decimals (a report formats hundreds)."""
    pattern = str(Locale.parse(lang).percent_formats[None].pattern)
    if digits:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * digits, 1)
    return pattern


def day(value: date | str | None, lang: str) -> str:
    """A date as the language writes it in full (6 December 2026, 6 декабря 2026 г.); an
    ISO date string is read first, and text that is not one (2015, 2015-06) is kept."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            return value
        return format_date(parsed, format="long", locale=lang)
    return format_date(value, format="long", locale=lang)


@cache
def _region_translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    try:
        return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return gettext.NullTranslations()


def region_name(code: str, lang: str) -> str:
    """A region's name in the language: the common name where there is one (Chechnya,
    Чечня), else the ISO 3166-2 name (the code itself if unknown)."""
    common = countries.region_common_name(code, lang)
    if common is not None:
        return common
    return _region_translations(lang).gettext(countries.region_name(code))
