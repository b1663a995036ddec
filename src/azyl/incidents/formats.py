"""The registry's exchange formats: CSV and XLSX (one flat row per incident) and JSON.

Exports are written from `IncidentView.to_document()`, imports are read back
into the same nested document form, so one validator judges every format and
an export imported into an empty database exports again identically.

Flat rows (CSV, XLSX) have one column per field; lists (tactics, profiles) are
joined with "; "; the target's fields are `target_name`, `target_label`,
`target_profiles`; citations take a group of columns each, `source_1_source`,
`source_1_url`, `source_1_title`, `source_1_date`, `source_1_pinpoint`,
`source_1_quote`, then `source_2_...`, as many groups as the incident with
the most citations needs. An empty cell is an empty field.

A column left out of a file to import is left alone in the database (a file
with only `id` and `outcome` updates outcomes); a column present with an empty
cell clears that field. Unknown columns are refused, so that a misspelt
header can never be silently ignored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pydantic_core
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from azyl.csvcells import neutralise, restore
from azyl.i18n import N_
from azyl.i18n.message import Message, Number, failure, render
from azyl.i18n.parsers import csv_problem, json_problem, value_problem
from azyl.incidents.record import RESTRICTED_FIELDS, IncidentView
from azyl.incidents.validate import Problem
from azyl.incidents.vocabulary import DATE_PRECISION, OUTCOMES, STAGES, TACTICS, VISIBILITY
from azyl.kb.vocabulary import CONFIDENCE, PROFILES
from azyl.limits import LimitExceeded, Repeated, load_json
from azyl.validation import Loc, Said, field_name

FORMATS: tuple[str, ...] = ("csv", "xlsx", "json")
JSON_FORMAT_NAME = "azyl-incidents"
JSON_FORMAT_VERSION = 1
SHEET = "incidents"

#: The columns of a flat row, before the citation groups.
COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "date_precision",
    "origin",
    "origin_region",
    "host",
    "host_region",
    "residence",
    "target_name",
    "target_name_ru",
    "target_label",
    "target_label_ru",
    "target_profiles",
    "relatives_targeted",
    "relatives_relation",
    "relatives_relation_ru",
    "tactics",
    "stage",
    "outcome",
    "mechanism",
    "summary",
    "mechanism_ru",
    "summary_ru",
    "confidence",
    "visibility",
    "notes",
    "created_at",
    "updated_at",
)
SOURCE_FIELDS: tuple[str, ...] = ("source", "url", "title", "date", "pinpoint", "quote")
LIST_SEPARATOR = "; "
#: Citation columns, at most 9999 of them (a number of thousands of digits is not a column).
_SOURCE_COLUMN = re.compile(r"^source_([1-9][0-9]{0,3})_(" + "|".join(SOURCE_FIELDS) + r")$")
_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class IncomingRow:
    """One incident read from a file, before validation."""

    label: str  # how problems refer to it: "row 17"
    document: dict[str, Any]
    name_field: Callable[[Loc], str]  # a field path in the file's own terms
    problems: tuple[Problem, ...] = ()


def is_public(visibility: str) -> bool:
    """True for the public audience; 'all' is the team's."""
    return visibility == "public"


# -- writing ---------------------------------------------------------------------------------


def columns_for(n_sources: int, public: bool) -> list[str]:
    """The header of a flat export with `n_sources` citation groups."""
    columns = [c for c in COLUMNS if not (public and c in RESTRICTED_FIELDS)]
    for n in range(1, max(n_sources, 1) + 1):
        columns += [f"source_{n}_{f}" for f in SOURCE_FIELDS]
    return columns


def flatten(view: IncidentView) -> dict[str, str]:
    """An incident as flat cells (text; empty string for an empty field)."""
    doc = view.to_document()
    target = doc.pop("target")
    cells: dict[str, str] = {
        "target_name": target["name"] or "",
        "target_name_ru": target["name_ru"] or "",
        "target_label": target["label"] or "",
        "target_label_ru": target["label_ru"] or "",
        "target_profiles": LIST_SEPARATOR.join(target["profiles"]),
        "tactics": LIST_SEPARATOR.join(doc.pop("tactics")),
        "relatives_targeted": "yes" if doc.pop("relatives_targeted") else "no",
    }
    for n, source in enumerate(doc.pop("sources"), start=1):
        for key in SOURCE_FIELDS:
            cells[f"source_{n}_{key}"] = source.get(key) or ""
    for key, value in doc.items():
        cells[key] = "" if value is None else str(value)
    return cells


