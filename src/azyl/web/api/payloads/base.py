"""The base of every payload model: each key documented, no other allowed."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Payload(BaseModel):
    """A JSON object the API answers (`additionalProperties: false` in the OpenAPI document).

    Forbidding unknown keys makes the schema say exactly what an answer holds,
    so a key a route adds without documenting it fails the response tests.
    Every key is always written (null when empty), so the schema marks every
    field required, defaults included.
    """

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


#: The same settings for payloads built on the library's own document models
#: (which already forbid unknown keys): every field is written, so every one is required.
ANSWERED = ConfigDict(json_schema_serialization_defaults_required=True)
