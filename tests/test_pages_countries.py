"""Country pages and the countries index, checked against the mirror's own files.

The expected sets are computed here with DuckDB straight from the UNHCR CSV in
the mirror (not through azyl's store or statistics code), and Europe is written
out by hand: the EU's 27 member states since 1 February 2020, the four other
Dublin states (Iceland, Liechtenstein, Norway, Switzerland), and the United Kingdom.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import duckdb
import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from azyl.config import Settings
from azyl.incidents import load_seed
from azyl.stats.records import RateRow
from azyl.stats.rounding import may_be_rounded
from azyl.web.pages.countries import FACT_GROUPS
from azyl.web.pages.incidents import incident_class
from azyl.web.stats_view import spread
from edit_support import app_on
from webtools import client_for

EU_2020 = {
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
}  # fmt: skip
EUROPE_2020 = EU_2020 | {"ISL", "LIE", "NOR", "CHE", "GBR"}
FSU = ("RUS", "UKR", "BLR", "MDA", "GEO", "ARM", "AZE", "KAZ", "KGZ", "TJK", "TKM", "UZB")
FIRST_INSTANCE = ("FI", "NA", "FA")


def _decisions(mirror_dir: Path) -> str:
    path = mirror_dir / "unhcr/PopulationStatistics_refugees/asylum_decisions.derived.csv.gz"
    # all_varchar keeps the level code NA (new applications) as text, not as a missing value
    return f"read_csv('{path}', all_varchar=true, header=true)"


@pytest.fixture(scope="module")
def decided(mirror_dir: Path) -> tuple[int, dict[str, tuple[int, int, int]]]:
    """RUS in its latest year: per European state with a first-instance decision, the
    summed (recognized, complementary, rejected) at its first reported level."""
    table = _decisions(mirror_dir)
    con = duckdb.connect()
    levels = list(FIRST_INSTANCE)
    (year,) = con.execute(
        f"SELECT max(year::INT) FROM {table} WHERE coo_iso = 'RUS' AND list_contains(?, dec_level)",
        [levels],
    ).fetchone()  # type: ignore[misc]
    rows = con.execute(
        f"SELECT coa_iso, dec_level, sum(coalesce(dec_recognized::INT, 0)), "
        f"sum(coalesce(dec_other::INT, 0)), sum(coalesce(dec_rejected::INT, 0)) FROM {table} "
        "WHERE coo_iso = 'RUS' AND year::INT = ? AND list_contains(?, dec_level) GROUP BY ALL",
        [year, levels],
    ).fetchall()
    by_state: dict[str, dict[str, tuple[int, int, int]]] = {}
    for state, level, rec, comp, rej in rows:
        by_state.setdefault(state, {})[level] = (int(rec), int(comp), int(rej))
    chosen = {}
    for state, found in by_state.items():
        level = next(lvl for lvl in FIRST_INSTANCE if lvl in found)
        counts = found[level]
        if state in EUROPE_2020 and sum(counts) > 0:
            chosen[state] = counts
    return int(year), chosen


def _europe_table(html: str) -> str:
    start = html.index('id="h-europe"')
    return html[start : html.index("</table>", start)]


def _row_states(table: str) -> list[str]:
    return re.findall(r'<tr><th scope="row"><a href="/countries/([A-Z]{3})"', table)


def test_recognition_across_europe_lists_every_state_with_decisions(
    built_settings: Settings, decided: tuple[int, dict[str, tuple[int, int, int]]]
) -> None:
    year, expected = decided
    html = client_for(built_settings).get("/countries/RUS?lang=en").text
    listed = _row_states(_europe_table(html))
    assert sorted(listed) == sorted(expected), "every European state with a decision, once"
    assert len(expected) > 10  # more than the old top ten
    assert f"In {year}," in html


def test_small_numbers_are_listed_apart_with_their_badge(
    built_settings: Settings, decided: tuple[int, dict[str, tuple[int, int, int]]]
) -> None:
    _, expected = decided
    table = _europe_table(client_for(built_settings).get("/countries/RUS?lang=en").text)
    ranked, _, small = table.partition('class="small-numbers"')
    few = {state for state, counts in expected.items() if sum(counts) < 50}
    assert set(_row_states(small)) == few
    assert not few & set(_row_states(ranked))
    assert small.count("small numbers</span>") == len(few)


def test_rows_resting_on_a_count_of_five_are_flagged_may_be_rounded(
    built_settings: Settings, decided: tuple[int, dict[str, tuple[int, int, int]]]
) -> None:
    _, expected = decided
    table = _europe_table(client_for(built_settings).get("/countries/RUS?lang=en").text)
    flagged = {
        state
        for state in _row_states(table)
        if re.search(rf'/countries/{state}">[^<]+</a>(?:(?!</th>).)*may be rounded', table)
    }
    assert flagged == {s for s, counts in expected.items() if 5 in counts}
    assert flagged, "the latest year has rows of exactly 5 to flag"


def test_the_table_sorts_by_any_column_and_keeps_small_numbers_apart(
    built_settings: Settings, decided: tuple[int, dict[str, tuple[int, int, int]]]
) -> None:
    _, expected = decided
    client = client_for(built_settings)
    table = _europe_table(client.get("/countries/RUS?sort=decisions&lang=en").text)
    ranked = _row_states(table.partition('class="small-numbers"')[0])
    totals = [sum(expected[s]) for s in ranked]
    assert totals == sorted(totals, reverse=True)
    assert 'aria-sort="descending"' in table
    assert client.get("/countries/RUS?sort=nonsense").status_code == 422


def test_fsu_nationals_here_lists_only_origins_with_decisions(
    built_settings: Settings, mirror_dir: Path
) -> None:
    html = client_for(built_settings).get("/countries/POL?lang=en").text
    section = html[html.index("How nationals of former Soviet states fare here") :]
    table = section[: section.index("</table>")]
    origins = set(re.findall(r'<a href="/\?origin=([A-Z]{3})">', table))
    con = duckdb.connect()
    decided = {
        code
        for (code,) in con.execute(
            f"SELECT DISTINCT coo_iso FROM {_decisions(mirror_dir)} WHERE coa_iso = 'POL' "
            "AND list_contains(?, dec_level) AND coalesce(dec_recognized::INT, 0) + "
            "coalesce(dec_other::INT, 0) + coalesce(dec_rejected::INT, 0) > 0",
            [list(FIRST_INSTANCE)],
        ).fetchall()
    }
    assert origins == decided & set(FSU)
    cells = re.findall(r'data-label="Decisions">([^<]*)<', table)
    assert cells and "0" not in cells


def test_a_state_with_no_decision_on_fsu_nationals_says_so(built_settings: Settings) -> None:
    html = client_for(built_settings).get("/countries/VAT?lang=en").text
    assert "records no first-instance decision by" in unescape(html)


def test_law_and_practice_is_grouped_by_kind(built_settings: Settings) -> None:
    html = client_for(built_settings).get("/countries/RUS?lang=en").text
    groups = re.findall(r'<details class="fact-group" id="(own|others)-([a-z-]+)"', html)
    assert {anchor for _, anchor in groups} <= {a for a, _, _ in FACT_GROUPS} | {"other"}
    assert len({anchor for _, anchor in groups}) >= 4
    assert "<details" in html and html.count('<li><a href="/kb/facts/') > 0


def test_host_figures_give_their_year_and_source(built_settings: Settings) -> None:
    html = client_for(built_settings).get("/countries/DEU?lang=en").text
    section = html[html.index('id="h-border"') :]
    table = section[: section.index("</table>")]
    assert re.search(r'data-label="Refused entry">[\d,]+ <span class="muted">\(20\d\d\)', table)
    assert "migr_eirfs" in section and "asylum-applications" in section


def test_the_index_lists_non_european_destinations_in_the_data(
    built_settings: Settings, mirror_dir: Path
) -> None:
    html = client_for(built_settings).get("/countries?lang=en").text
    con = duckdb.connect()
    decided = {
        code
        for (code,) in con.execute(
            f"SELECT DISTINCT coa_iso FROM {_decisions(mirror_dir)} "
            "WHERE list_contains(?, coo_iso)",
            [list(FSU)],
        ).fetchall()
    }
    for code in ("CAN", "ARE", "ISR"):
        assert code in decided and f'href="/countries/{code}"' in html
    assert 'href="/countries/USA"' in html  # applications by FSU nationals (UNHCR)
    for code in ("ALA", "GGY"):  # map territories with no figure and no fact
        assert code not in decided and f'href="/countries/{code}"' not in html


def test_may_be_rounded_needs_a_unhcr_count_of_exactly_five() -> None:
    def row(source: str, rec: int, comp: int, rej: int) -> RateRow:
        return RateRow("RUS", "DEU", 2025, source, "d", "FI", "P", ("G",), rec, comp, rej, 0,
                       rec + comp, rec + comp + rej, None, None, None, None, None, False, (),
                       (), 1)  # fmt: skip

    assert may_be_rounded(row("UNHCR", 5, 0, 0))
    assert may_be_rounded(row("UNHCR", 0, 0, 5))
    assert not may_be_rounded(row("UNHCR", 10, 0, 15))
    assert not may_be_rounded(row("Eurostat", 5, 0, 0))


def test_the_spread_names_one_state_once() -> None:
    one = spread([{"destination": "ITA", "rate": 0.07}])
    assert one == {"destinations": 1, "low": 0.07, "high": 0.07, "lowest": ["ITA"],
                   "highest": ["ITA"]}  # fmt: skip


def test_the_atlas_summary_names_the_selected_rate_and_never_a_range_of_one(
    built_settings: Settings,
) -> None:
    client = client_for(built_settings)
    html = client.get("/?origin=RUS&rate=recognition_rate&lang=en").text
    assert "the recognition rate ranged from" in html
    assert "protection rate ranged" not in html
    for origin in FSU:
        text = unescape(client.get(f"/?origin={origin}&lang=en").text)
        assert not re.search(r"ranged from (\S+) \(([^)]+)\) to \1 \(\2\)", text), origin


def test_the_heat_map_keeps_to_europe_and_names_its_year(built_settings: Settings) -> None:
    client = client_for(built_settings)
    svg = client.get("/atlas/heatmap.svg?origin=RUS&scope=europe&lang=en").text
    assert "Canada" not in svg and "Israel" not in svg and "Republic of Korea" not in svg
    html = client.get("/?origin=RUS&scope=europe&lang=en").text
    year = re.search(r"Destinations ranked by [^,]+, (\d{4})", unescape(html))
    assert year and f"Origins and destinations, {year.group(1)}" in html
    assert f"by origin and destination, {year.group(1)}" in svg


def test_map_legend_and_caption_name_the_same_threshold(built_settings: Settings) -> None:
    client = client_for(built_settings)
    svg = client.get("/atlas/map.svg?origin=RUS&lang=en").text
    html = client.get("/?origin=RUS&lang=en").text
    assert "fewer than 50 decisions or none" in svg
    assert "grey means fewer than 50 decisions or none" in html
    assert "no data<" not in svg


def test_incident_map_classes_are_fixed_not_relative() -> None:
    assert [incident_class(n) for n in (1, 2, 4, 5, 9, 10, 250)] == [0, 1, 1, 2, 2, 3, 3]


def test_an_origin_page_gives_refusals_of_entry_from_the_eurostat_file(
    built_settings: Settings, mirror_dir: Path
) -> None:
    """Poland's 2016 refusals of Russians, read from Eurostat's export with the csv module."""
    import csv
    import gzip

    path = mirror_dir / "eurostat/dw-data_quantify-europe_asylum-seekers"
    wanted = ("2016", "Poland", "Russia")
    with gzip.open(path / "migr_eirfs_Data_allcitizenships.csv.gz", "rt", encoding="latin-1") as f:
        (cell,) = [
            r["Value"] for r in csv.DictReader(f) if (r["TIME"], r["GEO"], r["CITIZEN"]) == wanted
        ]
    html = client_for(built_settings).get("/countries/RUS?lang=en").text
    section = html[html.index('id="h-refused"') :]
    row = section[section.index('href="/countries/POL"') :]
    assert f'data-label="Refused entry">{cell} <span class="muted">(2016)' in row


def test_an_origin_page_lists_its_newest_incidents_newest_first(
    built_settings: Settings, app_engine: Engine
) -> None:
    """The page promises the newest incidents with a link to all of them; the seed file, read
    here on its own, says which those are."""
    seed = yaml.safe_load((Path(__file__).parent.parent / "incidents" / "seed.yaml").read_text())
    dates = {i["id"]: str(i["date"]) for i in seed if i["visibility"] == "public"}
    origins = {i["id"]: i["origin"] for i in seed}
    newest = sorted((d for i, d in dates.items() if origins[i] == "RUS"), reverse=True)[:10]
    load_seed(built_settings, engine=app_engine)
    html = TestClient(app_on(built_settings, app_engine)).get("/countries/RUS?lang=en").text
    timeline = html[html.index('<ul class="timeline">') :]
    timeline = timeline[: timeline.index("</ul>")]
    listed = re.findall(r'<a href="/incidents/([a-z0-9-]+)">', timeline)
    assert len(listed) == 10
    assert [dates[i] for i in listed] == newest
