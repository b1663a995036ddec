"""What changed between two runs of a case: items added, removed or changed, and why.

A run is compared item by item in four sections, each item keyed so that the
same thing is recognised in both runs:

    mechanisms            (mechanism, from, to)   the hops, with their likelihood
    pathways              the states in order     with the pathway's severity
    findings              (code, states)          with the finding's severity
    protective_arguments  (code, states)

An item present in only one run is added or removed; an item in both is
changed when its level (a hop's likelihood; a pathway's, finding's or
argument's severity) or the knowledge-base facts it rests on differ. Runs saved
before hops had a likelihood carry a severity on each hop, which stands in. The
comparison also lists the facts cited anywhere in either run that the other
does not cite, and both runs' as-of dates and knowledge-base versions, since a
difference comes either from time (facts entering or leaving force) or from a
new version of the knowledge base.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from azyl.cases.views import RunView

SECTIONS = ("mechanisms", "pathways", "findings", "protective_arguments")

Key = tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """One comparable item of a run."""

    code: str | None
    states: tuple[str, ...]
    severity: str | None
    facts: frozenset[str]

    def to_document(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "states": list(self.states),
            "severity": self.severity,
            "facts": sorted(self.facts),
        }


def _facts(evidence: dict[str, Any] | None) -> frozenset[str]:
    return frozenset((evidence or {}).get("facts", ()))


def _mechanisms(assessment: dict[str, Any]) -> dict[Key, Item]:
    severity: dict[Key, str] = {}
    for pathway in assessment.get("pathways", []):
        for hop in pathway.get("hops", []):
            level = hop.get("likelihood", hop.get("severity"))
            severity[(hop["mechanism"], hop["from"], hop["to"])] = level
    items: dict[Key, Item] = {}
    for rule in assessment.get("trace", {}).get("rules", []):
        if rule.get("produced") != "hop":
            continue
        states = tuple(rule["states"])
        key = (rule["code"], *states)
        held = items.get(key)
        facts = _facts(rule.get("evidence")) | (held.facts if held else frozenset())
        items[key] = Item(rule["code"], states, severity.get(key), facts)
    return items


def _pathways(assessment: dict[str, Any]) -> dict[Key, Item]:
    items: dict[Key, Item] = {}
    for pathway in assessment.get("pathways", []):
        facts = _facts(pathway.get("danger", {}).get("evidence"))
        for hop in pathway.get("hops", []):
            facts |= _facts(hop.get("evidence"))
        states = tuple(pathway["states"])
        items[states] = Item(None, states, pathway.get("severity"), facts)
    return items


def _coded(entries: list[dict[str, Any]]) -> dict[Key, Item]:
    items: dict[Key, Item] = {}
    for entry in entries:
        states = tuple(entry.get("states", ()))
        key = (entry["code"], *states)
        items[key] = Item(entry["code"], states, entry.get("severity"), _facts(entry["evidence"]))
    return items


def section_items(assessment: dict[str, Any]) -> dict[str, dict[Key, Item]]:
    """The four sections of one run's assessment, keyed for comparison."""
    return {
        "mechanisms": _mechanisms(assessment),
        "pathways": _pathways(assessment),
        "findings": _coded(assessment.get("findings", [])),
        "protective_arguments": _coded(assessment.get("protective_arguments", [])),
    }


def cited_facts(assessment: dict[str, Any]) -> set[str]:
    """Every knowledge-base fact the run cites anywhere (items and trace)."""
    found: set[str] = set()
    for items in section_items(assessment).values():
        for item in items.values():
            found |= item.facts
    for rule in assessment.get("trace", {}).get("rules", []):
        found |= _facts(rule.get("evidence"))
    return found


def _diff(before: dict[Key, Item], after: dict[Key, Item]) -> dict[str, list[dict[str, Any]]]:
    added = [after[k].to_document() for k in sorted(after.keys() - before.keys())]
    removed = [before[k].to_document() for k in sorted(before.keys() - after.keys())]
    changed = []
    for key in sorted(before.keys() & after.keys()):
        old, new = before[key], after[key]
        if old.severity == new.severity and old.facts == new.facts:
            continue
        changed.append(
            {
                "code": new.code,
                "states": list(new.states),
                "severity_before": old.severity,
                "severity_after": new.severity,
                "facts_added": sorted(new.facts - old.facts),
                "facts_removed": sorted(old.facts - new.facts),
            }
        )
    return {"added": added, "removed": removed, "changed": changed}


def compare(first: RunView, second: RunView) -> dict[str, Any]:
    """What changed from `first` to `second` (plain data for the page, API and exports)."""
    before, after = section_items(first.assessment), section_items(second.assessment)
    sections = {name: _diff(before[name], after[name]) for name in SECTIONS}
    facts_before, facts_after = cited_facts(first.assessment), cited_facts(second.assessment)
    return {
        "runs": [
            first.to_document(with_assessment=False),
            second.to_document(with_assessment=False),
        ],
        "kb_version_changed": first.kb_version != second.kb_version,
        "as_of_changed": first.as_of != second.as_of,
        "sections": sections,
        "facts": {
            "added": sorted(facts_after - facts_before),
            "removed": sorted(facts_before - facts_after),
        },
        "unchanged": all(not any(parts.values()) for parts in sections.values())
        and facts_before == facts_after,
    }
