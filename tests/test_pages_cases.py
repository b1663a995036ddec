"""Saved cases as pages: save from the screening, open, re-run, compare, share, export, erase."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from auth_support import client_on, make_user, sign_in
from azyl import audit
from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.config import Settings
from cases_support import ENTERING_FACT, knowledge_base

SCREENING_FORM = {
    "citizenship": "RUS",
    "profiles": "anti_war",
    "route-0-country": "POL",
    "route-0-role": "first_eu_entry",
    "current_country": "DEU",
    "stage": "dublin_procedure",
    "action_type": "dublin_transfer",
    "action_to": "POL",
    "as_of": "2024-05-01",
}
XSS_TITLE = '<script>alert("x")</script> Ruslan'


def _client(settings: Settings, engine: Engine, username: str, role: Role) -> TestClient:
    make_user(engine, username, role)
    client = client_on(settings, engine)
    sign_in(client, username)
    return client


def _save_form(page: str) -> str:
    found = re.search(r'<form method="post" action="/cases\?lang=en".*?</form>', page, re.S)
    assert found, "the screening result has no 'Save as case' form"
    return found.group(0)


def _save_from_screening(client: TestClient, title: str) -> str:
    page = client.post("/screening", data=SCREENING_FORM).text
    form = _save_form(page)
    assert 'name="csrf_token"' in form
    profile = html.unescape(re.search(r'name="profile" value="([^"]*)"', form)[1])  # type: ignore[index]
    saved = client.post("/cases?lang=en", data={"title": title, "notes": "met in Berlin",
                        "profile": profile}, follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303, saved.text[:300]
    location = saved.headers["location"]
    assert location.endswith("done=saved")
    return location.split("?")[0].rsplit("/", 1)[1]


def assert_no_inline_code(page: str) -> None:
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None
    assert re.search(r"<style|\sstyle=|\son[a-z]+=", page) is None


def test_a_caseworker_saves_a_screening_and_opens_it(
    settings: Settings, app_engine: Engine
) -> None:
    anna = _client(settings, app_engine, "anna", Role.CASEWORKER)
    case_id = _save_from_screening(anna, XSS_TITLE)
    page = anna.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(" in page.text and '<script>alert("x")' not in page.text
    assert "met in Berlin" in page.text and "2024-05-01" in page.text
    assert page.text.count('name="csrf_token"') >= 3  # re-run, share, sign out
    assert_no_inline_code(page.text)
    listing = anna.get("/cases")
    assert f'href="/cases/{case_id}"' in listing.text and "&lt;script&gt;" in listing.text
    assert_no_inline_code(listing.text)


def test_the_save_form_is_offered_to_caseworkers_only(
    settings: Settings, app_engine: Engine
) -> None:
    viewer = _client(settings, app_engine, "victor", Role.VIEWER)
    page = viewer.post("/screening", data=SCREENING_FORM).text
    assert 'action="/cases' not in page
    assert viewer.get("/cases", follow_redirects=False).status_code == 403
    anonymous = client_on(settings, app_engine).get("/cases", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=/cases"


def test_rerun_compare_share_export_and_erase_through_the_pages(
    settings: Settings, app_engine: Engine
) -> None:
    anna = _client(settings, app_engine, "anna", Role.CASEWORKER)
    boris = _client(settings, app_engine, "boris", Role.CASEWORKER)
    case_id = _save_from_screening(anna, "R. case")
    fact = knowledge_base().facts[ENTERING_FACT]
    for day in (fact.valid_from.replace(day=fact.valid_from.day - 1), fact.valid_from):
        rerun = anna.post(f"/cases/{case_id}/runs", data={"as_of": day.isoformat()},
                          follow_redirects=False)  # fmt: skip
        assert rerun.status_code == 303 and rerun.headers["location"].endswith("done=rerun")
    compared = anna.get(f"/cases/{case_id}/compare", params={"first": 2, "second": 3})
    assert compared.status_code == 200 and f"/kb/facts/{ENTERING_FACT}" in compared.text
    assert_no_inline_code(compared.text)

    anna.post(f"/cases/{case_id}/shares", data={"username": "boris"})
    shared = boris.get(f"/cases/{case_id}")
    assert shared.status_code == 200 and "R. case" in shared.text
    assert f'action="/cases/{case_id}/runs' not in shared.text  # only the owner re-runs
    anna.post(f"/cases/{case_id}/shares/boris/delete")
    assert boris.get(f"/cases/{case_id}").status_code == 404

    markdown = anna.get(f"/cases/{case_id}/export.md", params={"run": 2})
    assert markdown.status_code == 200 and "markdown" in markdown.headers["content-type"]
    assert (fact.valid_from.replace(day=fact.valid_from.day - 1)).isoformat() in markdown.text
    whole = anna.get(f"/cases/{case_id}/export.json").json()
    assert [r["number"] for r in whole["case"]["runs"]] == [1, 2, 3]

    confirm = anna.get(f"/cases/{case_id}/erase")
    assert confirm.status_code == 200 and 'name="confirm"' in confirm.text
    unconfirmed = anna.post(f"/cases/{case_id}/erase", data={})
    assert unconfirmed.status_code == 422
    erased = anna.post(f"/cases/{case_id}/erase", data={"confirm": "yes"}, follow_redirects=False)
    assert erased.status_code == 303 and erased.headers["location"].endswith("done=erased")
    assert anna.get(f"/cases/{case_id}").status_code == 404


def test_another_caseworkers_case_is_not_found_on_the_pages(
    settings: Settings, app_engine: Engine
) -> None:
    anna = _client(settings, app_engine, "anna", Role.CASEWORKER)
    boris = _client(settings, app_engine, "boris", Role.CASEWORKER)
    case_id = _save_from_screening(anna, "Secret title")
    for method, path in (
        ("GET", f"/cases/{case_id}"),
        ("GET", f"/cases/{case_id}/compare?first=1&second=1"),
        ("GET", f"/cases/{case_id}/export.json"),
        ("GET", f"/cases/{case_id}/export.pdf?run=1"),
        ("GET", f"/cases/{case_id}/erase"),
        ("POST", f"/cases/{case_id}/erase"),
        ("POST", f"/cases/{case_id}/runs"),
        ("POST", f"/cases/{case_id}/shares"),
    ):
        data = {"confirm": "yes", "as_of": "2025-01-01", "username": "boris"}
        response = boris.request(method, path, data=data if method == "POST" else None,
                                 headers={"accept": "text/html"})  # fmt: skip
        assert response.status_code == 404, (method, path)
        assert "Secret title" not in response.text
    with session_scope(app_engine) as db:
        probes = [e for e in audit.entries(db, actor="boris") if e.target_id == case_id]
    assert probes and all(e.details == {"result": "not_found"} for e in probes)
    assert "Secret title" in anna.get(f"/cases/{case_id}").text


def test_the_case_pages_speak_russian(settings: Settings, app_engine: Engine) -> None:
    anna = _client(settings, app_engine, "anna", Role.CASEWORKER)
    case_id = _save_from_screening(anna, "R.")
    listing = anna.get("/cases", params={"lang": "ru"}).text
    assert "Мои дела" in listing and "My cases" not in listing
    page = anna.get(f"/cases/{case_id}", params={"lang": "ru"}).text
    assert "Проверить заново" in page and "Screen again" not in page


def test_the_owner_changes_the_profile_and_the_case_is_screened_again(
    settings: Settings, app_engine: Engine
) -> None:
    """The form comes back filled with the saved profile; saving it changed is a new run."""
    client = _client(settings, app_engine, "anna", Role.CASEWORKER)
    case_id = _save_from_screening(client, "Case of R.")
    form_page = client.get(f"/cases/{case_id}/edit")
    assert form_page.status_code == 200
    assert 'id="profile-anti_war" name="profiles" value="anti_war" checked' in form_page.text
    assert re.search(r'id="current_country"[^>]*value="DEU"', form_page.text)
    changed = {**SCREENING_FORM, "military_service": "deserter"}
    done = client.post(f"/cases/{case_id}/edit?lang=en", data=changed, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("done=revised")
    case = client.get(done.headers["location"]).text
    assert "The profile was changed and screened again" in case
    assert f"/cases/{case_id}/export.pdf?run=2" in case
    wrong = client.post(
        f"/cases/{case_id}/edit?lang=en", data={**changed, "current_country": "Atlantis"}
    )
    assert wrong.status_code == 422 and "current country: unknown country" in wrong.text
    assert f"/cases/{case_id}/export.pdf?run=3" not in client.get(f"/cases/{case_id}").text


def test_a_saved_case_reads_in_its_readers_language(settings: Settings, app_engine: Engine) -> None:
    """A run keeps the engine's sentences in every language; a run saved before that (English
    only) is shown in English, each sentence marked as such on a Russian page."""
    from azyl.cases.crypto import CaseCipher
    from azyl.cases.model import Case, CaseRun
    from azyl.i18n import translations
    from azyl.vault import Vault

    anna = _client(settings, app_engine, "anna", Role.CASEWORKER)
    case_id = _save_from_screening(anna, "R.")
    forum = "The European Court of Human Rights (Rule 39 request)"
    russian = translations("ru").gettext(forum)
    assert russian != forum  # the catalogue has it
    english_page = anna.get(f"/cases/{case_id}", params={"lang": "en"}).text
    assert forum in english_page
    page = anna.get(f"/cases/{case_id}", params={"lang": "ru"}).text
    assert russian in page and forum not in page and "data-untranslated" not in page

    with session_scope(app_engine) as session:  # make it a run saved in English only
        row = session.get(Case, case_id)
        assert row is not None
        cipher = CaseCipher.unwrap(case_id, row.wrapped_key, Vault.from_settings(settings))
        run = session.query(CaseRun).filter_by(case_id=case_id, number=1).one()
        english_only = cipher.read_assessment(1, run.assessment)["assessment"]
        run.assessment = cipher.assessment(1, english_only)
    old = anna.get(f"/cases/{case_id}", params={"lang": "ru"}).text
    assert forum in old and "data-untranslated" in old
    exported = anna.get(f"/cases/{case_id}/export.json").json()
    runs = exported["case"]["runs"]
    assert runs[0]["assessment"] == english_only  # exports stay the English assessment
