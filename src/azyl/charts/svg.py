"""A very small SVG writer: escaped text, numbers rounded, an accessible root."""

from __future__ import annotations

from html import escape

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


def legend(x: float, y: float, width: float, label: str, no_data: str) -> list[str]:
    """A horizontal 0-100 % colour legend with a no-data swatch."""
    steps = 20
    out = [text(x, y - 6, label, font_size=12, fill=MUTED)]
    for i in range(steps):
        step = {"y": float(y), "width": width / steps + 0.5, "height": 10.0}
        out.append(tag("rect", x=x + i * width / steps, fill=colour(i / (steps - 1)), **step))
    for pct in (0, 50, 100):
        out.append(
            text(x + width * pct / 100, y + 24, f"{pct} %", font_size=11, text_anchor="middle")
        )
    out.append(
        tag(
            "rect", x=x + width + 24, y=float(y), width=10.0, height=10.0, fill=NO_DATA, stroke=GRID
        )
    )
    out.append(text(x + width + 40, y + 9, no_data, font_size=11))
    return out
