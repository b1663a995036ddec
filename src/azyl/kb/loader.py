"""Load `kb/` strictly: every problem in every file, each as `file:line: problem`.

The knowledge base is reviewed like law, so the loader is the reviewer that
never tires. It reads `kb/sources/<id>.yaml`, `kb/facts/<area>/<name>.yaml`
and `kb/VERSION` (format in kb/README.md), checks each value (vocabularies,
ISO codes, calendar dates, identifiers), the references between files (cited
sources, related and overturned facts), and, when the archived texts are at
hand, that every quote really is in its source. It collects all problems
before failing, so one run of `azyl kb check` shows a contributor everything
there is to fix, and raises `KnowledgeBaseError` listing them.

The only I/O is reading the knowledge-base folder and the archived texts.
File names in problems are relative to the folder holding `kb/` (for the
project's own knowledge base: relative to the repository).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from azyl.config import Settings
from azyl.errors import KnowledgeBaseError
from azyl.kb import checks
from azyl.kb.model import AppliesTo, Citation, Fact, KnowledgeBase, QuoteCheck, Source
from azyl.kb.quotes import collapsed_length, comparison_form, find_quote, matched_prefix
from azyl.kb.strict_yaml import Problems, Record, parse_document
from azyl.kb.version import read_version
from azyl.kb.vocabulary import (
    AREAS,
    CONFIDENCE,
    FACT_KINDS,
    MAX_QUOTE_CHARS,
    PROFILES,
    PROTECTIONS,
    SOURCE_KINDS,
)

SOURCE_REQUIRED = ("title", "date", "kind", "language")
SOURCE_OPTIONAL = ("author", "publisher", "identifier", "url", "archived_text", "note")
FACT_REQUIRED = ("kind", "actor", "valid_from", "statement", "citations", "confidence", "reviewed")
FACT_OPTIONAL = (
    "subject",
    "applies_to",
    "valid_from_note",
    "valid_until",
    "related",
    "overturns",
    "protection",
)
APPLIES_TO_KEYS = ("nationalities", "regions", "profiles")
CITATION_KEYS = ("source", "pinpoint", "quote")


def archive_root_for(settings: Settings) -> Path | None:
    """Where archived texts live: the folder that holds the mirror (`../shared`)."""
    return settings.mirror_dir.parent if settings.mirror_dir is not None else None


def load_configured_kb(settings: Settings) -> KnowledgeBase:
    """The knowledge base the settings point at, with quotes checked when possible."""
    return load_kb(settings.kb_dir, archive_root_for(settings))


def load_kb(kb_dir: Path, archive_root: Path | None = None) -> KnowledgeBase:
    """Read and validate a knowledge-base folder; raise KnowledgeBaseError listing every problem.

    `archive_root` is the folder `archived_text` paths are relative to (for
    the project: `settings.mirror_dir.parent`). Without it, or when it does
    not exist, quote verification is reported as skipped in
    `KnowledgeBase.quote_check`, never as passed.
    """
    kb_dir = kb_dir.resolve()
    if not kb_dir.is_dir():
        raise KnowledgeBaseError([f"{kb_dir}: the knowledge-base folder does not exist"])
    problems = Problems()
    layout = _Layout.scan(kb_dir, problems)
    archive = _Archive.open(archive_root)
    sources: dict[str, Source] = {}
    for source_id, path in layout.sources.items():
        source = _read_source(source_id, path, layout, problems, archive)
        if source is not None:
            sources[source_id] = source
    context = _FactContext(layout, sources, archive)
    facts: dict[str, Fact] = {}
    for fact_id, path in layout.facts.items():
        fact = _read_fact(fact_id, path, context, problems)
        if fact is not None:
            facts[fact_id] = fact
    version = read_version(kb_dir, problems, layout.display(kb_dir / "VERSION"))
    if problems or version is None:
        raise KnowledgeBaseError(problems.sorted_lines())
    return KnowledgeBase(sources, facts, version, archive.result())


@dataclass
class _Layout:
    """The files of a knowledge base by id, found before any is read.

    Knowing every id first lets a fact's references be checked while its
    nodes (and their line numbers) are at hand, in a single pass.
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
        for entry in _visible(kb_dir):
            if entry.name not in ("sources", "facts") and (
                hint := checks.closest(entry.name.lower(), ["sources", "facts"])
            ):
                problems.add(layout.display(entry), _line(entry), f"not read by azyl{hint}")
        for path in _visible(kb_dir / "sources"):
            layout._add_source(path, problems)
        for area_dir in _visible(kb_dir / "facts"):
            layout._add_area(area_dir, problems)
        return layout

    def _add_source(self, path: Path, problems: Problems) -> None:
        shown = self.display(path)
        if path.is_dir() or path.suffix != ".yaml":
            problems.add(shown, _line(path), "not a source file: sources are kb/sources/<id>.yaml")
            return
        if problem := checks.identifier(path.stem, "source id"):
            problems.add(shown, 1, problem)
            return
        self.sources[path.stem] = path

    def _add_area(self, area_dir: Path, problems: Problems) -> None:
        shown = self.display(area_dir)
        if not area_dir.is_dir():
            problems.add(shown, 1, "facts live in an area folder: kb/facts/<area>/<name>.yaml")
            return
        if problem := checks.vocabulary(area_dir.name, AREAS, "knowledge-base area"):
            problems.add(shown, 0, problem + " (a new area is added to AREAS in vocabulary.py)")
            return
        for path in _visible(area_dir):
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


