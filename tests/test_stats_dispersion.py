"""The asylum lottery: dispersion figures computed by hand, and ranking on real data."""

from __future__ import annotations

from datetime import date

import pytest

from azyl import countries
from azyl.errors import InputError
from azyl.stats import dispersion, lottery
from azyl.stats.outcomes import make_row
from azyl.stats.records import RateRow
from azyl.store.queries import StatsStore
from unhcr_reference import first_instance_cells, protection_rate


def _row(asylum: str, positive: int, decided: int) -> RateRow:
    return make_row(
        origin="RUS", asylum=asylum, year=2020, source="UNHCR", dataset="asylum-decisions",
        decision_level="FI", basis="persons", procedure_types=("G",), recognized=positive,
        complementary=0, rejected=decided - positive, closed=0, positive=positive,
        total_decided=decided, flags=(), components=(), provenance_id=1, small_n_threshold=30,
    )  # fmt: skip


def test_dispersion_figures_match_a_hand_computation() -> None:
    # Rates 0.1, 0.2, 0.4, 0.8 over 100, 50, 200, 50 decisions.
    rows = [_row("AAA", 10, 100), _row("BBB", 10, 50), _row("CCC", 80, 200), _row("DDD", 40, 50)]
    d = dispersion(rows)
    assert d.highest.rate == pytest.approx(0.8) and d.highest.states == ("DDD",)
    assert d.lowest.rate == pytest.approx(0.1) and d.lowest.states == ("AAA",)
    assert d.ratio == pytest.approx(8.0)
    assert d.range_pp == pytest.approx(70.0)
    # Inclusive quartiles of [0.1, 0.2, 0.4, 0.8]: Q1 = 0.1 + 0.75 * 0.1, Q3 = 0.4 + 0.25 * 0.4.
    assert d.iqr_pp == pytest.approx((0.5 - 0.175) * 100)
    assert d.median == pytest.approx(0.3)
    assert d.weighted_mean == pytest.approx((10 + 10 + 80 + 40) / 400)
    assert d.decisions == 400


def test_a_zero_lowest_rate_has_no_ratio_and_ties_name_every_state() -> None:
    d = dispersion([_row("AAA", 0, 60), _row("BBB", 0, 70), _row("CCC", 30, 60)])
    assert d.ratio is None
    assert d.lowest.states == ("AAA", "BBB")


def test_lottery_ranks_destinations_with_enough_decisions(
    store: StatsStore, raw_unhcr_decisions: list[dict[str, str]]
) -> None:
    result = lottery(store, "RUS", 2016, min_decisions=50)
    ranked = [e for e in result.destinations if e.rank is not None]
    rates_ = [e.row.protection_rate or 0.0 for e in ranked]
    assert rates_ == sorted(rates_, reverse=True)
    assert all(e.row.total_decided >= 50 for e in ranked)
    assert all(not e.included for e in result.destinations if e.row.total_decided < 50)
    reference = {
        a: cell
        for (o, a, y), cell in first_instance_cells(raw_unhcr_decisions).items()
        if (o, y) == ("RUS", 2016)
        and cell["dec_recognized"] + cell["dec_other"] + cell["dec_rejected"] >= 50
    }
    expected_high = max(protection_rate(c) or 0.0 for c in reference.values())
    assert result.dispersion is not None
    assert result.dispersion.highest.rate == pytest.approx(expected_high)
    assert result.dispersion.destinations == len(reference)
    assert set(result.to_dict()["data"]) == {"destinations", "dispersion"}


def test_lottery_refuses_a_non_positive_threshold(store: StatsStore) -> None:
    with pytest.raises(InputError, match="minimum number of decisions must be at least 1"):
        lottery(store, "RUS", 2016, min_decisions=0)


def test_the_europe_scope_keeps_only_eu_plus_and_the_united_kingdom(store: StatsStore) -> None:
    every = lottery(store, "RUS", 2016, 50)
    europe = lottery(store, "RUS", 2016, 50, scope="europe")
    kept = {e.row.asylum for e in europe.destinations}
    allowed = countries.dublin_states(date(2016, 12, 31)) | {"GBR"}
    assert kept == {e.row.asylum for e in every.destinations} & allowed
    assert {"POL", "AUT", "DEU"} <= kept and "CAN" not in kept
    assert europe.meta["query"]["scope"] == "europe"
    # the spread is measured among the European destinations only
    assert europe.dispersion is not None
    assert set(europe.dispersion.highest.states) <= allowed
