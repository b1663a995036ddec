"""Build everything azyl serves from: the statistics, the knowledge base, the registry.

`azyl build` and the README's start command call `build_all`. Each part is
idempotent and cheap when nothing changed, so building again is always safe:

1. the knowledge base is loaded and validated (a broken kb/ stops the build,
   listing every problem, before anything else is touched);
2. the statistics database is built from the mirror or the publishers' downloads,
   atomically (skipped when no input file changed); datasets neither provides are
   listed as missing, and everything else still works without them;
3. the application database is migrated and the incident registry's reviewed
   seed is loaded (new incidents added; incidents edited in the database since
   they were seeded are never overwritten, they are reported as conflicts).
"""

from __future__ import annotations

from dataclasses import dataclass

from azyl.appdb import open_database
from azyl.config import Settings
from azyl.incidents.seed import SeedReport, load_seed
from azyl.kb import KnowledgeBase, load_configured_kb
from azyl.store import BuildReport, build_statistics


@dataclass(frozen=True)
class BuildSummary:
    """What one build did, part by part."""

    kb: KnowledgeBase
    statistics: BuildReport
    incidents: SeedReport

    def lines(self) -> list[str]:
        """A short report for the terminal."""
        kb = self.kb
        return [
            f"knowledge base {kb.version.label}: {len(kb.sources)} sources, "
            f"{len(kb.facts)} facts, valid",
            self.statistics.summary(),
            *self.statistics.missing_lines(),
            *self.incidents.lines(),
        ]


def build_all(settings: Settings, *, progress: bool = True, force: bool = False) -> BuildSummary:
    """Validate the knowledge base, build the statistics, load the incident seed."""
    kb = load_configured_kb(settings)
    statistics = build_statistics(settings, progress=progress, force=force)
    incidents = load_seed(settings, engine=open_database(settings))
    return BuildSummary(kb, statistics, incidents)
