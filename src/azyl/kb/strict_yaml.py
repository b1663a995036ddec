"""Strict YAML with line numbers: the reading half of the knowledge-base loader.

PyYAML's usual `safe_load` forgets where values came from, silently keeps the
last of two duplicate keys, turns `NO` (Norway) into `False` and raises on the
first impossible date. A lawyer fixing a fact file needs the opposite: every
problem, each with its line. So we stop at PyYAML's *node* tree (`compose`),
which keeps positions, and read values from the nodes ourselves:

- a `Record` is one YAML mapping with its keys checked (duplicates, unknown
  keys, missing keys) and its values read by field readers (`text`, `day`,
  `text_list`, ...) that report problems instead of raising;
- scalars are read as the text that was written, so `NO`, `2017` or `33` stay
  the strings a reader sees; only dates are parsed, by us, strictly.

Every problem goes to a `Problems` collector as `file:line: key: problem`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from azyl.limits import LimitExceeded, check_yaml

_NULL_TAG = "tag:yaml.org,2002:null"
#: libyaml's parser when PyYAML was built with it (about five times faster), else Python's.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DATE_FORM = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at one line (None when it concerns the whole file)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


@dataclass
class Problems:
    """Collects problems across files; the loader raises once, listing them all."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, message: str) -> None:
        self.items.append(Problem(path, line, message))

    def sorted_lines(self) -> list[str]:
        """Every problem as `file:line: problem`, ordered by file, then line."""
        return [str(p) for p in sorted(set(self.items))]

    def __len__(self) -> int:
        return len(self.items)


def line_of(node: Node) -> int:
    """The 1-based line where a node starts."""
    return int(node.start_mark.line) + 1


