"""Country codes: ISO 3166 everywhere, and the publishers' quirks translated once.

Storage and output use ISO 3166-1 alpha-3 (`RUS`, `DEU`); inputs accept
alpha-2, alpha-3 and English names. Subnational regions use ISO 3166-2
(`RU-CE` Chechnya, `UA-43` Crimea). Eurostat writes Greece as `EL` and the
United Kingdom as `UK`, and its older label-based exports use names such as
"Germany (until 1990 former territory of the FRG)"; those quirks are resolved
here and nowhere else.

The knowledge base also speaks of organisations that act like states in law
(the EU concludes readmission agreements; INTERPOL issues notices). They have
short codes of their own (`EU`, `INTERPOL`, ...) that never collide with ISO.
"""

from __future__ import annotations

import difflib
import gettext
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

import pycountry

from azyl.errors import UnknownCountry


@dataclass(frozen=True, order=True)
class Country:
    """A state, by its ISO 3166-1 codes and English short name."""

    alpha3: str
    alpha2: str
    name: str


#: The twelve post-Soviet origin states azyl is built around (Baltic states excluded).
FSU_ORIGINS: tuple[str, ...] = (
    "RUS", "UKR", "BLR", "MDA", "GEO", "ARM", "AZE", "KAZ", "KGZ", "TJK", "TKM", "UZB",
)  # fmt: skip

#: Organisations and groupings that appear as actors in the knowledge base.
ORGANISATIONS: dict[str, str] = {
    "EU": "European Union",
    "COE": "Council of Europe",
    "CIS": "Commonwealth of Independent States",
    "SCO": "Shanghai Cooperation Organisation",
    "INTERPOL": "International Criminal Police Organization (INTERPOL)",
    "UN": "United Nations",
    "CSTO": "Collective Security Treaty Organization",
}

#: EU membership as (alpha-3, joined, left). Source: European Union, "EU countries"
#: (european-union.europa.eu, "Country profiles"), and the Withdrawal Agreement
#: (OJ L 29, 31.1.2020) for the United Kingdom's departure on 31 January 2020.
EU_MEMBERSHIP: tuple[tuple[str, date, date | None], ...] = (
    ("BEL", date(1958, 1, 1), None), ("DEU", date(1958, 1, 1), None),
    ("FRA", date(1958, 1, 1), None), ("ITA", date(1958, 1, 1), None),
    ("LUX", date(1958, 1, 1), None), ("NLD", date(1958, 1, 1), None),
    ("DNK", date(1973, 1, 1), None), ("IRL", date(1973, 1, 1), None),
    ("GBR", date(1973, 1, 1), date(2020, 1, 31)), ("GRC", date(1981, 1, 1), None),
    ("ESP", date(1986, 1, 1), None), ("PRT", date(1986, 1, 1), None),
    ("AUT", date(1995, 1, 1), None), ("FIN", date(1995, 1, 1), None),
    ("SWE", date(1995, 1, 1), None), ("CYP", date(2004, 5, 1), None),
    ("CZE", date(2004, 5, 1), None), ("EST", date(2004, 5, 1), None),
    ("HUN", date(2004, 5, 1), None), ("LVA", date(2004, 5, 1), None),
    ("LTU", date(2004, 5, 1), None), ("MLT", date(2004, 5, 1), None),
    ("POL", date(2004, 5, 1), None), ("SVK", date(2004, 5, 1), None),
    ("SVN", date(2004, 5, 1), None), ("BGR", date(2007, 1, 1), None),
    ("ROU", date(2007, 1, 1), None), ("HRV", date(2013, 7, 1), None),
)  # fmt: skip

# Codes the publishers use that are not ISO 3166-1 alpha-2.
_PUBLISHER_ALPHA2 = {"EL": "GRC", "UK": "GBR", "XK": "XKX"}

# Names (normalised) that pycountry does not know, as publishers and people write them.
_EXTRA_NAMES = {
    "russia": "RUS",
    "moldova": "MDA",
    "kosovo": "XKX",
    "czech republic": "CZE",
    "czechia": "CZE",
    "turkey": "TUR",
    "turkiye": "TUR",
    "macedonia": "MKD",
    "former yugoslav republic of macedonia": "MKD",
    "north macedonia": "MKD",
    "great britain": "GBR",
    "britain": "GBR",
    "united kingdom": "GBR",
    "england": "GBR",
    "holland": "NLD",
    "the netherlands": "NLD",
    "kyrgyzstan": "KGZ",
    "kirghizstan": "KGZ",
    "belorussia": "BLR",
    "byelorussia": "BLR",
    "iran": "IRN",
    "syria": "SYR",
    "vietnam": "VNM",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "tanzania": "TZA",
    "south korea": "KOR",
    "north korea": "PRK",
    "laos": "LAO",
    "palestine": "PSE",
    "ivory coast": "CIV",
    "cape verde": "CPV",
    "swaziland": "SWZ",
    "congo democratic republic": "COD",
    "democratic republic of the congo": "COD",
    "congo": "COG",
}

