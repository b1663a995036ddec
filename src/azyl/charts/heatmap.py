"""A heat map of rates: origins down the side, destinations across the top."""

from __future__ import annotations

from collections.abc import Sequence

from azyl.charts.svg import attrs, colour, document, ink_on, legend, pct, text, tip, widest


def heatmap(
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    desc: str,
    legend_label: str,
    no_data: str,
    cell: int = 34,
    lang: str = "en",
) -> str:
    """One coloured cell per (row, column) rate, the percentage written inside; margins
    as wide as the longest names (rotated column names take 0.87 of their width)."""
    left = round(max(130.0, widest(row_labels, 12) + 16))
    top = round(max(100.0, widest(col_labels, 11) * 0.87 + 24))
    width = left + cell * len(col_labels) + 20
    height = top + cell * len(row_labels) + 60
    body = []
    for j, col in enumerate(col_labels):
        x = left + j * cell + cell / 2
        body.append(text(x, top - 8, col, font_size=11, transform=f"rotate(-60 {x:.1f} {top - 8})"))
    for i, row in enumerate(row_labels):
        y = top + i * cell
        body.append(text(left - 8, y + cell / 2 + 4, row, text_anchor="end", font_size=12))
        for j, value in enumerate(values[i]):
            x = left + j * cell
            label = f"{row} → {col_labels[j]}: " + ("–" if value is None else pct(value, lang))
            box = attrs(x=float(x), y=float(y), width=float(cell - 2), height=float(cell - 2),
                        fill=colour(value))  # fmt: skip
            body.append(f"<rect {box}>{tip(label)}</rect>")
            if value is not None:
                style = {"font_size": 10, "text_anchor": "middle", "fill": ink_on(value)}
                body.append(text(x + cell / 2 - 1, y + cell / 2 + 3, f"{value * 100:.0f}", **style))
    body += legend(
        left, height - 34, min(200, cell * len(col_labels) or 200), legend_label, no_data, lang
    )
    return document(max(width, left + 330 + len(no_data) * 7), height, title, desc, body)
