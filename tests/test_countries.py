"""Country codes: ISO alpha-3 out, alpha-2 / alpha-3 / English names and publisher quirks in."""

from __future__ import annotations

from datetime import date

import pytest

from azyl import countries
from azyl.errors import UnknownCountry


@pytest.mark.parametrize(
    ("text", "alpha3"),
    [
        ("RUS", "RUS"),
        ("ru", "RUS"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("EL", "GRC"),
        ("UK", "GBR"),
        ("United Kingdom", "GBR"),
        ("Germany (until 1990 former territory of the FRG)", "DEU"),
        ("Kosovo (under United Nations Security Council Resolution 1244/99)", "XKX"),
        ("Moldova", "MDA"),
        ("Czech Republic", "CZE"),
        ("Türkiye", "TUR"),
        ("NA", "NAM"),  # Namibia, not a missing value
    ],
)
def test_resolves_codes_names_and_publisher_quirks(text: str, alpha3: str) -> None:
    assert countries.alpha3(text) == alpha3


def test_unknown_country_suggests_close_names() -> None:
    with pytest.raises(UnknownCountry) as caught:
        countries.resolve("Tajikstan")
    assert "TJK (Tajikistan)" in caught.value.message
    assert caught.value.details["suggestions"] == ["TJK (Tajikistan)"]


def test_regions_are_iso_3166_2() -> None:
    assert countries.is_region("RU-CE")
    assert countries.is_region("UA-43")
    assert not countries.is_region("RU-XX")
    assert countries.region_country("RU-CE") == "RUS"


def test_eu_membership_follows_the_date() -> None:
    assert "GBR" in countries.eu_members(date(2019, 12, 31))
    assert "GBR" not in countries.eu_members(date(2020, 2, 1))
    assert "HRV" not in countries.eu_members(date(2013, 6, 30))
    assert "HRV" in countries.expand("EU", date(2013, 7, 1))
    assert len(countries.eu_members(date(2024, 1, 1))) == 27
    assert countries.expand("NOR", date(2024, 1, 1)) == frozenset({"NOR"})


def test_lookup_remembers_short_texts_only() -> None:
    """A name read again (every label export names the same states) is matched once; a
    long text, which only a user would type, is matched but never kept."""
    countries._remembered.cache_clear()
    for _ in range(3):
        assert countries.lookup("Russian Federation") == countries.Country(
            "RUS", "RU", "Russian Federation"
        )
    info = countries._remembered.cache_info()
    assert (info.misses, info.hits, info.currsize) == (1, 2, 1)
    long_name = "Russian Federation" + " " * 200
    assert countries.lookup(long_name) == countries.lookup("Russian Federation")
    assert countries._remembered.cache_info().currsize == 1


def test_lookup_forget_starts_cold_and_still_answers() -> None:
    """The benchmark forgets the memos between builds; lookups then match afresh, the same."""
    assert countries.lookup("Tajikistan") == countries.lookup("TJK")
    countries.lookup_forget()
    assert countries._remembered.cache_info().currsize == 0
    assert countries._index.cache_info().currsize == 0
    assert countries.lookup("Tajikistan") == countries.Country("TJK", "TJ", "Tajikistan")
    assert countries._remembered.cache_info().misses == 1
