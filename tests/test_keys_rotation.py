"""`azyl keys rotate|status|retire`: nothing lost, interrupted rotations resume, old keys retire."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select

from azyl import audit
from azyl.accounts.model import User
from azyl.appdb import session_scope
from azyl.cases import export_case, rerun_case, save_case
from azyl.cases.model import Case
from azyl.config import Settings
from azyl.errors import ConfigError, InputError
from azyl.keys.rotation import retire, rotate, usage
from azyl.vault import Vault, load_keyring
from cases_support import PROFILE, add_user, context

TOTP_SECRET = "JBSWY3DPEHPK3PXP"


class Interrupted(Exception):
    """The failure injected between two batches."""


def _populate(engine: Engine, settings: Settings, cases: int = 5) -> dict[str, Any]:
    """Cases (two runs each) and two accounts with a TOTP secret; what each should decrypt to."""
    vault = Vault.from_settings(settings)
    anna = add_user(engine, "anna")
    for n in range(cases):
        saved = save_case(engine, vault, anna, title=f"Person {n}", notes=f"note {n}",
                          profile=PROFILE, context=context())  # fmt: skip
        rerun_case(engine, vault, anna, saved.id, date(2025, 7, 1), context())
    expected = {"cases": _decrypted_cases(engine, vault, anna), "totp": {}}
    for name in ("totp-one", "totp-two"):
        actor = add_user(engine, name)
        with session_scope(engine) as session:
            user = session.get(User, actor.user_id)
            assert user is not None
            user.totp_secret = vault.encrypt_text(TOTP_SECRET, context=f"user:{user.id}:totp")
        expected["totp"][actor.user_id] = TOTP_SECRET
    expected["anna"] = anna
    return expected


def _decrypted_cases(engine: Engine, vault: Vault, anna: Any) -> dict[str, Any]:
    with session_scope(engine) as session:
        ids = list(session.scalars(select(Case.id)))
    return {i: export_case(engine, vault, anna, i)["case"] for i in ids}


def _decrypted_totp(engine: Engine, vault: Vault) -> dict[int, str]:
    with session_scope(engine) as session:
        users = session.scalars(select(User).where(User.totp_secret.is_not(None)))
        return {
            u.id: vault.decrypt_text(u.totp_secret or "", context=f"user:{u.id}:totp")
            for u in users
        }


def _fail_after(batches: int) -> Callable[[int], None]:
    def hook(done: int) -> None:
        if done == batches:
            raise Interrupted(f"interrupted after batch {done}")

    return hook


def test_an_interrupted_rotation_resumes_without_a_new_key_and_loses_nothing(
    app_engine: Engine, settings: Settings
) -> None:
    expected = _populate(app_engine, settings)
    with pytest.raises(Interrupted):
        rotate(app_engine, settings, actor="cli:test", batch_size=2, after_batch=_fail_after(1))
    keyring = load_keyring(settings, create=False)
    assert keyring.active == "k2" and set(keyring.keys) == {"k1", "k2"}
    halfway = usage(app_engine)
    assert halfway["k2"] == {"cases": 2} and halfway["k1"] == {"cases": 3, "totp_secrets": 2}

    resumed = rotate(app_engine, settings, actor="cli:test", batch_size=2)
    assert (resumed.created, resumed.active) == (False, "k2")
    assert resumed.moved == {"cases": 3, "totp_secrets": 2}
    assert set(load_keyring(settings, create=False).keys) == {"k1", "k2"}
    assert usage(app_engine) == {"k2": {"cases": 5, "totp_secrets": 2}}

    vault = Vault.from_settings(settings)
    assert _decrypted_cases(app_engine, vault, expected["anna"]) == expected["cases"]
    assert _decrypted_totp(app_engine, vault) == expected["totp"]
    with session_scope(app_engine) as session:
        steps = [e.details for e in audit.entries(session, action="keys.rotate")]
    assert [(s["step"], s["key"]) for s in steps] == [("new_key", "k2"), ("done", "k2")]
    assert steps[-1]["resumed"] is True


def test_rotation_gives_each_case_a_fresh_data_key(app_engine: Engine, settings: Settings) -> None:
    _populate(app_engine, settings, cases=2)
    with session_scope(app_engine) as session:
        before = {c.id: (c.wrapped_key, c.title) for c in session.scalars(select(Case))}
    rotate(app_engine, settings, actor="cli:test")
    old_vault = Vault(load_keyring(settings, create=False))  # holds k1 and k2
    with session_scope(app_engine) as session:
        for row in session.scalars(select(Case)):
            assert Vault.key_id(row.wrapped_key) == "k2"
            assert row.title != before[row.id][1]
            new_key = old_vault.decrypt(row.wrapped_key, context=f"case:{row.id}:key")
            old_key = old_vault.decrypt(before[row.id][0], context=f"case:{row.id}:key")
            assert new_key != old_key


def test_a_second_complete_rotation_adds_another_key(
    app_engine: Engine, settings: Settings
) -> None:
    _populate(app_engine, settings, cases=1)
    assert rotate(app_engine, settings, actor="cli:test").active == "k2"
    again = rotate(app_engine, settings, actor="cli:test")
    assert (again.created, again.active) == (True, "k3")
    assert usage(app_engine) == {"k3": {"cases": 1, "totp_secrets": 2}}


def test_a_key_retires_only_when_nothing_uses_it(app_engine: Engine, settings: Settings) -> None:
    expected = _populate(app_engine, settings, cases=3)
    with pytest.raises(Interrupted):
        rotate(app_engine, settings, actor="cli:test", batch_size=1, after_batch=_fail_after(1))
    with pytest.raises(InputError, match="'k1' still protects 4 values"):
        retire(app_engine, settings, "k1", actor="cli:test")
    with pytest.raises(InputError, match="active"):
        retire(app_engine, settings, "k2", actor="cli:test")
    with pytest.raises(InputError, match="no key 'k7'"):
        retire(app_engine, settings, "k7", actor="cli:test")
    rotate(app_engine, settings, actor="cli:test")
    retire(app_engine, settings, "k1", actor="cli:test")
    keyring = json.loads(settings.key_file_path.read_text())
    assert set(keyring["keys"]) == {"k2"} and keyring["active"] == "k2"
    vault = Vault.from_settings(settings)
    assert _decrypted_cases(app_engine, vault, expected["anna"]) == expected["cases"]


def test_a_keyring_from_the_environment_cannot_be_rotated(
    app_engine: Engine, settings: Settings
) -> None:
    from_env = settings.model_copy(update=dict(keys=load_keyring(settings).to_json()))
    with pytest.raises(ConfigError, match="AZYL_KEYS"):
        rotate(app_engine, from_env, actor="cli:test")


def test_a_running_vault_reads_what_a_rotation_re_encrypted_without_a_restart(
    app_engine: Engine, settings: Settings
) -> None:
    expected = _populate(app_engine, settings, cases=2)
    running = Vault.from_settings(settings)  # as a web worker holds it
    rotate(app_engine, settings, actor="cli:test")
    assert _decrypted_cases(app_engine, running, expected["anna"]) == expected["cases"]
    assert Vault.key_id(running.encrypt(b"new", context="c")) == "k2"
