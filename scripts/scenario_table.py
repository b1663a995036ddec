#!/usr/bin/env python3
"""Regenerate the review table of docs/screening.md: each scenario, what a lawyer expects, what
azyl says.

The expectation is the scenario's own: its name (a sentence written from the law before the
engine ran) and the headline it expects. What azyl says is the engine's headline and its most
serious findings on the real knowledge base, statistics and incident seed. A test fails when the
table is out of date (tests/test_assess_cases.py).

Usage: python3 scripts/scenario_table.py [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "screening.md"
BEGIN, END = "<!-- scenarios:begin (scripts/scenario_table.py) -->", "<!-- scenarios:end -->"


def _said(result: Any) -> str:
    """The headline and the findings at the most serious severity present."""
    from azyl.assess import vocabulary as v

    if not result.findings:
        return f"**{result.summary.headline}**; no finding"
    top = min(v.rank(f.severity) for f in result.findings)
    named = sorted(
        {f"`{f.code}` {'→'.join(f.states)}" for f in result.findings if v.rank(f.severity) == top}
    )
    return f"**{result.summary.headline}**: " + "; ".join(named)


def _expected(expect: dict[str, Any]) -> str:
    """The scenario's expectation in a few words."""
    parts = []
    if "headline" in expect:
        parts.append(f"headline {expect['headline']}")
    elif "max_severity" in expect:
        parts.append(f"nothing above {expect['max_severity']}")
    parts += [f"`{code}` {level}" for code, level in expect.get("severities", {}).items()]
    if not expect.get("severities") and expect.get("findings"):
        parts.append(", ".join(f"`{code}`" for code in expect["findings"]))
    parts += [f"no `{code}`" for code in expect.get("not_findings", [])]
    if expect.get("no_pathways"):
        parts.append("no pathway")
    return "; ".join(parts) or "see the file"


def table(rows: list[tuple[str, str, str, str]]) -> str:
    lines = ["| scenario | as of | a lawyer expects | azyl says |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def rows(
    scenarios: list[tuple[str, str, dict[str, Any], dict[str, Any]]], context: Any
) -> list[tuple[str, str, str, str]]:
    """(path, name, profile, expect) per variant -> table rows."""
    from azyl.assess import assess, parse_case

    out = []
    for path, name, profile, expect in scenarios:
        result = assess(parse_case(profile), context)
        wanted = _expected(expect)
        out.append(
            (
                f"[{name}](../tests/cases/{path})",
                str(profile.get("as_of", "")),
                wanted,
                _said(result),
            )
        )
    return out


def section(current: str, body: str) -> str:
    head, rest = current.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{body}\n{END}{tail}"


def main() -> int:
    sys.path.insert(0, str(ROOT / "tests"))
    from azyl.assess.adapters import build_context
    from azyl.config import load_settings
    from test_assess_cases import scenario_variants

    # The statistics and incident seed of `azyl build` (run it first), as the tests build them.
    body = table(rows(scenario_variants(), build_context(load_settings({}))))
    current = DOC.read_text(encoding="utf-8")
    wanted = section(current, body)
    if "--check" in sys.argv:
        return 0 if wanted == current else 1
    DOC.write_text(wanted, encoding="utf-8")
    print(f"updated the scenario table of {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