#: Russian short names people type that differ from the ISO names' translations.
_RUSSIAN_NAMES: dict[str, str] = {
    "Россия": "RUS",
    "Беларусь": "BLR",
    "Белоруссия": "BLR",
    "Молдова": "MDA",
    "Молдавия": "MDA",
    "Киргизия": "KGZ",
    "Кыргызстан": "KGZ",
    "Великобритания": "GBR",
    "Соединённое Королевство": "GBR",
    "США": "USA",
    "Соединённые Штаты": "USA",
    "ОАЭ": "ARE",
    "Чехия": "CZE",
    "Южная Корея": "KOR",
    "Северная Корея": "PRK",
    "Иран": "IRN",
    "Сирия": "SYR",
    "Вьетнам": "VNM",
    "Косово": "XKX",
}

# Kosovo has no ISO 3166-1 code; XKX is the user-assigned code the EU and UNHCR use.
_KOSOVO = Country("XKX", "XK", "Kosovo")


def _normalise(text: str) -> str:
    """Lower-case, strip accents, parentheticals and punctuation, for name matching.

    Latin and Cyrillic letters are kept (accents and the Russian breve and
    diaeresis are dropped on both sides alike: "Côte", "Россия", "Молдова")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\(.*?\)", " ", text.lower())
    text = re.sub(r",\s*the$", "", text.strip())
    text = re.sub(r"[^a-z\u0430-\u044f ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@cache
def _index() -> tuple[dict[str, Country], dict[str, Country]]:
    """Lookup tables by code (alpha-2 and alpha-3) and by normalised name."""
    by_code: dict[str, Country] = {"XK": _KOSOVO, "XKX": _KOSOVO}
    by_name: dict[str, Country] = {"kosovo": _KOSOVO}
    for c in pycountry.countries:
        country = Country(c.alpha_3, c.alpha_2, getattr(c, "common_name", None) or c.name)
        by_code[c.alpha_2] = by_code[c.alpha_3] = country
        for attr in ("name", "common_name", "official_name"):
            if value := getattr(c, attr, None):
                by_name.setdefault(_normalise(value), country)
    for code, alpha3 in _PUBLISHER_ALPHA2.items():
        by_code.setdefault(code, by_code[alpha3])
    for name, alpha3 in _EXTRA_NAMES.items():
        by_name[_normalise(name)] = by_code[alpha3]
    russian = _russian()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if (value := getattr(c, attr, None)) and (translated := russian.gettext(value)):
                by_name.setdefault(_normalise(translated), by_code[c.alpha_3])
    for name, alpha3 in _RUSSIAN_NAMES.items():
        by_name[_normalise(name)] = by_code[alpha3]
    return by_code, by_name


def _russian() -> gettext.NullTranslations:
    """pycountry's Russian names of states and subdivisions (the iso-codes project)."""
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    except OSError:
        return gettext.NullTranslations()


#: Texts up to this length are remembered by `lookup` (pycountry's longest name has 52).
_REMEMBERED_LENGTH = 100


def lookup(text: str) -> Country | None:
    """The country a code or English name denotes, or None.

    Short texts are remembered: every label export names the same two hundred
    states again, and the name matching (accents, punctuation, parentheticals)
    is the costly part of reading their labels. Texts typed by users come here
    too, so the memory is bounded in entries and in length.
    """
    return _remembered(text) if len(text) <= _REMEMBERED_LENGTH else _match(text)


def _match(text: str) -> Country | None:
    by_code, by_name = _index()
    raw = text.strip()
    if raw.upper() in by_code and len(raw) in (2, 3):
        return by_code[raw.upper()]
    return by_name.get(_normalise(raw))


_remembered = lru_cache(maxsize=4096)(_match)


def lookup_forget() -> None:
    """Forget what `lookup` remembered and its index (a benchmark measures cold lookups)."""
    _remembered.cache_clear()
    _index.cache_clear()


