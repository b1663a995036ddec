"""Reading untrusted text within bounds: size, nesting and node counts checked before parsing.

YAML and JSON parsers build documents recursively. A case file of 50 KB
nested 25,000 levels deep (`as_of: [[[[...]]]]`) overflowed the C stack in
libyaml's composer and killed the server (exit 139); JSON that deep raised
RecursionError; a few thousand levels cost seconds of processor time. So every
parser of input from outside (case files, incident imports, knowledge-base
proposals, JSON request bodies) first checks, without building anything:

- the size in bytes (`check_size`, `read_file`);
- JSON: the nesting of brackets outside strings (`check_json`), by one
  linear scan;
- YAML: its event stream (`check_yaml`). libyaml's parser is a state machine
  with heap stacks (no recursion), and it is stopped at the first event past a
  limit: the nesting depth, the number of nodes, an anchor or alias (which can
  multiply a small file into a huge structure), a key repeated in one mapping
  (YAML says keys are unique; PyYAML silently keeps the last).

Only then is the text handed to `json.loads` or `yaml.load`. A limit that is
exceeded raises `LimitExceeded` (HTTP 413 for size, 422 otherwise), whose
message names the limit and its value.
"""

from __future__ import annotations

import itertools
import json
import re
from array import array
from pathlib import Path
from typing import Any

import yaml

from azyl.errors import InputError
from azyl.i18n import N_
from azyl.i18n.message import Message, Nn_, Number, Param, failure, render

#: Deepest nesting accepted anywhere (a case profile is 4 deep, an incident 4, a fact 5).
MAX_DEPTH = 32
#: Most YAML nodes (scalars, lists, mappings) in one document.
MAX_NODES = 200_000
#: The largest id or version number azyl stores (PostgreSQL's INTEGER): a larger one names nothing.
MAX_ID = 2**31 - 1

#: libyaml's safe loader when PyYAML was built with it (several times faster), else Python's.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
#: "[" and "{" open (+1), "]" and "}" close (-1, the signed byte 0xff).
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


class LimitExceeded(InputError):
    """Input beyond one of the bounds azyl reads within (depth, nodes, rows...); nothing kept.

    A refusal of a document's shape also keeps, as `problem` and `line`, what is
    wrong without the file it names, for a list of problems that names each
    file itself (`azyl.validation.read_yaml`).
    """

    code = "limit_exceeded"
    problem: Message | None = None
    line: int | None = None


def _refused(
    name: str | Message, line: int | None, problem: str, details: Any, **params: Param
) -> LimitExceeded:
    """A LimitExceeded that says where (the document, its line) and then what (`problem`, a
    template)."""
    said = Message.of(problem, **params)
    where = Message.of(N_("{name}: line {line}"), name=name, line=line) if line else name
    refusal = failure(LimitExceeded, "{where}: {problem}", details, where=where, problem=said)
    refusal.problem, refusal.line = said, line
    return refusal


class TooLarge(LimitExceeded):
    """Input larger than the size azyl accepts for it."""

    code = "too_large"
    http_status = 413


def check_size(data: bytes | str, name: str, max_bytes: int) -> None:
    """Refuse input larger than `max_bytes`, naming the limit."""
    if len(data) > max_bytes:
        raise failure(
            TooLarge,
            N_("{name}: the file is larger than the {size} accepted for it; nothing was read"),
            {"limit": "bytes", "max": max_bytes},
            name=name,
            size=size(max_bytes),
        )


def size(n: int) -> Message:
    """A size in bytes as a reader counts it ("1.0 MiB", "1,0 МиБ"; "500 bytes")."""
    if n >= 2**20:
        return Message.of(N_("{mib} MiB"), mib=Number(n / 2**20, "0.0"))
    return Message.counted(Nn_("{count} byte", "{count} bytes"), n)


