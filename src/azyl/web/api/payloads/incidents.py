"""Payloads of the incident routes: the incident document as the registry exports it.

Built on the registry's own document model (`azyl.incidents.documents.IncidentDoc`,
the shape `azyl incidents import` reads), declaring the keys exports add: the
stage derived from the tactics, and when the incident was recorded and changed.
"""

from __future__ import annotations

from pydantic import Field

from azyl.incidents.documents import IncidentDoc
from azyl.web.api.payloads.base import ANSWERED, Payload


class StoredIncident(IncidentDoc):
    """An incident as stored: its document, its stage and its timestamps."""

    model_config = ANSWERED

    stage: str = Field(description="The furthest stage its tactics reached (the vocabulary's).")
    created_at: str = Field(description="When it entered the registry (UTC, ISO 8601).")
    updated_at: str = Field(description="When it last changed (UTC, ISO 8601).")


class Incident(StoredIncident):
    """An incident as the pages and the API show it, with how to name it and its date."""

    target_label: str = Field(description="The target's public name, else its pseudonym.")
    date_label: str = Field(description="The date only as precisely as the sources know it.")
    profiles: list[str] = Field(description="The target's profiles (as target.profiles).")


class ImportOutcome(Payload):
    """What an import did, or would do in a dry run."""

    file: str
    dry_run: bool
    created: list[str]
    updated: dict[str, list[str]] = Field(description="Incident id: the fields that changed.")
    unchanged: list[str]
