"""Saved cases in the JSON API: every operation, roles, IDOR, envelopes (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from auth_support import client_on, make_user, sign_in
from azyl import audit
from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.cases.model import Case
from azyl.config import Settings
from cases_support import ENTERING_FACT, PROFILE, knowledge_base
from webtools import assert_error, assert_success


def _client(settings: Settings, engine: Engine, username: str, role: Role) -> TestClient:
    make_user(engine, username, role)
    client = client_on(settings, engine)
    sign_in(client, username)
    return client


def _save(client: TestClient, title: str = "Case of R.") -> dict[str, Any]:
    response = client.post("/api/cases", json={"title": title, "notes": "n", "profile": PROFILE})
    assert response.status_code == 201, response.text
    body = response.json()
    assert_success(body)
    data: dict[str, Any] = body["data"]
    return data


def test_a_caseworker_saves_lists_opens_reruns_and_compares(
    settings: Settings, app_engine: Engine
) -> None:
    anna = _client(settings, app_engine, "anna", Role.CASEWORKER)
    saved = _save(anna)
    assert saved["title"] == "Case of R." and [r["number"] for r in saved["runs"]] == [1]
    listed = anna.get("/api/cases").json()
    assert_success(listed)
    assert [c["id"] for c in listed["data"]] == [saved["id"]] and listed["meta"]["total"] == 1
    fact = knowledge_base().facts[ENTERING_FACT]
    for day in (fact.valid_from.replace(day=fact.valid_from.day - 1), fact.valid_from):
        run = anna.post(f"/api/cases/{saved['id']}/runs", json={"as_of": day.isoformat()})
        assert run.status_code == 201 and run.json()["data"]["as_of"] == day.isoformat()
    opened = anna.get(f"/api/cases/{saved['id']}").json()["data"]
    assert [r["number"] for r in opened["runs"]] == [1, 2, 3]
    compared = anna.get(f"/api/cases/{saved['id']}/compare", params={"first": 2, "second": 3})
    assert compared.status_code == 200
    assert ENTERING_FACT in compared.json()["data"]["facts"]["added"]


def test_exports_are_files_in_every_format(settings: Settings, app_engine: Engine) -> None:
    anna = _client(settings, app_engine, "anna", Role.CASEWORKER)
    case_id = _save(anna)["id"]
    whole = anna.get(f"/api/cases/{case_id}/export")
    assert whole.status_code == 200 and whole.headers["cache-control"] == "no-store"
    assert whole.json()["case"]["runs"][0]["assessment"]["trace"]["as_of"] == PROFILE["as_of"]
    for fmt, media in (("markdown", "text/markdown"), ("html", "text/html"), ("json", "json")):
        report = anna.get(f"/api/cases/{case_id}/export", params={"format": fmt, "run": 1})
        assert report.status_code == 200 and media in report.headers["content-type"]
        assert f"azyl-case-{case_id}-run-1" in report.headers["content-disposition"]
    missing = anna.get(f"/api/cases/{case_id}/export", params={"format": "markdown", "run": 7})
    assert missing.status_code == 404
    assert_error(missing.json(), "not_found")


def test_sharing_and_unsharing_through_the_api(settings: Settings, app_engine: Engine) -> None:
    anna = _client(settings, app_engine, "anna", Role.CASEWORKER)
    boris = _client(settings, app_engine, "boris", Role.CASEWORKER)
    case_id = _save(anna)["id"]
    shared = anna.post(f"/api/cases/{case_id}/shares", json={"username": "boris"})
    assert shared.json()["data"]["shared_with"] == ["boris"]
    assert boris.get(f"/api/cases/{case_id}").status_code == 200
    rerun = boris.post(f"/api/cases/{case_id}/runs", json={"as_of": "2025-01-01"})
    assert rerun.status_code == 403
    assert_error(rerun.json(), "forbidden")
    gone = anna.delete(f"/api/cases/{case_id}/shares/boris")
    assert gone.json()["data"]["shared_with"] == []
    assert boris.get(f"/api/cases/{case_id}").status_code == 404


def test_another_caseworkers_case_is_not_found_through_the_api(
    settings: Settings, app_engine: Engine
) -> None:
    anna = _client(settings, app_engine, "anna", Role.CASEWORKER)
    boris = _client(settings, app_engine, "boris", Role.CASEWORKER)
    case_id = _save(anna, "Secret title")["id"]
    requests = [
        ("GET", f"/api/cases/{case_id}", None),
        ("POST", f"/api/cases/{case_id}/runs", {"as_of": "2025-01-01"}),
        ("GET", f"/api/cases/{case_id}/compare?first=1&second=1", None),
        ("POST", f"/api/cases/{case_id}/shares", {"username": "boris"}),
        ("DELETE", f"/api/cases/{case_id}/shares/anna", None),
        ("GET", f"/api/cases/{case_id}/export", None),
        ("DELETE", f"/api/cases/{case_id}", None),
    ]
    missing = boris.get("/api/cases/doesnotexist0000").json()["error"]["message"]
    for method, path, body in requests:
        response = boris.request(method, path, json=body)
        assert response.status_code == 404, (method, path)
        assert_error(response.json(), "not_found")
        assert response.json()["error"]["message"] == missing.replace("doesnotexist0000", case_id)
        assert "Secret" not in response.text
    assert boris.get("/api/cases").json()["data"] == []
    with session_scope(app_engine) as db:
        probes = [e for e in audit.entries(db, actor="boris") if e.target_id == case_id]
    assert len(probes) == len(requests)
    assert all(e.details == {"result": "not_found"} for e in probes)
    assert anna.get(f"/api/cases/{case_id}").json()["data"]["title"] == "Secret title"


@pytest.mark.parametrize("role", [None, Role.VIEWER])
def test_cases_need_a_signed_in_caseworker(
    settings: Settings, app_engine: Engine, role: Role | None
) -> None:
    if role is None:
        client = client_on(settings, app_engine)
        expected, code = 401, "sign_in_required"
    else:
        client = _client(settings, app_engine, "victor", role)
        expected, code = 403, "forbidden"
    for method, path in (("GET", "/api/cases"), ("POST", "/api/cases"),
                         ("GET", "/api/cases/x"), ("DELETE", "/api/cases/x")):  # fmt: skip
        body = {"title": "t", "profile": PROFILE} if method == "POST" else None
        response = client.request(method, path, json=body)
        assert response.status_code == expected, (method, path)
        assert_error(response.json(), code)


def test_an_admin_erases_through_the_api_without_reading(
    settings: Settings, app_engine: Engine
) -> None:
    anna = _client(settings, app_engine, "anna", Role.CASEWORKER)
    root = _client(settings, app_engine, "root", Role.ADMIN)
    case_id = _save(anna)["id"]
    assert root.get(f"/api/cases/{case_id}").status_code == 404
    erased = root.delete(f"/api/cases/{case_id}")
    assert erased.status_code == 200 and erased.json()["data"] == {"id": case_id, "erased": True}
    assert anna.get(f"/api/cases/{case_id}").status_code == 404


def test_bad_input_and_a_tampered_case_answer_in_the_error_envelope(
    settings: Settings, app_engine: Engine
) -> None:
    anna = _client(settings, app_engine, "anna", Role.CASEWORKER)
    bad_profile = anna.post("/api/cases", json={"title": "t", "profile": {"person": {}}})
    assert bad_profile.status_code == 422
    assert_error(bad_profile.json(), "invalid_case_profile")
    no_title = anna.post("/api/cases", json={"title": "", "profile": PROFILE})
    assert no_title.status_code == 422
    assert_error(no_title.json(), "invalid_input")
    case_id = _save(anna)["id"]
    bad_date = anna.post(f"/api/cases/{case_id}/runs", json={"as_of": "yesterday"})
    assert bad_date.status_code == 422
    with session_scope(app_engine) as db:
        db.execute(update(Case).where(Case.id == case_id).values(notes="azyl1.k1.AAAA"))
    tampered = anna.get(f"/api/cases/{case_id}")
    assert tampered.status_code == 500
    assert_error(tampered.json(), "decryption_failed")
    assert f"case:{case_id}:notes" in tampered.json()["error"]["message"]


def test_the_openapi_document_describes_the_case_routes(
    settings: Settings, app_engine: Engine
) -> None:
    paths = client_on(settings, app_engine).get("/api/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/cases"])
    assert {"get", "delete"} <= set(paths["/api/cases/{case_id}"])
    for path in ("runs", "compare", "shares", "shares/{username}", "export"):
        assert f"/api/cases/{{case_id}}/{path}" in paths


def test_an_admin_who_resets_a_caseworkers_password_cannot_read_their_cases(
    settings: Settings, app_engine: Engine
) -> None:
    """docs/cases.md: one stolen admin session cannot open every case, not even by a reset."""
    from azyl.accounts import users

    anna = _client(settings, app_engine, "anna", Role.CASEWORKER)
    own = _save(anna, "Anna's case")
    cy = _client(settings, app_engine, "cy", Role.CASEWORKER)
    shared = _save(cy, "Cy's case")
    assert (
        cy.post(f"/api/cases/{shared['id']}/shares", json={"username": "anna"}).status_code == 200
    )
    root = _client(settings, app_engine, "root", Role.ADMIN)
    reset = root.post(
        "/admin/users/anna/password",
        data={"password": "chosen by the admin"},
        follow_redirects=False,
    )
    assert reset.status_code == 303
    assert anna.get("/api/cases").status_code == 401  # her sessions ended

    impostor = client_on(settings, app_engine)
    sign_in(impostor, "anna", "chosen by the admin")  # signing in still works...
    for answer in (
        impostor.get("/api/cases"),
        impostor.get(f"/api/cases/{own['id']}"),
        impostor.get(f"/api/cases/{shared['id']}"),
        impostor.get(f"/api/cases/{own['id']}/export"),
        impostor.post("/api/cases", json={"title": "x", "notes": "", "profile": PROFILE}),
    ):  # ...but no case opens, not even one shared with her
        assert answer.status_code == 403, answer.text
        assert_error(answer.json(), "cases_held")
        assert "root (an admin) reset this account's password" in answer.json()["error"]["message"]
    assert impostor.get("/cases").status_code == 403
    with session_scope(app_engine) as db:
        resets = audit.entries(db, action="user.reset_password")
        assert [(e.actor, e.details) for e in resets] == [("root", {"cases_held": True})]
        sign_ins = [e for e in audit.entries(db, action="auth.sign_in") if e.actor == "anna"]
        assert sign_ins[-1].details == {"cases_held_by": "root"}
        assert not [e for e in audit.entries(db, action="case.view") if e.actor == "anna"]
        users.release_cases(db, "anna", actor="cli:operator")  # confirmed with Anna by phone
    assert impostor.get(f"/api/cases/{own['id']}").status_code == 200
    with session_scope(app_engine) as db:
        released = audit.entries(db, action="user.release_cases")
        assert [(e.actor, e.details) for e in released] == [("cli:operator", {"held_by": "root"})]


def test_a_reset_by_the_operator_or_of_ones_own_password_holds_nothing(
    settings: Settings, app_engine: Engine
) -> None:
    from azyl.accounts import users

    root = _client(settings, app_engine, "root", Role.ADMIN)
    _save(root)
    own = root.post(
        "/admin/users/root/password",
        data={"password": "root's own new one"},
        follow_redirects=False,
    )
    assert own.status_code == 303
    make_user(app_engine, "bo", Role.CASEWORKER)
    with session_scope(app_engine) as db:
        users.reset_password(db, "bo", "set by the operator", actor="cli:operator")
        assert users.get(db, "root").cases_held_by is None
        assert users.get(db, "bo").cases_held_by is None
    again = client_on(settings, app_engine)
    sign_in(again, "root", "root's own new one")
    assert again.get("/api/cases").status_code == 200


def test_a_listing_is_audited_with_the_cases_it_showed(
    settings: Settings, app_engine: Engine
) -> None:
    """GET /api/cases and /cases show every decrypted title; they were not in the audit log."""
    anna = _client(settings, app_engine, "anna", Role.CASEWORKER)
    ids = sorted(_save(anna, f"Case {n}")["id"] for n in range(2))
    assert anna.get("/api/cases").status_code == 200
    assert anna.get("/cases").status_code == 200
    with session_scope(app_engine) as db:
        user_id = str(db.scalar(select(User.id).where(User.username == "anna")))
        listings = [e for e in audit.entries(db, action="case.view") if e.target_type == "user"]
    assert [
        (e.actor, e.target_id, e.details["list"], sorted(e.details["cases"])) for e in listings
    ] == [("anna", user_id, 2, ids)] * 2


def test_one_damaged_case_does_not_hide_the_others(settings: Settings, app_engine: Engine) -> None:
    anna = _client(settings, app_engine, "anna", Role.CASEWORKER)
    intact = _save(anna, "Intact case")["id"]
    damaged = _save(anna, "Damaged case")["id"]
    with session_scope(app_engine) as db:
        db.execute(update(Case).where(Case.id == damaged).values(title="azyl1.dk.AAAA"))
    listed = anna.get("/api/cases")
    assert listed.status_code == 200, listed.text
    rows = {c["id"]: c for c in listed.json()["data"]}
    assert (rows[intact]["title"], rows[intact]["damaged"]) == ("Intact case", False)
    assert (rows[damaged]["title"], rows[damaged]["damaged"]) == ("", True)
    page = anna.get("/cases")
    assert page.status_code == 200 and "Intact case" in page.text
    assert "damaged: its title cannot be decrypted" in page.text
    assert anna.get(f"/api/cases/{intact}/export").status_code == 200
    opened = anna.get(f"/api/cases/{damaged}")
    assert opened.status_code == 500 and opened.json()["error"]["code"] == "decryption_failed"


def test_a_changed_profile_is_a_new_run_through_the_api(
    settings: Settings, app_engine: Engine
) -> None:
    client = _client(settings, app_engine, "anna", Role.CASEWORKER)
    saved = _save(client)
    person = {**PROFILE["person"], "military_service": "deserter"}
    answer = client.put(f"/api/cases/{saved['id']}/profile",
                        json={"profile": {**PROFILE, "person": person}})  # fmt: skip
    assert answer.status_code == 201, answer.text
    assert answer.json()["data"]["number"] == 2
    case = client.get(f"/api/cases/{saved['id']}").json()["data"]
    assert case["profile"]["person"]["military_service"] == "deserter"
    bad = client.put(f"/api/cases/{saved['id']}/profile", json={"profile": {"person": {}}})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_case_profile"
