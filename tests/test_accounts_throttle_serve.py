"""The sign-in throttle against a real `azyl serve --workers 2`, under concurrent guesses.

An adversarial review sent 24 wrong passwords for one account from one
address at the same moment to two workers on PostgreSQL: all 24 were checked
and none refused, because each request counted the earlier failures before
any of them was written. The throttle now reserves the attempt (counts it as
a failure) in the same locked step as the check, before the password is
verified, so no more than the limit are ever checked, however many arrive
together. Counted from the audit log: one `auth.sign_in_failed` per password
checked, one `auth.throttled` per refusal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from auth_support import make_user
from azyl.accounts import throttle
from azyl.accounts.roles import Role
from azyl.appdb import make_engine, migrate, session_scope
from azyl.audit import verify
from azyl.audit.model import AuditEntry
from ops_support import BACKENDS, env_for, fresh_url  # noqa: F401
from test_crash import CSRF, _free_port, _kill, _start, loopback_client

GUESSES = 24


def _guess_together(base: str, username: str) -> list[int]:
    """GUESSES wrong passwords for `username`, released at one moment; their status codes."""
    with loopback_client(base, timeout=120) as first:
        token = CSRF.search(first.get("/login").text)[1]  # type: ignore[index]
        cookies = dict(first.cookies)
    barrier = threading.Barrier(GUESSES)
    statuses: list[int] = [0] * GUESSES

    def guess(i: int) -> None:
        with loopback_client(base, timeout=120, cookies=cookies) as client:
            data = {
                "username": username,
                "password": f"wrong guess number {i}",
                "csrf_token": token,
            }
            barrier.wait()
            statuses[i] = client.post("/login", data=data).status_code

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_concurrent_wrong_passwords_on_two_workers_check_at_most_the_limit(
    fresh_url: Callable[[str], str],  # noqa: F811
    tmp_path: Path,
    mirror_dir: Path,
    backend: str,
) -> None:
    url = fresh_url(backend)
    engine = make_engine(url)
    migrate(engine)
    make_user(engine, "amina", Role.CASEWORKER)
    port = _free_port()
    server = _start(env_for(tmp_path, mirror_dir, url), port, workers=2)
    try:
        statuses = _guess_together(f"http://127.0.0.1:{port}", "amina")
    finally:
        _kill(server)
    with session_scope(engine, commit=False) as db:

        def count(action: str) -> int:
            query = select(func.count()).where(AuditEntry.action == action)
            return int(db.scalar(query) or 0)

        checked, refused = count("auth.sign_in_failed"), count("auth.throttled")
        assert verify(db).ok
    engine.dispose()
    assert sorted(set(statuses)) == [401, 429], statuses
    assert statuses.count(401) == checked and statuses.count(429) == refused
    assert 1 <= checked <= throttle.PER_ACCOUNT, (checked, refused)
    assert checked + refused == GUESSES
