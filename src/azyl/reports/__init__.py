"""Reports: build a screening report once, render it as HTML, Markdown, JSON or PDF.

    build_report(assessment, case=None, lang="en") -> Report
    render(report, fmt) -> Rendered        # fmt in FORMATS: html, markdown, json, pdf
    FORMATS -> tuple of registered format names

The CLI (`azyl assess --format`) and the web app (screening page and its
downloads) call the same renderers, registered in `azyl.reports.registry`.
A renderer reads only the report's plain data (the assessment's `to_dict()`),
so every format says exactly the same thing.
"""

from azyl.reports import html, json_format, markdown, pdf  # noqa: F401  (they register)
from azyl.reports.model import Report, build_report
from azyl.reports.registry import FORMATS, Rendered, render

__all__ = ["FORMATS", "Rendered", "Report", "build_report", "render"]
