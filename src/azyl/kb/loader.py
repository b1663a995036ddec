"""Load `kb/` strictly: every problem in every file, each as `file:line: problem`.

The knowledge base is reviewed like law, so the loader is the reviewer that
never tires. It finds `kb/sources/<id>.yaml`, `kb/facts/<area>/<name>.yaml`
and `kb/VERSION` (format in kb/README.md), validates each file against its
model in `azyl.kb.documents` (vocabularies, ISO codes, calendar dates,
references between files) and, where a copy of a source's text is at hand,
that every quote really is in it (`azyl.kb.texts`). It collects all problems
before failing, so one run of `azyl kb check` shows a contributor everything
there is to fix, and raises `KnowledgeBaseError` listing them.

The only I/O is reading the knowledge-base folder and the texts folders. File
names in problems are relative to the folder holding `kb/` (for the
project's own knowledge base: relative to the repository).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from azyl.config import Settings
from azyl.errors import KnowledgeBaseError
from azyl.kb import checks
from azyl.kb.documents import FactDoc, SourceDoc
from azyl.kb.model import AppliesTo, Citation, Fact, KnowledgeBase, QuoteCheck, Source
from azyl.kb.texts import NO_TEXT, NOT_CHECKED_HERE, VERIFIED_HERE, SourceText, find_text
from azyl.kb.version import read_version
from azyl.kb.vocabulary import AREAS
from azyl.validation import Parsed, Problems, read_yaml, validate


def load_configured_kb(settings: Settings) -> KnowledgeBase:
    """The knowledge base the settings point at, with quotes checked where texts are at hand."""
    return load_kb(settings.kb_dir, settings.source_texts)


def load_kb(kb_dir: Path, text_roots: Sequence[Path] = ()) -> KnowledgeBase:
    """Read and validate a knowledge-base folder; raise KnowledgeBaseError listing every problem.

    `text_roots` are the folders copies of source texts are looked for in
    (`azyl.kb.texts`). A quote whose source's text is not found there is
    counted as not checked here, never as verified.
    """
    kb_dir = kb_dir.resolve()
    if not kb_dir.is_dir():
        raise KnowledgeBaseError([f"{kb_dir}: the knowledge-base folder does not exist"])
    problems = Problems()
    layout = _Layout.scan(kb_dir, problems)
    sources, texts = _read_sources(layout, problems, text_roots)
    facts = _read_facts(layout, problems, sources, texts)
    version = read_version(kb_dir, problems, layout.display(kb_dir / "VERSION"))
    if problems or version is None:
        raise KnowledgeBaseError(problems.sorted_lines(), problems.sorted())
    return KnowledgeBase(sources, facts, version, _quote_check(facts, texts))


@dataclass
class _Layout:
    """The files of a knowledge base by id, found before any is read.

    Knowing every id first lets a fact's references be checked while the
    fact (and its line numbers) is at hand, in a single pass.
    """

    root: Path
    sources: dict[str, Path] = field(default_factory=dict)
    facts: dict[str, Path] = field(default_factory=dict)

    def display(self, path: Path) -> str:
        """A path as problems show it: relative to the folder that holds kb/."""
        return path.relative_to(self.root.parent).as_posix()

    @classmethod
    def scan(cls, kb_dir: Path, problems: Problems) -> _Layout:
        layout = cls(kb_dir)
        for entry in visible_entries(kb_dir):
            if entry.name not in ("sources", "facts") and (
                hint := checks.closest(entry.name.lower(), ["sources", "facts"])
            ):
                problems.add(layout.display(entry), _line(entry), f"not read by azyl{hint}")
        for path in visible_entries(kb_dir / "sources"):
            layout._add_source(path, problems)
        for area_dir in visible_entries(kb_dir / "facts"):
            layout._add_area(area_dir, problems)
        return layout

    def _add_source(self, path: Path, problems: Problems) -> None:
        shown = self.display(path)
        if path.is_dir() or path.suffix != ".yaml":
            problems.add(shown, _line(path), "not a source file: sources are kb/sources/<id>.yaml")
        elif problem := checks.identifier(path.stem, "source id"):
            problems.add(shown, 1, problem)
        else:
            self.sources[path.stem] = path

    def _add_area(self, area_dir: Path, problems: Problems) -> None:
        shown = self.display(area_dir)
        if not area_dir.is_dir():
            problems.add(shown, 1, "facts live in an area folder: kb/facts/<area>/<name>.yaml")
            return
        if problem := checks.vocabulary(area_dir.name, AREAS, "knowledge-base area"):
            problems.add(shown, 0, problem + " (a new area is added to AREAS in vocabulary.py)")
            return
        for path in visible_entries(area_dir):
            if path.is_dir() or path.suffix != ".yaml":
                problems.add(
                    self.display(path), _line(path), "not a fact file: facts are <area>/<name>.yaml"
                )
            elif problem := checks.identifier(path.stem, "fact name"):
                problems.add(self.display(path), 1, problem)
            else:
                self.facts[f"{area_dir.name}.{path.stem}"] = path


def _line(path: Path) -> int:
    """Line 1 for a misplaced file (so editors open it), none (0) for a misplaced folder."""
    return 0 if path.is_dir() else 1


def visible_entries(folder: Path) -> list[Path]:
    """A folder's entries, sorted, without hidden ones (.gitkeep, editor files); none when it
    does not exist. What the loader reads, and what a scratch copy of kb/ must hold."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _read(path: Path, shown: str, problems: Problems) -> Parsed | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.add(shown, 1, "not UTF-8 text")
        return None
    return read_yaml(text, shown, problems)