def _rows(views: Sequence[IncidentView], public: bool) -> tuple[list[str], list[list[str]]]:
    header = columns_for(max((len(v.sources) for v in views), default=1), public)
    rows = []
    for view in views:
        cells = flatten(view)
        rows.append([cells.get(c, "") for c in header])
    return header, rows


def write_csv(views: Sequence[IncidentView], public: bool) -> bytes:
    """CSV (RFC 4180, UTF-8, CRLF line ends), header first.

    Cells a spreadsheet would run as a formula get a leading apostrophe
    (`azyl.csvcells`), which `read_csv` removes again: the round trip is exact.
    """
    header, rows = _rows(views, public)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def write_xlsx(views: Sequence[IncidentView], public: bool) -> bytes:
    """A workbook: the `incidents` sheet (every cell text) and a `vocabularies` sheet."""
    header, rows = _rows(views, public)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    for r, values in enumerate([header, *rows], start=1):
        for c, value in enumerate(values, start=1):
            if value == "":
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            cell.data_type = "s"  # text, even when it starts with "=": never a formula
    sheet.freeze_panes = "B2"
    _vocabulary_sheet(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _vocabulary_sheet(book: Workbook) -> None:
    """The allowed values, for whoever edits the sheet by hand (ignored on import)."""
    sheet = book.create_sheet("vocabularies")
    sheet.append(["field", "value", "meaning"])
    vocabularies: list[tuple[str, dict[str, str]]] = [
        ("tactics", {k: f"{v[1]} (stage: {v[0]})" for k, v in TACTICS.items()}),
        ("outcome", dict(OUTCOMES)),
        ("target_profiles", dict(PROFILES)),
        ("confidence", dict(CONFIDENCE)),
        ("visibility", dict(VISIBILITY)),
        ("date_precision", {p: "" for p in DATE_PRECISION}),
        ("stage (derived)", dict(STAGES)),
    ]
    for field, terms in vocabularies:
        for term, meaning in terms.items():
            sheet.append([field, term, meaning])


def write_json(views: Sequence[IncidentView], public: bool) -> bytes:
    """A JSON document: format name and version, audience, and the incidents."""
    incidents = []
    for view in views:
        doc = view.to_document()
        if public:
            for key in RESTRICTED_FIELDS:
                doc.pop(key)
        incidents.append(doc)
    payload = {
        "format": JSON_FORMAT_NAME,
        "version": JSON_FORMAT_VERSION,
        "visibility": "public" if public else "all",
        "incidents": incidents,
    }
    # pydantic-core writes what json.dumps(indent=2, ensure_ascii=False) writes, four times faster
    return pydantic_core.to_json(payload, indent=2) + b"\n"


WRITERS: dict[str, Callable[[Sequence[IncidentView], bool], bytes]] = {
    "csv": write_csv,
    "xlsx": write_xlsx,
    "json": write_json,
}


# -- reading ---------------------------------------------------------------------------------


def column_of(path: Loc, source_numbers: Sequence[int]) -> str:
    """Name a document field by the column that holds it."""
    if not path:
        return "row"
    head = path[0]
    if head == "target":
        sub = path[1] if len(path) > 1 else None
        return f"target_{sub}" if sub else "target_name/target_label"
    if head == "sources":
        if len(path) == 1:
            return "source_1_source/source_1_url"
        index = path[1]
        n = source_numbers[index] if isinstance(index, int) and index < len(source_numbers) else 1
        return f"source_{n}_{path[2]}" if len(path) > 2 else f"source_{n}_*"
    return str(head)


def check_header(header: Sequence[str]) -> list[Said]:
    """Problems with a flat file's header: unknown, duplicate or missing columns."""
    problems: list[Said] = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Message.of(N_("column {name} appears twice"), name=repr(name)))
        seen.add(name)
        if name not in COLUMNS and not _SOURCE_COLUMN.match(name):
            problems.append(Message.of(N_("unknown column {name}"), name=repr(name)))
    if "id" not in seen:
        problems.append(Message.of(N_("there is no 'id' column")))
    return problems


