"""Scenario tests: situations a lawyer knows the answer to, screened on the real knowledge base.

Each file under tests/cases/ is one scenario named as a sentence, with the reasoning a
lawyer would give from the law and the dated facts (`why`: the fact ids, the articles, and
likelihood x gravity by the matrix of docs/screening.md), a case profile, and what a
caseworker expects. The expectations were written from that reasoning, without running
the engine:

    expect:
      headline: the summary's severity, exactly
      findings: [codes that must be raised]
      not_findings: [codes that must not be raised]
      severities: {code: the severity of the most severe finding with that code, exactly}
      pathways: [[states of a pathway that must be listed], ...]
      not_pathways: [[...], ...]
      pathway_severities: {"A>B>C": that pathway's severity, exactly}
      hops: [[from, to, mechanism], ...]   # hops the engine must have found
      not_hops: [[from, to, mechanism], ...]
      protective: [codes of protective arguments that must be offered]
      not_protective: [...]
      max_severity: no finding may be more serious than this
      no_pathways: true

A file may hold `cases:` variants that change `as_of` (and the expectations),
for situations where the date changes the answer.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from azyl.assess import Assessment, Context, assess, parse_case
from azyl.assess import vocabulary as v

CASES_DIR = Path(__file__).parent / "cases"
EXPECT_KEYS = {
    "headline",
    "findings",
    "not_findings",
    "severities",
    "pathways",
    "not_pathways",
    "pathway_severities",
    "hops",
    "not_hops",
    "protective",
    "not_protective",
    "max_severity",
    "no_pathways",
}


def scenario_variants() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """Every dated variant of every scenario: (path under tests/cases, name, profile, expect)."""
    out = []
    for path in sorted(CASES_DIR.rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for variant in doc.get("cases") or [{"expect": doc["expect"]}]:
            profile = dict(doc["profile"])
            if "as_of" in variant:
                profile["as_of"] = variant["as_of"]
            relative = path.relative_to(CASES_DIR).as_posix()
            out.append((relative, doc["name"], profile, variant["expect"]))
    return out


def _scenarios() -> list[Any]:
    variants = scenario_variants()
    per_file = Counter(relative for relative, *_ in variants)
    out = []
    for relative, name, profile, expect in variants:
        label = relative.removesuffix(".yaml")
        if per_file[relative] > 1:
            label += f"[{profile.get('as_of')}]"
        out.append(pytest.param(name, profile, expect, id=label))
    return out


SCENARIOS = _scenarios()


def test_there_are_at_least_twenty_scenarios_named_as_sentences() -> None:
    files = list(CASES_DIR.rglob("*.yaml"))
    assert len(files) >= 20
    for path in files:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert doc["name"][0].isupper() and " " in doc["name"], path
        assert doc.get("why"), f"{path}: say which seed situation the scenario comes from"


def _check(expect: dict[str, Any], result: Assessment) -> list[str]:
    problems = [f"unknown expectation {k!r}" for k in expect if k not in EXPECT_KEYS]
    codes = result.codes()
    # The most severe finding of each code (sorted least severe first, so it wins).
    by_code = {f.code: f for f in sorted(result.findings, key=lambda f: -v.rank(f.severity))}
    paths = {p.states: p for p in result.pathways}
    hops = {(t.states[0], t.states[1], t.code) for t in result.trace.rules if t.produced == "hop"}
    arguments = {a.code for a in result.protective_arguments}
    problems += [f"missing finding {c}" for c in expect.get("findings", []) if c not in codes]
    problems += [f"unexpected finding {c}" for c in expect.get("not_findings", []) if c in codes]
    if "headline" in expect and result.summary.headline != expect["headline"]:
        problems.append(f"headline is {result.summary.headline}, expected {expect['headline']}")
    for code, wanted in expect.get("severities", {}).items():
        if code not in by_code:
            problems.append(f"no {code} finding, expected one at {wanted}")
        elif by_code[code].severity != wanted:
            problems.append(f"{code} is {by_code[code].severity}, expected {wanted}")
    for states in expect.get("pathways", []):
        if tuple(states) not in paths:
            problems.append(f"missing pathway {' > '.join(states)}")
    for states in expect.get("not_pathways", []):
        if tuple(states) in paths:
            problems.append(f"unexpected pathway {' > '.join(states)}")
    for key, wanted in expect.get("pathway_severities", {}).items():
        path = paths.get(tuple(key.split(">")))
        if path is None:
            problems.append(f"missing pathway {key}")
        elif path.severity != wanted:
            problems.append(f"pathway {key} is {path.severity}, expected {wanted}")
    for hop in expect.get("hops", []):
        if tuple(hop) not in hops:
            problems.append(f"missing hop {hop}")
    for hop in expect.get("not_hops", []):
        if tuple(hop) in hops:
            problems.append(f"unexpected hop {hop}")
    problems += [
        f"missing argument {c}" for c in expect.get("protective", []) if c not in arguments
    ]
    problems += [
        f"unexpected argument {c}" for c in expect.get("not_protective", []) if c in arguments
    ]
    if "max_severity" in expect:
        too_high = [
            f"{f.code} ({f.severity})"
            for f in result.findings
            if v.rank(f.severity) < v.rank(expect["max_severity"])
        ]
        problems += [f"finding above {expect['max_severity']}: {x}" for x in too_high]
    if expect.get("no_pathways") and result.pathways:
        problems.append(f"unexpected pathways: {[p.states for p in result.pathways]}")
    return problems


@pytest.mark.parametrize(("name", "profile", "expect"), SCENARIOS)
def test_scenario(
    name: str, profile: dict[str, Any], expect: dict[str, Any], screening_context: Context
) -> None:
    result = assess(parse_case(profile), screening_context)
    problems = _check(expect, result)
    summary = [f"{f.severity} {f.code} {f.states}" for f in result.findings]
    assert not problems, f"{name}\n  " + "\n  ".join(problems) + "\nfindings: " + str(summary)


def test_the_scenarios_exercise_every_finding_and_every_argument(
    screening_context: Context,
) -> None:
    findings: set[str] = set()
    arguments: set[str] = set()
    for param in SCENARIOS:
        _, profile, _ = param.values
        result = assess(parse_case(profile), screening_context)
        findings |= result.codes()
        arguments |= {a.code for a in result.protective_arguments}
    assert set(v.FINDING_CODES) - findings == set()
    assert set(v.PROTECTIVE_CODES) - arguments == set()


def test_the_review_table_in_the_docs_is_current(screening_context: Context) -> None:
    """docs/screening.md shows, for each scenario, what a lawyer expects and what azyl says:
    regenerate it with `python3 scripts/scenario_table.py` when either changes."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import scenario_table

    doc = scenario_table.DOC.read_text(encoding="utf-8")
    body = scenario_table.table(scenario_table.rows(scenario_variants(), screening_context))
    assert scenario_table.section(doc, body) == doc, "run `python3 scripts/scenario_table.py`"