def resolve(text: str) -> Country:
    """Resolve alpha-2, alpha-3 or a name; raise UnknownCountry with suggestions."""
    if country := lookup(text):
        return country
    _, by_name = _index()
    close = difflib.get_close_matches(_normalise(text), list(by_name), n=3, cutoff=0.75)
    names = {by_name[n].alpha3: by_name[n].name for n in close}
    codes = sorted(names)
    hints = [f"{code} ({names[code]})" for code in codes]
    tail = f"; did you mean {', '.join(hints)}?" if hints else ""
    # `codes` lets a page name the suggestions in its own language (azyl.i18n.message).
    raise UnknownCountry(
        f"unknown country {text!r}: use an ISO 3166 code (RUS, RU) or a name in English or "
        f"Russian{tail}",
        {"input": text, "suggestions": hints, "codes": codes},
    )


def alpha3(text: str) -> str:
    """Shorthand: the ISO alpha-3 code for a code or name (raises UnknownCountry)."""
    return resolve(text).alpha3


def name(code: str) -> str:
    """English name for an alpha-3 code or organisation code; the code itself if unknown."""
    if code in ORGANISATIONS:
        return ORGANISATIONS[code]
    country = lookup(code)
    return country.name if country else code


def is_state_or_organisation(code: str) -> bool:
    """True for an ISO alpha-3 code or one of the organisation codes."""
    return code in ORGANISATIONS or (len(code) == 3 and lookup(code) is not None)


def _subdivision(code: str) -> Any:
    """pycountry's record for an ISO 3166-2 code, or None."""
    return pycountry.subdivisions.get(code=code.upper())  # type: ignore[no-untyped-call]


def is_region(code: str) -> bool:
    """True for an ISO 3166-2 subdivision code such as RU-CE or UA-43."""
    return _subdivision(code) is not None


def region_name(code: str) -> str:
    """English name of an ISO 3166-2 subdivision; the code itself if unknown."""
    sub = _subdivision(code)
    return str(sub.name) if sub else code


#: Short names of the regions the knowledge base names, as people write them; the ISO
#: names ("Chechenskaya Respublika") are matched as well, in English and Russian.
_REGION_NAMES: dict[str, str] = {
    "chechnya": "RU-CE",
    "чечня": "RU-CE",
    "dagestan": "RU-DA",
    "дагестан": "RU-DA",
    "ingushetia": "RU-IN",
    "ингушетия": "RU-IN",
    "kabardino-balkaria": "RU-KB",
    "кабардино-балкария": "RU-KB",
    "crimea": "UA-43",
    "крым": "UA-43",
    "karakalpakstan": "UZ-QR",
    "каракалпакстан": "UZ-QR",
    "gorno-badakhshan": "TJ-GB",
    "горно-бадахшан": "TJ-GB",
    "pamir": "TJ-GB",
    "памир": "TJ-GB",
    "abkhazia": "GE-AB",
    "абхазия": "GE-AB",
}


#: The common names shown for those regions, by language.
_REGION_DISPLAY: dict[str, dict[str, str]] = {
    "RU-CE": {"en": "Chechnya", "ru": "Чечня"},
    "RU-DA": {"en": "Dagestan", "ru": "Дагестан"},
    "RU-IN": {"en": "Ingushetia", "ru": "Ингушетия"},
    "RU-KB": {"en": "Kabardino-Balkaria", "ru": "Кабардино-Балкария"},
    "UA-43": {"en": "Crimea", "ru": "Крым"},
    "UZ-QR": {"en": "Karakalpakstan", "ru": "Каракалпакстан"},
    "TJ-GB": {"en": "Gorno-Badakhshan", "ru": "Горно-Бадахшан"},
    "GE-AB": {"en": "Abkhazia", "ru": "Абхазия"},
}


def region_common_name(code: str, lang: str) -> str | None:
    """The common name of a region people know by it (Chechnya, Чечня), or None."""
    return _REGION_DISPLAY.get(code, {}).get(lang)


@cache
def _region_index() -> dict[str, str]:
    """Normalised region names (ISO English and Russian, and common short names) to codes."""
    russian: gettext.NullTranslations
    try:
        russian = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ru"])
    except OSError:
        russian = gettext.NullTranslations()
    index: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        for name in (sub.name, russian.gettext(sub.name)):
            index.setdefault(_normalise(name), sub.code)
    index.update((_normalise(name), code) for name, code in _REGION_NAMES.items())
    return index


