"""A pathway drawn as a route: each hop a box, each transfer an arrow with its mechanism."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from azyl.charts.svg import ACCENT, INK, MUTED, document, tag, text, text_width, wrap

SEVERITY_COLOURS = {
    "critical": "#8f1d1d",
    "high": "#8a3b00",
    "medium": "#6b5300",
    "elevated": "#6b5300",
    "low": "#245c2b",
    "info": "#245c2b",
}


@dataclass(frozen=True)
class RouteHop:
    """A state on the pathway and the mechanism that moves the person to the next one."""

    label: str
    mechanism: str = ""  # on the arrow leaving this state; empty for the last hop
    severity: str | None = None
    href: str | None = None


def route_diagram(hops: Sequence[RouteHop], *, title: str, desc: str) -> str:
    """States left to right, wrapped onto rows of three so the diagram fits a phone; each
    mechanism written on up to two lines above its arrow, within the gap between boxes."""
    per_row, box_w, box_h, gap, row_h = 3, 170, 44, 145, 110
    rows = max(1, -(-len(hops) // per_row))
    columns = min(per_row, max(1, len(hops)))
    width = columns * box_w + (columns - 1) * gap + 20
    height = (rows - 1) * row_h + box_h + 40
    body = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#1d2733"/>'
        "</marker></defs>"
    ]
    positions = []
    for i, _ in enumerate(hops):
        row, col = divmod(i, per_row)
        positions.append((10 + col * (box_w + gap), 20 + row * row_h))
    for i, hop in enumerate(hops):
        x, y = positions[i]
        edge = SEVERITY_COLOURS.get(hop.severity or "", ACCENT)
        frame = {"rx": 6.0, "fill": "#ffffff", "stroke": edge, "stroke_width": 2.0}
        box = tag("rect", x=float(x), y=float(y), width=float(box_w), height=float(box_h), **frame)
        size = 13 if len(hop.label) <= 18 else 11
        label = text(
            x + box_w / 2,
            y + box_h / 2 + 5,
            hop.label,
            text_anchor="middle",
            font_weight="600",
            font_size=size,
        )
        body.append(f'<a href="{hop.href}">{box}{label}</a>' if hop.href else box + label)
        if i + 1 < len(hops):
            nx, ny = positions[i + 1]
            if ny == y:
                x1, y1, x2, y2 = x + box_w + 0.0, y + box_h / 2, nx - 2.0, ny + box_h / 2
                tx, ty, limit = (x1 + x2) / 2, y1 - 20, 18
            else:
                x1, y1, x2, y2 = x + box_w / 2, y + box_h, nx + box_w / 2, ny - 2
                tx, ty, limit = (x1 + x2) / 2, (y1 + y2) / 2 - 6, 40
            colour = SEVERITY_COLOURS.get(hop.severity or "", INK)
            arrow = {"stroke": colour, "stroke_width": 2.0, "marker_end": "url(#arrow)"}
            body.append(
                tag("line", x1=float(x1), y1=float(y1), x2=float(x2), y2=float(y2), **arrow)
            )
            for k, line in enumerate(wrap(hop.mechanism, limit)):
                w = text_width(line, 11)  # a white ground keeps the label clear of the line
                ground = {"width": w, "height": 13.0, "fill": "#ffffff"}
                body.append(tag("rect", x=tx - w / 2, y=ty + 12 * k - 10.0, **ground))
                body.append(
                    text(tx, ty + 12 * k, line, font_size=11, text_anchor="middle", fill=MUTED)
                )
    return document(width, height, title, desc, body)
