"""The sign-in throttle (per account, per address), client addresses, and enumeration."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from auth_support import PASSWORD, Clock, client_on, login_form_token, make_user
from azyl import audit
from azyl.accounts import passwords, throttle
from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.config import Settings


def _try(client: Any, username: str, password: str, **headers: str) -> Any:
    token = login_form_token(client)
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data, headers=headers, follow_redirects=False)


def test_five_failures_lock_the_account_for_fifteen_minutes_even_for_the_right_password(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    clock = Clock()
    client = client_on(settings, app_engine, clock)
    for _ in range(throttle.PER_ACCOUNT):
        assert _try(client, "ana", "guess guess guess").status_code == 401
        clock.advance(minutes=1)
    locked = _try(client, "ana", PASSWORD)
    assert locked.status_code == 429
    # The first failure was at 09:00, so the account opens again at 09:15.
    assert "09:15 UTC" in locked.text and int(locked.headers["retry-after"]) == 10 * 60
    other_address = client_on(settings, app_engine, clock, peer="192.0.2.9")
    assert _try(other_address, "ana", PASSWORD).status_code == 429  # the account is locked
    clock.advance(minutes=10)
    assert _try(client, "ana", PASSWORD).status_code == 303
    with session_scope(app_engine) as db:
        assert len(audit.entries(db, action="auth.throttled")) == 2


def test_twenty_failures_from_one_address_stop_that_address_only(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    clock = Clock()
    attacker = client_on(settings, app_engine, clock, peer="198.51.100.7")
    for n in range(throttle.PER_ADDRESS):
        assert _try(attacker, f"user{n}", "guess guess guess").status_code == 401
    assert _try(attacker, "ana", PASSWORD).status_code == 429
    elsewhere = client_on(settings, app_engine, clock, peer="203.0.113.5")
    assert _try(elsewhere, "ana", PASSWORD).status_code == 303


def test_forwarded_for_counts_only_when_the_peer_is_a_trusted_proxy(
    settings: Settings, app_engine: Engine
) -> None:
    clock = Clock()
    proxy = client_on(
        settings, app_engine, clock, peer="10.0.0.2", forwarded_allow_ips="10.0.0.0/8"
    )
    spoofer = client_on(settings, app_engine, clock, peer="198.51.100.7")
    for n in range(throttle.PER_ADDRESS):
        _try(proxy, f"user{n}", "guess guess guess", **{"X-Forwarded-For": "203.0.113.5"})
        _try(spoofer, f"x{n}", "guess guess guess", **{"X-Forwarded-For": "203.0.113.99"})
    with session_scope(app_engine) as db:
        addresses = {e.address for e in audit.entries(db, action="auth.sign_in_failed")}
    # Behind the trusted proxy the client is the forwarded address; the spoofer's header is ignored.
    assert addresses == {"203.0.113.5", "198.51.100.7"}
    # A client cannot escape its count by sending another X-Forwarded-For through the proxy:
    # the proxy appends the real address, and the rightmost untrusted hop is what counts.
    chained = _try(proxy, "ana", PASSWORD, **{"X-Forwarded-For": "1.2.3.4, 203.0.113.5"})
    assert chained.status_code == 429


@pytest.mark.parametrize("exists", [True, False])
def test_unknown_and_known_usernames_cost_one_password_verification(
    settings: Settings, app_engine: Engine, monkeypatch: pytest.MonkeyPatch, exists: bool
) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    from argon2 import PasswordHasher

    calls: list[str] = []
    real = PasswordHasher.verify

    def counting(self: PasswordHasher, stored: str, password: str) -> bool:
        calls.append(stored)
        return real(self, stored, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    client = client_on(settings, app_engine)
    assert _try(client, "ana" if exists else "nobody", "wrong wrong wrong").status_code == 401
    assert len(calls) == 1


def test_a_hash_made_with_old_parameters_is_replaced_at_sign_in(
    settings: Settings, app_engine: Engine
) -> None:
    from argon2 import PasswordHasher
    from sqlalchemy import select

    from azyl.accounts.model import User

    make_user(app_engine, "ana", Role.VIEWER)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with session_scope(app_engine) as db:
        db.scalars(select(User)).one().password_hash = weak
    assert _try(client_on(settings, app_engine), "ana", PASSWORD).status_code == 303
    with session_scope(app_engine) as db:
        stored = db.scalars(select(User)).one().password_hash
    assert stored != weak and not passwords.needs_rehash(stored)
    assert passwords.verify_password(stored, PASSWORD)


def test_a_short_password_is_refused_with_the_minimum_named() -> None:
    with pytest.raises(passwords.WeakPassword, match="at least 12 characters"):
        passwords.hash_password("short pass")
    assert passwords.hash_password("twelve chars").startswith("$argon2id$")
