"""What the search reads: facts, sources and incidents as documents with weighted fields.

A fact is found by its statement in English and in Russian, its id and the
note on its start date; a source by its title, author, publisher, identifier
and note; an incident by its summary and mechanism in both languages, its id
and how its target is named. Ids and titles weigh more than running text, so
a search for a name puts the record about it first. Incidents are indexed as
the audience may see them (`IncidentView.public()` for the public), so a
search can never reveal a restricted field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from azyl.i18n import LANGUAGES, country_name
from azyl.incidents.record import IncidentView
from azyl.kb.model import Fact, KnowledgeBase, Source
from azyl.search.index import Document, Field

#: The kinds of document, in the order results are grouped.
KINDS: tuple[str, ...] = ("fact", "source", "incident")


def _fields(*candidates: tuple[str, str | None, str | None, float]) -> tuple[Field, ...]:
    return tuple(Field(name, text, lang, weight) for name, text, lang, weight in candidates if text)


def _states(codes: Iterable[str | None]) -> str:
    """The states' names in every interface language, so "Belarus" and "Беларусь" find BLR."""
    return " ".join(country_name(c, lang) for c in codes if c for lang in LANGUAGES)


def fact_document(fact: Fact) -> Document:
    fields = _fields(
        ("states", _states(fact.states), None, 1.0),
        ("statement", fact.statement, "en", 1.0),
        ("statement_ru", fact.statement_ru, "ru", 1.0),
        ("id", fact.id.replace("_", " "), None, 2.0),
        ("valid_from_note", fact.valid_from_note, "en", 0.5),
    )
    attrs = (("fact_kind", fact.kind), ("actor", fact.actor), ("date", fact.valid_from.isoformat()))
    return Document("fact", fact.id, fields, attrs)


def source_document(source: Source) -> Document:
    fields = _fields(
        ("title", source.title, None, 3.0),
        ("author", source.author, None, 2.0),
        ("publisher", source.publisher, None, 1.0),
        ("identifier", source.identifier, None, 2.0),
        ("note", source.note, "en", 0.5),
        ("id", source.id.replace("-", " "), None, 1.0),
    )
    attrs = (
        ("title", source.title),
        ("date", source.date.isoformat()),
        ("source_kind", source.kind),
    )
    return Document("source", source.id, fields, attrs)


def incident_document(view: IncidentView) -> Document:
    fields = _fields(
        ("summary", view.summary, "en", 1.0),
        ("summary_ru", view.summary_ru, "ru", 1.0),
        ("target", view.target, None, 3.0),
        ("target_ru", view.target_name_ru or view.target_label_ru, "ru", 3.0),
        ("states", _states((view.origin, view.host, view.residence)), None, 1.0),
        ("mechanism", view.mechanism, "en", 0.5),
        ("mechanism_ru", view.mechanism_ru, "ru", 0.5),
        ("id", view.id.replace("-", " "), None, 2.0),
    )
    attrs = (
        ("date", view.date.isoformat()),
        ("date_precision", view.date_precision),
        ("origin", view.origin),
        ("host", view.host or ""),
        ("residence", view.residence or ""),
        ("stage", view.stage),
    )
    return Document("incident", view.id, fields, attrs)


def documents(kb: KnowledgeBase, incidents: Iterable[IncidentView]) -> Iterator[Document]:
    """Every fact, source and incident given, as documents (ordered by kind, then id)."""
    yield from (fact_document(kb.facts[key]) for key in sorted(kb.facts))
    yield from (source_document(kb.sources[key]) for key in sorted(kb.sources))
    yield from (incident_document(v) for v in sorted(incidents, key=lambda v: v.id))