def _visible(folder: Path) -> list[Path]:
    """A folder's entries, sorted, without hidden ones (.gitkeep, editor files)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


@dataclass
class _Archive:
    """The archived texts quotes are checked against, read once each, in comparison form."""

    root: Path | None
    skipped_because: str | None
    texts: dict[str, str | None] = field(default_factory=dict)
    verified: int = 0
    unverifiable: int = 0

    @classmethod
    def open(cls, root: Path | None) -> _Archive:
        if root is None:
            return cls(None, "no archive folder was given (no publisher mirror is configured)")
        if not root.is_dir():
            return cls(None, f"the archive folder {root} does not exist")
        return cls(root, None)

    def text_form(self, relative: str) -> str | None:
        """The archived text in comparison form; None when unavailable or unreadable."""
        if self.root is None:
            return None
        if relative not in self.texts:
            path = self.root / relative
            try:
                self.texts[relative] = comparison_form(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                self.texts[relative] = None
        return self.texts[relative]

    def result(self) -> QuoteCheck:
        if self.root is None:
            return QuoteCheck("skipped", reason=self.skipped_because)
        return QuoteCheck("verified", self.verified, self.unverifiable)


def _read_record(
    path: Path, shown: str, problems: Problems, required: tuple[str, ...], optional: tuple[str, ...]
) -> Record | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.add(shown, 1, "not UTF-8 text")
        return None
    root = parse_document(text, shown, problems)
    if root is None:
        return None
    return Record(root, shown, problems, required=required, optional=optional)


def _choice(record: Record, key: str, vocab: dict[str, str], what: str) -> str | None:
    value = record.text(key)
    if value is not None and (problem := checks.vocabulary(value, vocab, what)):
        record.report(record.node_of(key), f"{key}: {problem}")
        return None
    return value


def _read_source(
    source_id: str, path: Path, layout: _Layout, problems: Problems, archive: _Archive
) -> Source | None:
    shown = layout.display(path)
    record = _read_record(path, shown, problems, SOURCE_REQUIRED, SOURCE_OPTIONAL)
    if record is None:
        return None
    before = len(problems)
    title, day = record.text("title"), record.day("date")
    kind = _choice(record, "kind", SOURCE_KINDS, "source kind")
    language = record.text("language")
    if language is not None and (problem := checks.language(language)):
        record.report(record.node_of("language"), f"language: {problem}")
    author, publisher = record.text("author"), record.text("publisher")
    if not record.has("author") and not record.has("publisher"):
        record.report(None, "author: missing (give an author, a publisher or both)")
    identifier, url = record.text("identifier"), record.text("url")
    if not record.has("identifier") and not record.has("url"):
        record.report(None, "url: missing (give a url, a stable identifier or both)")
    if url is not None and (problem := checks.url(url)):
        record.report(record.node_of("url"), f"url: {problem}")
    archived = record.text("archived_text")
    if archived is not None:
        _check_archived_path(record, archived, archive)
    if len(problems) > before or None in (title, day, kind, language):
        return None
    assert title is not None and day is not None and kind is not None and language is not None
    return Source(
        id=source_id,
        title=title,
        date=day,
        kind=kind,
        language=language,
        author=author,
        publisher=publisher,
        identifier=identifier,
        url=url,
        archived_text=archived,
        note=record.text("note"),
        source_file=shown,
        line=record.line,
    )


def _check_archived_path(record: Record, archived: str, archive: _Archive) -> None:
    node = record.node_of("archived_text")
    pure = PurePosixPath(archived)
    if pure.is_absolute() or ".." in pure.parts or "\\" in archived:
        record.report(
            node, "archived_text: give a path relative to the shared folder, like seeds/<file>.txt"
        )
    elif archive.root is not None and not (archive.root / archived).is_file():
        record.report(node, f"archived_text: {archived} does not exist in {archive.root}")
    elif archive.root is not None and archive.text_form(archived) is None:
        record.report(node, f"archived_text: {archived} is not readable UTF-8 text")


@dataclass
class _FactContext:
    """What a fact's references are checked against."""

    layout: _Layout
    sources: dict[str, Source]
    archive: _Archive


