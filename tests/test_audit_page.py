"""The admins' audit page: who may see it, filters, paging, downloads; reading is logged."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import Engine

from auth_support import client_on, make_user, sign_in
from azyl import audit
from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.config import Settings


def _log(engine: Engine, count: int, action: str = "case.view", actor: str = "ana") -> None:
    with session_scope(engine) as db:
        for i in range(count):
            audit.record(db, action, actor=actor, target=("case", i))


def _newest(engine: Engine) -> audit.AuditRecord:
    with session_scope(engine) as db:
        return audit.entries(db, newest_first=True, limit=1)[0]


def test_only_admins_see_the_audit_log(settings: Settings, app_engine: Engine) -> None:
    make_user(app_engine, "cw", Role.CASEWORKER)
    client = client_on(settings, app_engine)
    anonymous = client.get("/admin/audit", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login?next=/admin/audit"
    assert client.get("/admin/audit/export.csv", follow_redirects=False).status_code == 303
    sign_in(client, "cw")
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit/export.jsonl").status_code == 403


def test_an_admin_filters_pages_and_the_view_is_itself_audited(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "root", Role.ADMIN)
    client = client_on(settings, app_engine)
    sign_in(client, "root")
    _log(app_engine, 60)  # entries 3..62 (1: user.add, 2: auth.sign_in)
    first = client.get("/admin/audit", params={"action": "case."})
    assert first.status_code == 200
    assert "case:59" in first.text and "case:10" in first.text and "case:9<" not in first.text
    assert "page=2" in first.text  # a link to the older entries
    second = client.get("/admin/audit", params={"action": "case.", "page": 2})
    assert "case:9<" in second.text and "case:0<" in second.text and "case:10<" not in second.text
    viewed = _newest(app_engine)
    assert (viewed.action, viewed.actor, viewed.details) == (
        "audit.view",
        "root",
        {"action": "case.", "page": 2},
    )
    assert "Chain intact" not in second.text  # checking reads every entry: only on request
    checked = client.get("/admin/audit", params={"check": 1})
    assert "Chain intact: 64 entries checked." in checked.text  # 2 + 60 + 2 views before it


def test_a_bad_date_filter_is_a_sentence_not_an_error_page(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "root", Role.ADMIN)
    client = client_on(settings, app_engine)
    sign_in(client, "root")
    page = client.get("/admin/audit", params={"since": "yesterday"})
    assert page.status_code == 422 and "is not a date" in page.text


def test_markup_in_a_logged_name_is_shown_as_text(settings: Settings, app_engine: Engine) -> None:
    make_user(app_engine, "root", Role.ADMIN)
    client = client_on(settings, app_engine)
    sign_in(client, "root")
    _log(app_engine, 1, action="auth.sign_in_failed", actor="<script>alert(1)</script>")
    page = client.get("/admin/audit")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_a_download_carries_the_filtered_entries_and_is_audited(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "root", Role.ADMIN)
    client = client_on(settings, app_engine)
    sign_in(client, "root")
    _log(app_engine, 3)
    _log(app_engine, 2, action="case.export", actor="bo")
    response = client.get("/admin/audit/export.csv", params={"actor": "bo"})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="azyl-audit.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["actor"], r["action"], r["target_id"]) for r in rows] == [
        ("bo", "case.export", "0"),
        ("bo", "case.export", "1"),
    ]
    lines = client.get("/admin/audit/export.jsonl").text.splitlines()
    assert [json.loads(line)["seq"] for line in lines] == list(range(1, 9))  # 2 + 5 + 1 export
    exported = _newest(app_engine)
    assert (exported.action, exported.details) == ("audit.export", {"format": "jsonl",
                                                                    "entries": 8})  # fmt: skip
    assert client.get("/admin/audit/export.xlsx").status_code == 422
