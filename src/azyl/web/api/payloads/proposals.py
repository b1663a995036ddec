"""Payloads of the knowledge-base proposal routes (`azyl.revisions.proposals.Proposal`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from azyl.web.api.payloads.base import Payload


class Proposal(Payload):
    """A proposed new or changed fact file, its review status and its version."""

    id: int
    fact_id: str = Field(description="`<area>.<name>` of the fact.")
    kind: Literal["new", "change"] = Field(description="A new fact, or a change of one.")
    path: str = Field(description="Where the file goes in the checkout (kb/facts/...).")
    text: str = Field(description="The fact's YAML file.")
    status: Literal["draft", "submitted", "accepted", "rejected"]
    version: int = Field(description="What an edit, revert or decision names as base_version.")
    created_by: str
    created_at: str = Field(description="UTC, ISO 8601 ending in Z.")
    updated_at: str
    decided_by: str | None
    decided_at: str | None
    decision_note: str | None


class ProposalSnapshot(Payload):
    """What a version of a proposal holds."""

    fact_id: str
    text: str
