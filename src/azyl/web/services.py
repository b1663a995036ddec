"""The web layer's one seam onto the library: statistics, knowledge base, incidents, screening.

Routes call `Services` and nothing below it, so each route stays a few lines
and the tests can hand the app a `Services` built on small fixtures. A part of
azyl that is not installed or not built on this server raises `NotAvailable`
(HTTP 503, code `not_available`) with a sentence saying what is missing; the
pages show that sentence instead of an empty chart, and never invent data.
"""

from __future__ import annotations

from dataclasses import dataclass

from azyl.config import Settings
from azyl.errors import AzylError


class NotAvailable(AzylError):
    """A part of azyl that this server does not have (not built, or not installed yet)."""

    code = "not_available"
    http_status = 503


@dataclass
class Services:
    """Everything the routes read, built once per app from the settings."""

    settings: Settings

    @classmethod
    def from_settings(cls, settings: Settings) -> Services:
        return cls(settings)
