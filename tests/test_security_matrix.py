"""Every route, requested as every role and as an anonymous visitor, answers as the policy says.

The policy below is written from the issue's role definitions, not read from
the code: viewers see public data only, caseworkers screen and keep cases,
editors edit incidents and propose knowledge-base changes, admins manage
accounts, the audit log and decisions on proposals. A route that appears in
the application without an entry here fails the test, so a new route cannot
ship without someone deciding who may use it.

"Denied" means: anonymous → 401 on the API, a 303 to the sign-in page on
pages; signed in with a lesser role → 403. "Allowed" means anything else (a
404 for an id that does not exist, a 422 for an empty form, ...): the role
gate let the request through.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from auth_support import client_on, make_user, sign_in
from azyl.accounts.roles import Role
from azyl.appdb import open_database
from azyl.config import Settings
from azyl.errors import AzylError

PUBLIC = None  # anyone, signed in or not

#: Least role per (method, path). Read down it as a reviewer would.
POLICY: dict[tuple[str, str], Role | None] = {
    # Public data: statistics, knowledge base, public incidents, stateless screening.
    **{
        ("GET", f"/api/{p}"): PUBLIC
        for p in (
            "health",
            "catalog",
            "countries",
            "lottery",
            "rates",
            "heatmap",
            "definitions",
            "provenance",
            "facts",
            "facts/{fact_id}",
            "sources",
            "sources/{source_id}",
            "incidents",
            "exports/incidents",
            "incidents/{incident_id}",
            "assess/schema",
            "search",
            "openapi.json",
            "docs",
        )
    },
    ("POST", "/api/assess"): PUBLIC,
    ("POST", "/api/assess/report"): PUBLIC,
    **{
        ("GET", p): PUBLIC
        for p in (
            "/",
            "/atlas/{chart}.{ext}",
            "/countries",
            "/countries/{code}",
            "/screening",
            "/incidents",
            "/incidents/export.{fmt}",
            "/incidents/{incident_id}",
            "/kb",
            "/kb/facts/{fact_id}",
            "/kb/sources/{source_id}",
            "/search",
            "/kb/export.{fmt}",
            "/kb/coverage",
            "/about",
            "/login",
            "/login/totp",
        )
    },
    ("POST", "/screening"): PUBLIC,
    ("POST", "/screening/report.{fmt}"): PUBLIC,
    ("POST", "/screening/file"): PUBLIC,
    ("POST", "/logout"): PUBLIC,
    # One's own account: anyone signed in.
    ("GET", "/account"): Role.VIEWER,
    ("POST", "/account/password"): Role.VIEWER,
    ("POST", "/account/totp/begin"): Role.VIEWER,
    ("POST", "/account/totp/confirm"): Role.VIEWER,
    ("POST", "/account/totp/disable"): Role.VIEWER,
    # Saved cases: caseworkers and up (ownership is checked inside: see test_cases_*).
    **{
        (m, p): Role.CASEWORKER
        for m, p in (
            ("GET", "/api/cases"),
            ("POST", "/api/cases"),
            ("GET", "/api/cases/{case_id}"),
            ("POST", "/api/cases/{case_id}/runs"),
            ("GET", "/api/cases/{case_id}/compare"),
            ("POST", "/api/cases/{case_id}/shares"),
            ("DELETE", "/api/cases/{case_id}/shares/{username}"),
            ("GET", "/api/cases/{case_id}/export"),
            ("DELETE", "/api/cases/{case_id}"),
            ("PUT", "/api/cases/{case_id}/profile"),
            ("GET", "/cases"),
            ("POST", "/cases"),
            ("GET", "/cases/{case_id}"),
            ("POST", "/cases/{case_id}/runs"),
            ("GET", "/cases/{case_id}/compare"),
            ("POST", "/cases/{case_id}/shares"),
            ("POST", "/cases/{case_id}/shares/{username}/delete"),
            ("GET", "/cases/{case_id}/export.{fmt}"),
            ("GET", "/cases/{case_id}/erase"),
            ("POST", "/cases/{case_id}/erase"),
            ("GET", "/cases/{case_id}/edit"),
            ("POST", "/cases/{case_id}/edit"),
        )
    },
    # Editing incidents and proposing knowledge-base changes: editors and up.
    **{
        (m, p): Role.EDITOR
        for m, p in (
            ("POST", "/api/incidents"),
            ("POST", "/api/imports/incidents"),
            ("GET", "/incidents/import"),
            ("POST", "/incidents/import"),
            ("PUT", "/api/incidents/{incident_id}"),
            ("GET", "/api/incidents/{incident_id}/history"),
            ("POST", "/api/incidents/{incident_id}/revert"),
            ("GET", "/incidents/new"),
            ("POST", "/incidents/new"),
            ("GET", "/incidents/{incident_id}/edit"),
            ("POST", "/incidents/{incident_id}/edit"),
            ("GET", "/incidents/{incident_id}/history"),
            ("POST", "/incidents/{incident_id}/revert"),
            ("GET", "/api/kb/proposals"),
            ("POST", "/api/kb/proposals"),
            ("GET", "/api/kb/proposals/{proposal_id}"),
            ("PUT", "/api/kb/proposals/{proposal_id}"),
            ("GET", "/api/kb/proposals/{proposal_id}/history"),
            ("POST", "/api/kb/proposals/{proposal_id}/revert"),
            ("GET", "/api/kb/proposals/{proposal_id}/export"),
            ("GET", "/kb/proposals"),
            ("GET", "/kb/proposals/new"),
            ("POST", "/kb/proposals/new"),
            ("GET", "/kb/proposals/{proposal_id}"),
            ("POST", "/kb/proposals/{proposal_id}"),
            ("GET", "/kb/proposals/{proposal_id}/history"),
            ("POST", "/kb/proposals/{proposal_id}/revert"),
            ("GET", "/kb/proposals/{proposal_id}/export"),
        )
    },
    # Administration: accounts, the audit log, decisions on proposals.
    **{
        (m, p): Role.ADMIN
        for m, p in (
            ("GET", "/admin/users"),
            ("POST", "/admin/users"),
            ("POST", "/admin/users/{username}/disable"),
            ("POST", "/admin/users/{username}/enable"),
            ("POST", "/admin/users/{username}/role"),
            ("POST", "/admin/users/{username}/password"),
            ("GET", "/admin/audit"),
            ("GET", "/admin/audit/export.{fmt}"),
            ("POST", "/api/kb/proposals/{proposal_id}/decide"),
            ("POST", "/kb/proposals/{proposal_id}/decide"),
        )
    },
}

#: Routes the matrix cannot judge by status alone, and where they are tested instead.
ELSEWHERE = {
    ("POST", "/login"): "its own CSRF cookie: tests/test_accounts_web.py",
    ("POST", "/login/totp"): "needs a pending first step: tests/test_accounts_web.py",
}

#: Values for path parameters: ids that do not exist, so an allowed request may answer 404.
SAMPLES = {
    "fact_id": "no-such-fact", "source_id": "no-such-source", "incident_id": "no-such-incident",
    "proposal_id": "999999", "case_id": "c" * 24, "username": "nobody", "chart": "heatmap",
    "ext": "svg", "code": "RUS", "fmt": "json",
}  # fmt: skip

ROLES: tuple[Role | None, ...] = (None, Role.VIEWER, Role.CASEWORKER, Role.EDITOR, Role.ADMIN)


def app_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(method, path) of every route the application serves, included routers unfolded."""
    for route in app.router.routes:
        unfold = getattr(route, "effective_route_contexts", None)
        contexts = unfold() if unfold else [route]
        for context in contexts:
            for method in sorted(getattr(context, "methods", None) or ()):
                if method != "HEAD":
                    yield method, context.path


