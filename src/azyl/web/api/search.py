"""Full-text search over the knowledge base's facts and sources and the incident registry."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import Field

from azyl.search import MAX_QUERY_CHARS, MAX_TERMS
from azyl.web.api.payloads.base import Payload
from azyl.web.deps import Lang, Svc
from azyl.web.envelope import Envelope, ok
from azyl.web.services import may_see_restricted
from azyl.web.session import CurrentUser

router = APIRouter(tags=["search"])

SearchText = Annotated[
    str,
    Query(
        max_length=4 * MAX_QUERY_CHARS,  # the library says why, in a sentence, up to here
        description=f"Words to find, all of them (at most {MAX_TERMS} words, "
        f"{MAX_QUERY_CHARS} characters); `word*` matches every word it begins. "
        "English and Russian words are matched by their stem.",
    ),
]
Kind = Annotated[
    Literal["fact", "source", "incident"] | None, Query(description="Only results of this kind.")
]
Limit = Annotated[int, Query(ge=1, le=200, description="Results listed per kind.")]


class Segment(Payload):
    text: str
    match: bool = Field(description="True for the words the search found.")


class Result(Payload):
    """One document found. The fields after `snippet` belong to one kind each and are
    null for the others: facts have `fact_kind`, `actor` and `date` (in force from);
    sources `title`, `source_kind` and `date`; incidents `date`, `date_precision`,
    `date_label`, `origin`, `host`, `residence` (where the target lived, when the sources
    say: for a returnee jailed at home, the state that removed them) and `stage`."""

    kind: Literal["fact", "source", "incident"]
    id: str
    url: str = Field(description="The page that shows it.")
    score: float
    field: str = Field(description="The field the snippet is taken from.")
    snippet: list[Segment]
    fact_kind: str | None
    actor: str | None
    title: str | None
    source_kind: str | None
    date: str | None = Field(description="ISO date (a fact's start, a source's, an incident's).")
    date_precision: str | None
    date_label: str | None
    origin: str | None
    host: str | None
    residence: str | None
    stage: str | None


class Group(Payload):
    kind: Literal["fact", "source", "incident"]
    total: int = Field(description="Everything of this kind found (items lists the best).")
    items: list[Result]


class SearchResult(Payload):
    query: str
    words: int
    total: int
    groups: list[Group]


@router.get(
    "/search",
    response_model=Envelope[SearchResult],
    summary="Facts, sources and incidents holding every word of a query, grouped by kind",
)
def search(
    services: Svc, user: CurrentUser, lang: Lang, q: SearchText, kind: Kind = None,
    limit: Limit = 20,
) -> Response:  # fmt: skip
    """Restricted incidents are searched only for caseworkers and up (docs/web.md)."""
    result = services.search(q, kind, lang, may_see_restricted(user), limit)
    return ok(result, lang=lang)
