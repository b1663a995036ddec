"""How history starts: the seed and imports record versions; database edits survive `azyl build`."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine

from azyl.appdb import session_scope
from azyl.config import Settings
from azyl.incidents import get_incident, import_incidents, load_seed
from azyl.incidents.edits import import_rules, incident_history, update_incident
from azyl.incidents.references import catalogue_for
from azyl.revisions import counter, history
from incident_docs import doc


def test_every_seeded_incident_starts_with_a_seed_version_and_reloading_adds_none(
    settings: Settings, app_engine: Engine
) -> None:
    report = load_seed(settings, engine=app_engine)
    assert report.created
    with session_scope(app_engine, commit=False) as session:
        recorded = history.recorded_ids(session, "incident")
        first = history.versions(session, "incident", report.created[0])
    assert recorded == set(report.created)
    assert [(v.version, v.action, v.actor) for v in first] == [(1, "seed", None)]
    stored = get_incident(app_engine, report.created[0], visibility="all")
    assert first[0].snapshot == stored.record().to_document()
    moved = counter.read(app_engine)
    load_seed(settings, engine=app_engine)
    assert counter.read(app_engine) == moved  # nothing changed, nothing recorded
    assert len(incident_history(app_engine, report.created[0])) == 1


def test_an_edit_made_in_the_web_app_survives_the_next_build(
    settings: Settings, app_engine: Engine
) -> None:
    report = load_seed(settings, engine=app_engine)
    target = report.created[0]
    document = get_incident(app_engine, target, visibility="all").record().to_document()
    document["summary"] = "Edited by the team after seeding."
    rules = import_rules(catalogue_for(settings))
    update_incident(app_engine, target, document, 1, rules=rules, actor="erin")
    again = load_seed(settings, engine=app_engine)
    assert target in {c.id for c in again.conflicts}
    assert get_incident(app_engine, target).summary == "Edited by the team after seeding."
    assert [v.action for v in incident_history(app_engine, target)] == ["seed", "edit"]


def test_an_import_records_a_version_for_what_it_changed(
    settings: Settings, app_engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps([doc()]))
    import_incidents(app_engine, path, catalogue_for(settings))
    path.write_text(json.dumps([doc(summary="Corrected in the spreadsheet.")]))
    import_incidents(app_engine, path, catalogue_for(settings))
    import_incidents(app_engine, path, catalogue_for(settings))  # unchanged: no version
    versions = incident_history(app_engine, "test-incident")
    assert [(v.version, v.action) for v in versions] == [(1, "import"), (2, "import")]
    assert versions[1].summary == "changed: summary"
