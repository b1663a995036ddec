"""The framework's own input checks, as a sentence a person reads in their language.

FastAPI refuses a query parameter or a form field that does not parse (a
year of "abc", a title past its length) before a route runs, with pydantic's
English. The JSON envelope keeps that English (`azyl.web.errors._describe`);
a page shows `validation_text` instead: the field named as the form names it
and the problem in words, both translated. A problem not listed here is said
to be not valid: pydantic's English follows on an English page only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from azyl.i18n import N_
from azyl.i18n.message import Message, Nn_

#: Parameters and form fields of the pages, as the pages name them.
FIELDS = {
    "year": N_("year"),
    "origin": N_("country of origin"),
    "host": N_("host country"),
    "rate": N_("rate"),
    "scope": N_("destinations compared"),
    "as_of": N_("date"),
    "title": N_("title"),
    "notes": N_("notes"),
    "profile": N_("profile"),
    "username": N_("username"),
    "password": N_("password"),
    "current": N_("current password"),
    "new": N_("new password"),
    "repeat": N_("new password, repeated"),
    "code": N_("code"),
    "role": N_("role"),
    "confirm": N_("confirmation"),
    "first": N_("first run"),
    "second": N_("second run"),
    "run": N_("run"),
    "to_version": N_("version to restore"),
    "base_version": N_("version edited"),
    "proposal_id": N_("proposal number"),
    "fact_id": N_("fact id"),
    "text": N_("text"),
    "comment": N_("comment"),
    "q": N_("search"),
    "kind": N_("kind"),
    "page": N_("page"),
}
#: What pydantic's checks say, by error type, with the limits they name (`ctx`).
PROBLEMS = {
    "missing": N_("is required"),
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "int_parsing_size": N_("is too large a number"),
    "float_parsing": N_("must be a number"),
    "bool_parsing": N_("must be true or false"),
    "greater_than_equal": N_("must be {ge} or more"),
    "less_than_equal": N_("must be {le} or less"),
    "greater_than": N_("must be more than {gt}"),
    "less_than": N_("must be less than {lt}"),
    "string_too_long": N_("must be at most {max_length} characters long"),
    "string_too_short": N_("must be at least {min_length} characters long"),
    "string_pattern_mismatch": N_("is not written in the form expected"),
    "literal_error": N_("must be one of {expected}"),
    "date_parsing": N_("is not a date: write it as YYYY-MM-DD"),
    "date_from_datetime_parsing": N_("is not a date: write it as YYYY-MM-DD"),
}
#: A check of pydantic's own not listed above: `{detail}` is its English, which the Russian
#: catalogue leaves out (a Russian page says the value is not valid, in Russian only).
_OTHER = N_("is not valid ({detail})")
_QUERY = N_('the parameter "{name}" {problem}')
_FIELD = N_('the field "{name}" {problem}')
_MORE = Nn_("{first} (and {count} more problem)", "{first} (and {count} more problems)")


def _problem(err: Any) -> Message:
    msgid = PROBLEMS.get(str(err.get("type")))
    if msgid is None:
        return Message.of(_OTHER, detail=str(err.get("msg", "")))
    # Limits as written (a year of 2100 has no thousands separator in any language).
    ctx = {k: str(v) for k, v in (err.get("ctx") or {}).items() if f"{{{k}}}" in msgid}
    return Message.of(msgid, **ctx)


def validation_text(errors: Sequence[Any]) -> Message | None:
    """The first problem as one sentence (and how many more there are), or None if none."""
    if not errors:
        return None
    first = errors[0]
    loc = [str(p) for p in first.get("loc", ())]
    where, name = (loc[0] if loc else "request"), ".".join(loc[1:])
    shown: Message | str = Message.of(FIELDS[name]) if name in FIELDS else name
    template = _FIELD if where == "body" else _QUERY
    sentence = Message.of(template, name=shown, problem=_problem(first))
    if len(errors) > 1:
        return Message.counted(_MORE, len(errors) - 1, first=sentence)
    return sentence
