"""The base of every payload model: each key documented, no other allowed."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Payload(BaseModel):
    """A JSON object the API answers (`additionalProperties: false` in the OpenAPI document).

    Forbidding unknown keys makes the schema say exactly what an answer holds,
    so a key a route adds without documenting it fails the response tests.
    """

    model_config = ConfigDict(extra="forbid")
