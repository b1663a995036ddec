"""What may import what: the layers of docs/architecture.md, held against every module's imports.

Every module under src/azyl is parsed (never imported) and its imports of
azyl are read, wherever they stand: at the top, under `if TYPE_CHECKING:`, or
inside a function. Three rules follow from the design:

- the areas of azyl (its top-level packages and modules) import each other
  without a circle, and so do the modules inside an area;
- an area imports only areas of its own layer or of a layer below it, in the
  order of `LAYERS` (the table of docs/architecture.md, "What may import what");
- no function imports azyl: an import hidden in a function is how a circle is
  dodged rather than removed, so `FUNCTION_IMPORTS_ALLOWED` is empty, and
  loading a module by its name (`importlib.import_module`) is allowed only
  where `IMPORT_BY_NAME_ALLOWED` says why.

The expected layers come from the design, not from what the code happens to
do: a new area must be placed in `LAYERS` (and in docs/architecture.md) before
this test passes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "azyl"

#: The layers, lowest first. An area may import its own layer and the layers below.
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    # Vocabulary every part speaks: errors, settings, bounded reading, validation,
    # country codes, CSV cells, translations and labels (`azyl` is the package's version).
    (
        "foundation",
        frozenset(
            {"azyl", "errors", "config", "limits", "validation", "countries", "csvcells", "i18n"}
        ),
    ),
    # The stores and the pure cores over them: ingest adapters, the statistics store and
    # statistics, the knowledge base, the application database, the keyring and cipher.
    ("stores", frozenset({"sources", "store", "stats", "kb", "appdb", "vault"})),
    # What people do with the data: the audit log, versions and proposals, the incident
    # registry, accounts, the screening engine, saved cases, the coverage of the evidence,
    # the full-text search over facts, sources and incidents.
    (
        "domain",
        frozenset(
            {"audit", "revisions", "incidents", "accounts", "assess", "cases", "coverage", "search"}
        ),
    ),
    # Operations that meet several domain areas: key rotation, backups, the build, the
    # audited schema upgrade.
    ("operations", frozenset({"keys", "backup", "build", "upgrade"})),
    # One report and the charts drawn in it.
    ("presentation", frozenset({"reports", "charts"})),
    # The two edges: the web application and the command line.
    ("edge", frozenset({"web", "cli"})),
)

#: Function-level imports of azyl that are allowed, as {(module, imported): why}. Empty:
#: an import inside a function exists to dodge a circle, which the layers forbid.
FUNCTION_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {}

#: Modules that load azyl modules by name, as {module: why}.
IMPORT_BY_NAME_ALLOWED: dict[str, str] = {
    "azyl.appdb.engine": (
        "`import_models` fills `Base.metadata` with every table for Alembic's comparison, "
        "backups and the audit log's check; the modules that declare tables sit above the "
        "database package, which therefore names them (MODEL_MODULES) instead of importing them"
    ),
}


@dataclass(frozen=True)
class Import:
    """One import of an azyl module by another."""

    importer: str
    imported: str
    line: int
    in_function: bool

    def __str__(self) -> str:
        where = " (inside a function)" if self.in_function else ""
        return f"{self.importer}:{self.line} imports {self.imported}{where}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def area(module: str) -> str:
    """The top-level package or module of azyl a module belongs to (`azyl` for the root)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "azyl"


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    """The absolute module a `from ... import` names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    package = importer.split(".")
    if MODULES[importer].name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(module: str) -> Iterator[Import]:
    """Every import of an azyl module in `module`, with whether a function holds it."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"), str(MODULES[module]))

    def visit(node: ast.AST, in_function: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            targets: list[str] = []
            if isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(module, child)
                # `from azyl.x import y` imports the module azyl.x.y when there is one.
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base
                    for a in child.names
                ]
            for target in targets:
                if target == "azyl" or target.startswith("azyl."):
                    yield Import(module, target, child.lineno, in_function)
            yield from visit(child, inside)

    yield from visit(tree, False)


