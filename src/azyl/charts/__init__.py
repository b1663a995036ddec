"""Charts as SVG, drawn in Python without a browser or a network.

Every chart is a function from plain rows to an SVG string with a `<title>`
and `<desc>` (screen readers read them; pages also show the numbers as a
table). The same SVG goes into pages, reports and PDFs, and `png.svg_to_png`
converts it for download. Nothing here knows where the numbers come from:
callers pass labels already translated and values already computed.
"""

from azyl.charts.bars import BarRow, ranked_bars
from azyl.charts.europe import europe_map
from azyl.charts.heatmap import heatmap
from azyl.charts.route import RouteHop, route_diagram
from azyl.charts.timeseries import Series, time_series

__all__ = [
    "BarRow",
    "RouteHop",
    "Series",
    "europe_map",
    "heatmap",
    "ranked_bars",
    "route_diagram",
    "time_series",
]
