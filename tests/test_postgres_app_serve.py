"""`azyl serve --workers N` as operators run it: settings from the environment, trusted proxies.

The server is a real process with two workers (each imports `azyl.web.asgi`
and reads the environment itself). A failed sign-in is audited with the client
address, which must come from X-Forwarded-For only when the peer (here
127.0.0.1) is listed in AZYL_FORWARDED_ALLOW_IPS.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from azyl.appdb import make_engine, migrate, session_scope
from azyl.audit.model import AuditEntry
from ops_support import env_for, fresh_url  # noqa: F401
from test_crash import CSRF, _free_port, _kill, _start, loopback_client


def _failed_sign_in_address(env: dict[str, str], engine_url: str, username: str) -> str | None:
    port = _free_port()
    server = _start(env, port, workers=2)
    try:
        with loopback_client(f"http://127.0.0.1:{port}", timeout=30) as client:
            token = CSRF.search(client.get("/login").text)[1]  # type: ignore[index]
            response = client.post(
                "/login",
                data={"username": username, "password": "not the password", "csrf_token": token},
                headers={"X-Forwarded-For": "203.0.113.9"},
            )
            assert response.status_code == 401
    finally:
        _kill(server)
    engine = make_engine(engine_url)
    try:
        with session_scope(engine, commit=False) as db:
            return db.scalar(select(AuditEntry.address).where(AuditEntry.actor == username))
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_workers_read_the_environment_and_trust_only_the_configured_proxy(
    fresh_url: Callable[[str], str],  # noqa: F811
    tmp_path: Path,
    mirror_dir: Path,
) -> None:
    url = fresh_url("postgres")
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    env = env_for(tmp_path, mirror_dir, url)
    trusted = {**env, "AZYL_FORWARDED_ALLOW_IPS": "127.0.0.1"}
    assert _failed_sign_in_address(trusted, url, "via-proxy") == "203.0.113.9"
    untrusted = {**env, "AZYL_FORWARDED_ALLOW_IPS": "10.9.9.9"}
    assert _failed_sign_in_address(untrusted, url, "direct") == "127.0.0.1"