def url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLES[m.group(1)], path)


def denied(response_status: int, location: str, path: str, role: Role | None) -> bool:
    """Whether an answer is the role gate saying no (the shape differs for pages and the API)."""
    if role is None:
        if path.startswith("/api/"):
            return response_status == 401
        return response_status == 303 and location.startswith("/login")
    return response_status == 403


@pytest.fixture(scope="module")
def matrix_settings(tmp_path_factory: pytest.TempPathFactory, built_settings: Settings) -> Settings:
    """The built statistics, with an application database of this module's own."""
    data = tmp_path_factory.mktemp("matrix")
    return built_settings.model_copy(
        update=dict(data_dir=data, stats_db=built_settings.stats_db_path)
    )


def client_as(settings: Settings, role: Role | None) -> TestClient:
    engine = open_database(settings)
    client = client_on(settings, engine)
    if role is not None:
        name = f"matrix-{role.value}"
        with contextlib.suppress(AzylError):  # made for an earlier parameter: sign in again
            make_user(engine, name, role)
        sign_in(client, name)
    return client


def test_every_route_has_a_declared_policy(matrix_settings: Settings) -> None:
    served = set(app_routes(client_as(matrix_settings, None).app))  # type: ignore[arg-type]
    undeclared = served - POLICY.keys() - ELSEWHERE.keys()
    stale = (POLICY.keys() | ELSEWHERE.keys()) - served
    assert not undeclared, f"routes without a policy: {sorted(undeclared)}"
    assert not stale, f"policy names routes that do not exist: {sorted(stale)}"


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_each_role_gets_exactly_what_the_policy_allows(
    matrix_settings: Settings, role: Role | None
) -> None:
    client = client_as(matrix_settings, role)
    wrong = []
    # Sign-out last: it ends the session the other requests ride on.
    for method, path in sorted(POLICY, key=lambda k: k == ("POST", "/logout")):
        least = POLICY[(method, path)]
        may = least is None or (role is not None and role.at_least(least))
        body = {} if method in {"POST", "PUT"} and path.startswith("/api/") else None
        response = client.request(
            method, url(path), json=body, data=None if body is not None else {},
            follow_redirects=False,
        )  # fmt: skip
        was_denied = denied(response.status_code, response.headers.get("location", ""), path, role)
        if may == was_denied or response.status_code >= 500:
            wrong.append(f"{method} {path}: {response.status_code} (policy: {least})")
    assert wrong == []


