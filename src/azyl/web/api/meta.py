"""About the API itself: health, vocabularies, countries."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from azyl import __version__, countries
from azyl.i18n import country_name, label
from azyl.incidents import vocabulary as incident_vocabulary
from azyl.kb import vocabulary as kb_vocabulary
from azyl.web.api.payloads.meta import CountryOut, Health, Term
from azyl.web.deps import Lang
from azyl.web.envelope import Envelope, ok

router = APIRouter(tags=["meta"])


@router.get("/health", response_model=Envelope[Health], summary="Is the server up")
def health() -> Response:
    return ok({"status": "ok", "version": __version__})


def vocabularies() -> dict[str, dict[str, str]]:
    """Every closed vocabulary with its definitions (knowledge base and incidents)."""
    terms: dict[str, dict[str, str]] = dict(kb_vocabulary.catalog())
    terms["stages"] = dict(incident_vocabulary.STAGES)
    terms["tactics"] = {k: d for k, (_, d) in incident_vocabulary.TACTICS.items()}
    terms["outcomes"] = dict(incident_vocabulary.OUTCOMES)
    terms["visibility"] = dict(incident_vocabulary.VISIBILITY)
    return terms


@router.get(
    "/catalog",
    response_model=Envelope[dict[str, list[Term]]],
    summary="Closed vocabularies with labels and definitions",
)
def catalog(lang: Lang) -> Response:
    data: dict[str, Any] = {
        name: [{"key": k, "label": label(name, k, lang), "definition": d} for k, d in terms.items()]
        for name, terms in vocabularies().items()
    }
    return ok(data, language=lang)


@router.get(
    "/countries",
    response_model=Envelope[list[CountryOut]],
    summary="States azyl knows: the FSU origins and the EU member states",
)
def country_list(lang: Lang) -> Response:
    codes = sorted(set(countries.FSU_ORIGINS) | {c for c, _, _ in countries.EU_MEMBERSHIP})
    data = [country_out(code, lang) for code in codes]
    return ok(data, language=lang)


def country_out(code: str, lang: str) -> dict[str, Any]:
    found = countries.resolve(code)
    return {
        "code": found.alpha3,
        "alpha2": found.alpha2,
        "name": country_name(found.alpha3, lang),
        "fsu_origin": found.alpha3 in countries.FSU_ORIGINS,
    }
