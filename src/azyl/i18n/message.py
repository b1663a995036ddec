"""Sentences as templates with parameters, rendered in the reader's language.

The screening engine writes no English: every sentence it produces is a
`Message`, a msgid marked with `N_` (so `scripts/i18n.py` extracts it for the
translators) and named parameters. Parameters are typed so that each language
renders them its own way: a `Country` becomes its name in that language, a
`Percent` and a `Number` follow its number format (Babel), a `Day` its date
format, a `Term` the label of a vocabulary term, and a parameter may itself be
a `Message`. `render(message, lang)` turns the whole into text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from azyl.errors import AzylError, UnknownCountry
from azyl.i18n.catalogue import N_, translations
from azyl.i18n.labels import country_name, label


@dataclass(frozen=True)
class Country:
    """A state or organisation, by its code."""

    code: str


@dataclass(frozen=True)
class Countries:
    """Several states, joined as a list ("Poland, Belarus and Russia")."""

    codes: tuple[str, ...]


@dataclass(frozen=True)
class Route:
    """States in order, joined by arrows ("Germany → Croatia → Russia")."""

    codes: tuple[str, ...]


@dataclass(frozen=True)
class Suggested:
    """States offered for a name that was not understood, each as its code and its name in the
    reader's language ("DEU (Germany)", "DEU (Германия)"): the code is what to type."""

    codes: tuple[str, ...]


@dataclass(frozen=True)
class Terms:
    """Several vocabulary terms, joined by arrows (the mechanisms of a pathway)."""

    vocabulary: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Number:
    """A number in the language's format; `pattern` is Babel's (`"0.0"`: one decimal)."""

    value: int | float
    pattern: str | None = None


@dataclass(frozen=True)
class Percent:
    """A share between 0 and 1."""

    value: float


@dataclass(frozen=True)
class Day:
    value: date


@dataclass(frozen=True)
class Term:
    """A vocabulary term, rendered as its label (`azyl.i18n.labels`)."""

    vocabulary: str
    key: str


#: How the last two items of a list are joined ("Poland and Russia", "Польша и Россия").
_AND = N_("{first} and {last}")

Param = Any  # str | int | Country | Countries | Number | Percent | Day | Term | Message


@dataclass(frozen=True)
class Message:
    """A msgid and its parameters; equal messages render equally.

    A message with a plural form (`Message.plural`) keeps both msgids and the
    count that chooses between them in each language (Russian has three forms).
    """

    msgid: str
    params: tuple[tuple[str, Param], ...] = field(default=())
    plural: str | None = None
    count: int | None = None

    @classmethod
    def of(cls, msgid: str, **params: Param) -> Message:
        return cls(msgid, tuple(sorted(params.items())))

    @classmethod
    def counted(cls, forms: tuple[str, str], count: int, **params: Param) -> Message:
        """A message whose wording depends on `count` (`{count}` is rendered as a number)."""
        values = {**params, "count": Number(count)}
        return cls(forms[0], tuple(sorted(values.items())), forms[1], count)

    def to_dict(self) -> dict[str, Any]:
        """The template and its parameters, for clients that translate themselves."""
        return {"id": self.msgid, "params": {k: _plain(v) for k, v in self.params}}


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural pair for extraction (translated at render)."""
    return (singular, plural)


def render(message: Message | str, lang: str) -> str:
    """The message in a language: translated template, parameters rendered in that language."""
    if isinstance(message, str):
        return message
    catalogue = translations(lang)
    if message.plural is not None and message.count is not None:
        template = catalogue.ngettext(message.msgid, message.plural, message.count)
    else:
        template = catalogue.gettext(message.msgid)
    values = {key: _render_param(value, lang) for key, value in message.params}
    return template.format(**values)


def join(items: Sequence[str], lang: str) -> str:
    """ "a", "a and b", "a, b and c" in the language."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    last = translations(lang).gettext(_AND)
    return last.format(first=", ".join(items[:-1]), last=items[-1])


