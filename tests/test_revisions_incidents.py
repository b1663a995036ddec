"""Editing incidents: versions, diffs, reverts, conflicts and the audit trail."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, func, select

from azyl import audit
from azyl.appdb import session_scope
from azyl.config import Settings
from azyl.incidents import get_incident
from azyl.incidents.edits import (
    create_incident,
    current_version,
    import_rules,
    incident_history,
    revert_incident,
    update_incident,
)
from azyl.incidents.references import catalogue_for
from azyl.incidents.validate import Rules
from azyl.revisions import counter
from azyl.revisions.errors import EditConflict, RecordInvalid
from azyl.revisions.model import RevisionRow
from incident_docs import doc


@pytest.fixture
def rules(settings: Settings) -> Rules:
    return import_rules(catalogue_for(settings))


def test_creating_an_incident_stores_version_one_and_audits_it(
    app_engine: Engine, rules: Rules
) -> None:
    saved = create_incident(app_engine, doc(), rules=rules, actor="erin")
    assert saved.version == 1
    assert get_incident(app_engine, "test-incident", visibility="all").summary == "A test incident."
    [version] = incident_history(app_engine, "test-incident")
    assert (version.action, version.actor, version.summary) == ("create", "erin", "created")
    assert version.snapshot["summary"] == "A test incident."
    with session_scope(app_engine, commit=False) as session:
        [entry] = audit.entries(session)
        assert (entry.action, entry.actor, entry.target_id) == (
            "incident.create",
            "erin",
            "test-incident",
        )
        assert audit.verify(session).ok


def test_an_edit_records_a_new_version_with_a_field_by_field_diff(
    app_engine: Engine, rules: Rules
) -> None:
    create_incident(app_engine, doc(), rules=rules, actor="erin")
    saved = update_incident(
        app_engine,
        "test-incident",
        doc(summary="Now better documented.", tactics=["detention"]),
        1,
        rules=rules,
        actor="fay",
    )
    assert saved.version == 2
    changed = {c.field: (c.before, c.after) for c in saved.changes}
    assert changed == {
        "summary": ("A test incident.", "Now better documented."),
        "tactics": ("extradition_request, detention", "detention"),
    }
    versions = incident_history(app_engine, "test-incident")
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].summary == "changed: tactics, summary"
    assert versions[1].actor == "fay"


def test_a_save_based_on_an_old_version_is_refused_and_shows_the_other_change(
    app_engine: Engine, rules: Rules
) -> None:
    create_incident(app_engine, doc(), rules=rules, actor="erin")
    update_incident(
        app_engine, "test-incident", doc(summary="Fay's words."), 1, rules=rules, actor="fay"
    )
    with pytest.raises(EditConflict) as caught:
        update_incident(
            app_engine, "test-incident", doc(outcome="unknown"), 1, rules=rules, actor="gus"
        )
    assert caught.value.http_status == 409
    assert "Someone else changed this incident" in caught.value.message
    assert "fay" in caught.value.message
    assert caught.value.details["changes"] == [
        {"field": "summary", "before": "A test incident.", "after": "Fay's words."}
    ]
    view = get_incident(app_engine, "test-incident", visibility="all")
    assert (view.summary, view.outcome) == ("Fay's words.", "released")
    assert current_version(app_engine, "test-incident") == 2


def test_reverting_restores_an_earlier_version_as_a_new_one(
    app_engine: Engine, rules: Rules
) -> None:
    create_incident(app_engine, doc(), rules=rules, actor="erin")
    update_incident(app_engine, "test-incident", doc(summary="Wrong."), 1, rules=rules, actor="fay")
    saved = revert_incident(app_engine, "test-incident", 1, 2, rules=rules, actor="erin")
    assert saved.version == 3
    assert saved.incident.summary == "A test incident."
    last = incident_history(app_engine, "test-incident")[-1]
    assert (last.action, last.reverted_to, last.summary) == (
        "revert",
        1,
        "restored version 1: summary",
    )
    with session_scope(app_engine, commit=False) as session:
        actions = [e.action for e in audit.entries(session)]
    assert actions == ["incident.create", "incident.edit", "incident.revert"]


def test_an_invalid_edit_lists_each_field_and_changes_nothing(
    app_engine: Engine, rules: Rules
) -> None:
    create_incident(app_engine, doc(), rules=rules, actor="erin")
    bad = doc(date="2015-02-30", tactics=["telepathy"])
    bad["sources"][0]["source"] = "no-such-source"
    with pytest.raises(RecordInvalid) as caught:
        update_incident(app_engine, "test-incident", bad, 1, rules=rules, actor="fay")
    fields = caught.value.by_field
    assert "date" in fields and "tactics[0]" in fields and "sources[0].source" in fields
    assert "not a date on the calendar" in fields["date"][0]
    assert current_version(app_engine, "test-incident") == 1
    with session_scope(app_engine, commit=False) as session:
        assert [e.action for e in audit.entries(session)] == ["incident.create"]


def test_an_incidents_id_cannot_be_taken_twice_or_changed(app_engine: Engine, rules: Rules) -> None:
    create_incident(app_engine, doc(), rules=rules, actor="erin")
    with pytest.raises(RecordInvalid, match="already used"):
        create_incident(app_engine, doc(), rules=rules, actor="fay")
    with pytest.raises(RecordInvalid, match="cannot change"):
        update_incident(
            app_engine, "test-incident", doc(id="other-id"), 1, rules=rules, actor="fay"
        )


def test_every_change_moves_the_registry_counter(app_engine: Engine, rules: Rules) -> None:
    before = counter.read(app_engine)
    create_incident(app_engine, doc(), rules=rules, actor="erin")
    update_incident(app_engine, "test-incident", doc(summary="x"), 1, rules=rules, actor="e")
    assert counter.read(app_engine) == before + 2


def test_concurrent_editors_of_one_version_lose_nothing_silently(
    app_engine: Engine, rules: Rules
) -> None:
    """Eight editors save on each base version at once: exactly one wins per base version."""
    create_incident(app_engine, doc(), rules=rules, actor="erin")
    outcomes: dict[tuple[int, int], str] = {}
    accepted: dict[int, str] = {}
    lock = threading.Lock()

    def editor(base: int, n: int) -> None:
        summary = f"base {base} editor {n}"
        try:
            saved = update_incident(
                app_engine, "test-incident", doc(summary=summary), base, rules=rules, actor=f"ed{n}"
            )
        except EditConflict:
            result = "conflict"
        else:
            result = "saved"
            with lock:
                accepted[saved.version] = summary
        with lock:
            outcomes[(base, n)] = result

    for base in (1, 2, 3):
        threads = [threading.Thread(target=editor, args=(base, n)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        results = [outcomes[(base, n)] for n in range(8)]
        assert results.count("saved") == 1, results
        assert results.count("conflict") == 7

    assert sorted(accepted) == [2, 3, 4]
    with session_scope(app_engine, commit=False) as session:
        numbers = list(
            session.scalars(
                select(RevisionRow.version).where(RevisionRow.record_id == "test-incident")
            )
        )
        audited = session.scalar(select(func.count()).select_from(audit.model.AuditEntry))
    assert sorted(numbers) == [1, 2, 3, 4]  # no version number twice
    assert audited == 4  # one create and three accepted edits, nothing for refused ones
    final = get_incident(app_engine, "test-incident", visibility="all")
    assert final.summary == accepted[4]
    assert incident_history(app_engine, "test-incident")[-1].snapshot["summary"] == accepted[4]