def _read_fact(fact_id: str, path: Path, context: _FactContext, problems: Problems) -> Fact | None:
    shown = context.layout.display(path)
    record = _read_record(path, shown, problems, FACT_REQUIRED, FACT_OPTIONAL)
    if record is None:
        return None
    before = len(problems)
    kind = _choice(record, "kind", FACT_KINDS, "fact kind")
    actor = record.text("actor")
    if actor is not None and (problem := checks.state(actor)):
        record.report(record.node_of("actor"), f"actor: {problem}")
    subject = _codes(record, "subject", checks.state)
    applies_to = _applies_to(record)
    valid_from, valid_until = record.day("valid_from"), record.day("valid_until")
    if valid_from and valid_until and valid_until < valid_from:
        record.report(
            record.node_of("valid_until"),
            f"valid_until: {valid_until} is before valid_from {valid_from}",
        )
    statement = record.text("statement")
    citations = _citations(record, context)
    confidence = _choice(record, "confidence", CONFIDENCE, "confidence level")
    reviewed = record.day("reviewed")
    if reviewed is not None:
        _check_review_date(record, reviewed, citations, context)
    if statement is not None:
        _check_own_words(record, statement, citations)
    related = _fact_refs(record, "related", fact_id, context)
    overturns = _fact_refs(record, "overturns", fact_id, context)
    if overturns and kind is not None and kind != "court_ruling":
        record.report(
            record.node_of("overturns"), "overturns: only a court_ruling can overturn other facts"
        )
    protection = _protection(record, kind)
    required = (kind, actor, valid_from, statement, confidence, reviewed)
    if len(problems) > before or None in required:
        return None
    assert kind and actor and valid_from and statement and confidence and reviewed
    return Fact(
        id=fact_id,
        kind=kind,
        actor=actor,
        valid_from=valid_from,
        statement=statement,
        citations=tuple(citations),
        confidence=confidence,
        reviewed=reviewed,
        subject=tuple(subject),
        applies_to=applies_to,
        valid_until=valid_until,
        valid_from_note=record.text("valid_from_note"),
        related=tuple(related),
        overturns=tuple(overturns),
        protection=protection,
        source_file=shown,
        line=record.line,
    )


def _protection(record: Record, kind: str | None) -> str | None:
    """A protection_practice fact says what it offers; no other kind may say it."""
    if not record.has("protection"):
        if kind == "protection_practice":
            record.report(
                record.node,
                "protection: a protection_practice fact must say what it offers "
                f"({', '.join(PROTECTIONS)})",
            )
        return None
    value = _choice(record, "protection", PROTECTIONS, "protection")
    if kind is not None and kind != "protection_practice":
        record.report(
            record.node_of("protection"), "protection: only for protection_practice facts"
        )
    return value


def _codes(record: Record, key: str, check: checks.CodeCheck) -> list[str]:
    """A list of codes, each checked; bad ones are reported and left out."""
    good = []
    for index, (value, line) in enumerate(record.text_list(key)):
        if problem := check(value):
            record.problems.add(record.path, line, f"{record.prefix}{key}[{index}]: {problem}")
        else:
            good.append(value)
    return good


