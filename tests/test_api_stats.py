"""/api/lottery, /api/rates, /api/heatmap, /api/definitions, /api/provenance on the real data.

Expected values come from independent computations (the Wilson formula written
out here, rank order, rate times decisions), never from azyl's own output.
"""

from __future__ import annotations

import pytest

from azyl.config import Settings
from webtools import assert_error, assert_success, client_for


def test_lottery_ranks_destinations_by_rate_with_intervals(built_settings: Settings) -> None:
    body = client_for(built_settings).get("/api/lottery?origin=RUS&year=2015").json()
    assert_success(body)
    data = body["data"]
    assert data["origin"] == "RUS" and data["year"] == 2015
    ranked = [r for r in data["rows"] if r["rank"]]
    rates = [r["rate"] for r in ranked]
    assert rates == sorted(rates, reverse=True)
    for row in ranked:
        assert row["decisions"] >= 50
        assert row["low"] <= row["rate"] <= row["high"]
        assert row["positive"] == pytest.approx(row["rate"] * row["decisions"], abs=0.5)
    assert body["meta"]["provenance"] and body["meta"]["provenance"][0]["sha256"]


def test_lottery_defaults_to_the_latest_year_with_decisions(built_settings: Settings) -> None:
    data = client_for(built_settings).get("/api/lottery?origin=Russia").json()["data"]
    assert data["year"] == max(data["years"])


def test_a_wilson_interval_matches_an_independent_computation(built_settings: Settings) -> None:
    import math

    row = client_for(built_settings).get("/api/lottery?origin=RUS&year=2015").json()["data"]
    first = next(r for r in row["rows"] if r["rank"] == 1)
    n, p, z = first["decisions"], first["rate"], 1.959964
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert first["low"] == pytest.approx(centre - half, abs=1e-9)
    assert first["high"] == pytest.approx(centre + half, abs=1e-9)


def test_rates_give_one_series_per_destination(built_settings: Settings) -> None:
    body = client_for(built_settings).get("/api/rates?origin=RUS&destination=DEU").json()
    assert_success(body)
    (line,) = body["data"]["series"]
    years = [p["year"] for p in line["points"]]
    assert line["destination"] == "DEU" and years == sorted(years)


def test_heatmap_rows_are_fsu_origins(built_settings: Settings) -> None:
    data = client_for(built_settings).get("/api/heatmap?year=2015").json()["data"]
    assert set(data["origins"]) <= {
        "RUS", "UKR", "BLR", "MDA", "GEO", "ARM", "AZE", "KAZ", "KGZ", "TJK", "TKM", "UZB",
    }  # fmt: skip
    assert len(data["values"]) == len(data["origins"])
    assert all(len(row) == len(data["destinations"]) for row in data["values"])


def test_definitions_name_the_protection_rate(built_settings: Settings) -> None:
    data = client_for(built_settings).get("/api/definitions").json()["data"]
    names = {d["name"]: d["definition"] for d in data}
    assert "recognized + complementary" in names["protection_rate"]


def test_provenance_lists_each_file_with_sha256_and_licence(built_settings: Settings) -> None:
    data = client_for(built_settings).get("/api/provenance").json()["data"]
    assert data and all(len(p["sha256"]) == 64 and p["licence"] for p in data)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("/api/lottery?year=1960", "invalid_input"),
        ("/api/lottery?rate=approval", "invalid_input"),
        ("/api/rates?origin=Narnia", "unknown_country"),
    ],
)
def test_bad_statistics_questions_are_4xx(built_settings: Settings, url: str, code: str) -> None:
    response = client_for(built_settings).get(url)
    assert 400 <= response.status_code < 500
    assert_error(response.json(), code)


def test_without_a_built_database_the_atlas_says_how_to_build_it(settings: Settings) -> None:
    response = client_for(settings).get("/api/lottery")
    assert response.status_code == 503
    assert_error(response.json(), "not_available")
    assert "azyl build" in response.json()["error"]["message"]


def test_atlas_page_shows_the_figures_and_downloads(built_settings: Settings) -> None:
    client = client_for(built_settings)
    html = client.get("/?origin=TJK&year=2015").text
    assert "<svg" in html and "/atlas/lottery.csv?" in html
    assert '<img src="/atlas/map.svg?' in html and '<img src="/atlas/series.svg?' in html
    csv = client.get("/atlas/lottery.csv?origin=TJK&year=2015").text.splitlines()
    assert csv[0].startswith("origin,year,rate_name,destination,decisions")
    assert client.get("/atlas/map.svg?origin=TJK&year=2015").text.startswith("<svg")
    assert client.get("/atlas/lottery.png?origin=TJK&year=2015").content[:4] == b"\x89PNG"


def test_computed_answers_are_kept_in_a_bounded_table(settings: Settings) -> None:
    from azyl.web import services as services_module

    svc = services_module.Services(settings)
    size = services_module.MEMO_SIZE
    for i in range(size + 10):
        svc.remember(("k", i), lambda i=i: i)
    assert len(svc._memo) == size
    assert svc.remember(("k", size + 9), lambda: "recomputed") == size + 9  # still kept
    assert svc.remember(("k", 0), lambda: "recomputed") == "recomputed"  # the oldest was dropped
