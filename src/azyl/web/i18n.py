"""Interface languages: gettext catalogues, compiled in memory, and language choice.

The catalogues live as `.po` files in `locale/<lang>/LC_MESSAGES/messages.po`
(English msgids, Russian translations). They are compiled in memory the first
time a language is used, so a fresh checkout, an editable install and the test
suite all work without a separate compile step and no binary `.mo` file can go
stale beside its source. Facts and quotes keep their original wording: only the
interface, vocabulary labels and report headings are translated.

The language of a request is, in order: `?lang=`, the `azyl_lang` cookie, the
browser's Accept-Language, then the `language` setting.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from azyl.errors import InputError

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский"}
COOKIE = "azyl_lang"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translated at render)."""
    return message


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of one language (English falls back to the msgids)."""
    path = catalogue_path(lang)
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


def check_language(lang: str) -> str:
    """A supported language code, or a clear InputError."""
    code = lang.strip().lower()
    if code not in LANGUAGES:
        raise InputError(
            f"language {lang!r} is not available: use one of {', '.join(LANGUAGES)}",
            {"parameter": "lang", "allowed": list(LANGUAGES)},
        )
    return code


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
