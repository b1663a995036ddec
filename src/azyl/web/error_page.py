"""The HTML error page, for browsers (API clients get the JSON envelope)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from azyl.i18n import LANGUAGES, N_, translations
from azyl.i18n.message import Message
from azyl.i18n.message import render as render_message
from azyl.web.i18n import COOKIE, negotiate
from azyl.web.templating import render

_TITLES = {
    404: N_("Page not found"),
    405: N_("Not allowed"),
    413: N_("File too large"),
    422: N_("Please check what you entered"),
    500: N_("Something went wrong"),
    503: N_("Not available yet"),
}


def error_page(
    request: Request, status: int, code: str, message: str, text: Message | None = None
) -> HTMLResponse:
    """Render the error page in the visitor's language (an invalid ?lang= is ignored).

    `text`, when given, is the message as a template, shown translated instead of `message`.
    """
    query = request.query_params.get("lang")
    lang = negotiate(
        query if query in LANGUAGES else None,
        request.cookies.get(COOKIE),
        request.headers.get("accept-language"),
        request.app.state.settings.language,
    )
    title = translations(lang).gettext(_TITLES.get(status, _TITLES[500]))
    shown = render_message(text, lang) if text is not None else message
    context = {"title": title, "message": shown, "code": code, "status": status}
    return render(request, "error.html", context, lang, status=status)
