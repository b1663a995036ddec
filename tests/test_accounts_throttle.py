"""The sign-in throttle (per account, per address), client addresses, and enumeration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from auth_support import PASSWORD, Clock, client_on, login_form_token, make_user, sign_in
from azyl import audit
from azyl.accounts import passwords, throttle, users
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


def test_production_hashing_uses_argon2id_with_rfc_9106_parameters() -> None:
    from argon2 import Type

    # Tests run with cheap parameters (tests/conftest.py); production uses the defaults.
    hasher = passwords.DEFAULT_HASHER
    assert hasher.type is Type.ID
    assert hasher.memory_cost >= 64 * 1024 and hasher.time_cost >= 3


# -- every path costs the same --------------------------------------------------------------


def _count_verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from argon2 import PasswordHasher

    calls: list[str] = []
    real = PasswordHasher.verify

    def counting(self: PasswordHasher, stored: str, password: str) -> bool:
        calls.append(stored)
        return real(self, stored, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("ana", "wrong wrong wrong"),
        ("nobody", "wrong wrong wrong"),
        ("ana", "x" * (passwords.MAX_LENGTH + 1)),  # once refused before any Argon2 work
        ("nobody", "x" * (passwords.MAX_LENGTH + 1)),
        ("ana", "y" * 2048),
        ("nobody", "y" * 2048),
        ("gone", PASSWORD),  # a disabled account, right password
        ("gone", "wrong wrong wrong"),
        ("ana\x00", PASSWORD),
        ("", PASSWORD),
        ("  ANA  ", "wrong wrong wrong"),
    ],
    ids=[
        "known",
        "unknown",
        "known-1025",
        "unknown-1025",
        "known-2048",
        "unknown-2048",
        "disabled-right",
        "disabled-wrong",
        "nul-byte",
        "empty",
        "padded",
    ],
)
def test_every_failed_sign_in_costs_exactly_one_password_verification(
    settings: Settings,
    app_engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    username: str,
    password: str,
) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    make_user(app_engine, "gone", Role.VIEWER)
    with session_scope(app_engine) as db:
        users.set_disabled(db, "gone", True, actor="test")
    calls = _count_verifications(monkeypatch)
    assert _try(client_on(settings, app_engine), username, password).status_code == 401
    assert len(calls) == 1


def test_a_nul_byte_in_the_username_is_counted_and_audited(
    settings: Settings, app_engine: Engine
) -> None:
    """PostgreSQL cannot store NUL: the attempt was neither counted nor audited (a 500)."""
    clock = Clock()
    client = client_on(settings, app_engine, clock)
    for _ in range(throttle.PER_ACCOUNT):
        assert _try(client, "ana\x00admin", "wrong wrong wrong").status_code == 401
        clock.advance(minutes=1)
    assert _try(client, "ana\x00admin", "wrong wrong wrong").status_code == 429
    with session_scope(app_engine) as db:
        failed = audit.entries(db, action="auth.sign_in_failed")
        assert {e.actor for e in failed} == {"ana\ufffdadmin"}
        assert [e.details for e in failed] == [{"reason": "unknown_user"}] * throttle.PER_ACCOUNT
        assert len(audit.entries(db, action="auth.throttled")) == 1


# -- backoff per account and address; the owner is not locked out ---------------------------


def test_the_owner_at_a_known_address_is_not_locked_out_by_guesses_from_elsewhere(
    settings: Settings, app_engine: Engine
) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    clock = Clock()
    home = client_on(settings, app_engine, clock, peer="192.0.2.10")
    assert _try(home, "ana", PASSWORD).status_code == 303  # home becomes a known address
    attacker = client_on(settings, app_engine, clock, peer="198.51.100.7")
    for _ in range(throttle.PER_ACCOUNT):
        assert _try(attacker, "ana", "guess guess guess").status_code == 401
        clock.advance(minutes=1)
    assert _try(attacker, "ana", PASSWORD).status_code == 429  # the account is closed to them
    travelling = client_on(settings, app_engine, clock, peer="203.0.113.40")
    assert _try(travelling, "ana", PASSWORD).status_code == 429  # and to any new address
    assert _try(client_on(settings, app_engine, clock, peer="192.0.2.10"), "ana",
                PASSWORD).status_code == 303  # fmt: skip


def test_guesses_from_one_place_wait_twice_as_long_after_each_failure(
    settings: Settings, app_engine: Engine
) -> None:
    """At a known address only the pair's backoff applies: 3 free, then 1 s, 2 s, 4 s, 8 s."""
    make_user(app_engine, "ana", Role.VIEWER)
    clock = Clock()
    client = client_on(settings, app_engine, clock, peer="192.0.2.10")
    assert _try(client, "ana", PASSWORD).status_code == 303
    for _ in range(throttle.FREE_PER_PAIR):
        assert _try(client, "ana", "guess guess guess").status_code == 401
    for wait in (1, 2, 4, 8):
        refused = _try(client, "ana", "guess guess guess")
        assert refused.status_code == 429 and refused.headers["retry-after"] == str(wait)
        clock.advance(seconds=wait)
        assert _try(client, "ana", "guess guess guess").status_code == 401
    clock.advance(seconds=16)
    assert _try(client, "ana", PASSWORD).status_code == 303