def _read_sources(
    layout: _Layout, problems: Problems, roots: Sequence[Path]
) -> tuple[dict[str, Source], dict[str, SourceText]]:
    """Every valid source, and what this machine knows of its text."""
    sources: dict[str, Source] = {}
    texts: dict[str, SourceText] = {}
    for source_id, path in layout.sources.items():
        shown = layout.display(path)
        parsed = _read(path, shown, problems)
        doc = validate(SourceDoc, parsed, shown, problems) if parsed else None
        if doc is None:
            continue
        assert parsed is not None
        record = doc.text
        text = find_text(
            source_id, record.sha256 if record else None, record.file if record else None, roots
        )
        if text.problem:
            problems.add(shown, parsed.line(("text", "sha256")), text.problem)
        texts[source_id] = text
        sources[source_id] = _source(source_id, doc, shown, parsed.line(()))
    return sources, texts


def _source(source_id: str, doc: SourceDoc, shown: str, line: int) -> Source:
    return Source(
        id=source_id,
        title=doc.title,
        date=doc.date,
        kind=doc.kind,
        language=doc.language,
        publisher=doc.publisher,
        accessed=doc.accessed,
        author=doc.author,
        identifier=doc.identifier,
        url=doc.url,
        text_sha256=doc.text.sha256 if doc.text else None,
        text_verified=doc.text.verified if doc.text else None,
        text_file=doc.text.file if doc.text else None,
        note=doc.note,
        source_file=shown,
        line=line,
    )


def _read_facts(
    layout: _Layout, problems: Problems, sources: dict[str, Source], texts: dict[str, SourceText]
) -> dict[str, Fact]:
    """Every valid fact; citations resolve against every source *file*, valid or not."""
    context = {
        "source_ids": list(layout.sources),
        "fact_ids": list(layout.facts),
        "sources": sources,
        "texts": texts,
    }
    facts: dict[str, Fact] = {}
    for fact_id, path in layout.facts.items():
        shown = layout.display(path)
        parsed = _read(path, shown, problems)
        if parsed is None:
            continue
        doc = validate(FactDoc, parsed, shown, problems, context={**context, "fact_id": fact_id})
        if doc is not None:
            facts[fact_id] = _fact(fact_id, doc, parsed, shown, texts)
    return facts


def _fact(
    fact_id: str, doc: FactDoc, parsed: Parsed, shown: str, texts: dict[str, SourceText]
) -> Fact:
    citations = tuple(
        Citation(c.source, c.pinpoint, c.quote, parsed.line(("citations", i)))
        for i, c in enumerate(doc.citations)
    )
    unverified = all(texts[c.source].status == NO_TEXT for c in citations if c.source in texts)
    return Fact(
        id=fact_id,
        kind=doc.kind,
        actor=doc.actor,
        valid_from=doc.valid_from,
        statement=doc.statement,
        citations=citations,
        confidence=doc.confidence,
        reviewed=doc.reviewed,
        subject=doc.subject,
        applies_to=AppliesTo(
            doc.applies_to.nationalities,
            doc.applies_to.regions,
            doc.applies_to.profiles,
            doc.applies_to.except_profiles,
        ),
        valid_until=doc.valid_until,
        valid_from_note=doc.valid_from_note,
        related=doc.related,
        overturns=doc.overturns,
        protection=doc.protection,
        nature=doc.effective_nature,
        last_confirmed=doc.last_confirmed,
        statement_ru=doc.statement_ru,
        unverified=unverified,
        source_file=shown,
        line=parsed.line(()),
    )


def _quote_check(facts: dict[str, Fact], texts: dict[str, SourceText]) -> QuoteCheck:
    """How many quotes were verified here, not checked here, or cite a source without text."""
    counts = {VERIFIED_HERE: 0, NOT_CHECKED_HERE: 0, NO_TEXT: 0}
    for fact in facts.values():
        for citation in fact.citations:
            counts[texts[citation.source].status] += 1
    return QuoteCheck(
        verified=counts[VERIFIED_HERE],
        not_checked_here=counts[NOT_CHECKED_HERE],
        no_text=counts[NO_TEXT],
        sources=tuple(sorted((sid, t.status) for sid, t in texts.items())),
    )