def region_code(text: str) -> str | None:
    """The ISO 3166-2 code of a region written as a code (RU-CE) or a name (Chechnya, Чечня)."""
    raw = text.strip()
    if is_region(raw):
        return raw.upper()
    return _region_index().get(_normalise(raw))


def region_country(code: str) -> str:
    """The alpha-3 code of the state a subdivision belongs to (RU-CE -> RUS)."""
    return alpha3(code.split("-", 1)[0])


def eu_members(on: date) -> frozenset[str]:
    """EU member states on a date."""
    return frozenset(
        code
        for code, joined, left in EU_MEMBERSHIP
        if joined <= on and (left is None or on <= left)
    )


#: States bound by the Dublin system besides the EU members, as (alpha-3, from, until):
#: Norway and Iceland (association agreement applied from 25 March 2001), Switzerland
#: (12 December 2008) and Liechtenstein (19 December 2011). The United Kingdom stayed
#: bound until the end of the Brexit transition period, 31 December 2020.
DUBLIN_ASSOCIATES: tuple[tuple[str, date, date | None], ...] = (
    ("NOR", date(2001, 3, 25), None),
    ("ISL", date(2001, 3, 25), None),
    ("CHE", date(2008, 12, 12), None),
    ("LIE", date(2011, 12, 19), None),
    ("GBR", date(2020, 2, 1), date(2020, 12, 31)),
)
#: The Dublin Convention, the first of the Dublin instruments, entered into force on
#: 1 September 1997; before that no state was bound.
DUBLIN_START = date(1997, 9, 1)


def dublin_states(on: date) -> frozenset[str]:
    """States bound by the Dublin rules on a date: EU members plus the associated states."""
    if on < DUBLIN_START:
        return frozenset()
    associates = {
        code for code, start, end in DUBLIN_ASSOCIATES if start <= on and (end is None or on <= end)
    }
    return eu_members(on) | associates


#: The 46 member states of the Council of Europe, all parties to the European Convention
#: on Human Rights (Council of Europe, "46 Member States"). Russia, bound since it ratified
#: the Convention on 5 May 1998, was excluded from the Council of Europe on 16 March 2022
#: and ceased to be a party to the Convention on 16 September 2022 (Committee of
#: Ministers Resolution CM/Res(2022)3).
ECHR_MEMBERS: frozenset[str] = frozenset(
    (
        "ALB", "AND", "ARM", "AUT", "AZE", "BEL", "BIH", "BGR", "HRV", "CYP", "CZE", "DNK",
        "EST", "FIN", "FRA", "GEO", "DEU", "GRC", "HUN", "ISL", "IRL", "ITA", "LVA", "LIE",
        "LTU", "LUX", "MLT", "MDA", "MCO", "MNE", "NLD", "MKD", "NOR", "POL", "PRT", "ROU",
        "SMR", "SRB", "SVK", "SVN", "ESP", "SWE", "CHE", "TUR", "UKR", "GBR",
    )
)  # fmt: skip
RUSSIA_JOINED_ECHR = date(1998, 5, 5)
RUSSIA_LEFT_ECHR = date(2022, 9, 16)


def echr_party(code: str, on: date) -> bool:
    """True when the state is bound by the ECHR on that date.

    Exact from 2006 (every current member was bound by then); for earlier dates the
    current membership is assumed, which is right for every state azyl screens from
    except the late joiners in the Balkans and the Caucasus (joined 1999-2006).
    """
    if code == "RUS":
        return RUSSIA_JOINED_ECHR <= on < RUSSIA_LEFT_ECHR
    return code in ECHR_MEMBERS


#: Destination scopes of the asylum lottery: every country of asylum, or Europe.
SCOPES: dict[str, str] = {
    "all": "every country of asylum that reported decisions",
    "europe": (
        "EU+ (the EU member states, Iceland, Liechtenstein, Norway, Switzerland) and the "
        "United Kingdom"
    ),
}


def in_scope(code: str, scope: str, on: date) -> bool:
    """Whether a country of asylum belongs to a lottery scope on a date.

    "europe" is the common European asylum area the founding documents compare
    (the states bound by the Dublin rules) plus the United Kingdom, which they
    discuss alongside it; it is the same set for every year from 1997.
    """
    if scope == "all":
        return True
    if scope == "europe":
        return code == "GBR" or code in dublin_states(max(on, DUBLIN_START))
    raise ValueError(f"unknown scope {scope!r}")


def expand(code: str, on: date) -> frozenset[str]:
    """A state stands for itself; the EU stands for its members on that date."""
    return eu_members(on) if code == "EU" else frozenset({code})
