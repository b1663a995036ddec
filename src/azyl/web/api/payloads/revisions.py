"""Payloads shared by every versioned record (incidents, knowledge-base proposals): its history."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import Field

from azyl.revisions.history import Change
from azyl.web.api.payloads.base import Payload

Snapshot = TypeVar("Snapshot")


class Version(Payload, Generic[Snapshot]):
    """One version of a record, its snapshot, and what changed from the version before."""

    version: int
    action: str = Field(description="create, edit or revert.")
    actor: str = Field(description="The account that made the version.")
    at: str = Field(description="When, in UTC (ISO 8601, ending in Z).")
    reverted_to: int | None = Field(description="For a revert: the version restored.")
    summary: str
    snapshot: Snapshot
    changes: list[Change] = Field(description="Field by field, from the version before.")