def unflatten(cells: dict[str, str], label: str) -> IncomingRow:
    """A flat row (present columns only) as a nested document."""
    doc: dict[str, Any] = {}
    problems: list[Problem] = []
    target: dict[str, Any] = {}
    groups: dict[int, dict[str, str | None]] = {}
    for name, raw in cells.items():
        value = raw.strip()
        if match := _SOURCE_COLUMN.match(name):
            groups.setdefault(int(match[1]), {})[match[2]] = value or None
        elif name in ("tactics", "target_profiles"):
            items = [part.strip() for part in value.split(";") if part.strip()]
            (target if name == "target_profiles" else doc)[name.removeprefix("target_")] = items
        elif name in ("target_name", "target_name_ru", "target_label", "target_label_ru"):
            target[name.removeprefix("target_")] = value or None
        elif name == "relatives_targeted":
            if value.lower() in _TRUE | _FALSE:
                doc[name] = value.lower() in _TRUE
            else:
                no = Message.of(N_("must be yes or no, not {value}"), value=repr(value))
                problems.append(Problem((name,), no))
        else:
            doc[name] = value or None
    if target:
        doc["target"] = target
    numbers: list[int] = []
    if groups:
        sources = []
        for n in sorted(groups):
            if any(v is not None for v in groups[n].values()):
                sources.append(groups[n])
                numbers.append(n)
        doc["sources"] = sources
    return IncomingRow(label, doc, lambda path: column_of(path, numbers), tuple(problems))


def read_csv(data: bytes) -> tuple[list[IncomingRow], list[Said]]:
    """Rows of a CSV file (UTF-8, with or without a byte-order mark), formula marks removed."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    try:
        table = _bounded([restore(cell) for cell in row] for row in reader)
    except csv.Error as exc:
        problem = csv_problem(exc, reader.line_num)
        raise Unreadable(Message.of(N_("not a CSV table: {problem}"), problem=problem)) from None
    return _read_table(table)


class Unreadable(ValueError):
    """A file that is not the table its name says, as a sentence any language can render."""

    def __init__(self, message: Message) -> None:
        super().__init__(render(message, "en"))
        self.message = message


#: `{detail}` is zipfile's or openpyxl's English, which the Russian catalogue leaves out.
_NOT_XLSX = N_("not an XLSX workbook ({detail})")

#: The most rows (header included) a file to import may have; the registry holds hundreds.
MAX_ROWS = 100_000


def _bounded(rows: Iterable[list[str]]) -> list[list[str]]:
    """The rows of a table, refusing one longer than MAX_ROWS before reading on."""
    table: list[list[str]] = []
    for row in rows:
        _check_rows(len(table) + 1)
        table.append(row)
    return table


def _check_rows(count: int) -> None:
    if count > MAX_ROWS:
        raise failure(
            LimitExceeded,
            N_("the file has more than {max} rows; split it (nothing was imported)"),
            {"limit": "rows", "max": MAX_ROWS},
            max=Number(MAX_ROWS),
        )


#: An XLSX file is a zip: refuse one that would inflate past this (a "zip bomb")...
XLSX_MAX_EXPANDED = 100 * 1024 * 1024
#: ... or that holds more parts than any workbook of incidents needs.
XLSX_MAX_PARTS = 1000


def read_xlsx(data: bytes) -> tuple[list[IncomingRow], list[Said]]:
    """Rows of the `incidents` sheet (or the first sheet) of a workbook.

    A workbook is a zip of XML parts written by any program, and openpyxl
    meets a broken part (sheet XML that is not well-formed, a style with text
    where a number belongs, no sheet at all) with whatever exception its code
    reaches first. Every one of them is a workbook that cannot be read, said
    as such; only the limits of `azyl.limits` keep their own error.
    """
    _check_zip(data)
    try:
        table = _sheet_table(data)
    except LimitExceeded:
        raise
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as exc:
        raise Unreadable(Message.of(_NOT_XLSX, detail=str(exc))) from None
    except Unreadable:
        raise
    except Exception as exc:  # a broken part: see above
        kind = "" if isinstance(exc, ValueError) else f"{type(exc).__name__}: "
        first = (str(exc).splitlines() or [""])[0]
        problem = f"{kind}{first}"
        raise Unreadable(
            Message.of(N_("not a readable XLSX workbook ({detail})"), detail=problem)
        ) from None
    return _read_table(table)


def _sheet_table(data: bytes) -> list[list[str]]:
    """Every row of the sheet as text, however many rows its `dimension` element declares."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if not book.worksheets:
            raise Unreadable(Message.of(N_("not a readable XLSX workbook (it has no sheet)")))
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        # Read-only sheets stop at the size the file declares, which a hand-edited or
        # generated file can understate: the rows past it were dropped without a word.
        sheet.reset_dimensions()
        return _bounded([_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True))
    finally:
        book.close()


