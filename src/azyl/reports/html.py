"""HTML: a standalone, printable document (styles inline, no external request)."""

from __future__ import annotations

from azyl.reports.context import render_template
from azyl.reports.model import Report
from azyl.reports.registry import register


def render_html_text(report: Report) -> str:
    return render_template(report, "report.html")


@register("html", "text/html; charset=utf-8", "html")
def render_html(report: Report) -> bytes:
    return render_html_text(report).encode("utf-8")
