"""PNG downloads: the same SVG, rasterised by CairoSVG (libcairo from the setup)."""

from __future__ import annotations

from azyl.errors import AzylError
from azyl.i18n import N_
from azyl.i18n.message import failure


class PngUnavailable(AzylError):
    code = "png_unavailable"
    http_status = 503


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """Rasterise an SVG string; a missing cairo library is reported, not raised raw."""
    try:
        import cairosvg
    except (ImportError, OSError) as exc:  # OSError: libcairo itself is missing
        raise failure(
            PngUnavailable,
            N_("PNG export needs CairoSVG and libcairo2 ({problem}); use SVG"),
            problem=exc,
        ) from None
    png: bytes = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale)
    return png