def _check_zip(data: bytes) -> None:
    """Refuse a zip that is not one, or whose parts would inflate to more than a workbook needs.

    The sizes are those the zip declares; a part that inflates past its
    declared size is stopped by Python's zipfile itself.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise Unreadable(Message.of(_NOT_XLSX, detail=str(exc))) from None
    if len(parts) > XLSX_MAX_PARTS:
        raise Unreadable(
            Message.of(
                N_("not an XLSX workbook of incidents: it holds {count} parts"),
                count=Number(len(parts)),
            )
        )
    expanded = sum(part.file_size for part in parts)
    if expanded > XLSX_MAX_EXPANDED:
        raise Unreadable(
            Message.of(
                N_(
                    "the workbook would inflate to {size} MiB, more than the {limit} MiB "
                    "allowed; split it or export it as CSV"
                ),
                size=Number(round(expanded / 2**20)),
                limit=Number(XLSX_MAX_EXPANDED // 2**20),
            )
        )


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as text: dates as YYYY-MM-DD, yes/no for booleans, 7 not 7.0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_table(table: list[list[str]]) -> tuple[list[IncomingRow], list[Said]]:
    """Header check, then one IncomingRow per non-empty row, numbered as a spreadsheet does."""
    if not table:
        empty = N_("the file is empty: it needs a header row with at least an 'id' column")
        return [], [Message.of(empty)]
    header = [h.strip() for h in table[0]]
    while header and header[-1] == "":
        header.pop()
    problems = check_header(header)
    if problems:
        return [], problems
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        extra = [v for v in values[len(header) :] if v.strip()]
        label = f"row {number}"
        if extra:
            problems.append(
                Message.of(
                    N_("{row}: has {count} more cell(s) than the header has columns"),
                    row=row_label(number),
                    count=len(extra),
                )
            )
            continue
        cells = {name: (values[i] if i < len(values) else "") for i, name in enumerate(header)}
        rows.append(unflatten(cells, label))
    return rows, problems


def row_label(number: int) -> Message:
    """ "row 17", as problems name a row of a file."""
    return Message.of(N_("row {n}"), n=number)


def _json_field(path: Loc) -> str:
    return field_name(path) or "incident"


def read_json(raw: bytes) -> tuple[list[IncomingRow], list[Said]]:
    """Incidents of a JSON export (or a bare list of incident documents)."""
    try:
        data = load_json(raw.decode("utf-8-sig"), name=Message.of(N_("the file")))
    except json.JSONDecodeError as exc:
        invalid = N_("line {line}: not valid JSON: {problem}")
        return [], [Message.of(invalid, line=exc.lineno, problem=json_problem(exc))]
    except ValueError as exc:  # a key given twice, a number of thousands of digits
        problem = exc.message if isinstance(exc, Repeated) else value_problem(exc)
        return [], [Message.of(N_("not valid JSON: {problem}"), problem=problem)]
    if isinstance(data, dict):
        if data.get("format", JSON_FORMAT_NAME) != JSON_FORMAT_NAME:
            other = N_("format {format} is not {expected}")
            shown = repr(data.get("format"))
            return [], [Message.of(other, format=shown, expected=repr(JSON_FORMAT_NAME))]
        if data.get("version", JSON_FORMAT_VERSION) != JSON_FORMAT_VERSION:
            other = N_("version {version} is not {expected}")
            shown = repr(data.get("version"))
            return [], [Message.of(other, version=shown, expected=JSON_FORMAT_VERSION)]
        data = data.get("incidents")
    if not isinstance(data, list):
        expected = N_("expected a list of incidents (or an object with an 'incidents' list)")
        return [], [Message.of(expected)]
    _check_rows(len(data))
    rows = []
    for number, doc in enumerate(data, start=1):
        label = f"row {number}"
        if not isinstance(doc, dict):
            not_object = Problem((), Message.of(N_("is not an object")))
            rows.append(IncomingRow(label, {}, _json_field, (not_object,)))
            continue
        rows.append(IncomingRow(label, doc, _json_field))
    return rows, []


READERS: dict[str, Callable[[bytes], tuple[list[IncomingRow], list[Said]]]] = {
    "csv": read_csv,
    "xlsx": read_xlsx,
    "json": read_json,
}
