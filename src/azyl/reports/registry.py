"""The renderer registry: one function per output format, registered by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from azyl.errors import InputError
from azyl.i18n import N_
from azyl.i18n.message import failure
from azyl.reports.model import Report


@dataclass(frozen=True)
class Rendered:
    """A rendered report: its bytes, media type and a file name to save it under."""

    content: bytes
    media_type: str
    filename: str


Renderer = Callable[[Report], bytes]
_RENDERERS: dict[str, tuple[Renderer, str, str]] = {}
FORMATS: tuple[str, ...] = ("html", "markdown", "json", "pdf")


def register(name: str, media_type: str, extension: str) -> Callable[[Renderer], Renderer]:
    """Decorator: make a renderer available under `name`."""

    def add(renderer: Renderer) -> Renderer:
        _RENDERERS[name] = (renderer, media_type, extension)
        return renderer

    return add


def render(report: Report, fmt: str) -> Rendered:
    """Render a report in one of the registered formats."""
    if fmt not in _RENDERERS:
        raise failure(
            InputError,
            N_("unknown report format {format}: use one of {formats}"),
            {"allowed": sorted(_RENDERERS)},
            format=repr(fmt),
            formats=", ".join(sorted(_RENDERERS)),
        )
    renderer, media_type, extension = _RENDERERS[fmt]
    return Rendered(renderer(report), media_type, f"{report.filename_stem}.{extension}")
