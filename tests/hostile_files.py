"""Hostile files for the upload and import tests: broken workbooks, deep documents, bombs.

`workbook(rows)` is a valid XLSX of incident rows; `altered(xlsx, part, change)`
returns it with one part replaced (`change(old) -> new`, or None to delete
the part). `BROKEN_WORKBOOKS` names each malformed variant an adversarial
review sent, with the words the refusal must contain.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def workbook(rows: Sequence[Sequence[str]], title: str = "incidents") -> bytes:
    """An XLSX holding `rows` (the first is the header) on one sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def altered(xlsx: bytes, part: str, change: Callable[[bytes], bytes | None]) -> bytes:
    """The workbook with one zip part changed (or removed when `change` returns None)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            new = change(data) if info.filename == part else data
            if new is not None:
                archive.writestr(info.filename, new)
    return out.getvalue()


def understated(xlsx: bytes, declared: str) -> bytes:
    """The workbook whose sheet declares the range `declared` (e.g. A1:B2) whatever it holds."""

    def change(data: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{declared}"'.encode(), data)

    return altered(xlsx, SHEET, change)


def broken_workbooks(xlsx: bytes) -> dict[str, bytes]:
    """Malformed variants of a valid workbook, by what is wrong with them."""
    no_sheet = altered(xlsx, "xl/workbook.xml", lambda d: re.sub(rb"<sheet [^>]*/>", b"", d))
    return {
        "sheet XML cut short": altered(xlsx, SHEET, lambda d: d[: len(d) // 2]),
        "sheet XML not XML": altered(xlsx, SHEET, lambda d: b"\x00\x01 not xml"),
        "styles.xml not XML": altered(xlsx, "xl/styles.xml", lambda d: b"<styleSheet><<"),
        "styles.xml with text for a number": altered(
            xlsx,
            "xl/styles.xml",
            lambda d: (
                b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                b'2006/main"><cellXfs count="1"><xf numFmtId="abc"/></cellXfs></styleSheet>'
            ),
        ),
        "no sheet in the workbook": no_sheet,
        "the sheet's part missing": altered(xlsx, SHEET, lambda d: None),
        "no workbook part": altered(xlsx, "xl/workbook.xml", lambda d: None),
        "entity expansion in the sheet": altered(
            xlsx,
            SHEET,
            lambda d: (
                b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" '
                b't="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
            ),
        ),
    }