def test_spraying_from_a_shared_address_stops_neither_colleagues_known_there_nor_others(
    settings: Settings, app_engine: Engine
) -> None:
    """Behind one NAT (one forwarded address) a colleague who signed in there before gets in."""
    make_user(app_engine, "bo", Role.VIEWER)
    make_user(app_engine, "cy", Role.VIEWER)
    clock = Clock()
    office = {"X-Forwarded-For": "203.0.113.5"}
    proxy = client_on(settings, app_engine, clock, peer="10.0.0.2", forwarded_allow_ips="10.0.0.2")
    assert _try(proxy, "bo", PASSWORD, **office).status_code == 303
    for n in range(throttle.PER_ADDRESS):
        assert _try(proxy, f"user{n}", "guess guess guess", **office).status_code == 401
    assert _try(proxy, "cy", PASSWORD, **office).status_code == 429  # cy never signed in there
    assert _try(proxy, "bo", PASSWORD, **office).status_code == 303
    home = {"X-Forwarded-For": "198.51.100.20"}  # another client behind the same proxy
    assert _try(proxy, "cy", PASSWORD, **home).status_code == 303


def test_retyping_a_stolen_password_does_not_reset_the_count_of_wrong_codes(
    settings: Settings, app_engine: Engine
) -> None:
    """A right password with a code still due counts until the sign-in completes."""
    import pyotp

    from azyl.vault import Vault

    make_user(app_engine, "root", Role.ADMIN)
    with session_scope(app_engine) as db:
        from azyl.accounts import totp

        root = users.get(db, "root")
        vault = Vault.from_settings(settings)
        secret = totp.begin(db, root, vault).secret
        totp.confirm(db, root, vault, pyotp.TOTP(secret).now(), datetime.now(UTC))
    clock = Clock()
    thief = client_on(settings, app_engine, clock, peer="198.51.100.7")
    codes_checked, refused = 0, False
    for _ in range(10):
        token = login_form_token(thief)
        step = thief.post("/login", data={"username": "root", "password": PASSWORD,
                                          "csrf_token": token}, follow_redirects=False)  # fmt: skip
        if step.status_code == 429:
            refused = True
            break
        answer = thief.post("/login/totp", data={"code": "000000", "csrf_token": token})
        codes_checked += answer.status_code == 401
        refused = refused or answer.status_code == 429
        clock.advance(minutes=1)
    assert refused and codes_checked <= throttle.PER_ACCOUNT // 2


# -- a signed-in user proving again who they are --------------------------------------------


def test_wrong_codes_to_turn_the_second_factor_off_are_throttled_and_audited(
    settings: Settings, app_engine: Engine
) -> None:
    """A stolen session sent 600 wrong codes in 5 s, unthrottled and unaudited."""
    import re

    import pyotp

    make_user(app_engine, "root", Role.ADMIN)
    clock = Clock()
    client = client_on(settings, app_engine, clock)
    sign_in(client, "root")
    page = client.post("/account/totp/begin").text
    secret = re.search(r"<dt>Key</dt><dd><code>([A-Z2-7]+)</code>", page)[1]  # type: ignore[index]
    client.post("/account/totp/confirm", data={"code": pyotp.TOTP(secret).at(clock.now)})
    statuses = [
        client.post("/account/totp/disable", data={"code": f"{n:06d}"}).status_code
        for n in range(50)
    ]
    assert statuses == [422] * throttle.FREE_PER_PAIR + [429] * (50 - throttle.FREE_PER_PAIR)
    with session_scope(app_engine) as db:
        failed = audit.entries(db, action="auth.recheck_failed")
        assert [e.details for e in failed] == [
            {"reason": "wrong_totp_code", "step": "totp_disable"}
        ] * throttle.FREE_PER_PAIR
        throttled = audit.entries(db, action="auth.throttled")
        assert len(throttled) == 50 - throttle.FREE_PER_PAIR
        assert {e.details["step"] for e in throttled} == {"totp_disable"}
        assert users.get(db, "root").totp_secret is not None


def test_wrong_current_passwords_are_throttled_and_audited(
    settings: Settings, app_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(app_engine, "ana", Role.VIEWER)
    client = client_on(settings, app_engine, Clock())
    sign_in(client, "ana")
    calls = _count_verifications(monkeypatch)
    new = {"new": "my new long password", "repeat": "my new long password"}
    statuses = [
        client.post("/account/password", data={"current": f"guess {n} guess", **new}).status_code
        for n in range(10)
    ]
    assert statuses == [422] * throttle.FREE_PER_PAIR + [429] * (10 - throttle.FREE_PER_PAIR)
    assert len(calls) == throttle.FREE_PER_PAIR  # refused guesses cost no Argon2 work either
    refused = client.post("/account/password", data={"current": PASSWORD, **new})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    with session_scope(app_engine) as db:
        failed = audit.entries(db, action="auth.recheck_failed")
        assert [e.details for e in failed] == [
            {"reason": "wrong_password", "step": "password_change"}
        ] * throttle.FREE_PER_PAIR
        assert len(audit.entries(db, action="auth.throttled")) == 10 - throttle.FREE_PER_PAIR + 1
        assert passwords.verify_password(users.get(db, "ana").password_hash, PASSWORD)


def test_one_place_gets_about_a_hundred_guesses_a_day_and_never_waits_past_the_cap(
    app_engine: Engine,
) -> None:
    """3 free, then waits of 1, 2, 4 ... 512 s, then one guess per 15 minutes: at most
    3 + 10 + 86,400 / 900 = 109 in a day, and no wait grows past the cap (2^n once overflowed)."""
    now = Clock().now
    end = now + throttle.PAIR_WINDOW
    checked, longest = 0, 0.0
    while now < end:
        with session_scope(app_engine) as db:
            when = throttle.reserve(db, "ana", "198.51.100.7", now)
        if when is None:
            checked += 1
            now += timedelta(seconds=1)
        else:
            longest = max(longest, (when - now).total_seconds())
            now = when
    assert 100 <= checked <= 109
    assert longest <= throttle.WINDOW.total_seconds()
