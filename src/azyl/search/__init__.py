"""Full-text search over the knowledge base and the incident registry, in English and Russian.

    parse_query(text) -> terms                  InputError for what cannot be a search
    Index.build(documents(kb, incidents))       an in-memory inverted index (index.py)
    index.search(terms, lang) -> [Ranked]       every document holding all terms, best first
    ranked.hit() -> Hit                         with a snippet, the reader's language first

`index.py` holds the index, stems and snippets; `documents.py` says which
fields of a fact, a source and an incident are searched and how much each
weighs. docs/web.md ("Search") describes the query language.
"""

from azyl.search.documents import KINDS, documents
from azyl.search.index import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    Document,
    Field,
    Hit,
    Index,
    Ranked,
    Segment,
    Term,
    parse_query,
)

__all__ = [
    "KINDS",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "Document",
    "Field",
    "Hit",
    "Index",
    "Ranked",
    "Segment",
    "Term",
    "documents",
    "parse_query",
]
