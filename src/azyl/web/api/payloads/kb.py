"""Payloads of the knowledge-base routes: the fact and source files as exported.

Built on the knowledge base's own file models (`azyl.kb.documents`), adding the
keys the export derives from the file: its id, area and path, the states a fact
is about and whether its quotes could be checked.
"""

from __future__ import annotations

from pydantic import Field

from azyl.kb.documents import CitationDoc, FactDoc, SourceDoc
from azyl.web.api.payloads.base import ANSWERED, Payload


class FactCitation(CitationDoc):
    """A source id, a pinpoint inside it, and a short quote read in its text."""

    model_config = ANSWERED


class Fact(FactDoc):
    """One fact (`kb/facts/<area>/<name>.yaml`) with the keys the export adds."""

    model_config = ANSWERED

    citations: tuple[FactCitation, ...]
    id: str = Field(description="`<area>.<name>`, from the file's place in kb/facts/.")
    area: str
    states: list[str] = Field(description="The states the fact is about (actor and subject).")
    unverified: bool = Field(description="Some quote could not be checked against its text.")
    source_file: str = Field(description="The file in the knowledge base.")


class SourcedCitation(FactCitation):
    """A citation with the title of the source it cites (null if it is not in the base)."""

    source_title: str | None


class FactDetail(Fact):
    """One fact, its citations titled, and the knowledge-base version it was read from."""

    citations: tuple[SourcedCitation, ...]
    kb_version: str


class Source(SourceDoc):
    """One source (`kb/sources/<id>.yaml`) with its id and file."""

    model_config = ANSWERED

    id: str
    source_file: str


class CitingFact(Payload):
    id: str
    statement: str
    statement_ru: str | None = Field(description="The statement in Russian, where written.")


class SourceDetail(Source):
    """One source with the facts that cite it."""

    facts: list[CitingFact]
