"""One way to validate what people write: pydantic models, every problem as `file:line`.

Knowledge-base sources and facts, incidents and case files are all written by
people (in YAML, or through forms and imports) and all checked the same way:

1. `read_yaml` turns the text into plain Python values *and* remembers the line
   each value was written on. It reads PyYAML's node tree (`compose`) itself,
   so every scalar stays the text that was written (`NO`, Norway's alpha-2
   code, is not `False`; `2017-02-30` is a string pydantic will refuse with a
   reason, not a crash) and a duplicate key is a problem instead of the last
   value silently winning.
2. A pydantic model validates the values: types, closed vocabularies, codes,
   dates and cross-field rules, each with a message a caseworker can act on.
3. `validate` maps each pydantic error's location (`citations`, 0, `quote`)
   back to the line it came from and records it as a `Problem`. Nothing stops
   at the first error: a contributor sees everything there is to fix at once.

Problems are collected in a `Problems` list and raised once by the caller.
Values that do not come from YAML (a JSON import, a spreadsheet row, a web
form) go through `validate_values`, the same models and messages with each
problem's location left for the caller to name (a column, a form field).
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from azyl.i18n import N_
from azyl.i18n.message import Message, render
from azyl.i18n.parsers import yaml_line, yaml_said
from azyl.limits import SAFE_LOADER, LimitExceeded, check_yaml

M = TypeVar("M", bound=BaseModel)
_NOT_YAML = N_("not valid YAML: {problem}")
#: A problem as said to a person: English text, or a template for any language.
Said = str | Message
#: Where a value sits in a document: keys and list indexes from the root.
Loc = tuple[str | int, ...]

_NULL_TAG = "tag:yaml.org,2002:null"
_DATE_FORM = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, at one line (0 when it concerns the whole file).

    `message` is English, or a template a page renders in its language; `str()` is English.
    """

    path: str
    line: int
    message: Said

    def __str__(self) -> str:
        message = render(self.message, "en")
        return f"{self.path}:{self.line}: {message}" if self.line else f"{self.path}: {message}"


@dataclass
class Problems:
    """Collects problems across files; the caller raises once, listing them all."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, message: Said) -> None:
        self.items.append(Problem(path, line, message))

    def sorted(self) -> list[Problem]:
        """Every problem once, ordered by file, then line, then wording."""
        return sorted(set(self.items), key=lambda p: (p.path, p.line, str(p)))

    def sorted_lines(self) -> list[str]:
        """Every problem as `file:line: problem`, ordered by file, then line."""
        return [str(p) for p in self.sorted()]

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Parsed:
    """A document's values with the line each one (and each key) was written on."""

    data: Any
    lines: dict[Loc, int]

    def line(self, loc: Loc) -> int:
        """The line of a location, or of its nearest enclosing value that has one."""
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)

    def items(self) -> list[Parsed]:
        """A list document's items, each as a document of its own (lines kept)."""
        lines: list[dict[Loc, int]] = [{} for _ in self.data]
        for loc, n in self.lines.items():
            if loc and isinstance(loc[0], int):
                lines[loc[0]][loc[1:]] = n
        return [Parsed(item, item_lines) for item, item_lines in zip(self.data, lines, strict=True)]


def read_yaml(text: str, path: str, problems: Problems, *, empty_ok: bool = False) -> Parsed | None:
    """Plain values and their lines, or None after recording why the text is not usable.

    The text is first checked within `azyl.limits` (nesting, node count, no anchors
    or aliases): proposals come from the web, and composing a deeply nested document
    recurses in C (25,000 levels overflow the stack and kill the process). A text
    with nothing but comments is a problem, unless `empty_ok` (then its data is None).
    """
    try:
        check_yaml(text, path, unique_keys=False)
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except LimitExceeded as exc:
        problems.add(path, exc.line or 1, exc.problem or exc.message)
        return None
    except yaml.YAMLError as exc:
        problems.add(path, yaml_line(exc), Message.of(_NOT_YAML, problem=yaml_said(exc)))
        return None
    if root is None:
        if empty_ok:
            return Parsed(None, {})
        problems.add(path, 1, Message.of(N_("no keys: the file is empty or holds only comments")))
        return None
    lines: dict[Loc, int] = {}
    before = len(problems)
    data = _plain(root, (), lines, path, problems)
    return None if len(problems) > before else Parsed(data, lines)


