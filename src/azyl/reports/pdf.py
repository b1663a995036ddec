"""PDF: the HTML report laid out by WeasyPrint (Pango from the setup), fonts local only."""

from __future__ import annotations

import threading

from azyl.errors import AzylError
from azyl.i18n import N_
from azyl.i18n.message import failure
from azyl.reports.html import render_html_text
from azyl.reports.model import Report
from azyl.reports.registry import register


class PdfUnavailable(AzylError):
    code = "pdf_unavailable"
    http_status = 503


#: How many PDF renderings run at once in one process: one. A rendering is a second or more
#: of Python holding the interpreter's lock; several at once left every other request of the
#: process a thin slice of it, so one person's downloads slowed every page for everyone.
#: Renderings wait for each other instead (together they could not finish sooner).
RENDERING = threading.BoundedSemaphore(1)


def _no_network(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """WeasyPrint URL fetcher that refuses every request: a report is self-contained."""
    raise ValueError(f"reports load nothing from outside (refused {url})")


@register("pdf", "application/pdf", "pdf")
def render_pdf(report: Report) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango is missing
        raise failure(
            PdfUnavailable,
            N_("PDF reports need WeasyPrint with Pango ({problem}); use HTML or Markdown"),
            problem=exc,
        ) from None
    text = render_html_text(report)
    with RENDERING:
        pdf: bytes = HTML(string=text, url_fetcher=_no_network, base_url=".").write_pdf()
    return pdf
