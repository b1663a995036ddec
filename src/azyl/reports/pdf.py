"""PDF: the HTML report laid out by WeasyPrint (Pango from the setup), fonts local only."""

from __future__ import annotations

from azyl.errors import AzylError
from azyl.i18n import N_
from azyl.i18n.message import failure
from azyl.reports.html import render_html_text
from azyl.reports.model import Report
from azyl.reports.registry import register


class PdfUnavailable(AzylError):
    code = "pdf_unavailable"
    http_status = 503


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
    document = HTML(string=render_html_text(report), url_fetcher=_no_network, base_url=".")
    pdf: bytes = document.write_pdf()
    return pdf
