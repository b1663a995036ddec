"""The registry as files on the web: editors import, everyone exports what they may see.

Import through the page and the API applies exactly the command line's checks
(all rows or none, every problem by row and column), records versions named
after the editor and one audit entry with the file's SHA-256; malformed and
oversized uploads are refused in a sentence and change nothing. Exports hold
restricted incidents only for caseworkers and up, and those are audited.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import zipfile
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, func, select

from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.audit import entries
from azyl.config import Settings
from azyl.incidents import edits
from azyl.incidents.model import IncidentRow
from edit_support import app_on, client_as, form_of
from hostile_files import broken_workbooks, understated, workbook
from incident_docs import doc


@pytest.fixture
def app(settings: Settings, app_engine: Engine) -> FastAPI:
    return app_on(settings, app_engine)


def as_file(*documents: dict[str, Any]) -> bytes:
    return json.dumps({"format": "azyl-incidents", "version": 1,
                       "incidents": list(documents)}).encode()  # fmt: skip


PUBLIC = doc(id="kept-public")
SECRET = doc(id="kept-restricted", visibility="restricted", notes="Named witness: do not share.")


def count(engine: Engine) -> int:
    with session_scope(engine, commit=False) as session:
        return int(session.scalar(select(func.count()).select_from(IncidentRow)) or 0)


def audit_actions(engine: Engine) -> list[tuple[str, str | None, dict[str, Any]]]:
    with session_scope(engine, commit=False) as session:
        return [(e.action, e.actor, dict(e.details)) for e in entries(session)]


def test_an_editor_imports_a_file_and_the_page_says_what_changed(
    app: FastAPI, app_engine: Engine
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    assert client.get("/incidents/import").status_code == 200
    data = as_file(PUBLIC, SECRET)
    page = client.post("/incidents/import", files={"file": ("registry.json", data)})
    assert page.status_code == 200, page.text[:2000]
    assert "Imported registry.json: 2 created, 0 updated, 0 unchanged." in page.text
    assert count(app_engine) == 2
    history = edits.incident_history(app_engine, "kept-restricted")
    assert [(v.action, v.actor) for v in history] == [("import", "editor-user")]
    imports = [a for a in audit_actions(app_engine) if a[0] == "incident.import"]
    assert imports == [("incident.import", "editor-user", {
        "format": "json", "sha256": hashlib.sha256(data).hexdigest(),
        "created": 2, "updated": 0, "unchanged": 0,
    })]  # fmt: skip


def test_a_dry_run_checks_and_changes_nothing(app: FastAPI, app_engine: Engine) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    page = client.post("/incidents/import", data={"dry_run": "yes"},
                       files={"file": ("registry.json", as_file(PUBLIC))})  # fmt: skip
    assert page.status_code == 200
    assert "Checked registry.json: nothing was changed." in page.text
    assert count(app_engine) == 0
    assert not [a for a in audit_actions(app_engine) if a[0] == "incident.import"]


def test_a_file_with_problems_lists_each_by_row_and_imports_nothing(
    app: FastAPI, app_engine: Engine
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    bad = doc(id="second", date="2015-02-30", origin="Atlantis")
    page = client.post("/incidents/import", files={"file": ("x.json", as_file(PUBLIC, bad))})
    assert page.status_code == 422
    assert "x.json: nothing was imported" in page.text
    assert "row 2: date:" in page.text and "row 2: origin:" in page.text
    assert count(app_engine) == 0


def _bomb() -> bytes:
    """A valid zip of about 120 KB that would inflate to 120 MiB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (120 * 2**20))
    return buffer.getvalue()


