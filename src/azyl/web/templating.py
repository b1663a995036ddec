"""Server-side rendering: one Jinja2 environment per interface language.

Each environment has the gettext callables of its language installed (the
`i18n` extension, new-style `_()`), so templates translate with `{{ _("...") }}`
and `pybabel extract` finds every string. Helpers every page needs (labels,
country names, links that keep the language) are template globals.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from azyl import __version__
from azyl.i18n import LANGUAGES, N_, country_name, formats, label
from azyl.i18n.message import Message
from azyl.i18n.message import render as render_message
from azyl.i18n.templates import environment as template_environment
from azyl.kb.vocabulary import PROFILES
from azyl.reports.context import LOADER as REPORT_LOADER
from azyl.reports.context import helpers as report_helpers
from azyl.web.i18n import COOKIE
from azyl.web.session import template_globals
from azyl.web.tables import Order

TEMPLATES = Path(__file__).parent / "templates"

#: Main navigation: (path, msgid). The msgids are translated in the template.
NAVIGATION: tuple[tuple[str, str], ...] = (
    ("/", N_("Atlas")),
    ("/countries", N_("Countries")),
    ("/screening", N_("Screening")),
    ("/incidents", N_("Incidents")),
    ("/kb", N_("Knowledge base")),
    ("/about", N_("About the data")),
)
#: Links shown only to signed-in users whose role is at least the one named: (path, msgid, role).
ROLE_NAVIGATION: tuple[tuple[str, str, str], ...] = (
    ("/cases", N_("Cases"), "caseworker"),
    ("/admin/users", N_("Accounts"), "admin"),
    ("/admin/audit", N_("Audit log"), "admin"),
)


@cache
def environment(lang: str) -> jinja2.Environment:
    """The template environment of one language (built once, shared by requests)."""
    # The page templates, then the report's own (the screening page embeds the report).
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(TEMPLATES), REPORT_LOADER])
    env = template_environment(loader, lang, escaped=True)
    env.globals.update(report_helpers(lang))
    env.globals.update(
        lang=lang,
        languages=LANGUAGES,
        navigation=NAVIGATION,
        role_navigation=ROLE_NAVIGATION,
        sort_order=Order,
        version=__version__,
        vocab_profiles=list(PROFILES),
        label=lambda vocabulary, key: label(vocabulary, key, lang),
        country=lambda code: country_name(code, lang),
        country_list=lambda codes: ", ".join(country_name(c, lang) for c in codes),
        number=lambda value, digits=0: formats.number(value, lang, digits),
        percent=lambda value, digits=0: formats.percent(value, lang, digits),
        said=lambda text: render_message(text, lang) if isinstance(text, Message) else text,
    )
    return env


def query_url(request: Request, **changes: Any) -> str:
    """The current URL with some query parameters changed (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def render_html(request: Request, template: str, context: dict[str, Any], lang: str) -> str:
    """A page's HTML: it depends only on the request's path and query and the language."""
    page = environment(lang).get_template(template)
    return page.render(
        **template_globals(request),
        missing_statistics=request.app.state.services.missing_statistics(),
        request=request,
        current_path=request.url.path,
        query_url=lambda **changes: query_url(request, **changes),
        **context,
    )


def respond(request: Request, html: str, lang: str, status: int = 200) -> HTMLResponse:
    """Send a rendered page; remember an explicit ?lang= choice in a cookie."""
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") == lang:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def render(
    request: Request, template: str, context: dict[str, Any], lang: str, status: int = 200
) -> HTMLResponse:
    """Render a page and send it."""
    return respond(request, render_html(request, template, context, lang), lang, status)
