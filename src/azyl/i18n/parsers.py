"""What a parser's complaint means, said in the reader's language, at the place it was found.

PyYAML, libyaml, `json` and `csv` word their errors in English for
programmers ("mapping values are not allowed in this context", "Expecting
value"). A caseworker or an editor who uploads a case file, proposes a fact
or imports incidents reads instead one template per common problem, with the
line and column where the parser stopped. A problem not listed here is said
as a syntax error at that place: its English keeps the library's words as
`{detail}`, which the Russian catalogue leaves out on purpose (a reader of
Russian gets the position, never an English fragment inside a Russian
sentence).
"""

from __future__ import annotations

import csv
import json
from typing import Any

import yaml

from azyl.i18n.catalogue import N_
from azyl.i18n.message import Message, Number

#: Where a parser stopped (1-based).
_AT = N_("{problem} (line {line}, column {column})")
#: A problem of a library's own with no wording of ours: `{detail}` is its English.
_SYNTAX = N_("syntax error: {detail}")

#: PyYAML's and libyaml's problems, by a part of their wording both share.
_YAML = (
    (
        "mapping values are not allowed",
        N_(
            "a colon and a space start a value where none can stand (put text that holds ': ' "
            "in quotes, or check the indentation)"
        ),
    ),
    (
        "expected key",
        N_(
            "a key was expected here (check the indentation, and that nothing follows a "
            "closing quote or bracket)"
        ),
    ),
    ("expected <block end>", N_("a key was expected here (check the indentation)")),
    ("expected ',' or ']'", N_("a list opened with [ is not closed with ]")),
    ("expected ',' or '}'", N_("a mapping opened with a brace is not closed")),
    ("unexpected end of stream", N_("the text ends early: a closing quote or bracket is missing")),
    (
        "cannot start any token",
        N_(
            "a character that cannot begin a value here (indent with spaces, not tabs; quote "
            "text that begins with %, @ or `)"
        ),
    ),
    ("expected '-' indicator", N_("a list item beginning with '-' was expected here")),
    ("expected ':'", N_("a key must be followed by ':' (write key: value)")),
    ("unknown escape", N_("an unknown escape sequence with a backslash (write \\\\ for one \\)")),
    ("expected node content", N_("a value was expected here")),
    ("found another document", N_("the file holds more than one document (a second ---)")),
    ("could not determine a constructor", N_("a tag (!name) that azyl does not read")),
    ("unhashable key", N_("a key must be a plain name, not a list or a mapping")),
)

#: The `json` module's problems, by the start of their wording.
_JSON = (
    (
        "Expecting value",
        N_(
            "a value was expected here (text in double quotes, a number, true, false, null, a "
            "list or an object)"
        ),
    ),
    (
        "Expecting property name",
        N_("a key in double quotes was expected (JSON has no comma before a closing brace)"),
    ),
    ("Expecting ',' delimiter", N_("a comma between values, or a closing bracket, was expected")),
    ("Expecting ':' delimiter", N_("a key must be followed by ':'")),
    ("Unterminated string", N_("text in double quotes is not closed")),
    (
        "Invalid control character",
        N_("a line break or a control character inside text in quotes (write \\n for a break)"),
    ),
    ("Invalid \\", N_("an unknown escape sequence with a backslash (write \\\\ for one \\)")),
    ("Extra data", N_("more text follows the end of the document")),
)


def _known(problem: str, table: tuple[tuple[str, str], ...]) -> Message:
    """The template for a library's wording, or a syntax error keeping it for English readers."""
    for wording, msgid in table:
        if wording in problem:
            return Message.of(msgid)
    return Message.of(_SYNTAX, detail=problem)


def _at(problem: Message, line: int, column: int) -> Message:
    """A problem with its place; lines and columns as editors show them (1234, not 1,234)."""
    return Message.of(_AT, problem=problem, line=line, column=column)


def yaml_said(exc: yaml.YAMLError) -> Message:
    """What is wrong with YAML text, without its position (for a caller that gives the line)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        return _known(str(exc.problem or exc.context or ""), _YAML)
    if isinstance(exc, yaml.reader.ReaderError):
        return Message.of(
            N_("a control character ({code}) at character {position}: text cannot hold it"),
            code=f"#x{exc.character:04x}" if isinstance(exc.character, int) else "?",
            position=int(exc.position) + 1,
        )
    return Message.of(_SYNTAX, detail=str(exc))


def _mark(exc: yaml.YAMLError) -> Any:
    """Where the parser stopped (0-based line and column), or None when it says nowhere."""
    return getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)


def yaml_line(exc: yaml.YAMLError) -> int:
    """The line (1-based) a YAML error was found on; 1 when the parser gives none."""
    mark = _mark(exc)
    return int(mark.line) + 1 if mark is not None else 1


def yaml_problem(exc: yaml.YAMLError) -> Message:
    """What is wrong with YAML text, and where."""
    mark = _mark(exc)
    if mark is None:
        return yaml_said(exc)
    return _at(yaml_said(exc), int(mark.line) + 1, int(mark.column) + 1)


def json_problem(exc: json.JSONDecodeError) -> Message:
    """What is wrong with JSON text, without its position (`exc.lineno` gives the line)."""
    return _known(exc.msg, _JSON)


def json_problem_at(exc: json.JSONDecodeError) -> Message:
    """What is wrong with JSON text, and where."""
    return _at(json_problem(exc), exc.lineno, exc.colno)


def value_problem(exc: ValueError) -> Message:
    """A value the parser read but could not build: a YAML date such as 2024-13-45 or a
    tagged number (`!!int x`), a JSON number of thousands of digits."""
    if "digits" in str(exc):
        return Message.of(N_("a number with more digits than azyl reads"))
    return Message.of(
        N_(
            "a value written like a date or a number is not one ({detail}); correct it, or put "
            "it in quotes"
        ),
        detail=str(exc),
    )


def csv_problem(exc: csv.Error, line: int) -> Message:
    """What is wrong with a CSV table, and on which line."""
    if "field larger than field limit" in str(exc):
        problem = Message.of(
            N_("a cell is longer than {limit} characters"), limit=Number(csv.field_size_limit())
        )
    else:
        problem = Message.of(_SYNTAX, detail=str(exc))
    return Message.of(N_("{problem} (line {line})"), problem=problem, line=line)
