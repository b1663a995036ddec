"""CSV cells no spreadsheet will run as a formula, and the way back for files imported again.

Excel, LibreOffice and Google Sheets read a cell that starts with `=`, `+`,
`-` or `@` as a formula (a tab or carriage return in front of one too), so an
incident field typed as `=HYPERLINK("https://...")` or `=cmd|' /C calc'!A0`
would run on the computer of whoever opens an export (CSV injection). Every
CSV azyl writes passes its text cells through `neutralise`, which puts an
apostrophe, the spreadsheets' own mark for "this is text", in front of such a
cell, and in front of a cell that already starts with an apostrophe.

`restore`, which the incident import applies to every CSV cell, removes an
apostrophe only when a trigger character or another apostrophe follows it,
so an export imported again is exactly what was exported, and a hand-made
file whose text starts with an apostrophe (`'Tis`) keeps it. Numbers are not
text and are left alone (a negative number is not a formula).
"""

from __future__ import annotations

from typing import Any

#: What a spreadsheet takes as the start of a formula.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MARK = "'"


def neutralise(value: Any) -> Any:
    """A text cell that no spreadsheet runs; anything else unchanged."""
    if isinstance(value, str) and value.startswith((*TRIGGERS, MARK)):
        return MARK + value
    return value


def restore(text: str) -> str:
    """The text `neutralise` was given (one apostrophe before a trigger or an apostrophe goes)."""
    if text.startswith(MARK) and text[1:2] in (*TRIGGERS, MARK):
        return text[1:]
    return text
