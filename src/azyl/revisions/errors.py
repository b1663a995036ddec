"""Errors of editing: a save over someone else's change, a record that does not validate."""

from __future__ import annotations

from azyl.errors import AzylError, InputError
from azyl.i18n import N_
from azyl.i18n.message import Message, Nn_, render
from azyl.revisions.history import Change, Version

#: A problem with one field: English text, or a template each reader gets in their language.
Said = str | Message

#: The conflict, by kind of record (each language words "this incident" its own way).
_CONFLICT = {
    "incident": N_(
        "Someone else changed this incident while you were editing it: version {current} by "
        "{who} changed {fields} after the version {base} you started from. Your changes were "
        "not saved; review theirs below and save again."
    ),
    "proposal": N_(
        "Someone else changed this proposal while you were editing it: version {current} by "
        "{who} changed {fields} after the version {base} you started from. Your changes were "
        "not saved; review theirs below and save again."
    ),
}
_LOADER = N_("the registry's loader")
_NOTHING_VISIBLE = N_("nothing visible")
_INVALID = {
    "incident": Nn_(
        "the incident has {count} problem; nothing was saved",
        "the incident has {count} problems; nothing was saved",
    ),
    "proposal": Nn_(
        "the proposal has {count} problem; nothing was saved",
        "the proposal has {count} problems; nothing was saved",
    ),
}


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
        who = current.actor or Message.of(_LOADER)
        fields = ", ".join(sorted({c.field.split("[")[0].split(".")[0] for c in changes}))
        text = Message.of(
            _CONFLICT[what],
            current=current.version,
            who=who,
            fields=fields or Message.of(_NOTHING_VISIBLE),
            base=base_version,
        )
        super().__init__(
            render(text, "en"),
            {
                "base_version": base_version,
                "current_version": current.version,
                "changed_by": current.actor,
                "changed_at": current.to_dict()["at"],
                "changes": [c.to_dict() for c in changes],
            },
            text=text,
        )
        self.base_version = base_version
        self.current = current
        self.changes = changes


def _listing(head: Message, problems: list[tuple[str, Said]]) -> Message:
    """The head and one indented line per problem, as one template (each part translated)."""
    lines = {
        f"p{i}": Message.of("{field}: {problem}" if f else "{problem}", field=f, problem=p)
        for i, (f, p) in enumerate(problems)
    }
    template = "{head}" + "".join(f"\n  {{{key}}}" for key in lines)
    return Message.of(template, head=head, **lines)


class RecordInvalid(InputError):
    """What the editor wrote does not validate; `problems` are (field, message) pairs.

    A message may be a template (`Message`): the error's text, its details and
    `by_field` are English, and a page renders `problems` in its own language.
    """

    code = "record_invalid"

    def __init__(self, what: str, problems: list[tuple[str, Said]]) -> None:
        count = len(problems)
        english = [(f, render(m, "en")) for f, m in problems]
        lines = [f"{field}: {message}" if field else message for field, message in english]
        forms = _INVALID.get(what)
        head = (
            render(Message.counted(forms, count), "en")
            if forms
            else f"the {what} has {count} problem{'s' if count != 1 else ''}; nothing was saved"
        )
        super().__init__(
            "\n".join([head, *(f"  {line}" for line in lines)]),
            {"problems": [{"field": f, "message": m} for f, m in english]},
            text=_listing(Message.counted(forms, count), problems) if forms else None,
        )
        self.problems = problems

    @property
    def by_field(self) -> dict[str, list[str]]:
        """Messages grouped by field path (the empty path: the record as a whole), in English."""
        grouped: dict[str, list[str]] = {}
        for field, message in self.problems:
            grouped.setdefault(field, []).append(render(message, "en"))
        return grouped
