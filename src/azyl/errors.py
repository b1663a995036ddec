"""azyl's exception hierarchy: every user-facing failure is one of these.

    AzylError                 anything azyl reports to a user (exit 1, HTTP 400)
    ├── ConfigError           a setting that does not parse
    ├── InputError            a value a user typed or uploaded is wrong (HTTP 422)
    │   ├── UnknownCountry    not an ISO code or English name we know
    │   └── CaseProfileError  a case profile with field-level problems
    ├── NotFound              a thing asked for by id does not exist (HTTP 404)
    ├── NoData                the question is valid but the data has no answer (HTTP 404)
    ├── DataFileError         a publisher file or data file is malformed (file and line)
    └── KnowledgeBaseError    the knowledge base does not validate (a list of problems)

The library raises them; the CLI and the web layer map them to exit codes and
HTTP statuses at the edge (see `code` and `http_status`). Their message is a
complete sentence a caseworker can act on. `details` carries structured extras
(suggestions, per-field problems) for the JSON error envelope. `text`, when
set, is the same sentence as a translatable `azyl.i18n.message.Message`
(built with `azyl.i18n.message.failure`), so a page shows it in the reader's
language; `message` stays English for the CLI, the logs and the API.
"""

from __future__ import annotations

from typing import Any


class AzylError(Exception):
    """Base of every error azyl reports to a user instead of crashing."""

    code = "azyl_error"
    http_status = 400

    def __init__(self, message: str, details: Any = None, *, text: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        # Typed loosely: a Message lives in azyl.i18n, a layer above this module.
        self.text = text


class ConfigError(AzylError):
    code = "config_error"
    http_status = 500


class InputError(AzylError):
    code = "invalid_input"
    http_status = 422


class UnknownCountry(InputError):
    code = "unknown_country"


class CaseProfileError(InputError):
    """A case profile with problems. `messages` holds them as templates with parameters
    (`azyl.i18n.message.Message`), so a page can show them in the reader's language."""

    code = "invalid_case_profile"

    def __init__(
        self,
        message: str,
        details: Any = None,
        messages: list[Any] | None = None,
        *,
        text: Any = None,
    ) -> None:
        super().__init__(message, details, text=text)
        self.messages = messages or []


class NotFound(AzylError):
    code = "not_found"
    http_status = 404


class Busy(AzylError):
    """The application database stayed locked by other work for too long; trying again helps."""

    code = "busy"
    http_status = 503


class NoData(AzylError):
    code = "no_data"
    http_status = 404


class DataFileError(AzylError):
    """A malformed input file; the message names the file and the line."""

    code = "data_file_error"

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}", {"file": path, "line": line, "problem": problem})
        self.path = path
        self.line = line
        self.problem = problem


class KnowledgeBaseError(AzylError):
    """The knowledge base failed validation; `problems` lists every `file:line: problem`.

    `items` holds the same problems as `azyl.validation.Problem`s (path, line and a
    message that may be a template), for a page that shows them in its language.
    """

    code = "knowledge_base_invalid"
    http_status = 500

    def __init__(self, problems: list[str], items: list[Any] | None = None) -> None:
        count = len(problems)
        head = f"the knowledge base has {count} problem{'s' if count != 1 else ''}"
        super().__init__(head + ":\n" + "\n".join(problems), {"problems": problems})
        self.problems = problems
        self.items = items or []
