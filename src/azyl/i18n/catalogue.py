"""Interface languages: gettext catalogues, compiled in memory.

The catalogues live as `.po` files in `locale/<lang>/LC_MESSAGES/messages.po`
(English msgids, Russian translations). They are compiled in memory the first
time a language is used, so a fresh checkout, an editable install and the test
suite all work without a separate compile step and no binary `.mo` file can go
stale beside its source.

This package sits below everything that shows text to a person (reports, the
web app, the command line): they all translate through it, so a label or a
generated sentence reads the same wherever it appears.
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
