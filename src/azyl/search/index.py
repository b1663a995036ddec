"""A small full-text index held in memory: words to the documents that hold them.

The knowledge base and the registry together are about 1,400 short texts
(facts, sources, incidents), so an inverted index in a dictionary answers a
query in well under a millisecond and needs no database, no extension and no
build step. Words are compared by their stem (Snowball: Russian for Cyrillic
words, English for the rest), so "экстрадиция" finds "экстрадиции" and
"extradited" finds "extradition"; a word ending in `*` matches every stem that
starts with it, as in SQLite's FTS5.

A query is words, all of which must be found (in any field of a document).
Everything that is not a letter or a digit separates words: quotes, brackets,
operators and regular-expression syntax mean nothing here, so no input can
change how the search runs. Input that cannot be a search (too long, too many
words, control characters) is an `InputError` that says why.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

from azyl.errors import InputError

#: The longest query accepted, in characters, and the most words in it.
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
#: Characters of context shown around the first match.
SNIPPET_CHARS = 240

WORD = re.compile(r"\w+\*?")
TOKEN = re.compile(r"\w+")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_STEMMERS = {"ru": snowballstemmer.stemmer("russian"), "en": snowballstemmer.stemmer("english")}
#: Snowball's stemmers keep state while they work: one word at a time.
_STEM_LOCK = threading.Lock()


def normalise(word: str) -> str:
    """Case and the letter ё do not matter (Russian writes е for ё most of the time)."""
    return word.casefold().replace("ё", "е")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one normalised word, by the stemmer of its script."""
    stemmer = _STEMMERS["ru" if CYRILLIC.search(word) else "en"]
    with _STEM_LOCK:
        result: str = stemmer.stemWord(word)
    return result


@dataclass(frozen=True)
class Term:
    """One word of a query: its stem, and whether it matches every stem it begins."""

    stem: str
    prefix: bool = False

    def matches(self, candidate: str) -> bool:
        return candidate.startswith(self.stem) if self.prefix else candidate == self.stem


def parse_query(text: str) -> tuple[Term, ...]:
    """The terms of a query, or an InputError saying why it cannot be searched for."""
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(
            f"the search is {len(text)} characters long; at most {MAX_QUERY_CHARS} are accepted",
            {"parameter": "q", "problem": "too_long", "limit": MAX_QUERY_CHARS},
        )
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in text):
        raise InputError(
            "the search contains a control character; type words only",
            {"parameter": "q", "problem": "control_character"},
        )
    terms: list[Term] = []
    for word in WORD.findall(text):
        prefix = word.endswith("*")
        term = Term(stem(normalise(word.rstrip("*"))), prefix)
        if term.stem and term not in terms:
            terms.append(term)
    if len(terms) > MAX_TERMS:
        raise InputError(
            f"the search has {len(terms)} words; at most {MAX_TERMS} are accepted",
            {"parameter": "q", "problem": "too_many_words", "limit": MAX_TERMS},
        )
    return tuple(terms)


@dataclass(frozen=True)
class Field:
    """A searched text of a document: its name, its language (None: any) and its weight."""

    name: str
    text: str
    lang: str | None = None
    weight: float = 1.0


@dataclass(frozen=True)
class Document:
    """Something a search can find: its kind, id, fields and what a result list shows of it."""

    kind: str
    id: str
    fields: tuple[Field, ...]
    #: Plain values a result shows beside the snippet (a date, a state code, a kind).
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Segment:
    """A piece of a snippet; `match` pieces are the words the query found."""

    text: str
    match: bool = False


@dataclass(frozen=True)
class Hit:
    document: Document
    score: float
    field: str
    snippet: tuple[Segment, ...]