def parse_document(text: str, path: str, problems: Problems) -> MappingNode | None:
    """The top-level mapping of a one-document YAML file, or None (with a problem).

    The text is first checked within `azyl.limits` (nesting, node count, no
    anchors or aliases): proposals come from the web, and composing a nested
    document recurses in C (25,000 levels overflow the stack and kill the process).
    """
    try:
        check_yaml(text, path, unique_keys=False)
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else 1
        problems.add(path, line, f"not valid YAML: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        problems.add(path, 1, f"not valid YAML: {exc}")
        return None
    except LimitExceeded as exc:
        problems.add(path, 1, exc.message.removeprefix(f"{path}: "))
        return None
    if root is None:
        problems.add(path, 1, "no keys: the file is empty or holds only comments")
        return None
    if not isinstance(root, MappingNode):
        problems.add(path, line_of(root), "expected a mapping of keys to values")
        return None
    return root


class Record:
    """One YAML mapping whose keys are checked against a fixed set.

    Building a Record reports duplicate keys, unknown keys (listing the allowed
    ones) and missing required keys. The field readers then return typed
    values, or None after reporting why the value is unusable; callers simply
    skip what came back None, so one bad field never hides the others.
    """

    def __init__(
        self,
        node: MappingNode,
        path: str,
        problems: Problems,
        *,
        required: Iterable[str],
        optional: Iterable[str] = (),
        prefix: str = "",
    ) -> None:
        self.node = node
        self.path = path
        self.problems = problems
        self.prefix = prefix
        self.line = line_of(node)
        self.values: dict[str, Node] = {}
        required = tuple(required)
        allowed = (*required, *optional)
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.report(key_node, f"{prefix}keys are plain names, not lists or mappings")
                continue
            key = str(key_node.value)
            if key in self.values:
                first = line_of(self.values[key])
                self.report(
                    key_node, f"{self._name(key)}: duplicate key (first given on line {first})"
                )
                continue
            if key not in allowed:
                self.report(
                    key_node,
                    f"{self._name(key)}: unknown key; allowed keys are {', '.join(allowed)}",
                )
                continue
            self.values[key] = value_node
        for key in required:
            if key not in self.values or self._is_null(self.values[key]):
                where = self.values.get(key, node)
                self.report(where, f"{self._name(key)}: missing (required)")

    def _name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    @staticmethod
    def _is_null(node: Node) -> bool:
        return isinstance(node, ScalarNode) and (node.tag == _NULL_TAG or node.value == "")

    def report(self, node: Node | None, message: str) -> None:
        """Record a problem at a node's line (the record's own line when node is None)."""
        self.problems.add(self.path, line_of(node) if node is not None else self.line, message)

    def has(self, key: str) -> bool:
        """True when the key is present with a non-null value."""
        return key in self.values and not self._is_null(self.values[key])

    def node_of(self, key: str) -> Node | None:
        return self.values.get(key)

    def line_for(self, key: str) -> int:
        node = self.values.get(key)
        return line_of(node) if node is not None else self.line

    # ---- field readers: each returns None after reporting a problem ---------------------

    def text(self, key: str) -> str | None:
        """A scalar as the text written (whitespace-trimmed); None if absent or not text."""
        node = self.values.get(key)
        if node is None or self._is_null(node):
            return None
        if not isinstance(node, ScalarNode):
            self.report(node, f"{self._name(key)}: expected text, not a list or mapping")
            return None
        value = str(node.value).strip()
        if not value:
            self.report(node, f"{self._name(key)}: empty")
            return None
        return value

    def day(self, key: str) -> date | None:
        """A calendar date written YYYY-MM-DD; None if absent, malformed or impossible."""
        node = self.values.get(key)
        if node is None or self._is_null(node):
            return None
        if not isinstance(node, ScalarNode):
            self.report(node, f"{self._name(key)}: expected a date (YYYY-MM-DD)")
            return None
        raw = str(node.value).strip()
        if not _DATE_FORM.match(raw):
            self.report(node, f"{self._name(key)}: {raw!r} is not a date in the form YYYY-MM-DD")
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.report(node, f"{self._name(key)}: {raw} is not a date on the calendar")
            return None

    def sequence(self, key: str) -> list[Node] | None:
        """The items of a list; None if absent; [] (with a problem) if not a list."""
        node = self.values.get(key)
        if node is None or self._is_null(node):
            return None
        if not isinstance(node, SequenceNode):
            self.report(node, f"{self._name(key)}: expected a list (write [] for none)")
            return []
        return list(node.value)

    def text_list(self, key: str) -> list[tuple[str, int]]:
        """A list of scalars as (text, line) pairs; repeats and non-scalars are reported."""
        out: list[tuple[str, int]] = []
        seen: set[str] = set()
        for index, item in enumerate(self.sequence(key) or []):
            where = f"{self._name(key)}[{index}]"
            if not isinstance(item, ScalarNode) or self._is_null(item):
                self.report(item, f"{where}: expected a code or name, not a list or mapping")
                continue
            value = str(item.value).strip()
            if value in seen:
                self.report(item, f"{where}: {value} is listed twice")
                continue
            seen.add(value)
            out.append((value, line_of(item)))
        return out

    def mapping(
        self, key: str, *, required: Iterable[str], optional: Iterable[str] = ()
    ) -> Record | None:
        """A nested mapping as a Record of its own (keys named `key.sub` in problems)."""
        node = self.values.get(key)
        if node is None or self._is_null(node):
            return None
        if not isinstance(node, MappingNode):
            self.report(node, f"{self._name(key)}: expected a mapping")
            return None
        return Record(
            node,
            self.path,
            self.problems,
            required=required,
            optional=optional,
            prefix=f"{self._name(key)}.",
        )

    def item_record(
        self, node: Node, where: str, *, required: Iterable[str], optional: Iterable[str] = ()
    ) -> Record | None:
        """A list item that must be a mapping (citations), as a Record named `where.`."""
        if not isinstance(node, MappingNode):
            self.report(node, f"{where}: expected a mapping")
            return None
        return Record(
            node, self.path, self.problems, required=required, optional=optional, prefix=f"{where}."
        )
