"""The audit log: an append-only, hash-chained record of who did what, and when.

    record(session, "case.view", actor=user, target=("case", case.id), address=ip)
    verify(session)            # -> Verification: ok, or the first broken entry

Every entry carries the SHA-256 of its own content and of the entry before it,
so changing or deleting any entry breaks the chain from that point on, and
`azyl audit verify` names where. Entries never hold personal data of the people
in cases: targets are ids, details are short and factual.
"""

from azyl.audit.log import (
    AuditRecord,
    Verification,
    entries,
    entry_hash,
    head,
    operator_name,
    record,
    verify,
)

__all__ = [
    "AuditRecord",
    "Verification",
    "entries",
    "entry_hash",
    "head",
    "operator_name",
    "record",
    "verify",
]
