"""Errors of editing: a save over someone else's change, a record that does not validate."""

from __future__ import annotations

from azyl.errors import AzylError, InputError
from azyl.revisions.history import Change, Version


class EditConflict(AzylError):
    """The record changed since the editor opened it; nothing was saved (HTTP 409).

    `details` carry the version the editor started from, the current one, who
    made it and what it changed, so the editor can see their change before
    saving again on top of it.
    """

    code = "edit_conflict"
    http_status = 409

    def __init__(
        self, what: str, base_version: int, current: Version, changes: list[Change]
    ) -> None:
        who = current.actor or "the registry's loader"
        fields = ", ".join(sorted({c.field.split("[")[0].split(".")[0] for c in changes}))
        message = (
            f"Someone else changed this {what} while you were editing it: version "
            f"{current.version} by {who} changed {fields or 'nothing visible'} after the "
            f"version {base_version} you started from. Your changes were not saved; "
            "review theirs below and save again."
        )
        super().__init__(
            message,
            {
                "base_version": base_version,
                "current_version": current.version,
                "changed_by": current.actor,
                "changed_at": current.to_dict()["at"],
                "changes": [c.to_dict() for c in changes],
            },
        )
        self.base_version = base_version
        self.current = current
        self.changes = changes


class RecordInvalid(InputError):
    """What the editor wrote does not validate; `problems` are (field, message) pairs."""

    code = "record_invalid"

    def __init__(self, what: str, problems: list[tuple[str, str]]) -> None:
        count = len(problems)
        lines = [f"{field}: {message}" if field else message for field, message in problems]
        head = f"the {what} has {count} problem{'s' if count != 1 else ''}; nothing was saved"
        super().__init__(
            "\n".join([head, *(f"  {line}" for line in lines)]),
            {"problems": [{"field": f, "message": m} for f, m in problems]},
        )
        self.problems = problems

    @property
    def by_field(self) -> dict[str, list[str]]:
        """Messages grouped by field path (the empty path: the record as a whole)."""
        grouped: dict[str, list[str]] = {}
        for field, message in self.problems:
            grouped.setdefault(field, []).append(message)
        return grouped
