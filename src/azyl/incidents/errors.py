"""Errors of the incident registry, each a complete message a documenter can act on."""

from __future__ import annotations

from collections.abc import Sequence

from azyl.errors import AzylError, InputError
from azyl.i18n.message import Message, render

#: Problems listed in a message before "... and N more" (all of them are in `details`).
SHOWN_PROBLEMS = 50


def _listing(head: str, problems: list[str]) -> str:
    shown = problems[:SHOWN_PROBLEMS]
    more = len(problems) - len(shown)
    tail = [f"... and {more} more"] if more else []
    return "\n".join([head, *(f"  {p}" for p in shown), *tail])


class SeedError(AzylError):
    """The seed file does not validate; `problems` lists every `file:line: problem`."""

    code = "incident_seed_invalid"
    http_status = 500

    def __init__(self, path: str, problems: list[str]) -> None:
        count = len(problems)
        plural = "s" if count != 1 else ""
        head = f"{path}: the incident seed has {count} problem{plural}; nothing was loaded:"
        super().__init__(_listing(head, problems), {"file": path, "problems": problems})
        self.problems = problems


class IncidentImportError(InputError):
    """A file to import has problems; nothing was imported. `problems` are `row N: ...`.

    A problem may be given as a template (`Message`): `problems` and the message
    are English (the CLI, the API), `messages` keeps the templates for a page.
    """

    code = "incident_import_invalid"

    def __init__(self, path: str, problems: Sequence[str | Message]) -> None:
        count = len(problems)
        english = [render(p, "en") for p in problems]
        head = f"{path}: nothing imported; {count} problem{'s' if count != 1 else ''}:"
        super().__init__(_listing(head, english), {"file": path, "problems": english})
        self.problems = english
        self.messages = list(problems)