ALL_IMPORTS: list[Import] = [i for m in MODULES for i in imports_of(m)]


def layer_of(name: str) -> int:
    for rank, (_, areas) in enumerate(LAYERS):
        if name in areas:
            return rank
    raise KeyError(name)


def area_graph(imports: list[Import]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {area(m): set() for m in MODULES}
    for i in imports:
        if area(i.importer) != area(i.imported):
            graph[area(i.importer)].add(area(i.imported))
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one area (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def layer_breaches(imports: list[Import]) -> list[str]:
    """Imports that reach up: an area importing an area of a higher layer."""
    breaches = []
    for i in imports:
        low, high = area(i.importer), area(i.imported)
        if layer_of(high) > layer_of(low):
            breaches.append(
                f"{i}: {low} ({LAYERS[layer_of(low)][0]}) may not import "
                f"{high} ({LAYERS[layer_of(high)][0]})"
            )
    return breaches


def test_the_parser_sees_the_imports_it_must_judge() -> None:
    """The rules below are only as good as the import reader: check it on known modules."""
    assert "azyl.web.app" in MODULES and "azyl.cli" in MODULES
    cli = {i.imported for i in ALL_IMPORTS if i.importer == "azyl.cli"}
    assert {"azyl.cli.build", "azyl.cli.keys", "azyl.errors"} <= cli
    probe = ast.parse("from .model import Case\n").body[0]
    assert isinstance(probe, ast.ImportFrom)
    assert _resolve("azyl.cases.store", probe) == "azyl.cases.model"
    assert _resolve("azyl.cases", probe) == "azyl.cases.model"


def test_every_area_has_its_place_in_the_layers() -> None:
    placed = [name for _, areas in LAYERS for name in areas]
    assert len(placed) == len(set(placed)), "an area is placed in two layers"
    areas = {area(m) for m in MODULES}
    assert sorted(areas - set(placed)) == [], "place these areas in LAYERS (and the docs)"
    assert sorted(set(placed) - areas) == [], "LAYERS names areas that no longer exist"


def test_no_import_circles_between_areas() -> None:
    assert circles(area_graph(ALL_IMPORTS)) == []


def test_no_import_circles_between_modules() -> None:
    """Inside an area too, modules import each other one way (a package's face included)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for i in ALL_IMPORTS:
        if i.imported in MODULES and i.imported != i.importer:
            graph[i.importer].add(i.imported)
    assert circles(graph) == []


def test_areas_import_only_their_own_layer_or_lower() -> None:
    assert layer_breaches(ALL_IMPORTS) == []


def test_no_function_imports_azyl() -> None:
    hidden = [
        str(i)
        for i in ALL_IMPORTS
        if i.in_function and (i.importer, i.imported) not in FUNCTION_IMPORTS_ALLOWED
    ]
    assert hidden == []


def _loads_by_name(module: str) -> bool:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in {"import_module", "__import__"}:
                return True
    return False


def test_modules_are_not_loaded_by_name_except_where_explained() -> None:
    assert sorted(m for m in MODULES if _loads_by_name(m)) == sorted(IMPORT_BY_NAME_ALLOWED)


@pytest.mark.parametrize(
    ("importer", "imported", "complaint"),
    [
        ("azyl.reports.html", "azyl.web.i18n", "presentation"),  # reaching up a layer
        ("azyl.vault.cipher", "azyl.cases.rotation", "stores"),  # the old rotation loop
    ],
)
def test_a_wrong_import_is_caught(importer: str, imported: str, complaint: str) -> None:
    """The checks themselves fail on the kind of import they exist to refuse."""
    wrong = Import(importer, imported, 1, in_function=False)
    breaches = layer_breaches([*ALL_IMPORTS, wrong])
    assert len(breaches) == 1 and complaint in breaches[0]
    back = Import(imported, importer, 1, in_function=False)  # and the way down: a circle
    assert circles(area_graph([wrong, back])) == [sorted({area(importer), area(imported)})]
