"""Markdown: the same report as plain text, for e-mail, case notes and version control."""

from __future__ import annotations

from azyl.reports.context import render_template
from azyl.reports.model import Report
from azyl.reports.registry import register


@register("markdown", "text/markdown; charset=utf-8", "md")
def render_markdown(report: Report) -> bytes:
    text = render_template(report, "report.md", autoescape=False)
    lines = [line.rstrip() for line in text.splitlines()]
    squeezed: list[str] = []
    for line in lines:
        if line or (squeezed and squeezed[-1]):
            squeezed.append(line)
    return ("\n".join(squeezed).strip() + "\n").encode("utf-8")
