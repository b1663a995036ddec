"""Rates: recomputed independently from the raw UNHCR file, intervals, errors, sources."""

from __future__ import annotations

import csv
import gzip
import math
from pathlib import Path

import pytest

from azyl.countries import FSU_ORIGINS
from azyl.errors import InputError, NoData, UnknownCountry
from azyl.stats import DEFINITIONS, available_years, rates, series, wilson
from azyl.store.queries import StatsStore
from unhcr_reference import first_instance_cells, protection_rate


def test_rates_match_an_independent_recomputation_from_the_raw_file(
    store: StatsStore, raw_unhcr_decisions: list[dict[str, str]]
) -> None:
    reference = first_instance_cells(raw_unhcr_decisions)
    compared = 0
    for origin in FSU_ORIGINS:
        rows = rates(store, origin, source="UNHCR").rows
        expected = {k: v for k, v in reference.items() if k[0] == origin}
        assert {(r.origin, r.asylum, r.year) for r in rows} == set(expected)
        for r in rows:
            cell = expected[(r.origin, r.asylum, r.year)]
            assert (r.recognized, r.complementary, r.rejected, r.closed) == (
                cell["dec_recognized"], cell["dec_other"], cell["dec_rejected"], cell["dec_closed"],
            )  # fmt: skip
            assert r.protection_rate == pytest.approx(protection_rate(cell))
            compared += 1
    assert compared > 2000


def test_wilson_interval_matches_the_closed_form() -> None:
    # 0 of n: the upper bound is z^2 / (n + z^2); 5 of 10 is symmetric about 0.5.
    z = 1.959963984540054
    low, high = wilson(0, 10) or (None, None)
    assert low == 0.0 and high == pytest.approx(z * z / (10 + z * z))
    low, high = wilson(5, 10) or (None, None)
    assert low == pytest.approx(1 - high)
    assert high == pytest.approx((0.5 + z * z / 20 + z * math.sqrt(0.025 + z * z / 400)) /
                                 (1 + z * z / 10))  # fmt: skip
    assert wilson(0, 0) is None


def test_every_rate_has_an_interval_that_contains_it(store: StatsStore) -> None:
    for r in rates(store, "RUS").rows:
        if r.protection_rate is None:
            assert r.total_decided == 0
            continue
        low, high = r.protection_rate_ci or (2.0, -1.0)
        assert low <= r.protection_rate <= high


def test_small_numbers_are_marked_not_hidden(store: StatsStore) -> None:
    rows = rates(store, "RUS", 2016, small_n=100).rows
    assert any(r.small_n for r in rows) and any(not r.small_n for r in rows)
    assert all(r.small_n == (r.total_decided < 100) for r in rows)


def test_unhcr_and_eurostat_are_shown_side_by_side_never_merged(
    store: StatsStore, mirror_dir: Path
) -> None:
    path = mirror_dir / "eurostat/letisouza_knocking-on-france/migr_asydcfsta_asilo.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        raw = {
            r["decision"]: int(r["OBS_VALUE"])
            for r in csv.DictReader(handle)
            if (r["citizen"], r["TIME_PERIOD"], r["sex"], r["age"]) == ("GE", "2016", "T", "TOTAL")
        }
    rows = rates(store, "Georgia", 2016, "France").rows
    assert [r.source for r in rows] == ["UNHCR", "Eurostat"]
    eurostat = rows[1]
    assert eurostat.total_decided == raw["TOTAL_POS"] + raw["REJECTED"]
    assert eurostat.protection_rate == pytest.approx(
        raw["TOTAL_POS"] / (raw["TOTAL_POS"] + raw["REJECTED"])
    )
    assert eurostat.closed is None and eurostat.recognition_rate is None


def test_metadata_carries_definitions_and_provenance(store: StatsStore) -> None:
    result = rates(store, "RUS", 2023)
    assert result.meta["definitions"] == DEFINITIONS
    (record,) = result.meta["provenance"]
    assert record["publisher"] == "UNHCR" and len(record["sha256"]) == 64
    document = result.to_dict()
    assert set(document) == {"data", "meta"}
    row = document["data"][0]
    for key in ("origin", "asylum", "year", "source", "decision_level", "recognized",
                "complementary", "rejected", "closed", "total_decided", "recognition_rate",
                "protection_rate", "protection_rate_ci"):  # fmt: skip
        assert key in row
    assert row["origin"] == "RUS" and len(row["protection_rate_ci"]) == 2


def test_series_and_years_follow_the_data(
    store: StatsStore, raw_unhcr_decisions: list[dict[str, str]]
) -> None:
    reference = first_instance_cells(raw_unhcr_decisions)
    expected = sorted(y for (o, a, y) in reference if (o, a) == ("RUS", "DEU"))
    assert [r.year for r in series(store, "RUS", "DEU")] == expected
    assert available_years(store, "RU") == sorted({y for (o, _, y) in reference if o == "RUS"})


def test_unknown_country_suggests_the_right_one(store: StatsStore) -> None:
    with pytest.raises(UnknownCountry, match="TJK"):
        rates(store, "Tajikstan", 2020)


def test_year_out_of_range_says_what_range_exists(store: StatsStore) -> None:
    with pytest.raises(InputError, match=r"out of range: .*2000–2025"):
        rates(store, "RUS", 1990)


def test_no_data_says_which_years_exist(store: StatsStore) -> None:
    with pytest.raises(NoData, match="years with data"):
        rates(store, "RUS", 2001, "Namibia")


def test_the_latest_year_of_the_unhcr_release_is_marked_provisional(
    store: StatsStore, raw_unhcr_decisions: list[dict[str, str]]
) -> None:
    """The mirror's PROVENANCE.md: the latest vintage "may be provisional"."""
    latest = max(
        int(r["year"]) for r in raw_unhcr_decisions if r["dec_level"] in ("FI", "NA", "FA")
    )
    now = rates(store, "RUS", latest, source="UNHCR")
    assert now.rows and all(r.provisional for r in now.rows)
    assert now.meta["provisional_year"] == {"UNHCR": latest}
    assert all(r.to_dict()["provisional"] is True for r in now.rows)
    before = rates(store, "RUS", latest - 1)
    assert before.rows and not any(r.provisional for r in before.rows)
    eurostat = rates(store, "Georgia", None, "France", source="Eurostat")
    assert eurostat.rows and not any(r.provisional for r in eurostat.rows)
