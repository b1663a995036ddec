"""Destinations ranked by a rate, each bar with its interval and decision count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from azyl.charts.svg import ACCENT, GRID, MUTED, attrs, document, pct, text, tip, widest


@dataclass(frozen=True)
class BarRow:
    """One bar: a rate in [0, 1] with its interval, the count it rests on, a link."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    note: str = ""  # e.g. "n = 1 234"
    href: str | None = None
    faint: bool = False  # small numbers: drawn lighter, the note says why


def ranked_bars(
    rows: Sequence[BarRow], *, title: str, desc: str, axis_label: str, width: int = 720,
    lang: str = "en",
) -> str:  # fmt: skip
    """Horizontal bars from 0 to 100 %, with interval whiskers, one row per label; the
    label column is as wide as the longest label (up to half the chart), so no name is cut."""
    row_h, top, note_w = 24, 34, 110
    label_w = round(min(width / 2, max(120.0, widest([r.label for r in rows], 13) + 12)))
    plot_w = width - label_w - note_w - 16
    height = top + row_h * max(1, len(rows)) + 30
    body = [text(label_w, 16, axis_label, font_size=12, fill=MUTED)]
    for share in range(0, 101, 25):
        x = label_w + plot_w * share / 100
        body.append(
            f"<line {attrs(x1=x, x2=x, y1=float(top - 8), y2=float(height - 26), stroke=GRID)}/>"
        )
        body.append(
            text(
                x,
                height - 10,
                pct(share / 100, lang),
                font_size=11,
                text_anchor="middle",
                fill=MUTED,
            )
        )
    for i, row in enumerate(rows):
        y = top + i * row_h
        label = text(label_w - 8, y + 15, row.label, text_anchor="end")
        body.append(f'<a href="{row.href}">{label}</a>' if row.href else label)
        if row.value is not None:
            opacity = 0.45 if row.faint else 1.0
            size = {"width": plot_w * row.value, "height": float(row_h - 8)}
            bar = attrs(x=float(label_w), y=y + 4.0, fill=ACCENT, fill_opacity=opacity, **size)
            body.append(f"<rect {bar}>{tip(f'{row.label}: {pct(row.value, lang, 1)}')}</rect>")
        if row.low is not None and row.high is not None:
            x1, x2, ym = label_w + plot_w * row.low, label_w + plot_w * row.high, y + row_h / 2
            whisker = attrs(stroke="#1d2733", stroke_width=1.5)
            body.append(f"<line {attrs(x1=x1, x2=x2, y1=ym, y2=ym)} {whisker}/>")
            for x in (x1, x2):
                body.append(f"<line {attrs(x1=x, x2=x, y1=ym - 5, y2=ym + 5)} {whisker}/>")
        body.append(text(label_w + plot_w + 8, y + 15, row.note, font_size=11, fill=MUTED))
    return document(width, height, title, desc, body)
