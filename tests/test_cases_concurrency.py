"""Concurrent re-runs and a key rotation on the same cases: no lost run, nothing unreadable."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from sqlalchemy import Engine

from azyl.cases import export_case, get_case, rerun_case, save_case
from azyl.config import Settings
from azyl.keys.rotation import rotate, usage
from azyl.vault import Vault
from cases_support import PROFILE, add_user, context

WORKERS = 6


def test_concurrent_reruns_and_a_rotation_lose_no_run(
    app_engine: Engine, settings: Settings
) -> None:
    vault = Vault.from_settings(settings)
    anna = add_user(app_engine, "anna")
    ids = [save_case(app_engine, vault, anna, title=f"case {n}", profile=PROFILE,
                     context=context()).id for n in range(3)]  # fmt: skip
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(WORKERS)]

    def rerun(day: date) -> None:
        for case_id in ids:
            rerun_case(app_engine, vault, anna, case_id, day, context())

    with ThreadPoolExecutor(max_workers=WORKERS + 1) as pool:
        rotation = pool.submit(rotate, app_engine, settings, actor="cli:test", batch_size=1)
        reruns = [pool.submit(rerun, day) for day in days]
        for future in reruns:
            future.result()
        rotation.result()
    assert usage(app_engine) == {"k2": {"cases": len(ids)}}
    for case_id in ids:  # the vault made before the rotation reads what it re-encrypted
        runs = get_case(app_engine, vault, anna, case_id).runs
        assert [r.number for r in runs] == list(range(1, WORKERS + 2))
        assert sorted(r.as_of for r in runs[1:]) == days
        exported = export_case(app_engine, vault, anna, case_id)["case"]
        assert all(r["assessment"]["trace"]["as_of"] == r["as_of"] for r in exported["runs"])
