"""The language of a web request: `?lang=`, the `azyl_lang` cookie, the browser's
Accept-Language, then the `language` setting. The catalogues themselves are
`azyl.i18n`'s.
"""

from __future__ import annotations

from azyl.i18n import LANGUAGES, check_language

COOKIE = "azyl_lang"


def from_accept_language(header: str) -> str | None:
    """The first supported language in an Accept-Language header, by quality."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower().split("-")[0]))
    return next((tag for _, _, tag in sorted(ranked) if tag in LANGUAGES), None)


def negotiate(query: str | None, cookie: str | None, accept: str | None, default: str) -> str:
    """Pick the language of a request (query, cookie, Accept-Language, setting)."""
    if query:
        return check_language(query)
    if cookie and cookie in LANGUAGES:
        return cookie
    if accept and (found := from_accept_language(accept)):
        return found
    return default
