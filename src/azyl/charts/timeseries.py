"""Rates over the years, one line per destination, with shaded intervals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from azyl.charts.svg import GRID, MUTED, attrs, document, num, pct, tag, text, tip, widest

#: Distinguishable line colours (Okabe-Ito, safe for colour-blind readers).
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")


@dataclass(frozen=True)
class Series:
    """One line: (year, rate, low, high) points; gaps are years with no decisions."""

    label: str
    points: Sequence[tuple[int, float | None, float | None, float | None]] = field(default=())


def time_series(
    series: Sequence[Series], *, title: str, desc: str, axis_label: str, width: int = 720,
    lang: str = "en",
) -> str:  # fmt: skip
    """A line chart of rates by year (0-100 %), with an interval band per line; the key on
    the right is as wide as its longest name, or below the plot on a narrow chart (under
    500 px, for phones), one name a row."""
    below = width < 500
    plot_height, left, top, bottom = 320, 52, 28, 36
    right = 16 if below else round(max(150.0, widest([s.label for s in series], 12) + 40))
    height = plot_height + (20 * len(series) + 8 if below else 0)
    years = sorted({p[0] for s in series for p in s.points}) or [0]
    y0, y1 = years[0], max(years[-1], years[0] + 1)
    plot_w, plot_h = width - left - right, plot_height - top - bottom

    def x_of(year: int) -> float:
        return left + plot_w * (year - y0) / (y1 - y0)

    def y_of(rate: float) -> float:
        return top + plot_h * (1 - rate)

    body = [text(left, 16, axis_label, font_size=12, fill=MUTED)]
    for share in range(0, 101, 25):
        y = y_of(share / 100)
        body.append(
            f"<line {attrs(x1=float(left), x2=float(left + plot_w), y1=y, y2=y, stroke=GRID)}/>"
        )
        label = pct(share / 100, lang)
        body.append(text(left - 6, y + 4, label, font_size=11, text_anchor="end", fill=MUTED))
    step = max(1, (y1 - y0) // 8)
    for year in range(y0, y1 + 1, step):
        body.append(
            text(
                x_of(year),
                plot_height - 14,
                str(year),
                font_size=11,
                text_anchor="middle",
                fill=MUTED,
            )
        )
    for k, line in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        band = [(p[0], p[2], p[3]) for p in line.points if p[2] is not None and p[3] is not None]
        if len(band) > 1:
            upper = " ".join(f"{num(x_of(y))},{num(y_of(h))}" for y, _, h in band)
            lower = " ".join(f"{num(x_of(y))},{num(y_of(lo))}" for y, lo, _ in reversed(band))
            body.append(f'<polygon points="{upper} {lower}" fill="{colour}" fill-opacity="0.12"/>')
        for segment in _segments(line.points):
            pts = " ".join(f"{num(x_of(y))},{num(y_of(v))}" for y, v in segment)
            body.append(
                f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
            for y, v in segment:
                dot = attrs(cx=x_of(y), cy=y_of(v), r=3.0, fill=colour)
                body.append(f"<circle {dot}>{tip(f'{line.label} {y}: {pct(v, lang, 1)}')}</circle>")
        swatch = {"width": 12.0, "height": 12.0, "fill": colour}
        key_x, key_y = (left, plot_height + k * 20) if below else (left + plot_w + 12, top + k * 20)
        body.append(tag("rect", x=float(key_x), y=float(key_y), **swatch))
        body.append(text(key_x + 18, key_y + 11, line.label, font_size=12))
    return document(width, height, title, desc, body)


def _segments(
    points: Sequence[tuple[int, float | None, float | None, float | None]],
) -> list[list[tuple[int, float]]]:
    """Runs of consecutive years that have a value (a missing year breaks the line)."""
    runs: list[list[tuple[int, float]]] = []
    previous: int | None = None
    for year, value, _, _ in sorted(points):
        if value is None:
            previous = None
            continue
        if previous is None or year != previous + 1:
            runs.append([])
        runs[-1].append((year, value))
        previous = year
    return runs
