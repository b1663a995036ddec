"""Payloads of the routes about the API itself: health, vocabularies, countries."""

from __future__ import annotations

from pydantic import Field

from azyl.web.api.payloads.base import Payload


class Health(Payload):
    status: str
    version: str = Field(description="The azyl version serving the request.")


class Term(Payload):
    """One term of a closed vocabulary, labelled in the request's language."""

    key: str
    label: str
    definition: str


class CountryOut(Payload):
    code: str = Field(description="ISO 3166-1 alpha-3.")
    alpha2: str
    name: str = Field(description="In the request's language.")
    fsu_origin: bool = Field(description="A state of the former Soviet Union.")
