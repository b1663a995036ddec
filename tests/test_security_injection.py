"""SQL injection strings in every filter and every id, on SQLite and PostgreSQL.

Every query parameter and path parameter of every GET route (pages and API) is
sent each payload in turn, signed in as an admin so that no role gate stops
the request before the database does. The application must answer without a
server error, reveal no password hash, and leave every table as it was: the
row counts are compared before and after, and the audit chain still verifies.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, func, select

from auth_support import client_on, make_user, sign_in
from azyl.accounts.roles import Role
from azyl.appdb import Base, session_scope
from azyl.appdb.engine import import_models
from azyl.audit import verify
from azyl.config import Settings
from test_security_matrix import SAMPLES

PAYLOADS = (
    "' OR '1'='1",
    "x'; DROP TABLE incidents; --",
    '" OR 1=1 --',
    "%' UNION SELECT username, password_hash, 1, 1 FROM users --",
    "1) OR (1=1",
    "\\'; DELETE FROM users WHERE '1'='1",
)


def row_counts(engine: Engine) -> dict[str, int]:
    import_models()
    with session_scope(engine, commit=False) as session:
        return {
            t.name: session.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
            if t.name not in {"auth_sessions", "audit_log", "audit_head", "sign_in_failures"}
        }


def get_routes(app: object) -> list[tuple[str, list[str], list[str]]]:
    """(path, query parameter names, path parameter names) of every GET route."""
    found = []
    for route in app.router.routes:  # type: ignore[attr-defined]
        unfold = getattr(route, "effective_route_contexts", None)
        for context in unfold() if unfold else [route]:
            dependant = getattr(context, "dependant", None)
            if dependant is None or "GET" not in (getattr(context, "methods", None) or ()):
                continue
            queries = [p.alias for p in dependant.query_params]
            paths = re.findall(r"\{(\w+)\}", context.path)
            found.append((context.path, queries, paths))
    return found


@pytest.mark.slow
def test_injection_strings_in_every_filter_change_nothing(
    built_settings: Settings, app_engine: Engine, tmp_path: object
) -> None:

    settings = built_settings.model_copy(
        update=dict(data_dir=tmp_path, stats_db=built_settings.stats_db_path)
    )
    make_user(app_engine, "inj-admin", Role.ADMIN)
    client = client_on(settings, app_engine)
    sign_in(client, "inj-admin")
    before = row_counts(app_engine)
    failures, tried = [], set()
    for path, queries, path_params in get_routes(client.app):
        if path in {"/api/openapi.json", "/api/docs"}:
            continue
        base = {name: SAMPLES[name] for name in path_params}
        targets = [("query", q) for q in queries] + [("path", p) for p in path_params]
        for where, name in targets:
            tried.add((path, name))
            for payload in PAYLOADS:
                values = dict(base)
                params = {}
                if where == "path":
                    values[name] = quote(payload, safe="")
                else:
                    params[name] = payload
                url = re.sub(r"\{(\w+)\}", lambda m, v=values: v[m.group(1)], path)
                response = client.get(url, params=params, follow_redirects=False)
                if response.status_code >= 500 or "$argon2" in response.text:
                    failures.append(f"{url} {name}={payload!r}: {response.status_code}")
    assert failures == []
    # The walk reached the filters that do reach SQL (a walk that found nothing proves nothing).
    for known in [
        ("/api/incidents", "origin"),
        ("/admin/audit", "actor"),
        ("/cases/{case_id}", "case_id"),
        ("/api/kb/proposals", "status"),
        ("/api/rates", "origin"),
    ]:
        assert known in tried, known
    assert row_counts(app_engine) == before
    with session_scope(app_engine) as session:
        assert verify(session).ok


#: Values the databases cannot hold (a NUL in PostgreSQL text, numbers past INTEGER and BIGINT),
#: and digits int() refuses.
UNSTORABLE = ("ab\x00cd", str(2**31), str(2**63), str(2**64), str(-(2**63) - 1), "²", "9" * 5000)


@pytest.mark.slow
def test_a_nul_byte_or_a_huge_number_in_every_filter_and_id_is_a_4xx(
    built_settings: Settings, app_engine: Engine, tmp_path: object
) -> None:
    """NUL on PostgreSQL and ids past 2^31 (PostgreSQL) or 2^63 (SQLite) were 500s."""
    update = {"data_dir": tmp_path, "stats_db": built_settings.stats_db_path}
    settings = built_settings.model_copy(update=update)
    make_user(app_engine, "nul-admin", Role.ADMIN)
    client = client_on(settings, app_engine)
    sign_in(client, "nul-admin")
    before = row_counts(app_engine)
    failures, tried = [], set()
    for path, queries, path_params in get_routes(client.app):
        if path in {"/api/openapi.json", "/api/docs"}:
            continue
        base = {name: SAMPLES[name] for name in path_params}
        for where, name in [("query", q) for q in queries] + [("path", p) for p in path_params]:
            tried.add((path, name))
            for payload in UNSTORABLE:
                values, params = dict(base), {}
                if where == "path":
                    values[name] = quote(payload, safe="")
                else:
                    params[name] = payload
                url = re.sub(r"\{(\w+)\}", lambda m, v=values: v[m.group(1)], path)
                response = client.get(url, params=params, follow_redirects=False)
                if response.status_code >= 500:
                    failures.append(f"{url} {name}={payload!r}: {response.status_code}")
    assert failures == []
    for known in [("/api/kb/proposals/{proposal_id}", "proposal_id"), ("/admin/audit", "actor"),
                  ("/api/incidents/{incident_id}", "incident_id")]:  # fmt: skip
        assert known in tried, known
    assert row_counts(app_engine) == before


def test_a_nul_byte_or_a_huge_number_in_a_body_is_a_4xx_and_changes_nothing(
    settings: Settings, app_engine: Engine
) -> None:
    from cases_support import PROFILE

    make_user(app_engine, "body-admin", Role.ADMIN)
    make_user(app_engine, "colleague", Role.CASEWORKER)
    client = client_on(settings, app_engine)
    sign_in(client, "body-admin")
    case = client.post("/api/cases", json={"title": "T.", "notes": "", "profile": PROFILE})
    case_id = case.json()["data"]["id"]
    before = row_counts(app_engine)
    new_user = {"username": "newbie", "display_name": "New\x00bie", "role": "viewer",
                "password": "a long enough password"}  # fmt: skip
    answers = {
        "display name": client.post("/admin/users", data=new_user),
        "share username": client.post(f"/api/cases/{case_id}/shares", json={"username": "col\x00"}),
        "incident id": client.get("/api/incidents/abc%00def"),
        "audit actor": client.get("/admin/audit", params={"actor": "a\x00b"}),
        "proposal id": client.get(f"/api/kb/proposals/{2**63}"),
        "run number": client.get(f"/api/cases/{case_id}/export", params={"run": 2**63}),
        "compared runs": client.get(
            f"/api/cases/{case_id}/compare", params={"first": 1, "second": 2**64}
        ),
    }
    statuses = {what: answer.status_code for what, answer in answers.items()}
    assert all(400 <= s < 500 for s in statuses.values()), statuses
    assert "NUL character" in answers["display name"].text
    assert "NUL character" in answers["share username"].json()["error"]["message"]
    assert row_counts(app_engine) == before
    with session_scope(app_engine) as session:
        assert verify(session).ok


def test_digits_int_refuses_are_a_4xx_not_a_500(settings: Settings, app_engine: Engine) -> None:
    """ "²" is a digit to str.isdigit but not to int(); 5,000 digits are past int()'s limit;
    and hmac.compare_digest raises on non-ASCII text: each was a 500 where a form reads a number
    or a code."""
    from incident_docs import doc

    make_user(app_engine, "digits-editor", Role.EDITOR)
    client = client_on(settings, app_engine)
    sign_in(client, "digits-editor")
    assert client.post("/api/incidents", json={"incident": doc()}).status_code == 201
    assert client.post("/account/totp/begin").status_code == 200  # confirm now checks the code
    answers = {
        "edit base version": client.post(
            "/incidents/test-incident/edit", data={"base_version": "9" * 5000, "summary": "x"}
        ),
        "edit base version ²": client.post(
            "/incidents/test-incident/edit", data={"base_version": "²", "summary": "x"}
        ),
        "route rows": client.post("/screening", data={"route_rows": "²"}),
        "route rows 5000": client.post("/screening", data={"route_rows": "9" * 5000}),
        "totp confirm": client.post("/account/totp/confirm", data={"code": "²²²²²²"}),
    }
    statuses = {what: answer.status_code for what, answer in answers.items()}
    assert all(s < 500 for s in statuses.values()), statuses
    from azyl.accounts.totp import check_code

    with session_scope(app_engine) as db:
        from azyl.accounts import users

        user = users.get(db, "digits-editor")
        assert check_code(user, "JBSWY3DPEHPK3PXP", "²²²²²²", datetime.now(UTC)) is None


def test_a_written_down_head_with_odd_digits_is_a_sentence() -> None:
    from azyl.audit.export import parse_anchor
    from azyl.errors import InputError

    for text in ("²:" + "0" * 64, "9" * 5000 + ":" + "0" * 64):
        with pytest.raises(InputError, match="is not a written-down head"):
            parse_anchor(text)
