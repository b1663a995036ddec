"""The audit log as files and tables: JSON lines, CSV, and the rows of `azyl audit list`.

Exports carry every stored field, including both hashes, so a copy kept
elsewhere can be checked against the database later (the chain can be
recomputed from an export alone: see `chain_breaks`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from azyl.audit.log import AuditRecord
from azyl.csvcells import neutralise
from azyl.errors import InputError
from azyl.i18n import N_
from azyl.i18n.message import failure

#: Columns of the CSV export and the JSON documents, in order.
FIELDS = (
    "seq",
    "at",
    "actor",
    "action",
    "target_type",
    "target_id",
    "address",
    "details",
    "prev_hash",
    "hash",
)
EXPORT_FORMATS = ("jsonl", "csv")
LIST_FORMATS = ("table", "json", "csv")


def _row(entry: AuditRecord) -> dict[str, Any]:
    doc = entry.to_document()
    return {name: doc[name] for name in FIELDS}


def to_jsonl(records: Iterable[AuditRecord]) -> bytes:
    """One JSON object per line, details as an object: easy to grep, easy to reload."""
    lines = (json.dumps(_row(e), ensure_ascii=False, sort_keys=False) for e in records)
    return "".join(line + "\n" for line in lines).encode("utf-8")


def to_csv(records: Iterable[AuditRecord]) -> bytes:
    """A spreadsheet-friendly table; details as compact JSON text in one column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIELDS)
    for entry in records:
        row = _row(entry)
        row["details"] = json.dumps(row["details"], ensure_ascii=False, sort_keys=True)
        writer.writerow([_csv_safe(row[name]) for name in FIELDS])
    return buffer.getvalue().encode("utf-8")


def _csv_safe(value: Any) -> str:
    """Text a spreadsheet will not run as a formula (a username may start with '=')."""
    return str(neutralise("" if value is None else str(value)))


def render(records: list[AuditRecord], fmt: str) -> bytes:
    """The entries in one of EXPORT_FORMATS or LIST_FORMATS (json is an API-style envelope)."""
    if fmt == "jsonl":
        return to_jsonl(records)
    if fmt == "csv":
        return to_csv(records)
    if fmt == "json":
        doc = {"data": [_row(e) for e in records], "meta": {"count": len(records)}}
        return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt == "table":
        return "".join(table_line(e) + "\n" for e in records).encode("utf-8")
    raise InputError(f"unknown audit format {fmt!r}; use one of {', '.join(LIST_FORMATS)}, jsonl")


def table_line(entry: AuditRecord) -> str:
    """One entry on one line: sequence, time, actor, action, target, address."""
    target = f"{entry.target_type}:{entry.target_id}" if entry.target_type else "-"
    return (
        f"{entry.seq:>6}  {entry.at.strftime('%Y-%m-%d %H:%M:%S')}  {entry.actor or '-':<16} "
        f"{entry.action:<22} {target:<28} {entry.address or '-'}"
    )


def parse_since(text: str) -> datetime:
    """A day (2026-11-01, midnight UTC) or an ISO timestamp; naive times are taken as UTC."""
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise failure(
            InputError,
            N_("--since {text} is not a date: write 2026-11-01 or 2026-11-01T09:30"),
            text=repr(text),
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_anchor(text: str) -> tuple[int, str]:
    """A head written down earlier, as SEQ:HASH (what `azyl audit head` prints)."""
    seq, _, digest = text.strip().partition(":")
    digest = digest.lower()
    if not (
        seq.isascii() and seq.isdigit() and len(seq) <= 18
        and len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)
    ):  # fmt: skip
        raise InputError(
            f"{text!r} is not a written-down head: expected SEQ:HASH, e.g. 42:<64 hex digits>"
        )
    return int(seq), digest