MALFORMED_IDS = ["latin1-csv", "broken-zip", "pdf-as-xlsx", "zip-bomb", "truncated-json",
                 "json-scalar", "empty", "unknown-column", "txt", "no-extension"]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("registry.csv", "id,summary\nx,Tsch\xe4tschenien\n".encode("latin-1"), "utf-8"),
        ("registry.xlsx", b"PK\x03\x04 not really a workbook", "not an XLSX workbook"),
        ("registry.xlsx", b"%PDF-1.7 a pdf renamed", "not an XLSX workbook"),
        ("bomb.xlsx", _bomb(), "would inflate to 120 MiB"),
        ("registry.json", b'{"incidents": [', "not valid JSON"),
        ("registry.json", b'"a string"', "expected a list of incidents"),
        ("registry.csv", b"", "the file is empty"),
        ("registry.csv", b"id,no_such_column\nx,y\n", "unknown column 'no_such_column'"),
        ("registry.txt", b"id\nx\n", "cannot tell the format"),
        ("noextension", b"id\nx\n", "cannot tell the format"),
    ],
    ids=MALFORMED_IDS,
)
def test_a_malformed_upload_is_refused_in_a_sentence_and_changes_nothing(
    app: FastAPI, app_engine: Engine, name: str, content: bytes, says: str
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    page = client.post("/incidents/import", files={"file": (name, content)})
    assert page.status_code == 422, page.text[:500]
    assert says in html.unescape(page.text)
    assert "Traceback" not in page.text
    assert count(app_engine) == 0


def test_an_upload_larger_than_the_limit_is_refused_before_it_is_read(
    app: FastAPI, app_engine: Engine, settings: Settings
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    big = b"id\n" + b"x\n" * (settings.max_upload_bytes // 2)
    page = client.post("/incidents/import", files={"file": ("big.csv", big)},
                       headers={"accept": "text/html"})  # fmt: skip
    assert page.status_code == 413
    assert "larger than this server accepts" in page.text
    assert count(app_engine) == 0


def test_an_export_imported_again_changes_nothing(app: FastAPI, app_engine: Engine) -> None:
    editor = client_as(app, app_engine, Role.EDITOR)
    editor.post("/incidents/import", files={"file": ("r.json", as_file(PUBLIC, SECRET))})
    for fmt in ("csv", "xlsx", "json"):
        exported = editor.get(f"/incidents/export.{fmt}")
        assert exported.status_code == 200
        again = editor.post("/incidents/import", files={"file": (f"again.{fmt}", exported.content)})
        assert f"again.{fmt}: 0 created, 0 updated, 2 unchanged." in again.text, fmt


def _exported_ids(client: Any) -> list[str]:
    answer = client.get("/incidents/export.csv")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].startswith("attachment;")
    return sorted(row["id"] for row in csv.DictReader(io.StringIO(answer.text)))


def test_exports_hold_restricted_incidents_only_for_caseworkers_and_up(
    app: FastAPI, app_engine: Engine
) -> None:
    client_as(app, app_engine, Role.EDITOR).post(
        "/incidents/import", files={"file": ("r.json", as_file(PUBLIC, SECRET))}
    )
    for role in (None, Role.VIEWER):
        client = client_as(app, app_engine, role)
        assert _exported_ids(client) == ["kept-public"]
        assert "Named witness" not in client.get("/api/exports/incidents?format=json").text
    caseworker = client_as(app, app_engine, Role.CASEWORKER)
    assert _exported_ids(caseworker) == ["kept-public", "kept-restricted"]
    exports = [a for a in audit_actions(app_engine) if a[0] == "incident.export"]
    assert exports == [("incident.export", "caseworker-user",
                        {"format": "csv", "visibility": "all", "incidents": 2})]  # fmt: skip
    assert _exported_ids(caseworker) == ["kept-public", "kept-restricted"]  # the kept file
    exports = [a for a in audit_actions(app_engine) if a[0] == "incident.export"]
    assert len(exports) == 2  # and every download of it is audited


def test_the_api_imports_a_file_and_reports_problems_in_the_envelope(
    app: FastAPI, app_engine: Engine
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    token = client.get("/account").text.split('name="csrf_token" value="')[1].split('"')[0]
    headers = {"x-csrf-token": token}
    done = client.post("/api/imports/incidents", headers=headers,
                       files={"file": ("r.json", as_file(PUBLIC))})  # fmt: skip
    assert done.status_code == 200, done.text
    assert done.json()["data"] == {"file": "r.json", "dry_run": False, "created": ["kept-public"],
                                   "updated": {}, "unchanged": []}  # fmt: skip
    changed = doc(id="kept-public", outcome="deported")
    again = client.post("/api/imports/incidents", headers=headers, data={"dry_run": "true"},
                        files={"file": ("r.json", as_file(changed))})  # fmt: skip
    assert again.json()["data"]["updated"] == {"kept-public": ["outcome"]}
    bad = client.post("/api/imports/incidents", headers=headers,
                      files={"file": ("r.json", as_file(doc(id="Bad Id")))})  # fmt: skip
    assert bad.status_code == 422
    error = bad.json()["error"]
    assert error["code"] == "incident_import_invalid"
    assert any(p.startswith("row 1: id:") for p in error["details"]["problems"])


def test_ids_that_name_pages_of_the_web_app_are_refused(app: FastAPI, app_engine: Engine) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    for word in ("new", "import", "export"):
        page = client.post("/incidents/import", files={"file": ("r.json", as_file(doc(id=word)))})
        assert page.status_code == 422
        assert f"row 1: id: '{word}' names a page of the web app" in html.unescape(page.text)


def test_an_edit_started_before_an_import_changed_the_incident_answers_409(
    app: FastAPI, app_engine: Engine
) -> None:
    """Imports record versions, so an editor's form opened before one cannot overwrite it."""
    client = client_as(app, app_engine, Role.EDITOR)
    client.post("/incidents/import", files={"file": ("r.json", as_file(PUBLIC))})
    base = edits.current_version(app_engine, "kept-public")
    changed = doc(id="kept-public", outcome="deported")
    client.post("/incidents/import", files={"file": ("r.json", as_file(changed))})
    assert edits.current_version(app_engine, "kept-public") == base + 1
    stale = form_of(doc(id="kept-public", summary="Typed in a form opened earlier."), base)
    answer = client.post("/incidents/kept-public/edit", data=stale)
    assert answer.status_code == 409
    assert "deported" in answer.text  # the import's change is shown to the editor


def test_markup_in_a_file_comes_back_escaped_in_the_problems(
    app: FastAPI, app_engine: Engine
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    payload = '"><script>alert(1)</script>'
    content = f"id,origin,{payload}\nx,{payload},y\n".encode()
    page = client.post("/incidents/import", files={"file": ("r.csv", content)})
    assert page.status_code == 422
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


GOOD_BOOK = workbook([["id", "summary"], ["new-one", "A summary."]])


@pytest.mark.parametrize("variant", sorted(broken_workbooks(GOOD_BOOK)))
def test_a_broken_workbook_is_a_422_on_the_page_and_the_api_never_a_500(
    app: FastAPI, app_engine: Engine, variant: str
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    data = broken_workbooks(GOOD_BOOK)[variant]
    page = client.post("/incidents/import", files={"file": ("book.xlsx", data)})
    assert page.status_code == 422, page.text[:500]
    assert "cannot be read as xlsx: not " in html.unescape(page.text)
    answer = client.post("/api/imports/incidents", files={"file": ("book.xlsx", data)})
    assert answer.status_code == 422, answer.text[:500]
    assert answer.json()["error"]["code"] == "incident_import_invalid"
    assert count(app_engine) == 0


def test_a_dry_run_of_a_workbook_with_an_understated_dimension_counts_every_row(
    app: FastAPI, app_engine: Engine
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    both = as_file(doc(id="known-one"), doc(id="new-one"))
    client.post("/incidents/import", files={"file": ("both.json", both)})
    exported = client.get("/incidents/export.xlsx").content
    with session_scope(app_engine) as session:  # the server has only known-one
        session.execute(IncidentRow.__table__.delete().where(IncidentRow.id == "new-one"))
    short = understated(exported, "A1:B2")  # declares the header and one incident only
    answer = client.post(
        "/api/imports/incidents", files={"file": ("short.xlsx", short)}, data={"dry_run": "true"}
    )
    assert answer.status_code == 200, answer.text[:500]
    assert (answer.json()["data"]["created"], answer.json()["data"]["unchanged"]) == (
        ["new-one"],
        ["known-one"],
    )


@pytest.mark.parametrize(
    ("name", "content", "status", "says"),
    [
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, 422, "nested more than 32 levels deep"),
        ("twice.json", b'{"incidents": [], "incidents": []}', 422, "appears twice"),
        ("tall.csv", b"id\n" + b"x\n" * 100_000, 422, "more than 100,000 rows"),
    ],
)
def test_a_hostile_import_is_refused_with_the_limit_named(
    app: FastAPI, app_engine: Engine, name: str, content: bytes, status: int, says: str
) -> None:
    client = client_as(app, app_engine, Role.EDITOR)
    page = client.post("/incidents/import", files={"file": (name, content)})
    assert page.status_code == status, page.text[:500]
    assert says in html.unescape(page.text)
    answer = client.post("/api/imports/incidents", files={"file": (name, content)})
    assert answer.status_code == status
    assert says in answer.json()["error"]["message"]
    assert count(app_engine) == 0


def test_the_csv_export_never_hands_a_spreadsheet_a_formula(
    app: FastAPI, app_engine: Engine
) -> None:
    """These fields came back verbatim in /incidents/export.csv; now each is marked as text."""
    editor = client_as(app, app_engine, Role.EDITOR)
    hostile = doc(id="formula", summary="=cmd|' /C calc'!A0",
                  mechanism='=HYPERLINK("https://example.org","x")', notes="\t=1+1")  # fmt: skip
    editor.post("/incidents/import", files={"file": ("f.json", as_file(hostile))})
    for path in ("/incidents/export.csv", "/api/exports/incidents?format=csv"):
        rows = list(csv.DictReader(io.StringIO(editor.get(path).text)))
        assert rows[0]["summary"] == "'=cmd|' /C calc'!A0"
        assert rows[0]["mechanism"] == '\'=HYPERLINK("https://example.org","x")'
        cells = [cell for row in rows for cell in row.values()]
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in cells)
