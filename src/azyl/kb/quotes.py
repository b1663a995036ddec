"""Checking that a citation's quote is really in its source.

Archived texts are extracted from PDFs and web pages: lines break mid-sentence,
words are hyphenated across lines, apostrophes are typographic, page numbers
and footnote markers sit in the middle of paragraphs. A quote typed by a person
differs from such a text in exactly those ways, and in no way that matters to
its meaning. So both sides are reduced to the same *comparison form* before
searching:

- Unicode compatibility forms are folded (NFKC: ligatures such as "ﬁ",
  non-breaking spaces, "…" becomes "...");
- typographic quotes and apostrophes become ASCII ones, and « » become ";
- hyphens and dashes are dropped, so "well-\\nknown", "well-known" and a word
  split "pro-\\ntection" all compare equal to their unbroken forms;
- runs of whitespace (line breaks included) become one space; case is folded.

A quote may leave words out with an ellipsis ("...", "…" or "[...]"): each
part must then be found, in order.
"""

from __future__ import annotations

import re
import unicodedata

_QUOTE_MARKS = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
    }
)
# Hyphen-minus, soft hyphen, hyphen, non-breaking hyphen, figure dash, en dash, em dash,
# horizontal bar, minus sign.
_DASH_CLASS = "[-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212]"
_DASHES = re.compile(_DASH_CLASS)
_LINE_BREAK_DASH = re.compile(_DASH_CLASS + r"[ \t]*\n\s*")
_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\[\s*\.\.\.\s*\]|\.\.\.)\s*")


def comparison_form(text: str) -> str:
    """The text as compared: see the module docstring for each step and why."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_MARKS)
    text = _DASHES.sub("", _LINE_BREAK_DASH.sub("", text))
    return _SPACE.sub(" ", text).strip().casefold()


def quote_parts(quote: str) -> list[str]:
    """The parts of a quote between ellipses, in comparison form (empty parts dropped)."""
    folded = unicodedata.normalize("NFKC", quote)
    return [p for p in (comparison_form(part) for part in _ELLIPSIS.split(folded)) if p]


def find_quote(quote: str, text_form: str) -> int:
    """How many characters of the quote's comparison form match; -1 when all of it is found.

    `text_form` is the archived text already in comparison form. On failure
    the number returned is the length of the longest leading part of the quote
    that does occur, so the message can show where the quote departs from
    the source.
    """
    position = 0
    matched = 0
    for part in quote_parts(quote):
        found = text_form.find(part, position)
        if found < 0:
            return matched + _longest_found_prefix(part, text_form, position)
        position = found + len(part)
        matched += len(part) + 1
    return -1


def _longest_found_prefix(part: str, text_form: str, start: int) -> int:
    """Binary search for the longest prefix of `part` found in `text_form` after `start`."""
    low, high = 0, len(part)
    while low < high:
        middle = (low + high + 1) // 2
        if text_form.find(part[:middle], start) >= 0:
            low = middle
        else:
            high = middle - 1
    return low


def matched_prefix(quote: str, matched: int) -> str:
    """The leading part of the quote (comparison form) that was found, for messages."""
    return " ... ".join(quote_parts(quote))[:matched].strip()


def collapsed_length(quote: str) -> int:
    """The quote's length as a reader sees it: whitespace runs count as one space."""
    return len(_SPACE.sub(" ", quote).strip())
