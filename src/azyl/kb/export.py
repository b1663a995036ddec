"""The knowledge base as JSON documents: the whole export, one fact, one source.

Every document has the project's envelope, `{"data": ..., "meta": ...}`,
and its `meta` quotes the knowledge-base version, so a file saved today still
says which content it came from.
"""

from __future__ import annotations

import difflib
from datetime import datetime
from typing import Any

from azyl.errors import NotFound
from azyl.i18n import N_
from azyl.i18n.message import Message, failure
from azyl.kb.model import Fact, KnowledgeBase, Source


def meta(kb: KnowledgeBase, **extra: Any) -> dict[str, Any]:
    """The `meta` block of every knowledge-base document."""
    return {"kb_version": kb.version.to_dict(), **extra}


def export_kb(kb: KnowledgeBase, exported_at: datetime) -> dict[str, Any]:
    """Every source and fact, sorted by id, with the version and the time of export."""
    return {
        "data": {
            "sources": [kb.sources[key].to_dict() for key in sorted(kb.sources)],
            "facts": [kb.facts[key].to_dict() for key in sorted(kb.facts)],
        },
        "meta": meta(
            kb,
            exported_at=exported_at.isoformat(timespec="seconds"),
            quote_check=kb.quote_check.to_dict(),
            counts={"sources": len(kb.sources), "facts": len(kb.facts), "areas": len(kb.areas)},
        ),
    }


def get_fact(kb: KnowledgeBase, fact_id: str) -> Fact:
    """The fact with this id, or NotFound suggesting the closest ids."""
    if fact_id in kb.facts:
        return kb.facts[fact_id]
    raise _not_found("fact", fact_id, list(kb.facts) + list(kb.sources))


def get_source(kb: KnowledgeBase, source_id: str) -> Source:
    """The source with this id, or NotFound suggesting the closest ids."""
    if source_id in kb.sources:
        return kb.sources[source_id]
    raise _not_found("source", source_id, list(kb.sources))


def describe(kb: KnowledgeBase, record_id: str) -> dict[str, Any]:
    """A fact with the full records of the sources it cites, or a source with the facts citing it.

    This is what a lawyer opens to check a claim: the statement, each
    citation's pinpoint and quote, and where to find each source.
    """
    if record_id in kb.facts:
        fact = kb.facts[record_id]
        data = {
            "fact": fact.to_dict(),
            "sources": [kb.sources[s].to_dict() for s in fact.sources],
            "overturned_by": [f.id for f in kb.overturned_by(record_id)],
        }
        return {"data": data, "meta": meta(kb)}
    if record_id in kb.sources:
        cited_by = [f.id for f in kb.citing(record_id)]
        data = {"source": kb.sources[record_id].to_dict(), "cited_by": cited_by}
        return {"data": data, "meta": meta(kb)}
    raise _not_found("fact or source", record_id, list(kb.facts) + list(kb.sources))


def _not_found(what: str, wanted: str, known: list[str]) -> NotFound:
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.5)
    hint = Message.of(N_("; did you mean {ids}?"), ids=", ".join(close)) if close else ""
    msgid = _NOT_IN_KB[what]
    return failure(
        NotFound, msgid, {"id": wanted, "suggestions": close}, id=repr(wanted), hint=hint
    )


#: "no fact 'x' in the knowledge base", by kind of record.
_NOT_IN_KB = {
    "fact": N_("no fact {id} in the knowledge base{hint} (`azyl kb list` shows the ids)"),
    "source": N_("no source {id} in the knowledge base{hint} (`azyl kb list` shows the ids)"),
    "fact or source": N_(
        "no fact or source {id} in the knowledge base{hint} (`azyl kb list` shows the ids)"
    ),
}