MALFORMED = (
    ("application/json", b"{not json"),
    ("application/json", b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ("application/x-www-form-urlencoded", b"\xff\xfe%%%\x00=\x00&&&"),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data\r\n\r\n--"),
    ("application/octet-stream", bytes(range(256)) * 64),
)


def test_malformed_bodies_on_every_state_changing_route_get_a_client_error(
    matrix_settings: Settings,
) -> None:
    """Signed in as an admin, so the body is read: garbage gets a 4xx, never a server error."""
    client = client_as(matrix_settings, Role.ADMIN)
    wrong = []
    writes = [k for k in POLICY if k[0] in {"POST", "PUT"} and k != ("POST", "/logout")]
    for method, path in writes:
        for content_type, body in MALFORMED:
            response = client.request(
                method, url(path), content=body, headers={"content-type": content_type},
                follow_redirects=False,
            )  # fmt: skip
            if not 300 <= response.status_code < 500:
                wrong.append(f"{method} {path} [{content_type}]: {response.status_code}")
    assert wrong == []


#: Field names the forms and JSON bodies of the state-changing routes read.
FIELDS = ("base_version", "to_version", "code", "route_rows", "username", "display_name",
          "password", "current", "new", "repeat", "title", "notes", "text", "summary", "as_of",
          "decision", "role", "fact_id", "status", "dry_run", "first", "second", "run", "note",
          "profile", "incident", "next")  # fmt: skip
HOSTILE_VALUES = ("²²²²²²", "a\x00b", "9" * 5000, "-" + "9" * 30, "\ufeff\u202e", "")


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=["superscript", "nul", "5000-digits",
                                                       "negative", "bidi", "empty"])  # fmt: skip
def test_hostile_values_in_every_field_of_every_state_changing_route_get_a_client_error(
    matrix_settings: Settings, value: str
) -> None:
    """Digits int() refuses, NUL, huge numbers: as form fields and JSON values, never a 5xx."""
    client = client_as(matrix_settings, Role.ADMIN)
    wrong = []
    writes = [k for k in POLICY if k[0] in {"POST", "PUT"} and k != ("POST", "/logout")]
    form = dict.fromkeys(FIELDS, value)
    for method, path in writes:
        for answer in (
            client.request(method, url(path), data=form, follow_redirects=False),
            client.request(method, url(path), json=form, follow_redirects=False),
        ):
            if answer.status_code >= 500:
                wrong.append(f"{method} {path}: {answer.status_code}")
    assert wrong == []
