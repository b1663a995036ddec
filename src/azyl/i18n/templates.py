"""Gettext for Jinja templates, shared by the report templates and the web pages.

Jinja's i18n extension (new style) installs `_`, `gettext` and `ngettext` as
context functions: each call looks the function up in the template context and
checks how to call it, twice for `_`. A screening page calls them some 300
times, and they were an eighth of its rendering time. The functions here keep
the extension's meaning exactly (the translated string is always treated as a
format string, so "%%" reads "%"; in an escaped template it is Markup, so the
values put into it are escaped) and are plain functions of the language.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from azyl.i18n.catalogue import translations


def install_gettext(env: jinja2.Environment, lang: str, *, escaped: bool) -> None:
    """Give `env` the gettext functions of `lang`; `escaped` says its templates are HTML.

    The extension must be loaded (for `pybabel extract` and `{% trans %}`); its
    own callables are installed first, then replaced by the plain ones.
    """
    catalogue = translations(lang)
    env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
    wrap: Callable[[str], Any] = Markup if escaped else str
    translate, translate_plural = catalogue.gettext, catalogue.ngettext

    @lru_cache(maxsize=4096)
    def constant(string: str) -> str:
        return wrap(translate(string)) % {}  # type: ignore[no-any-return]

    def gettext(string: str, /, **variables: Any) -> str:
        if not variables:  # most calls: a label, the same result every time
            return constant(string)
        return wrap(translate(string)) % variables  # type: ignore[no-any-return]

    def ngettext(singular: str, plural: str, num: int, /, **variables: Any) -> str:
        variables.setdefault("num", num)
        return wrap(translate_plural(singular, plural, num)) % variables  # type: ignore[no-any-return]

    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)


class Environment(jinja2.Environment):
    """Jinja's environment, reading a dict's key without first trying an attribute.

    Templates read the assessment and the report as nested dicts (`f.code`,
    `s.year`): Jinja tries `getattr` first and pays for an AttributeError on
    every such read. A key that is not also a dict attribute is read directly,
    which gives what Jinja would; anything else goes the usual way.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


#: What `hasattr(dict, name)` answers yes to (`items`, `keys`, `get`, ...), looked up once.
_DICT_ATTRIBUTES = frozenset(dir(dict))


def environment(loader: jinja2.BaseLoader, lang: str, *, escaped: bool) -> Environment:
    """A template environment of one language, as azyl's pages and reports are written:
    strict about undefined names, block tags trimmed, `escaped` for HTML.

    The templates ship with the package, so they are not checked for changes on
    every render (`auto_reload` off).
    """
    env = Environment(
        loader=loader,
        autoescape=escaped,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
    )
    install_gettext(env, lang, escaped=escaped)
    return env
