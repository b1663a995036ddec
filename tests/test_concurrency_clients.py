"""Many signed-in clients at once: edits of one incident lose nothing, cases all survive.

Each client is its own TestClient with its own session, on one app over one
database (SQLite and PostgreSQL), released together by a barrier. The library
tests (tests/test_revisions_incidents.py, tests/test_cases_concurrency.py)
cover the same races without HTTP; these go through sessions, CSRF, the
routes and the JSON bodies as real browsers and scripts would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from auth_support import make_user, sign_in
from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.audit import entries, verify
from azyl.config import Settings
from cases_support import PROFILE
from edit_support import app_on
from incident_docs import doc

CLIENTS = 8


def together(work: Callable[[int], Any]) -> list[Any]:
    """Run work(0..CLIENTS-1) in threads released at the same moment; return results in order."""
    barrier = threading.Barrier(CLIENTS)
    results: list[Any] = [None] * CLIENTS

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except BaseException as exc:  # reported by the caller: a thread cannot fail a test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def signed_in(settings: Settings, engine: Engine, role: Role, prefix: str) -> list[TestClient]:
    app = app_on(settings, engine)
    clients = []
    for i in range(CLIENTS):
        make_user(engine, f"{prefix}{i}", role)
        client = TestClient(app, raise_server_exceptions=False)
        sign_in(client, f"{prefix}{i}")
        clients.append(client)
    return clients


def test_editors_saving_one_incident_at_once_lose_no_update(
    settings: Settings, app_engine: Engine
) -> None:
    editors = signed_in(settings, app_engine, Role.EDITOR, "editor")
    created = editors[0].post("/api/incidents", json={"incident": doc(summary="Start.")})
    assert created.status_code == 201, created.text

    # Round 1: everyone saves over version 1 at once; exactly one may win.
    def overwrite(i: int) -> int:
        body = {"incident": doc(summary=f"Written by editor {i}."), "base_version": 1}
        return editors[i].put("/api/incidents/test-incident", json=body).status_code

    statuses = together(overwrite)
    assert sorted(statuses) == [200] + [409] * (CLIENTS - 1), statuses
    winner = statuses.index(200)
    current = editors[0].get("/api/incidents/test-incident").json()
    assert current["data"]["summary"] == f"Written by editor {winner}."

    # Round 2: everyone appends their mark, re-reading after each conflict, as a client should.
    def append(i: int) -> int:
        for attempt in range(100):
            read = editors[i].get("/api/incidents/test-incident").json()
            summary, version = read["data"]["summary"], read["meta"]["version"]
            body = {"incident": doc(summary=f"{summary} [{i}]"), "base_version": version}
            answer = editors[i].put("/api/incidents/test-incident", json=body)
            if answer.status_code == 200:
                return attempt
            assert answer.status_code == 409, answer.text
        raise AssertionError(f"editor {i} never got a turn")

    attempts = together(append)
    assert all(isinstance(a, int) for a in attempts), attempts
    final = editors[0].get("/api/incidents/test-incident").json()
    assert all(f"[{i}]" in final["data"]["summary"] for i in range(CLIENTS)), (final, attempts)
    history = editors[0].get("/api/incidents/test-incident/history").json()["data"]
    versions = [v["version"] for v in history]
    assert versions == list(range(1, 2 + 1 + CLIENTS))  # create, round 1, one per editor
    with session_scope(app_engine) as session:
        assert verify(session).ok
        assert len(entries(session, action="incident.edit")) == 1 + CLIENTS


def test_caseworkers_saving_cases_at_once_all_keep_them(
    settings: Settings, app_engine: Engine
) -> None:
    workers = signed_in(settings, app_engine, Role.CASEWORKER, "worker")

    def save(i: int) -> list[str]:
        ids = []
        for n in range(3):
            body = {
                "title": f"Case {n} of worker {i}",
                "notes": f"note {i}/{n}",
                "profile": PROFILE,
            }
            response = workers[i].post("/api/cases", json=body)
            assert response.status_code == 201, response.text
            ids.append(response.json()["data"]["id"])
        return ids

    saved = together(save)
    assert all(isinstance(ids, list) for ids in saved), saved
    for i, ids in enumerate(saved):
        for n, case_id in enumerate(ids):
            opened = workers[i].get(f"/api/cases/{case_id}")
            assert opened.status_code == 200, opened.text
            assert opened.json()["data"]["title"] == f"Case {n} of worker {i}"
        listed = workers[i].get("/api/cases").json()["data"]
        assert {c["id"] for c in listed} >= set(ids)
    with session_scope(app_engine) as session:
        assert verify(session).ok
        assert len(entries(session, action="case.save")) == 3 * CLIENTS
