"""Search: facts, sources and incidents holding every word typed, grouped, with the words marked.

The address is the permalink (`/search?q=...&kind=...`). A query that cannot
be searched for (too long, control characters) shows the page again with the
reason beside the field, answered 422, never an error page.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from azyl.errors import InputError
from azyl.i18n import N_, translations
from azyl.search import KINDS, MAX_QUERY_CHARS
from azyl.web.deps import Lang, Svc
from azyl.web.params import attempt
from azyl.web.services import may_see_restricted
from azyl.web.session import CurrentUser
from azyl.web.templating import render

router = APIRouter()
#: Results listed per kind on the page; `kind=` lists up to ALL of one kind.
SHOWN = 10
ALL = 200

#: What the library's refusals say, in the reader's language (by `details.problem`).
PROBLEMS = {
    "too_long": N_("The search is too long: at most %(limit)s characters."),
    "too_many_words": N_("The search has too many words: at most %(limit)s."),
    "control_character": N_("The search contains a control character; type words only."),
}

PageText = Annotated[str, Query(max_length=20 * MAX_QUERY_CHARS)]
PageKind = Annotated[Literal["fact", "source", "incident"] | None, Query()]


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, services: Svc, lang: Lang, user: CurrentUser, q: PageText = "",
    kind: PageKind = None,
) -> HTMLResponse:  # fmt: skip
    context: dict[str, Any] = {"title": "Search", "q": q, "kind": kind, "kinds": KINDS,
                               "result": None, "missing": None, "error": None}  # fmt: skip
    if q.strip():
        try:
            limit = ALL if kind else SHOWN
            restricted = may_see_restricted(user)
            context["result"], context["missing"] = attempt(
                services.search, q, kind, lang, restricted, limit
            )
        except InputError as exc:
            context["error"] = problem(exc, lang)
            return render(request, "search.html", context, lang, status=exc.http_status)
    return render(request, "search.html", context, lang)


def problem(exc: InputError, lang: str) -> str:
    """Why a query was refused, translated (the library's sentence if it is a new reason)."""
    details = exc.details if isinstance(exc.details, dict) else {}
    msgid = PROBLEMS.get(details.get("problem", ""))
    if msgid is None:
        return exc.message
    text: str = translations(lang).gettext(msgid) % {"limit": details.get("limit")}
    return text
