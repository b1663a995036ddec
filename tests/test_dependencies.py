"""Every module azyl's own code imports is in the standard library or the runtime lock.

The test suite runs with the development lock installed, which holds more
(hypothesis, playwright, mypy...). An import of one of those from `src/`
passes every test and breaks a fresh install of `requirements/main.lock`
(as a numpy import in the JSON depth check once would have: a 500 on every
nested JSON body). Imports inside functions count too.
"""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src" / "azyl"


def _imported_top_levels() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                found.setdefault(name.split(".")[0], []).append(str(path.relative_to(REPO)))
    return found


def _locked(lock: Path) -> set[str]:
    """Distribution names pinned in a lock file, normalised (PEP 503)."""
    pinned = re.findall(r"^([A-Za-z0-9_.-]+)==", lock.read_text(encoding="utf-8"), flags=re.M)
    return {re.sub(r"[-_.]+", "-", name).lower() for name in pinned}


def test_src_imports_only_the_standard_library_and_the_runtime_lock() -> None:
    runtime = _locked(REPO / "requirements" / "main.lock")
    distributions = packages_distributions()
    outside = {}
    for module, where in _imported_top_levels().items():
        if module == "azyl" or module in sys.stdlib_module_names or module == "__future__":
            continue
        names = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions.get(module, [])}
        if not names & runtime:
            outside[module] = sorted(set(where))
    assert outside == {}, f"imported by src/ but not in requirements/main.lock: {outside}"