@dataclass
class Index:
    """Stems to the documents (by position) and their weighted counts."""

    documents: tuple[Document, ...]
    postings: dict[str, dict[int, float]] = field(default_factory=dict)
    stems: list[str] = field(default_factory=list)
    #: The stems of each field of each document (to pick a snippet without stemming again).
    field_stems: list[tuple[frozenset[str], ...]] = field(default_factory=list)

    @classmethod
    def build(cls, documents: Iterable[Document]) -> Index:
        index = cls(tuple(documents))
        for position, document in enumerate(index.documents):
            per_field = []
            for fld in document.fields:
                keys = [stem(normalise(token)) for token in TOKEN.findall(fld.text)]
                for key in keys:
                    counts = index.postings.setdefault(key, {})
                    counts[position] = counts.get(position, 0.0) + fld.weight
                per_field.append(frozenset(keys))
            index.field_stems.append(tuple(per_field))
        index.stems = sorted(index.postings)
        return index

    def _stems_for(self, term: Term) -> list[str]:
        if not term.prefix:
            return [term.stem] if term.stem in self.postings else []
        start = bisect_left(self.stems, term.stem)
        found = []
        for candidate in self.stems[start:]:
            if not candidate.startswith(term.stem):
                break
            found.append(candidate)
        return found

    def _scores(self, terms: Sequence[Term]) -> dict[int, float]:
        """Documents holding every term, scored by weighted counts times rarity."""
        scores: dict[int, float] | None = None
        total = len(self.documents) or 1
        for term in terms:
            per_term: dict[int, float] = {}
            for key in self._stems_for(term):
                counts = self.postings[key]
                rarity = math.log(1 + total / len(counts))
                for position, weight in counts.items():
                    per_term[position] = per_term.get(position, 0.0) + weight * rarity
            if scores is None:
                scores = per_term
            else:
                scores = {p: s + per_term[p] for p, s in scores.items() if p in per_term}
            if not scores:
                return {}
        return scores or {}

    def search(self, terms: Sequence[Term], lang: str = "en") -> list[Ranked]:
        """Every document that holds all the terms, best first (ties by kind and id).

        Snippets are made later, by `Ranked.hit`, for the results actually shown.
        """
        if not terms:
            return []
        ranked = sorted(
            self._scores(terms).items(),
            key=lambda item: (-item[1], self.documents[item[0]].kind, self.documents[item[0]].id),
        )
        return [Ranked(self, position, round(score, 3), tuple(terms), lang)
                for position, score in ranked]  # fmt: skip


@dataclass(frozen=True)
class Ranked:
    """One document found, with its score; `hit()` adds the snippet."""

    index: Index
    position: int
    score: float
    terms: tuple[Term, ...]
    lang: str

    @property
    def document(self) -> Document:
        return self.index.documents[self.position]

    def hit(self) -> Hit:
        """The document with its best field (the reader's language first) and matches marked."""
        document = self.document
        stems = self.index.field_stems[self.position]
        # The reader's language first, then the other language's text, then names and ids.
        order = sorted(
            range(len(document.fields)),
            key=lambda i: (document.fields[i].lang != self.lang, document.fields[i].lang is None),
        )
        for i in order:
            if any(t.matches(s) for t in self.terms for s in stems[i]):
                fld = document.fields[i]
                return Hit(document, self.score, fld.name, snippet(fld.text, self.terms))
        fld = document.fields[order[0]] if order else Field("", "")
        return Hit(document, self.score, fld.name, (Segment(fld.text[:SNIPPET_CHARS]),))


def _matching(token: str, terms: Sequence[Term]) -> bool:
    stemmed = stem(normalise(token))
    return any(t.matches(stemmed) for t in terms)


def snippet(text: str, terms: Sequence[Term]) -> tuple[Segment, ...]:
    """About SNIPPET_CHARS of `text` around its first match, cut at word ends, matches marked."""
    found = [m for m in TOKEN.finditer(text) if _matching(m.group(), terms)]
    start = 0
    if found and found[0].start() > SNIPPET_CHARS // 3:
        start = text.rfind(" ", 0, found[0].start() - SNIPPET_CHARS // 4) + 1
    end = len(text)
    if end - start > SNIPPET_CHARS:
        cut = text.find(" ", start + SNIPPET_CHARS)
        end = cut if cut != -1 else end
    segments: list[Segment] = [Segment("…")] if start else []
    position = start
    for match in found:
        if match.start() < start or match.end() > end:
            continue
        if match.start() > position:
            segments.append(Segment(text[position : match.start()]))
        segments.append(Segment(match.group(), True))
        position = match.end()
    if position < end:
        segments.append(Segment(text[position:end]))
    if end < len(text):
        segments.append(Segment("…"))
    return tuple(segments)
