"""SVG charts: well-formed, accessible, and geometrically right."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from azyl import charts
from azyl.charts.europe import outlines, project

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    return root


def test_projection_centre_is_the_origin() -> None:
    assert project(10.0, 52.0) == pytest.approx((0.0, 0.0), abs=1e-12)


def test_projection_keeps_the_equal_area_distance_from_the_centre() -> None:
    # Lambert azimuthal equal-area: a point at angular distance c from the centre lies at
    # 2 sin(c / 2) on the unit sphere. (10E, 0N) is 52 degrees due south of the centre.
    x, y = project(10.0, 0.0)
    assert x == pytest.approx(0.0, abs=1e-12)
    assert y == pytest.approx(2 * math.sin(math.radians(52) / 2))


def test_the_map_has_the_states_of_europe_and_the_fsu_but_not_distant_ones() -> None:
    shown = set(outlines())
    assert {"DEU", "FRA", "POL", "NOR", "RUS", "UKR", "GEO", "TUR", "ISL", "XKX"} <= shown
    assert not {"USA", "CHN", "BRA", "AUS"} & shown


def test_map_colours_countries_with_a_rate_and_greys_the_rest() -> None:
    svg = charts.europe_map(
        {"DEU": 1.0, "FRA": None}, title="t", desc="d", legend_label="Rate", no_data="no data"
    )
    root = parse(svg)
    fills = {p.findtext(f"{SVG}title"): p.get("fill") for p in root.iter(f"{SVG}path")}
    assert fills["DEU: 100%"] == "#08589e"  # the last stop of the scale
    assert fills["FRA: –"] == "#e4e7eb"


def test_ranked_bars_draw_one_bar_and_one_interval_per_row() -> None:
    rows = [charts.BarRow("A", 0.5, 0.4, 0.6, "n = 10"), charts.BarRow("B", 0.25)]
    root = parse(charts.ranked_bars(rows, title="t", desc="d", axis_label="Rate"))
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [b.findtext(f"{SVG}title") for b in bars] == ["A: 50.0%", "B: 25.0%"]
    plot_width = float(bars[0].get("width", 0)) / 0.5
    assert float(bars[1].get("width", 0)) == pytest.approx(plot_width * 0.25, abs=0.1)


def test_time_series_breaks_the_line_at_a_year_without_decisions() -> None:
    series = charts.Series("X", [(2019, 0.1, None, None), (2020, None, None, None),
                                 (2021, 0.3, None, None), (2022, 0.4, None, None)])  # fmt: skip
    root = parse(charts.time_series([series], title="t", desc="d", axis_label="Rate"))
    lines = list(root.iter(f"{SVG}polyline"))
    assert [len(line.get("points", "").split()) for line in lines] == [1, 2]


def test_heatmap_writes_each_percentage_in_its_cell() -> None:
    svg = charts.heatmap(["RUS"], ["DEU", "FRA"], [[0.42, None]], title="t", desc="d",
                         legend_label="Rate", no_data="no data")  # fmt: skip
    root = parse(svg)
    assert "42" in [t.text for t in root.iter(f"{SVG}text")]


def test_route_diagram_names_every_state_in_order() -> None:
    hops = [charts.RouteHop("Germany", "Dublin transfer", "high"), charts.RouteHop("Poland")]
    root = parse(charts.route_diagram(hops, title="t", desc="d"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts.index("Germany") < texts.index("Poland")
    assert "Dublin transfer" in texts


def test_text_is_escaped() -> None:
    rows = [charts.BarRow("<script>", 0.5)]
    svg = charts.ranked_bars(rows, title="a & b", desc="d", axis_label="Rate")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    parse(svg)


def test_svg_converts_to_png() -> None:
    from azyl.charts.png import svg_to_png

    png = svg_to_png(charts.route_diagram([charts.RouteHop("A")], title="t", desc="d"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