def _line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _plain(node: Node, loc: Loc, lines: dict[Loc, int], path: str, problems: Problems) -> Any:
    """A node as dicts, lists and strings (None for null); duplicate keys are problems.

    Keys are named as `validate` names them; in a list of documents (the incident
    seed) within their item, like the item's other problems.
    """
    lines.setdefault(loc, _line_of(node))
    if isinstance(node, ScalarNode):
        if node.tag == _NULL_TAG or (node.value == "" and node.style is None):
            return None
        return str(node.value)
    if isinstance(node, SequenceNode):
        return [_plain(item, (*loc, i), lines, path, problems) for i, item in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    values: dict[str, Any] = {}
    shown = loc[1:] if loc and isinstance(loc[0], int) else loc
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            plain = Message.of(N_("keys are plain names"))
            problems.add(path, _line_of(key_node), _named(field_name(shown), plain))
            continue
        key = str(key_node.value)
        if key in values:
            twice = Message.of(_TWICE, first=lines[(*loc, key)])
            problems.add(path, _line_of(key_node), _named(field_name((*shown, key)), twice))
            continue
        lines[(*loc, key)] = _line_of(key_node)
        values[key] = _plain(value_node, (*loc, key), lines, path, problems)
    return values


_TWICE = N_("duplicate key (first given on line {first})")


def _named(name: str, problem: Message) -> Message:
    """`key.sub: problem`, or the problem alone for the document itself."""
    return Message.of("{name}: {problem}", name=name, problem=problem) if name else problem


def validate(
    model: type[M],
    parsed: Parsed,
    path: str,
    problems: Problems,
    *,
    context: Mapping[str, Any] | None = None,
) -> M | None:
    """The document as `model`, or None after recording every problem with its line."""
    if not isinstance(parsed.data, dict):
        problems.add(path, parsed.line(()), Message.of(_MAPPING))
        return None
    document, found = validate_said(model, parsed.data, context=context)
    for loc, message in found:
        name = field_name(loc)
        if name and isinstance(message, Message):
            message = Message.of("{name}: {problem}", name=name, problem=message)
        elif name:
            message = f"{name}: {message}"
        problems.add(path, parsed.line(loc), message)
    return document


class Refusal(ValueError):
    """A value a validator refuses, as a sentence any language can render.

    Its text (`str()`) is English, what files, the CLI and the API read; a page
    renders `message` in its own language (`validate_said`).
    """

    def __init__(self, message: Message, field: str | None = None) -> None:
        english = render(message, "en")
        super().__init__(f"{field}: {english}" if field else english)
        self.message = message
        self.field = field  # the key of a (sub)document the problem is about


def checked(check: Callable[[str], Said | None]) -> AfterValidator:
    """A value check (None when the value is fine, else the problem) as a validator: a
    template is refused as a `Refusal` (a page says it in its language), English as is."""

    def run(value: str) -> str:
        if (problem := check(value)) is not None:
            raise Refusal(problem) if isinstance(problem, Message) else ValueError(problem)
        return value

    return AfterValidator(run)


def validate_values(
    model: type[M], data: Any, *, context: Mapping[str, Any] | None = None
) -> tuple[M | None, list[tuple[Loc, str]]]:
    """The values as `model`, or None and every problem with the location of its value."""
    document, found = validate_said(model, data, context=context)
    return document, [(loc, render(message, "en")) for loc, message in found]


def validate_said(
    model: type[M], data: Any, *, context: Mapping[str, Any] | None = None
) -> tuple[M | None, list[tuple[Loc, Said]]]:
    """`validate_values`, each problem a template where azyl words it (for a page)."""
    try:
        return model.model_validate(data, context=dict(context or {})), []
    except ValidationError as exc:
        found: list[tuple[Loc, Said]] = []
        for error in exc.errors(include_url=False):
            message = said(error, model)
            loc = tuple(error["loc"])
            if isinstance(message, str):
                found.append(_located(model, loc, message))
                continue
            about = getattr((error.get("ctx") or {}).get("error"), "field", None)
            if about and about in _fields_at(model, loc):
                loc = (*loc, about)
            elif about:  # not a key there: the key stays in the sentence, as `_located` leaves it
                message = Message.of("{field}: {problem}", field=about, problem=message)
            found.append((loc, message))
        return None, found


def _located(model: type[BaseModel], loc: Loc, message: str) -> tuple[Loc, str]:
    """A rule about a whole (sub)document names the key it is about first ("protection: ...",
    "title: ..."): the problem is then that key's, at that key's line."""
    match = re.match(r"^([a-z_]+): (.*)$", message, re.DOTALL)
    if match and match.group(1) in _fields_at(model, loc):
        return (*loc, match.group(1)), match.group(2)
    return loc, message


def field_name(loc: Loc) -> str:
    """`citations[0].quote` for ('citations', 0, 'quote'); '' for the document itself."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def describe(error: ErrorDetails, model: type[BaseModel]) -> str:
    """A pydantic error as a person fixing the file needs to read it."""
    kind = error["type"]
    if kind == "missing":
        return "missing (required)"
    if kind == "extra_forbidden":
        allowed = ", ".join(_fields_at(model, tuple(error["loc"])[:-1]))
        return f"unknown key; allowed keys are {allowed}"
    if kind in ("value_error", "assertion_error"):
        return str(error["ctx"]["error"]) if "ctx" in error else error["msg"]
    if error.get("input", "") is None:  # written empty (null) where a value is required
        return "missing (required)"
    if kind in ("string_type", "str_type"):
        return f"expected text, not {_kind_of(error.get('input'))}"
    if kind in ("list_type", "tuple_type"):
        return "expected a list (write [] for none)"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "expected a mapping of keys to values"
    if kind == "string_too_short":
        return "empty"
    if kind == "literal_error":
        return f"{error['input']!r} is not allowed; expected {error['ctx']['expected']}"
    return str(error["msg"])


_MISSING = N_("missing (required)")
_MAPPING = N_("expected a mapping of keys to values")
_NOT_ALLOWED = N_("{value} is not allowed; expected {expected}")
#: A check of pydantic's own with no wording of ours: `{detail}` is its English, which the
#: Russian catalogue leaves out (case profiles say the same, `azyl.assess.profile`).
NOT_VALID = N_("not a valid value ({detail})")
_KINDS = {
    "true or false": N_("true or false"),
    "a number": N_("a number"),
    "a list": N_("a list"),
    "a mapping": N_("a mapping"),
}


def said(error: ErrorDetails, model: type[BaseModel]) -> Said:
    """`describe`, as a template for the problems azyl words (the same English)."""
    kind = error["type"]
    refusal = (error.get("ctx") or {}).get("error")
    if kind == "value_error" and isinstance(refusal, Refusal):
        return refusal.message
    if kind == "missing" or (
        kind not in ("value_error", "assertion_error") and error.get("input", "") is None
    ):
        return Message.of(_MISSING)
    if kind == "extra_forbidden":
        allowed = ", ".join(_fields_at(model, tuple(error["loc"])[:-1]))
        return Message.of(N_("unknown key; allowed keys are {keys}"), keys=allowed)
    if kind in ("string_type", "str_type"):
        what = _kind_of(error.get("input"))
        shown = Message.of(_KINDS[what]) if what in _KINDS else what
        return Message.of(N_("expected text, not {kind}"), kind=shown)
    if kind in ("list_type", "tuple_type"):
        return Message.of(N_("expected a list (write [] for none)"))
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Message.of(_MAPPING)
    if kind == "string_too_short":
        return Message.of(N_("empty"))
    if kind == "literal_error":
        allowed = error["ctx"]["expected"]
        return Message.of(_NOT_ALLOWED, value=repr(error["input"]), expected=allowed)
    if kind in ("value_error", "assertion_error"):  # azyl's own English, from a ValueError
        return describe(error, model)
    return Message.of(NOT_VALID, detail=str(error["msg"]))


def _kind_of(value: Any) -> str:
    """What a value that is not text is, in the words of someone writing a file or a form."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list | tuple):
        return "a list"
    return "a mapping" if isinstance(value, dict) else f"a {type(value).__name__}"


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys a person may write in the model that sits at `loc` inside `model`.

    Fields excluded from the model's dump (keys that are accepted and ignored) are not listed.
    """
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field_info = current.model_fields.get(part)
        current = _inner_model(field_info.annotation) if field_info is not None else None
        if current is None:
            return []
    return [name for name, info in current.model_fields.items() if not info.exclude]


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside `X | None`, `list[X]`, `tuple[X, ...]` or `Annotated[X, ...]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, tuple, typing.Annotated):
        for arg in typing.get_args(annotation):
            if (found := _inner_model(arg)) is not None:
                return found
    return None


# -- value checks shared by the models -------------------------------------------------------


def parse_day(value: object) -> date:
    """A calendar date written YYYY-MM-DD; anything else is refused with the reason."""
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    if not _DATE_FORM.match(raw):
        raise Refusal(
            Message.of(N_("{value} is not a date in the form YYYY-MM-DD"), value=repr(raw))
        )
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Refusal(Message.of(N_("{value} is not a date on the calendar"), value=raw)) from None


def no_repeats(values: Iterable[str]) -> tuple[str, ...]:
    """A list where each value appears once; a repeat is named."""
    seen: list[str] = []
    for value in values:
        if value in seen:
            raise Refusal(Message.of(N_("{value} is listed twice"), value=value))
        seen.append(value)
    return tuple(seen)