class _Name:
    """A state's name that a template can ask for in a grammatical case: `{to:acc}`."""

    def __init__(self, codes: tuple[str, ...], lang: str) -> None:
        self.codes, self.lang = codes, lang

    def __format__(self, case: str) -> str:
        names = [country_name(c, self.lang, case or "nom") for c in self.codes]
        return join(names, self.lang)


def _render_param(value: Param, lang: str) -> Any:
    if isinstance(value, Message):
        return render(value, lang)
    if isinstance(value, Country):
        return _Name((value.code,), lang)
    if isinstance(value, Countries):
        return _Name(value.codes, lang)
    if isinstance(value, Number):
        return format_decimal(value.value, format=value.pattern, locale=lang)
    if isinstance(value, Percent):
        return format_percent(value.value, locale=lang)
    if isinstance(value, Day):
        return format_date(value.value, format="long", locale=lang)
    if isinstance(value, Term):
        return label(value.vocabulary, value.key, lang)
    if isinstance(value, Suggested):
        return ", ".join(f"{c} ({country_name(c, lang)})" for c in value.codes)
    if isinstance(value, Route):
        return " → ".join(country_name(c, lang) for c in value.codes)
    if isinstance(value, Terms):
        return " → ".join(label(value.vocabulary, k, lang).lower() for k in value.keys)
    return str(value)


def _plain(value: Param) -> Any:
    if isinstance(value, Message):
        return value.to_dict()
    if isinstance(value, Country):
        return value.code
    if isinstance(value, Countries | Route | Suggested):
        return list(value.codes)
    if isinstance(value, Terms):
        return list(value.keys)
    if isinstance(value, Number | Percent):
        return value.value
    if isinstance(value, Day):
        return value.value.isoformat()
    if isinstance(value, Term):
        return value.key
    return value


E = TypeVar("E", bound=AzylError)


def failure(kind: type[E], msgid: str, details: Any = None, /, **params: Param) -> E:
    """An error whose sentence each reader gets in their own language.

    `message` is the English rendering (the CLI, the logs and the API's envelope
    keep one stable language); `text` keeps the template, which a page renders
    with `render(exc.text, lang)`. Mark `msgid` with `N_` so it is extracted.
    """
    text = Message.of(msgid, **params)
    return kind(render(text, "en"), details, text=text)


#: An unknown country, as `azyl.countries.resolve` says it (that module sits below this one,
#: so its error carries no template: `text_of` gives it one from its details).
UNKNOWN_COUNTRY = N_(
    "unknown country {input}: use an ISO 3166 code (RUS, RU) or a name in English or Russian"
)
UNKNOWN_COUNTRY_HINT = N_(
    "unknown country {input}: use an ISO 3166 code (RUS, RU) or a name in English or Russian;"
    " did you mean {hints}?"
)


def unknown_country(exc: UnknownCountry) -> Message:
    """`azyl.countries.resolve`'s refusal as a template: the states it suggests are named in
    the reader's language, from the codes in its details."""
    details = exc.details if isinstance(exc.details, dict) else {}
    typed, codes = details.get("input"), tuple(details.get("codes") or ())
    if codes:
        return Message.of(UNKNOWN_COUNTRY_HINT, input=repr(typed), hints=Suggested(codes))
    return Message.of(UNKNOWN_COUNTRY, input=repr(typed))


def text_of(exc: AzylError) -> Message | None:
    """The error's sentence as a template, if it has one (None: English only)."""
    if isinstance(exc.text, Message):
        return exc.text
    if isinstance(exc, UnknownCountry) and isinstance(exc.details, dict):
        return unknown_country(exc)
    return None


def error_text(exc: AzylError, lang: str) -> str:
    """What to show a reader for an error: its translated sentence where it has one."""
    text = text_of(exc)
    return render(text, lang) if text is not None else exc.message