def _applies_to(record: Record) -> AppliesTo:
    nested = record.mapping("applies_to", required=(), optional=APPLIES_TO_KEYS)
    if nested is None:
        return AppliesTo()
    nationalities = _codes(nested, "nationalities", checks.nationality)
    regions = _codes(nested, "regions", checks.region)
    profiles = _codes(nested, "profiles", lambda v: checks.vocabulary(v, PROFILES, "profile"))
    return AppliesTo(tuple(nationalities), tuple(regions), tuple(profiles))


def _citations(record: Record, context: _FactContext) -> list[Citation]:
    items = record.sequence("citations")
    if items is None:
        return []  # missing: already reported as a required key
    if not items:
        record.report(
            record.node_of("citations"),
            "citations: a fact needs at least one citation (what cannot be cited does not go in)",
        )
    found = []
    for index, node in enumerate(items):
        where = f"citations[{index}]"
        item = record.item_record(node, where, required=CITATION_KEYS)
        if item is None:
            continue
        source, pinpoint, quote = item.text("source"), item.text("pinpoint"), item.text("quote")
        if source is not None and source not in context.layout.sources:
            hint = checks.closest(source, list(context.layout.sources))
            item.report(
                item.node_of("source"), f"{where}.source: no source {source!r} in kb/sources/{hint}"
            )
            source = None
        if quote is not None and not _check_quote(item, where, quote, source, context):
            quote = None
        if source is not None and pinpoint is not None and quote is not None:
            found.append(Citation(source, pinpoint, quote, item.line))
    return found


def _check_quote(
    item: Record, where: str, quote: str, source_id: str | None, context: _FactContext
) -> bool:
    """Length and presence in the archived text; False after reporting a problem."""
    node = item.node_of("quote")
    length = collapsed_length(quote)
    if length > MAX_QUOTE_CHARS:
        item.report(
            node,
            f"{where}.quote: {length} characters; a quote is at most {MAX_QUOTE_CHARS} "
            "(quote only the passage that supports the statement)",
        )
        return False
    source = context.sources.get(source_id) if source_id else None
    if source is None:
        return True  # a dangling or invalid source is reported on its own
    if source.archived_text is None:
        context.archive.unverifiable += 1
        return True
    text_form = context.archive.text_form(source.archived_text)
    if text_form is None:
        return True  # archive skipped, or the missing text is reported on the source
    matched = find_quote(quote, text_form)
    if matched < 0:
        context.archive.verified += 1
        return True
    found = matched_prefix(quote, matched)
    tail = f'it matches up to "...{found[-60:]}"' if found else "no part of it matches"
    item.report(
        node,
        f"{where}.quote: not found in the archived text of {source.id} "
        f"({source.archived_text}); {tail}",
    )
    return False


def _check_review_date(
    record: Record, reviewed: date, citations: list[Citation], context: _FactContext
) -> None:
    """A fact cannot have been checked against a source before the source existed."""
    for citation in citations:
        source = context.sources.get(citation.source)
        if source is not None and reviewed < source.date:
            record.report(
                record.node_of("reviewed"),
                f"reviewed: {reviewed} is before the date of the cited source "
                f"{source.id} ({source.date})",
            )
            return


def _check_own_words(record: Record, statement: str, citations: list[Citation]) -> None:
    """The statement is the project's summary, not a copy of a quote."""
    mine = comparison_form(statement)
    if any(comparison_form(c.quote) == mine for c in citations):
        record.report(
            record.node_of("statement"),
            "statement: copies a quote word for word; state the fact in your own words",
        )


def _fact_refs(record: Record, key: str, fact_id: str, context: _FactContext) -> list[str]:
    known = list(context.layout.facts)
    good = []
    for index, (value, line) in enumerate(record.text_list(key)):
        if value == fact_id:
            record.problems.add(record.path, line, f"{key}[{index}]: a fact cannot name itself")
        elif value not in context.layout.facts:
            hint = checks.closest(value, known)
            record.problems.add(
                record.path,
                line,
                f"{key}[{index}]: no fact {value!r} (ids are <area>.<name>){hint}",
            )
        else:
            good.append(value)
    return good
