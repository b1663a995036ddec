"""`azyl cases list|export|erase --user` and `azyl keys status|rotate|retire` for the operator."""

from __future__ import annotations

import getpass
import json
import stat
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from azyl import audit
from azyl.appdb import session_scope
from azyl.cases import save_case
from azyl.config import Settings
from azyl.vault import Vault
from cases_support import PROFILE, add_user, context
from conftest import Run


def _env(settings: Settings) -> dict[str, str]:
    return {"AZYL_DATA_DIR": str(settings.data_dir), "HOME": str(settings.data_dir.parent)}


def _cases(engine: Engine, settings: Settings) -> list[str]:
    vault = Vault.from_settings(settings)
    anna = add_user(engine, "anna")
    boris = add_user(engine, "boris")
    ids = [save_case(engine, vault, anna, title=f"Anna's case {n}", profile=PROFILE,
                     context=context()).id for n in range(2)]  # fmt: skip
    save_case(engine, vault, boris, title="Boris's case", profile=PROFILE, context=context())
    return ids


def test_the_operator_lists_exports_and_erases_one_users_cases(
    sqlite_engine: Engine, settings: Settings, run_azyl: Callable[..., Run], tmp_path: Path
) -> None:
    ids = _cases(sqlite_engine, settings)
    env = _env(settings)
    listed = run_azyl("cases", "list", "--user", "anna", env=env)
    assert listed.code == 0, listed.err
    assert sorted(line.split()[0] for line in listed.out.splitlines()) == sorted(ids)
    assert "Boris" not in listed.out

    target = tmp_path / "anna.json"
    exported = run_azyl("cases", "export", "--user", "anna", "-o", str(target), env=env)
    assert exported.code == 0, exported.err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    document = json.loads(target.read_text())
    assert sorted(c["id"] for c in document["cases"]) == sorted(ids)
    assert {c["title"] for c in document["cases"]} == {"Anna's case 0", "Anna's case 1"}
    assert all(len(c["runs"]) == 1 and c["runs"][0]["assessment"] for c in document["cases"])

    refused = run_azyl("cases", "erase", "--user", "anna", "--case", "nope", "--yes", env=env)
    assert refused.code == 1 and "owns no case 'nope'" in refused.err
    erased = run_azyl("cases", "erase", "--user", "anna", "--yes", env=env)
    assert erased.code == 0 and "erased 2 cases" in erased.out
    assert run_azyl("cases", "list", "--user", "anna", env=env).out == ""
    assert "Boris's case" in run_azyl("cases", "list", "--user", "boris", env=env).out

    with session_scope(sqlite_engine) as session:
        entries = audit.entries(session, actor=f"cli:{getpass.getuser()}")
    actions = [e.action for e in entries]
    assert actions.count("case.export") == 2 and actions.count("case.erase") == 2
    assert {e.target_id for e in entries if e.action == "case.erase"} == set(ids)


def test_an_unknown_user_is_named_without_a_traceback(
    sqlite_engine: Engine, settings: Settings, run_azyl: Callable[..., Run]
) -> None:
    Vault.from_settings(settings)
    result = run_azyl("cases", "list", "--user", "nobody", env=_env(settings))
    assert result.code == 1
    assert result.err.strip() == "error: there is no user 'nobody'"


def test_keys_status_rotate_and_retire_from_the_command_line(
    sqlite_engine: Engine, settings: Settings, run_azyl: Callable[..., Run]
) -> None:
    _cases(sqlite_engine, settings)
    env = _env(settings)
    status = run_azyl("keys", "status", env=env)
    assert status.code == 0, status.err
    assert "k1  active  protects 3 cases" in status.out
    rotated = run_azyl("keys", "rotate", "--batch-size", "2", env=env)
    assert rotated.code == 0 and "new key k2: re-encrypted 3 cases in 2 batches" in rotated.out
    status = run_azyl("keys", "status", env=env).out
    assert "k1          protects nothing" in status and "k2  active  protects 3 cases" in status
    retired = run_azyl("keys", "retire", "k1", env=env)
    assert retired.code == 0 and "the keyring holds k2" in retired.out
    again = run_azyl("keys", "retire", "k2", env=env)
    assert again.code == 1 and "active key" in again.err


def test_a_damaged_case_is_named_and_the_intact_ones_still_exported(
    sqlite_engine: Engine, settings: Settings, run_azyl: Callable[..., Run], tmp_path: Path
) -> None:
    from sqlalchemy import update

    from azyl.cases.model import Case

    intact, damaged = _cases(sqlite_engine, settings)
    with session_scope(sqlite_engine) as session:
        session.execute(update(Case).where(Case.id == damaged).values(title="azyl1.dk.AAAA"))
    env = _env(settings)
    listed = run_azyl("cases", "list", "--user", "anna", env=env)
    assert listed.code == 0, listed.err
    assert sorted(line.split()[0] for line in listed.out.splitlines()) == sorted([intact, damaged])
    target = tmp_path / "anna.json"
    exported = run_azyl("cases", "export", "--user", "anna", "-o", str(target), env=env)
    assert exported.code == 1
    assert (
        f"could not be decrypted and are only named in the file (under 'damaged'): {damaged}"
        in (exported.err)
    )
    document = json.loads(target.read_text())
    assert [c["id"] for c in document["cases"]] == [intact]
    assert [d["id"] for d in document["damaged"]] == [damaged]
    assert "failed its integrity check" in document["damaged"][0]["problem"]
