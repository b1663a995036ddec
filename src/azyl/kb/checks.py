"""Value checks shared by the loader: vocabularies, codes, identifiers, languages.

Each check returns None when the value is fine, or the problem as a phrase the
loader prefixes with the file, the line and the key. Messages name what is
allowed, and suggest the closest allowed value when there is one, because the
person reading them is fixing a YAML file, not debugging Python.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping

import pycountry

from azyl import countries
from azyl.i18n import N_
from azyl.i18n.message import Message, render

#: Source ids and fact names: lower-case letters, digits, '-' and '_' (they appear in URLs).
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_URL = re.compile(r"^https?://\S+$")

#: A check of one code: None when it is fine, else the problem.
CodeCheck = Callable[[str], str | None]


def vocabulary(value: str, vocab: Mapping[str, str], what: str) -> str | None:
    """A value outside a closed vocabulary: name the closest term and list them all."""
    said = vocabulary_said(value, vocab, what)
    return None if said is None else render(said, "en")


def state(value: str) -> str | None:
    """An actor or subject: an ISO 3166-1 alpha-3 code or an organisation code (EU, COE...)."""
    said = state_said(value)
    return None if said is None else render(said, "en")


def nationality(value: str) -> str | None:
    """An ISO 3166-1 alpha-3 code, written as such (RUS, not RU, rus or Russia)."""
    said = nationality_said(value)
    return None if said is None else render(said, "en")


def nationality_said(value: str) -> Message | None:
    """`nationality` as a template (facts and incidents are edited on pages in any language)."""
    country = countries.lookup(value)
    if country is not None and country.alpha3 == value:
        return None
    hint: Message | str = ""
    if value in countries.ORGANISATIONS:
        hint = Message.of(N_(" (an organisation is not a nationality)"))
    elif country is not None:
        hint = Message.of(N_(" (did you mean {code}?)"), code=country.alpha3)
    return Message.of(
        N_("{value} is not an ISO 3166-1 alpha-3 code{hint}"), value=repr(value), hint=hint
    )


def region(value: str) -> str | None:
    """An ISO 3166-2 subdivision code, upper case (RU-CE Chechnya, UA-43 Crimea)."""
    said = region_said(value)
    return None if said is None else render(said, "en")


def region_said(value: str) -> Message | None:
    """`region` as a template."""
    if value == value.upper() and countries.is_region(value):
        return None
    hint = (
        Message.of(N_(" (did you mean {code}?)"), code=value.upper())
        if countries.is_region(value)
        else ""
    )
    return Message.of(
        N_("{value} is not an ISO 3166-2 region code such as RU-CE or UA-43{hint}"),
        value=repr(value),
        hint=hint,
    )


def language(value: str) -> str | None:
    """An ISO 639-1 two-letter language code (en, ru, fr)."""
    said = language_said(value)
    return None if said is None else render(said, "en")


def language_said(value: str) -> Message | None:
    """`language` as a template."""
    if len(value) == 2 and value == value.lower():
        found = pycountry.languages.get(alpha_2=value)
        if found is not None:
            return None
    return Message.of(
        N_("{value} is not an ISO 639-1 language code such as en, ru or fr"), value=repr(value)
    )


def url(value: str) -> str | None:
    """An absolute http(s) URL without spaces."""
    said = url_said(value)
    return None if said is None else render(said, "en")


def url_said(value: str) -> Message | None:
    """`url` as a template."""
    if _URL.match(value):
        return None
    return Message.of(N_("{value} is not an http:// or https:// address"), value=repr(value))


def identifier(value: str, what: str) -> str | None:
    """A source id or a fact name: lower case letters, digits, '-' and '_'."""
    if ID_PATTERN.match(value):
        return None
    return (
        f"{what} {value!r} must use only lower-case letters, digits, '-' and '_' "
        "(it becomes part of ids and addresses)"
    )


def closest_said(value: str, known: list[str]) -> Message | str:
    """`closest` as a template ("" when nothing is close)."""
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    return Message.of(N_(" (did you mean {id}?)"), id=close[0]) if close else ""


#: What each closed vocabulary's terms are, in `vocabulary_said`.
_WHAT = {
    "fact kind": N_("fact kind"),
    "nature": N_("nature"),
    "confidence level": N_("confidence level"),
    "protection": N_("protection"),
    "profile": N_("profile"),
    "source kind": N_("source kind"),
}


def vocabulary_said(value: str, vocab: Mapping[str, str], what: str) -> Message | None:
    """`vocabulary` as a template (its kind of term named in the reader's language when the
    catalogue has it)."""
    if value in vocab:
        return None
    allowed = list(vocab)
    return Message.of(
        N_("{value} is not a {what}{hint}; allowed: {allowed}"),
        value=repr(value),
        what=Message.of(_WHAT[what]) if what in _WHAT else what,
        hint=closest_said(value, allowed),
        allowed=", ".join(allowed),
    )


def state_said(value: str) -> Message | None:
    """`state` as a template (an actor or subject of a fact)."""
    if value in countries.ORGANISATIONS:
        return None
    country = countries.lookup(value)
    if country is not None and country.alpha3 == value:
        return None
    hint = Message.of(N_(" (did you mean {code}?)"), code=country.alpha3) if country else ""
    return Message.of(
        N_("{value} is not an ISO 3166-1 alpha-3 code or an organisation code ({codes}){hint}"),
        value=repr(value),
        codes=", ".join(countries.ORGANISATIONS),
        hint=hint,
    )


def closest(value: str, known: list[str]) -> str:
    """' (did you mean X?)' for the closest known id, or ''."""
    return render(closest_said(value, known), "en")
