"""Saved cases in the library: operations, authorization and audit, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, func, select

from azyl import audit
from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.cases import (
    CaseForbidden,
    compare_runs,
    erase_case,
    export_case,
    export_run,
    get_case,
    list_cases,
    rerun_case,
    revise_case,
    save_case,
    share_case,
    unshare_case,
)
from azyl.cases.model import Case, CaseRun, CaseShare
from azyl.config import Settings
from azyl.errors import CaseProfileError, InputError, NotFound
from azyl.reports import render
from azyl.reports.saved_run import run_report
from azyl.vault import Vault
from cases_support import ENTERING_FACT, PROFILE, add_user, context, knowledge_base

TITLE = "Ruslan Kadyrbekov, Chechen, Berlin"
NOTES = "Contact through his sister; hearing on 12 June"


@pytest.fixture
def vault(settings: Settings) -> Vault:
    return Vault.from_settings(settings)


def _save(engine: Engine, vault: Vault, actor, title: str = TITLE):  # type: ignore[no-untyped-def]
    return save_case(engine, vault, actor, title=title, profile=PROFILE, notes=NOTES,
                     context=context())  # fmt: skip


def test_a_saved_case_reads_back_with_its_first_run(app_engine: Engine, vault: Vault) -> None:
    anna = add_user(app_engine, "anna")
    saved = _save(app_engine, vault, anna)
    case = get_case(app_engine, vault, anna, saved.id)
    assert (case.title, case.notes, case.owner, case.mine) == (TITLE, NOTES, "anna", True)
    assert case.profile["person"]["region"] == "RU-CE"
    assert [s["country"] for s in case.profile["route"]] == ["KAZ", "POL"]
    assert len(case.runs) == 1 and case.latest.number == 1
    assert case.latest.as_of == date.fromisoformat(PROFILE["as_of"])
    assert case.latest.kb_version == knowledge_base().version.label
    assert case.latest.assessment["trace"]["as_of"] == PROFILE["as_of"]


def test_a_case_needs_a_title_and_a_valid_profile(app_engine: Engine, vault: Vault) -> None:
    anna = add_user(app_engine, "anna")
    with pytest.raises(InputError, match="title"):
        save_case(app_engine, vault, anna, title="  ", profile=PROFILE, context=context())
    with pytest.raises(CaseProfileError, match="current country"):
        bad = {**PROFILE, "current_country": "Atlantis"}
        save_case(app_engine, vault, anna, title="x", profile=bad, context=context())
    with session_scope(app_engine) as session:
        assert session.scalar(select(func.count(Case.id))) == 0


def test_a_viewer_cannot_save_or_list_cases(app_engine: Engine, vault: Vault) -> None:
    viewer = add_user(app_engine, "victor", Role.VIEWER)
    with pytest.raises(CaseForbidden):
        _save(app_engine, vault, viewer)
    with pytest.raises(CaseForbidden):
        list_cases(app_engine, vault, viewer)


def test_the_list_holds_my_cases_and_those_shared_with_me_only(
    app_engine: Engine, vault: Vault
) -> None:
    anna, boris, chen = (add_user(app_engine, n) for n in ("anna", "boris", "chen"))
    a1 = _save(app_engine, vault, anna, "A one")
    _save(app_engine, vault, boris, "B one")
    c1 = _save(app_engine, vault, chen, "C one")
    share_case(app_engine, chen, c1.id, "anna")
    listed = {(s.id, s.title, s.mine, s.owner) for s in list_cases(app_engine, vault, anna)}
    assert listed == {(a1.id, "A one", True, "anna"), (c1.id, "C one", False, "chen")}


def test_a_caseworker_cannot_open_another_caseworkers_case(
    app_engine: Engine, vault: Vault
) -> None:
    anna, boris = add_user(app_engine, "anna"), add_user(app_engine, "boris")
    case = _save(app_engine, vault, anna)
    attempts = {
        "case.view": lambda: get_case(app_engine, vault, boris, case.id),
        "case.rerun": lambda: rerun_case(
            app_engine, vault, boris, case.id, date(2025, 1, 1), context()
        ),
        "case.revise": lambda: revise_case(app_engine, vault, boris, case.id, PROFILE, context()),
        "case.compare": lambda: compare_runs(app_engine, vault, boris, case.id, 1, 1),
        "case.share": lambda: share_case(app_engine, boris, case.id, "boris"),
        "case.unshare": lambda: unshare_case(app_engine, boris, case.id, "anna"),
        "case.export": lambda: export_case(app_engine, vault, boris, case.id),
        "case.erase": lambda: erase_case(app_engine, boris, case.id),
    }
    for action, attempt in attempts.items():
        with pytest.raises(NotFound) as refused:
            attempt()
        with pytest.raises(NotFound) as missing:
            get_case(app_engine, vault, boris, "no-such-case-000")
        assert str(refused.value) == str(missing.value).replace("no-such-case-000", case.id), action
    with session_scope(app_engine) as session:
        entries = audit.entries(session, actor="boris")
    on_the_case = [e for e in entries if e.target_id == case.id]
    assert sorted(e.action for e in on_the_case) == sorted(attempts)
    assert all(e.details == {"result": "not_found"} for e in on_the_case)
    assert get_case(app_engine, vault, anna, case.id).title == TITLE  # nothing was changed


def test_an_admin_may_erase_a_case_but_not_read_it(app_engine: Engine, vault: Vault) -> None:
    anna, root = add_user(app_engine, "anna"), add_user(app_engine, "root", Role.ADMIN)
    case = _save(app_engine, vault, anna)
    with pytest.raises(NotFound):
        get_case(app_engine, vault, root, case.id)
    with pytest.raises(NotFound):
        export_case(app_engine, vault, root, case.id)
    erase_case(app_engine, root, case.id)
    with pytest.raises(NotFound):
        get_case(app_engine, vault, anna, case.id)
    with session_scope(app_engine) as session:
        erased = audit.entries(session, action="case.erase")
    assert [(e.actor, e.target_id, e.details["by"]) for e in erased] == [("root", case.id, "admin")]


def test_sharing_lets_a_colleague_read_but_not_change_and_unsharing_takes_it_back(
    app_engine: Engine, vault: Vault
) -> None:
    anna, boris = add_user(app_engine, "anna"), add_user(app_engine, "boris")
    case = _save(app_engine, vault, anna)
    assert share_case(app_engine, anna, case.id, "Boris") == ["boris"]
    seen = get_case(app_engine, vault, boris, case.id)
    assert (seen.title, seen.mine, seen.owner) == (TITLE, False, "anna")
    assert export_case(app_engine, vault, boris, case.id)["case"]["title"] == TITLE
    for forbidden in (
        lambda: rerun_case(app_engine, vault, boris, case.id, date(2025, 1, 1), context()),
        lambda: share_case(app_engine, boris, case.id, "boris"),
        lambda: erase_case(app_engine, boris, case.id),
    ):
        with pytest.raises(CaseForbidden):
            forbidden()
    assert unshare_case(app_engine, anna, case.id, "boris") == []
    with pytest.raises(NotFound):
        get_case(app_engine, vault, boris, case.id)
    with pytest.raises(InputError, match="not shared"):
        unshare_case(app_engine, anna, case.id, "boris")


def test_a_case_is_shared_only_with_existing_active_caseworkers(
    app_engine: Engine, vault: Vault
) -> None:
    anna = add_user(app_engine, "anna")
    add_user(app_engine, "victor", Role.VIEWER)
    case = _save(app_engine, vault, anna)
    with pytest.raises(NotFound, match="no user 'nobody'"):
        share_case(app_engine, anna, case.id, "nobody")
    with pytest.raises(InputError, match="cannot receive"):
        share_case(app_engine, anna, case.id, "victor")
    with pytest.raises(InputError, match="already yours"):
        share_case(app_engine, anna, case.id, "anna")


def test_a_rerun_keeps_older_runs_and_the_comparison_names_the_fact_that_entered_force(
    app_engine: Engine, vault: Vault
) -> None:
    fact = knowledge_base().facts[ENTERING_FACT]
    before, after = fact.valid_from - timedelta(days=1), fact.valid_from
    anna = add_user(app_engine, "anna")
    case = _save(app_engine, vault, anna)
    second = rerun_case(app_engine, vault, anna, case.id, before, context())
    third = rerun_case(app_engine, vault, anna, case.id, after, context())
    assert (second.number, second.as_of, third.number, third.as_of) == (2, before, 3, after)
    runs = get_case(app_engine, vault, anna, case.id).runs
    assert [r.number for r in runs] == [1, 2, 3] and runs[0].as_of == case.latest.as_of

    result = compare_runs(app_engine, vault, anna, case.id, 2, 3)
    assert ENTERING_FACT in result["facts"]["added"] and result["facts"]["removed"] == []
    # The danger in Russia was already documented: the pathways stay, each now citing the fact.
    changed = [i for s in result["sections"].values() for i in s["changed"]]
    assert any(ENTERING_FACT in item["facts_added"] for item in changed)
    assert [r["as_of"] for r in result["runs"]] == [before.isoformat(), after.isoformat()]
    assert [r["kb_version"] for r in result["runs"]] == [knowledge_base().version.label] * 2
    assert result["kb_version_changed"] is False and result["unchanged"] is False
    backwards = compare_runs(app_engine, vault, anna, case.id, 3, 2)
    assert backwards["facts"]["removed"] == result["facts"]["added"]
    assert compare_runs(app_engine, vault, anna, case.id, 3, 3)["unchanged"] is True
    with pytest.raises(NotFound, match="no run 9"):
        compare_runs(app_engine, vault, anna, case.id, 1, 9)


def test_a_rerun_before_the_route_is_refused_clearly(app_engine: Engine, vault: Vault) -> None:
    anna = add_user(app_engine, "anna")
    dated = {**PROFILE, "route": [{"country": "POL", "role": "first_eu_entry",
                                   "entered": "2023-03-01"}]}  # fmt: skip
    case = save_case(app_engine, vault, anna, title="t", profile=dated, context=context())
    with pytest.raises(CaseProfileError, match="after the screening date"):
        rerun_case(app_engine, vault, anna, case.id, date(2022, 1, 1), context())
    assert len(get_case(app_engine, vault, anna, case.id).runs) == 1


def test_an_export_holds_every_run_and_a_run_renders_as_a_report(
    app_engine: Engine, vault: Vault
) -> None:
    anna = add_user(app_engine, "anna")
    case = _save(app_engine, vault, anna)
    rerun_case(app_engine, vault, anna, case.id, date(2025, 7, 1), context())
    exported = export_case(app_engine, vault, anna, case.id)
    assert json.loads(json.dumps(exported)) == exported
    assert [r["as_of"] for r in exported["case"]["runs"]] == [PROFILE["as_of"], "2025-07-01"]
    assert all("findings" in r["assessment"] for r in exported["case"]["runs"])
    detail, run = export_run(app_engine, vault, anna, case.id, 1, "markdown")
    kb = knowledge_base()
    text = render(run_report(detail, run, "en", kb, ()), "markdown").content.decode()
    assert PROFILE["as_of"] in text and "2025-07-01" not in text


def test_an_erased_case_leaves_no_row_behind(app_engine: Engine, vault: Vault) -> None:
    anna = add_user(app_engine, "anna")
    add_user(app_engine, "boris")
    case = _save(app_engine, vault, anna)
    kept = _save(app_engine, vault, anna, "kept")
    rerun_case(app_engine, vault, anna, case.id, date(2025, 1, 1), context())
    share_case(app_engine, anna, case.id, "boris")
    erase_case(app_engine, anna, case.id)
    with session_scope(app_engine) as session:
        for table, column in ((Case, Case.id), (CaseRun, CaseRun.case_id),
                              (CaseShare, CaseShare.case_id)):  # fmt: skip
            assert (
                session.scalar(select(func.count()).select_from(table).where(column == case.id))
                == 0
            )
    assert [s.id for s in list_cases(app_engine, vault, anna)] == [kept.id]
    with pytest.raises(NotFound):
        erase_case(app_engine, anna, case.id)


def test_every_operation_is_audited_by_case_id_without_personal_data(
    app_engine: Engine, vault: Vault
) -> None:
    anna = add_user(app_engine, "anna")
    add_user(app_engine, "boris")
    case = _save(app_engine, vault, anna)
    get_case(app_engine, vault, anna, case.id)
    rerun_case(app_engine, vault, anna, case.id, date(2025, 1, 1), context())
    revise_case(app_engine, vault, anna, case.id, PROFILE, context())
    compare_runs(app_engine, vault, anna, case.id, 1, 2)
    share_case(app_engine, anna, case.id, "boris")
    unshare_case(app_engine, anna, case.id, "boris")
    export_case(app_engine, vault, anna, case.id)
    erase_case(app_engine, anna, case.id)
    with session_scope(app_engine) as session:
        entries = [e for e in audit.entries(session) if e.action.startswith("case.")]
        assert audit.verify(session).ok
    assert [e.action for e in entries] == [
        "case.save", "case.view", "case.rerun", "case.revise", "case.compare", "case.share",
        "case.unshare", "case.export", "case.erase",
    ]  # fmt: skip
    assert {(e.actor, e.target_type, e.target_id, e.address) for e in entries} == {
        ("anna", "case", case.id, "192.0.2.1")
    }
    written = json.dumps([e.to_document() for e in entries], ensure_ascii=False)
    for personal in ("Ruslan", "Chechen", "Berlin", "sister", "RU-CE", "KAZ", "anti_war"):
        assert personal not in written


def test_an_id_that_cannot_be_a_case_id_is_not_found_and_not_looked_up(
    app_engine: Engine, vault: Vault
) -> None:
    anna = add_user(app_engine, "anna")
    for strange in ("x" * 500, "../../etc/passwd", "' OR 1=1 --", ""):
        with pytest.raises(NotFound, match="there is no case"):
            get_case(app_engine, vault, anna, strange)
    with session_scope(app_engine) as session:
        assert audit.entries(session, action="case.view") == []


def test_a_revised_profile_is_screened_as_a_new_run_and_the_old_runs_stay(
    app_engine: Engine, vault: Vault
) -> None:
    """The caseworker learns the person is a deserter: the case is screened again on the
    corrected profile; the first run keeps what it said on the first profile."""
    anna = add_user(app_engine, "anna")
    case = _save(app_engine, vault, anna)
    corrected = {**PROFILE, "person": {**PROFILE["person"], "military_service": "deserter"}}
    run = revise_case(app_engine, vault, anna, case.id, corrected, context())
    detail = get_case(app_engine, vault, anna, case.id)
    assert run.number == 2 and [r.number for r in detail.runs] == [1, 2]
    assert detail.profile["person"]["military_service"] == "deserter"
    assert detail.run(1).assessment == case.latest.assessment
    with pytest.raises(CaseProfileError, match="military service"):
        revise_case(app_engine, vault, anna, case.id, {**PROFILE, "person": {
            **PROFILE["person"], "military_service": "general"}}, context())  # fmt: skip
    assert [r.number for r in get_case(app_engine, vault, anna, case.id).runs] == [1, 2]
    boris = add_user(app_engine, "boris")
    share_case(app_engine, anna, case.id, "boris")
    with pytest.raises(CaseForbidden):
        revise_case(app_engine, vault, boris, case.id, corrected, context())
