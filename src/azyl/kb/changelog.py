"""Knowledge-base changes are logged like law: the CHANGELOG checks.

A change to `kb/` can change what the screening engine tells a lawyer, so it
must be visible in CHANGELOG.md, with the ids of the facts it touches and the
dates they take effect. An entry looks like this:

    ### Knowledge base 0.2.0 (2026-12-01)

    Added:
    - `safe_third_country.nor-russia-2016` (in force 2016-01-01 to 2016-12-31): why.

    Changed:
    - `border.pol-terespol-2016` (in force from 2016-06-01): what changed and why.

`changelog_problems` lists what is missing; `tests/test_kb_changelog.py` runs
it against the repository so that CI fails when `kb/` changes without an
entry, and `azyl kb check` shows the same list as warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from azyl.kb.model import KnowledgeBase

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_KB_HEADING = re.compile(r"^Knowledge base\s+(\S+)")


@dataclass(frozen=True)
class KbSection:
    """One "### Knowledge base <version>" section: its version and its text."""

    version: str
    body: str

    def entry_lines(self, fact_id: str) -> list[str]:
        """The lines of this section that name the fact id in backticks."""
        return [line for line in self.body.splitlines() if f"`{fact_id}`" in line]


def knowledge_base_sections(changelog: str) -> list[KbSection]:
    """Every level-3 "Knowledge base <version>" section, in file order.

    A section runs to the next heading of level 1 to 3; level-4 headings
    (#### Added) stay inside it.
    """
    sections: list[KbSection] = []
    current: tuple[str, list[str]] | None = None
    for line in changelog.splitlines():
        heading = _HEADING.match(line)
        if heading and len(heading.group(1)) <= 3:
            if current is not None:
                sections.append(KbSection(current[0], "\n".join(current[1])))
                current = None
            kb = _KB_HEADING.match(heading.group(2))
            if len(heading.group(1)) == 3 and kb:
                current = (kb.group(1), [])
            continue
        if current is not None:
            current[1].append(line)
    if current is not None:
        sections.append(KbSection(current[0], "\n".join(current[1])))
    return sections


def changelog_problems(kb: KnowledgeBase, changelog: str) -> list[str]:
    """What the changelog lacks for this knowledge base; empty when all is logged.

    1. kb/VERSION records the hash of the content on disk (else: stamp);
    2. a "### Knowledge base <version>" section exists for the current version;
    3. every fact id appears, in backticks, in some Knowledge base section, on
       a line that also gives its `valid_from` date (its effective date), so
       that changing when a fact takes effect needs an entry of its own.
    """
    problems = []
    version = kb.version
    if not version.stamped:
        problems.append(
            f"kb/VERSION records content {version.recorded_sha256} but kb/ now hashes to "
            f"{version.content_sha256}: run `azyl kb stamp` (with --version X.Y.Z for a new "
            'version) and add a "### Knowledge base <version>" entry to CHANGELOG.md'
        )
    sections = knowledge_base_sections(changelog)
    if not any(s.version == version.version for s in sections):
        problems.append(
            f'CHANGELOG.md has no "### Knowledge base {version.version}" section for the '
            "current kb/VERSION: add one listing the added, changed and removed fact ids"
        )
    for fact_id in sorted(kb.facts):
        fact = kb.facts[fact_id]
        lines = [line for s in sections for line in s.entry_lines(fact_id)]
        if not lines:
            problems.append(
                f"fact `{fact_id}` is not listed in any Knowledge base section of CHANGELOG.md"
            )
        elif not any(fact.valid_from.isoformat() in line for line in lines):
            problems.append(
                f"fact `{fact_id}` is listed in CHANGELOG.md but never with its effective "
                f"date {fact.valid_from}: add a Changed entry giving it"
            )
    return problems
