"""The knowledge base of state practice: law and practice as dated, cited data.

`kb/` holds the data (see kb/README.md); this package loads it strictly
(`load_kb`), answers "which facts hold on this date, for this state and this
person" (`facts_in_force`), versions it (`azyl.kb.version`) and exports it.
It reads the knowledge-base folder and copies of source texts, nothing else.

Public entry points for the other parts of azyl:

    load_kb(kb_dir, text_roots=()) -> KnowledgeBase
    load_configured_kb(settings) -> KnowledgeBase
    facts_in_force(kb, on, *, state=, kind=, nationality=, region=, profile=,
                   actor=, subject=) -> list[Fact]
    find_facts(kb, *, on=None, ...same filters) -> list[Fact]
"""

from azyl.kb.loader import load_configured_kb, load_kb
from azyl.kb.model import AppliesTo, Citation, Fact, KbVersion, KnowledgeBase, QuoteCheck, Source
from azyl.kb.resolver import facts_in_force, find_facts

__all__ = [
    "AppliesTo",
    "Citation",
    "Fact",
    "KbVersion",
    "KnowledgeBase",
    "QuoteCheck",
    "Source",
    "facts_in_force",
    "find_facts",
    "load_configured_kb",
    "load_kb",
]
