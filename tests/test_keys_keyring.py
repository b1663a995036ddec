"""A lost keyring is never replaced behind the operator's back; `azyl keys init`; loose modes.

An adversarial review deleted the keyring of a server holding cases and
started `azyl serve`: it made a new key `k1` (the lost key's id), new saves
succeeded under it and every older case failed to decrypt. The server now
refuses to start, as the commands do, unless the database holds nothing
encrypted (a new installation), where the keyring is created as before.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from azyl.appdb import make_engine, migrate
from azyl.config import Settings
from azyl.errors import ConfigError
from azyl.keys.guard import keyring_for
from azyl.vault import Vault, load_keyring
from cases_support import PROFILE, add_user, context
from conftest import Run
from ops_support import BACKENDS, env_for, fresh_url  # noqa: F401
from test_crash import _free_port

AZYL = str(Path(sys.executable).with_name("azyl"))


def _one_saved_case(engine: Engine, settings: Settings) -> None:
    from azyl.cases import save_case

    vault = Vault.from_settings(settings)
    save_case(engine, vault, add_user(engine, "anna"), title="T.", profile=PROFILE,
              context=context())  # fmt: skip


def test_a_missing_keyring_is_made_only_for_a_database_with_nothing_encrypted(
    settings: Settings, app_engine: Engine
) -> None:
    created = keyring_for(settings, app_engine)  # a new installation: made, 0600
    assert stat.S_IMODE(settings.key_file_path.stat().st_mode) == 0o600
    _one_saved_case(app_engine, settings)
    settings.key_file_path.unlink()  # the keyring is lost
    with pytest.raises(ConfigError, match=r"there is no keyring at .*: k1 \(1\)") as raised:
        keyring_for(settings, app_engine)
    assert "Restore the keyring from its offline copy" in raised.value.message
    assert not settings.key_file_path.exists()  # no new, unrelated keyring was made
    assert created.active == "k1"


def test_the_web_app_refuses_to_start_without_the_keyring_its_cases_need(
    settings: Settings, app_engine: Engine
) -> None:
    from fastapi.testclient import TestClient

    from edit_support import app_on

    _one_saved_case(app_engine, settings)
    settings.key_file_path.unlink()
    with (
        pytest.raises(ConfigError, match="there is no keyring"),
        TestClient(app_on(settings, app_engine)),
    ):
        pass  # the start-up (lifespan) raises before any request is served
    assert not settings.key_file_path.exists()


@pytest.mark.parametrize("backend", BACKENDS)
def test_serve_with_two_workers_and_uvicorn_refuse_to_start_on_a_lost_keyring(
    fresh_url: Callable[[str], str],  # noqa: F811
    tmp_path: Path,
    mirror_dir: Path,
    backend: str,
) -> None:
    url = fresh_url(backend)
    engine = make_engine(url)
    migrate(engine)
    env = {**os.environ, **env_for(tmp_path, mirror_dir, url)}
    settings_path = Path(env["AZYL_KEY_FILE"])
    from azyl.config import load_settings

    _one_saved_case(engine, load_settings(env))
    engine.dispose()
    settings_path.unlink()
    port = str(_free_port())
    serve = subprocess.run(
        [AZYL, "serve", "--port", port, "--workers", "2"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert serve.returncode == 1, serve.stderr
    assert serve.stderr.startswith(f"error: there is no keyring at {settings_path}")
    # Run directly, each uvicorn worker stops at start-up and the server ends (uvicorn's
    # supervisor itself exits 0 once its workers are gone, so the exit code says nothing).
    uvicorn = subprocess.run(
        [sys.executable, "-m", "uvicorn", "azyl.web.asgi:app", "--port", port, "--workers", "2"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert uvicorn.stderr.count("there is no keyring") == 2, uvicorn.stderr
    assert "Application startup failed" in uvicorn.stderr
    assert not settings_path.exists()


def test_keys_init_makes_the_keyring_once_and_never_over_encrypted_data(
    settings: Settings, app_engine: Engine, run_azyl: Callable[..., Run]
) -> None:
    env = {
        "AZYL_DATA_DIR": str(settings.data_dir),
        "AZYL_DATABASE_URL": app_engine.url.render_as_string(hide_password=False),
    }
    made = run_azyl("keys", "init", env=env)
    assert made.code == 0, made.err
    assert f"created the keyring {settings.key_file_path} with key k1" in made.out
    assert stat.S_IMODE(settings.key_file_path.stat().st_mode) == 0o600
    again = run_azyl("keys", "init", env=env)
    assert again.code == 1 and "there is a keyring already" in again.err
    _one_saved_case(app_engine, settings)
    settings.key_file_path.unlink()
    lost = run_azyl("keys", "init", env=env)
    assert lost.code == 1 and "a new keyring could not open them" in lost.err
    status = run_azyl("keys", "status", env=env)
    assert status.code == 1 and "there is no keyring" in status.err


def test_a_keyring_readable_by_others_is_named_in_a_warning(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    load_keyring(settings)
    settings.key_file_path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="azyl.vault.keyring"):
        load_keyring(settings)
    assert f"chmod 600 {settings.key_file_path}" in caplog.text
    assert "(mode 644)" in caplog.text
    caplog.clear()
    settings.key_file_path.chmod(0o600)
    with caplog.at_level(logging.WARNING, logger="azyl.vault.keyring"):
        load_keyring(settings)
    assert caplog.text == ""
