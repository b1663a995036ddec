"""A very small SVG writer: escaped text, numbers rounded, an accessible root."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from azyl.i18n import formats

FONT = "DejaVu Sans, Segoe UI, system-ui, sans-serif"
INK = "#1d2733"
MUTED = "#4a5563"
GRID = "#cfd6de"
ACCENT = "#0b5570"
NO_DATA = "#e4e7eb"


def num(value: float) -> str:
    """A coordinate with at most one decimal (keeps files small and diffs stable)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(content: str, font_size: float) -> float:
    """A generous estimate of a label's width in DejaVu Sans (wide Cyrillic included), so
    that room is made for the longest label instead of cutting it at the edge."""
    return len(content) * font_size * 0.64


def widest(labels: Sequence[str], font_size: float) -> float:
    return max((text_width(label, font_size) for label in labels), default=0.0)


def wrap(content: str, limit: int, lines: int = 2) -> list[str]:
    """Words onto at most `lines` lines of about `limit` characters; an ellipsis ends the
    last line when the text is longer."""
    out: list[str] = []
    for word in content.split():
        if out and len(out[-1]) + 1 + len(word) <= limit:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: limit - 1].rstrip() + "…"
    return [line if len(line) <= limit else line[: limit - 1] + "…" for line in out]


def pct(value: float, lang: str, digits: int = 0) -> str:
    """A share as the reader's language writes percentages (25 %, 25%)."""
    return formats.percent(value, lang, digits)


def attrs(**values: object) -> str:
    """Attributes in order; underscores become hyphens; None is left out."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = num(value)
        parts.append(f'{key.rstrip("_").replace("_", "-")}="{escape(str(value))}"')
    return " ".join(parts)


def tag(name: str, **values: object) -> str:
    """A self-closing element."""
    return f"<{name} {attrs(**values)}/>"


def tip(content: str) -> str:
    """A hover tooltip (and accessible name) for the enclosing element, escaped."""
    return f"<title>{escape(content)}</title>"


def text(x: float, y: float, content: str, **extra: object) -> str:
    return f"<text {attrs(x=float(x), y=float(y), **extra)}>{escape(content)}</text>"


def document(width: float, height: float, title: str, desc: str, body: list[str]) -> str:
    """The root element: a scalable image with its title and description."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" role="img" '
        f'aria-labelledby="t d" font-family="{FONT}" font-size="13" fill="{INK}">'
    )
    meta = f'<title id="t">{escape(title)}</title><desc id="d">{escape(desc)}</desc>'
    return head + meta + "".join(body) + "</svg>"


def interpolate(stops: list[tuple[int, int, int]], t: float) -> str:
    """A colour at position t in [0, 1] along a list of RGB stops."""
    t = min(1.0, max(0.0, t))
    scaled = t * (len(stops) - 1)
    i = min(int(scaled), len(stops) - 2)
    f = scaled - i
    rgb = [round(a + (b - a) * f) for a, b in zip(stops[i], stops[i + 1], strict=True)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


#: A sequential blue-green scale, readable in colour-blind vision and in grey print.
SEQUENTIAL = [(240, 249, 232), (186, 228, 188), (123, 204, 196), (67, 162, 202), (8, 88, 158)]


def colour(rate: float | None) -> str:
    return NO_DATA if rate is None else interpolate(SEQUENTIAL, rate)


def ink_on(rate: float | None) -> str:
    """Text colour that stays legible on `colour(rate)`."""
    return INK if rate is None or rate < 0.6 else "#ffffff"


def legend(
    x: float, y: float, width: float, label: str, no_data: str, lang: str = "en"
) -> list[str]:
    """A horizontal 0-100 % colour legend with a no-data swatch (its label says what grey
    means: no figure, or too few decisions to show one)."""
    steps = 20
    out = [text(x, y - 6, label, font_size=12, fill=MUTED)]
    for i in range(steps):
        step = {"y": float(y), "width": width / steps + 0.5, "height": 10.0}
        out.append(tag("rect", x=x + i * width / steps, fill=colour(i / (steps - 1)), **step))
    for share in (0, 50, 100):
        out.append(
            text(
                x + width * share / 100,
                y + 24,
                pct(share / 100, lang),
                font_size=11,
                text_anchor="middle",
            )
        )
    out.append(
        tag(
            "rect", x=x + width + 24, y=float(y), width=10.0, height=10.0, fill=NO_DATA, stroke=GRID
        )
    )
    out.append(text(x + width + 40, y + 9, no_data, font_size=11))
    return out
