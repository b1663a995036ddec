"""A map of Europe coloured by rate, projected here from vendored Natural Earth outlines.

The outlines are world-atlas's `countries-50m.json` (TopoJSON, vendored from npm
with its sha256; see src/azyl/VENDORED.md). We decode the TopoJSON
arcs ourselves and project with the Lambert azimuthal equal-area projection
centred on 52°N 10°E, the projection of EU statistical maps (EPSG:3035), so
areas compare fairly. Paths are computed once per process and cached.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from azyl import countries
from azyl.charts.svg import (
    GRID,
    MUTED,
    NO_DATA,
    attrs,
    colour,
    document,
    legend,
    num,
    pct,
    tag,
    text,
    text_width,
    tip,
)

ATLAS = Path(__file__).resolve().parent / "vendor" / "world-atlas" / "countries-50m.json"
LON0, LAT0 = math.radians(10.0), math.radians(52.0)
#: The visible window in projected units (about Iceland to the Caspian, Crete to the North Cape).
WINDOW = (-0.46, -0.35, 0.50, 0.34)  # x_min, y_min, x_max, y_max (y grows southwards)
WIDTH = 720


def project(lon: float, lat: float) -> tuple[float, float]:
    """Lambert azimuthal equal-area on the unit sphere (y flipped for SVG)."""
    lam, phi = math.radians(lon) - LON0, math.radians(lat)
    cos_c = math.sin(LAT0) * math.sin(phi) + math.cos(LAT0) * math.cos(phi) * math.cos(lam)
    k = math.sqrt(2 / max(1e-9, 1 + cos_c))
    x = k * math.cos(phi) * math.sin(lam)
    y = k * (math.cos(LAT0) * math.sin(phi) - math.sin(LAT0) * math.cos(phi) * math.cos(lam))
    return x, -y


def _scale() -> float:
    return WIDTH / (WINDOW[2] - WINDOW[0])


def _to_screen(x: float, y: float) -> tuple[float, float]:
    """Projected units to SVG pixels, clamped a little outside the window."""
    margin = 0.05
    x = min(max(x, WINDOW[0] - margin), WINDOW[2] + margin)
    y = min(max(y, WINDOW[1] - margin), WINDOW[3] + margin)
    s = _scale()
    return (x - WINDOW[0]) * s, (y - WINDOW[1]) * s


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs (delta-encoded, quantised) to lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def _path(rings: list[list[tuple[float, float]]]) -> str:
    """SVG path data, dropping points that round to the same pixel."""
    parts = []
    for ring in rings:
        screen: list[tuple[float, float]] = []
        for lon, lat in ring:
            x, y = _to_screen(*project(lon, lat))
            if not screen or abs(x - screen[-1][0]) + abs(y - screen[-1][1]) >= 0.8:
                screen.append((x, y))
        if len(screen) > 2:
            parts.append("M" + "L".join(f"{num(x)},{num(y)}" for x, y in screen) + "Z")
    return "".join(parts)


def _alpha3(geometry: dict[str, Any]) -> str | None:
    numeric = geometry.get("id")
    record = pycountry.countries.get(numeric=numeric) if numeric else None
    if record is not None:
        return str(record.alpha_3)
    found = countries.lookup(geometry.get("properties", {}).get("name", ""))
    return found.alpha3 if found else None


@cache
def outlines() -> dict[str, str]:
    """Projected SVG path per alpha-3 code, for every country that shows in the window."""
    topology = json.loads(ATLAS.read_text())
    arcs = _decode_arcs(topology)
    paths: dict[str, str] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = _alpha3(geometry)
        polygons = geometry.get("arcs", [])
        if code is None or not polygons:
            continue
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = [_ring(ring, arcs) for polygon in polygons for ring in polygon]
        if not any(_visible(ring) for ring in rings):
            continue
        paths[code] = paths.get(code, "") + _path(rings)
    return paths


def _visible(ring: list[tuple[float, float]]) -> bool:
    for lon, lat in ring:
        x, y = project(lon, lat)
        if WINDOW[0] <= x <= WINDOW[2] and WINDOW[1] <= y <= WINDOW[3]:
            return True
    return False


def europe_map(
    rates: Mapping[str, float | None],
    *,
    title: str,
    desc: str,
    legend_label: str,
    no_data: str,
    names: Mapping[str, str] | None = None,
    highlight: str | None = None,
    hrefs: Mapping[str, str] | None = None,
    lang: str = "en",
    classes: Sequence[tuple[str, str]] | None = None,
) -> str:
    """Countries filled by their value in [0, 1] (grey where there is none); origin
    outlined. With `classes` ((colour, label) pairs) the values are class indexes and the
    legend lists the classes instead of a 0-100 % scale."""
    height = (WINDOW[3] - WINDOW[1]) * _scale()
    body = [f'<rect width="{WIDTH}" height="{num(height + 50)}" fill="#f4f8fb"/>']
    for code, path in sorted(outlines().items()):
        value = rates.get(code)
        name = (names or {}).get(code, code)
        if classes is not None:
            fill = NO_DATA if value is None else classes[int(value)][0]
            hover = name
        else:
            fill = colour(value)
            hover = f"{name}: " + ("–" if value is None else pct(value, lang))
        outline = attrs(d=path, fill=fill, stroke="#ffffff", stroke_width=0.6)
        shape = f"<path {outline}>{tip(hover)}</path>"
        if hrefs and code in hrefs:
            shape = f'<a href="{hrefs[code]}">{shape}</a>'
        body.append(shape)
    if highlight and highlight in outlines():
        dashed = {"stroke": "#1d2733", "stroke_width": 1.6, "stroke_dasharray": "4 3"}
        body.append(tag("path", d=outlines()[highlight], fill="none", **dashed))
    body.append(f'<rect width="{WIDTH}" height="{num(height)}" fill="none" stroke="{GRID}"/>')
    body.append(f'<rect y="{num(height)}" width="{WIDTH}" height="50" fill="#ffffff"/>')
    if classes is not None:
        body += class_legend(16, height + 22, legend_label, [*classes, (NO_DATA, no_data)])
    else:
        body += legend(16, height + 22, 200, legend_label, no_data, lang)
    return document(WIDTH, height + 50, title, desc, body)


def class_legend(x: float, y: float, label: str, classes: Sequence[tuple[str, str]]) -> list[str]:
    """Swatches of fixed classes, each with its label, in one row."""
    out = [text(x, y - 6, label, font_size=12, fill=MUTED)]
    for fill, name in classes:
        out.append(tag("rect", x=x, y=float(y), width=12.0, height=12.0, fill=fill, stroke=GRID))
        out.append(text(x + 17, y + 10, name, font_size=11))
        x += 17 + text_width(name, 11) + 14
    return out
