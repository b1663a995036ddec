"""The evidence appendix: every fact and incident a report cites, with its sources.

A screening names facts and incidents by id. Printed or sent as a PDF, a report
must stand on its own: a lawyer reading it in court has no link to follow. The
appendix gives, for each cited fact, its statement, its period of validity and
every citation (source title, pinpoint, quote, address); for each cited incident,
its date, places, summary and sources. Only public incidents are ever listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

from azyl.kb.model import KnowledgeBase


class _Incident(Protocol):
    @property
    def id(self) -> str: ...

    def to_document(self) -> dict[str, Any]: ...


def _evidence_blocks(assessment: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every `evidence` mapping in an assessment: findings, hops, dangers, arguments."""
    for finding in assessment.get("findings", []):
        yield finding["evidence"]
    for pathway in assessment.get("pathways", []):
        yield pathway["danger"]["evidence"]
        for hop in pathway["hops"]:
            yield hop["evidence"]
    for argument in assessment.get("protective_arguments", []):
        yield argument["evidence"]


def cited_ids(assessment: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The fact ids and incident ids an assessment cites, each once, in order of first use."""
    facts: dict[str, None] = {}
    incidents: dict[str, None] = {}
    for block in _evidence_blocks(assessment):
        facts.update(dict.fromkeys(block.get("facts", [])))
        incidents.update(dict.fromkeys(block.get("incidents", [])))
    return list(facts), list(incidents)


def _fact_entry(kb: KnowledgeBase, fact_id: str) -> dict[str, Any] | None:
    fact = kb.facts.get(fact_id)
    if fact is None:
        return None
    citations = []
    for citation in fact.citations:
        source = kb.sources.get(citation.source)
        citations.append(
            {
                "source": citation.source,
                "title": source.title if source else citation.source,
                "date": source.date.isoformat() if source else None,
                "url": source.url if source else None,
                "identifier": source.identifier if source else None,
                "pinpoint": citation.pinpoint,
                "quote": citation.quote,
            }
        )
    return {
        "id": fact.id,
        "statement": fact.statement,
        "statement_ru": fact.statement_ru,
        "valid_from": fact.valid_from.isoformat(),
        "valid_until": fact.valid_until.isoformat() if fact.valid_until else None,
        "last_confirmed": fact.last_confirmed.isoformat() if fact.last_confirmed else None,
        "nature": fact.nature,
        "unverified": fact.unverified,
        "confidence": fact.confidence,
        "citations": citations,
    }


def evidence_appendix(
    assessment: Mapping[str, Any],
    kb: KnowledgeBase | None,
    incidents: Iterable[_Incident] = (),
) -> dict[str, Any]:
    """The facts and incidents cited by an assessment, resolved for the report."""
    fact_ids, incident_ids = cited_ids(assessment)
    facts = [e for fid in fact_ids if kb and (e := _fact_entry(kb, fid))]
    by_id = {i.id: i for i in incidents}
    listed = []
    for incident_id in incident_ids:
        if incident_id in by_id:
            doc = by_id[incident_id].to_document()
            if doc.get("visibility", "public") != "public":
                continue
            for ref in doc.get("sources", []):
                source = kb.sources.get(ref.get("source") or "") if kb else None
                if source is not None and not ref.get("title"):
                    ref["title"] = source.title
            listed.append(doc)
    return {"facts": facts, "incidents": listed}