def read_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a file, reading no more than one byte past `max_bytes` (never a huge file).

    OSError (no such file, unreadable) propagates for the caller to word.
    """
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    check_size(data, str(path), max_bytes)
    return data


def _too_deep(name: str | Message, max_depth: int, line: int | None = None) -> LimitExceeded:
    return _refused(
        name,
        line,
        N_(
            "values are nested more than {max} levels deep, more than any document azyl "
            "reads needs; nothing was read"
        ),
        {"limit": "depth", "max": max_depth},
        max=max_depth,
    )


def check_json(text: str, name: str | Message, max_depth: int = MAX_DEPTH) -> None:
    """Refuse JSON text nested deeper than `max_depth`, before any parser recurses into it.

    Strings are cut out, the brackets left are read as +1 (opening) and -1
    (closing), and the highest running sum is the depth: one linear pass
    (`itertools.accumulate` over signed bytes, about half a second for 5 MiB of
    brackets on a small machine). A malformed document that is not too deep
    passes: the parser then says what is wrong with it.
    """
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    if len(brackets) <= max_depth:
        return
    steps = array("b", brackets.encode("ascii").translate(_STEPS))
    if max(itertools.accumulate(steps)) > max_depth:
        raise _too_deep(name, max_depth)


class Repeated(ValueError):
    """A key given twice in one JSON object; `message` says so in any language."""

    def __init__(self, key: str) -> None:
        self.message = Message.of(N_("the key {key} appears twice in one object"), key=repr(key))
        super().__init__(render(self.message, "en"))


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise Repeated(key)
        seen[key] = value
    return seen


#: What an unnamed JSON document is called in its errors.
_DOCUMENT = Message.of(N_("the document"))


def load_json(text: str, max_depth: int = MAX_DEPTH, *, name: str | Message = _DOCUMENT) -> Any:
    """JSON within the depth limit, refusing a key repeated in one object.

    Raises LimitExceeded, or ValueError (json.JSONDecodeError among them, and
    numbers of more than 4,300 digits) for the caller to word.
    """
    check_json(text, name, max_depth)
    return json.loads(text, object_pairs_hook=_unique_keys)


_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Mapping:
    """Keys seen so far in one open mapping, and whether the next node is a key."""

    __slots__ = ("keys", "want_key")

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.want_key = True


def check_yaml(
    text: str,
    name: str,
    *,
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_NODES,
    aliases: bool = False,
    unique_keys: bool = True,
) -> None:
    """Refuse YAML that is too deep, has too many nodes, anchors or aliases, or repeated keys.

    Reads libyaml's events without composing a node, and stops at the first
    one past a limit. Syntax errors propagate as yaml.YAMLError for the caller.
    `unique_keys=False` leaves repeated keys to a caller that reports them
    itself (the knowledge base's strict loader lists every problem at once).
    """
    open_: list[_Mapping | None] = []  # one entry per open collection (None for a list)
    nodes = 0
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, _CLOSE):
            open_.pop()
            _completed(open_)
            continue
        if not isinstance(event, (*_OPEN, yaml.ScalarEvent, yaml.AliasEvent)):
            continue
        nodes += 1
        if nodes > max_nodes:
            raise _refused(
                name,
                None,
                N_(
                    "more than {max} values, more than any document azyl reads needs; "
                    "nothing was read"
                ),
                {"limit": "nodes", "max": max_nodes},
                max=Number(max_nodes),
            )
        if not aliases and (isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None)):
            raise _refused(
                name,
                line,
                N_(
                    "YAML anchors and aliases (&name, *name) are not accepted; write each value out"
                ),
                {"limit": "aliases", "max": 0},
            )
        mapping = open_[-1] if open_ else None
        if unique_keys and mapping and mapping.want_key and isinstance(event, yaml.ScalarEvent):
            _new_key(mapping, event.value, name, line)
        if isinstance(event, _OPEN):
            if len(open_) >= max_depth:
                raise _too_deep(name, max_depth, line)
            open_.append(_Mapping() if isinstance(event, yaml.MappingStartEvent) else None)
        else:
            _completed(open_)


def _new_key(mapping: _Mapping, key: str, name: str, line: int | None) -> None:
    """A key must not repeat an earlier key of the same mapping."""
    if key in mapping.keys:
        raise failure(
            InputError,
            N_(
                "{name}: line {line}: the key {key} appears twice in one mapping; keep one "
                "(YAML keys are unique, and the first would be silently lost)"
            ),
            name=name,
            line=line,
            key=repr(key),
        )
    mapping.keys.add(key)


def _completed(open_: list[_Mapping | None]) -> None:
    """A node ended: in a mapping, a key is followed by its value and a value by the next key."""
    mapping = open_[-1] if open_ else None
    if mapping is not None:
        mapping.want_key = not mapping.want_key


def load_yaml(text: str, name: str, **limits: Any) -> Any:
    """YAML within the limits of `check_yaml` (same keywords), as plain values (safe loader)."""
    check_yaml(text, name, **limits)
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except (AttributeError, TypeError) as exc:  # PyYAML's constructors on `!!timestamp x`
        raise ValueError(f"a tagged value that cannot be built ({exc})") from None
