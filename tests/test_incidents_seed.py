"""incidents/seed.yaml: its content checked against the seeds, and how load_seed applies it."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, func, select

from azyl.appdb import session_scope
from azyl.config import Settings
from azyl.incidents import SeedError, find_incidents, get_incident, import_incidents, load_seed
from azyl.incidents.model import IncidentRow
from azyl.incidents.references import catalogue_for

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "incidents" / "seed.yaml"
FIXTURES = Path(__file__).parent / "incidents"
SEED_SOURCES = {
    "fpc-closing-the-door-2017",
    "fpc-closing-the-door-summary-2017",
    "fpc-no-shelter-conclusion-2016",
    "hlhr-point-of-no-return-2024",
    "russie-libertes-ep-hearing-2025",
}


@pytest.fixture(scope="module")
def seed_incidents() -> list[dict[str, Any]]:
    """The seed file as plain YAML (read independently of the library's loader)."""
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def _normalise(text: str) -> str:
    """The test's own normalisation: typographic quotes straightened, whitespace collapsed."""
    for curly, straight in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    return " ".join(text.split())


# -- the seed's content ----------------------------------------------------------------------


def test_seed_has_at_least_thirty_incidents_with_unique_ids(
    seed_incidents: list[dict[str, Any]],
) -> None:
    ids = [i["id"] for i in seed_incidents]
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids)


def test_every_seed_quote_is_verbatim_in_the_archived_seed(
    seed_incidents: list[dict[str, Any]], seeds_dir: Path
) -> None:
    archives: dict[str, str] = {}
    for source_id in SEED_SOURCES:
        record = yaml.safe_load((REPO / "kb" / "sources" / f"{source_id}.yaml").read_text())
        archive = seeds_dir.parent / record["text"]["file"]
        archives[source_id] = _normalise(archive.read_text(encoding="utf-8"))
    checked = 0
    for incident in seed_incidents:
        for citation in incident["sources"]:
            assert citation["pinpoint"].strip(), incident["id"]
            assert len(citation.get("quote") or "") <= 300, incident["id"]
            if citation.get("source") not in SEED_SOURCES:
                continue  # its text is not in the repository (see the next test)
            quote = _normalise(citation["quote"])
            assert quote in archives[citation["source"]], (incident["id"], citation["quote"])
            checked += 1
    assert checked >= 50  # the first fifty incidents, all from the founding documents


def test_every_other_source_records_the_text_its_quotes_were_read_in(
    seed_incidents: list[dict[str, Any]],
) -> None:
    """A citation of another source names a knowledge-base source that keeps the SHA-256 and
    the date of the text its quotes were checked against (the text stays out of the repository)."""
    for incident in seed_incidents:
        for citation in incident["sources"]:
            source_id = citation.get("source")
            if source_id is None or source_id in SEED_SOURCES:
                continue
            record = yaml.safe_load((REPO / "kb" / "sources" / f"{source_id}.yaml").read_text())
            text = record.get("text") or {}
            assert re.fullmatch(r"[0-9a-f]{64}", text.get("sha256", "")), source_id
            assert text.get("verified"), source_id


def test_private_people_are_labelled_and_relatives_never_named(
    seed_incidents: list[dict[str, Any]],
) -> None:
    # Names of relatives that the archived essays give; none may appear in the registry.
    relatives_named_in_sources = [
        "Tillo",
        "Alijon",
        "Farrukh",
        "Dilbar",
        "Rahmatulloi",
        "Gulbarg",
        "Saifova",
        "Islomiddin",
        "Saidov",
        "Leyla Mustafayeva",
    ]
    # Private people (deportees, asylum seekers, people accused) the sources name.
    private_people_named_in_sources = [
        "Afanasyev",
        "Zhamaldaev",
        "Babaeva",
        "Valiev",
        "Meyriev",
        "Isakov",
        "Boltayev",
        "Bekiyev",
        "Radyuk",
        "Ahmedbekov",
        "Davlatov",
    ]
    for incident in seed_incidents:
        text = yaml.safe_dump(incident, allow_unicode=True)
        for name in relatives_named_in_sources + private_people_named_in_sources:
            assert name not in text, (incident["id"], name)
        target = incident["target"]
        assert (target["name"] is None) != (target["label"] is None), incident["id"]


def test_restricted_incidents_include_every_reprisal_against_a_child(
    seed_incidents: list[dict[str, Any]],
) -> None:
    by_id = {i["id"]: i for i in seed_incidents}
    for incident_id in (
        "tjk-pol-2016-khudoydodova-daughter-mobbed",
        "tjk-2017-yorov-brother-family-threatened",
    ):
        assert by_id[incident_id]["visibility"] == "restricted"


def test_the_issue_examples_are_in_the_seed(seed_incidents: list[dict[str, Any]]) -> None:
    """The incidents issue 4 lists, found by their facts rather than their ids."""
    facts = {(i["origin"], i["host"], tuple(i["tactics"])) for i in seed_incidents}
    expected = [
        ("TJK", "BLR", ("extradition_request", "detention")),  # Group 24 member at Terespol
        ("RUS", "BLR", ("detention", "rendition")),  # Chechen fighter handed to Russia
        ("AZE", "GEO", ("surveillance", "abduction")),  # journalist abducted in Georgia
        ("AZE", "BLR", ("extradition_request", "detention", "extradition")),  # blogger
        ("TJK", None, ("interpol_red_notice",)),  # Red Notice against the IRPT leader
        ("RUS", "RUS", ("deportation", "assassination")),  # returnee killed at home
        ("RUS", "RUS", ("deportation", "abduction")),  # returnee disappeared at home
        ("TJK", "RUS", ("extradition_request", "detention", "deportation")),  # deported
        ("RUS", "HRV", ("threat",)),  # threatened with deportation in Croatia
        ("TJK", "ESP", ("wanted_list", "detention")),  # Spain, Tajik warrant
        ("TJK", "FIN", ("wanted_list", "detention")),  # Finland, Tajik warrant
    ]
    for fact in expected:
        assert fact in facts, fact
    # Where the returnees lived before they were deported (host is where it happened).
    lived = {(i["origin"], tuple(i["tactics"])): i.get("residence") for i in seed_incidents}
    assert lived[("RUS", ("deportation", "assassination"))] == "SWE"
    assert lived[("RUS", ("deportation", "abduction"))] == "POL"
    crimea = [i for i in seed_incidents if i.get("host_region") == "UA-43"]
    assert sum("deportation" in i["tactics"] for i in crimea) >= 3
    assert any(i["relatives_targeted"] and i["origin"] == "TJK" for i in seed_incidents)
    assert any(i["relatives_targeted"] and i["origin"] == "AZE" for i in seed_incidents)


# -- loading ---------------------------------------------------------------------------------


def _with_seed(settings: Settings, path: Path) -> Settings:
    return settings.model_copy(update=dict(incidents_seed=path))


def _count(engine: Engine) -> int:
    with session_scope(engine, commit=False) as session:
        return session.scalar(select(func.count()).select_from(IncidentRow)) or 0


def test_loading_the_seed_inserts_every_incident_then_changes_nothing(
    settings: Settings, app_engine: Engine, seed_incidents: list[dict[str, Any]]
) -> None:
    first = load_seed(settings, engine=app_engine)
    assert len(first.created) == len(seed_incidents)
    # Quotes from the founding documents are checked here (their texts are beside the
    # checkout); the other sources' texts are not, so their quotes are counted as unchecked.
    quoted = [c for i in seed_incidents for c in i["sources"] if c.get("quote")]
    seeded = sum(1 for c in quoted if c.get("source") in SEED_SOURCES)
    assert (first.quotes_checked, first.quotes_unchecked) == (seeded, len(quoted) - seeded)
    second = load_seed(settings, engine=app_engine)
    assert second.created == () and second.updated == () and second.conflicts == ()
    assert len(second.unchanged) == len(seed_incidents)
    assert _count(app_engine) == len(seed_incidents)


def test_a_dry_run_reports_but_writes_nothing(settings: Settings, app_engine: Engine) -> None:
    report = load_seed(settings, engine=app_engine, dry_run=True)
    assert report.created and report.dry_run
    assert _count(app_engine) == 0


def test_a_broken_seed_loads_nothing(settings: Settings, app_engine: Engine) -> None:
    with pytest.raises(SeedError):
        load_seed(
            _with_seed(settings, FIXTURES / "invalid" / "unknown_tactic.yaml"), engine=app_engine
        )
    assert _count(app_engine) == 0


def _write_seed(path: Path, **changes: Any) -> Path:
    data = yaml.safe_load((FIXTURES / "valid.yaml").read_text())
    data[0].update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def test_seed_changes_flow_into_incidents_nobody_edited(
    settings: Settings, app_engine: Engine, tmp_path: Path
) -> None:
    seed = _write_seed(tmp_path / "seed.yaml")
    load_seed(_with_seed(settings, seed), engine=app_engine)
    _write_seed(seed, outcome="protected")
    report = load_seed(_with_seed(settings, seed), engine=app_engine)
    assert report.updated == ("tjk-blr-2015-test",)
    assert get_incident(app_engine, "tjk-blr-2015-test").outcome == "protected"


def test_database_edits_are_never_overwritten_by_the_seed(
    settings: Settings, app_engine: Engine, tmp_path: Path
) -> None:
    seed = _write_seed(tmp_path / "seed.yaml")
    load_seed(_with_seed(settings, seed), engine=app_engine)
    edit = tmp_path / "edit.csv"
    edit.write_text("id,outcome\ntjk-blr-2015-test,imprisoned\n")
    import_incidents(app_engine, edit, catalogue_for(settings))
    _write_seed(seed, outcome="protected")
    report = load_seed(_with_seed(settings, seed), engine=app_engine)
    assert [c.id for c in report.conflicts] == ["tjk-blr-2015-test"]
    assert "edited in the database" in report.conflicts[0].reason
    assert get_incident(app_engine, "tjk-blr-2015-test").outcome == "imprisoned"


def test_an_incident_created_outside_the_seed_is_a_conflict_not_an_update(
    settings: Settings, app_engine: Engine, tmp_path: Path
) -> None:
    seed = _write_seed(tmp_path / "seed.yaml")
    own = tmp_path / "own.json"
    incident = yaml.safe_load(seed.read_text())[0]
    own.write_text(json.dumps({"incidents": [{**incident, "outcome": "unknown"}]}, default=str))
    import_incidents(app_engine, own, catalogue_for(settings), fmt="json")
    report = load_seed(_with_seed(settings, seed), engine=app_engine)
    assert [c.id for c in report.conflicts] == ["tjk-blr-2015-test"]
    assert "not from the seed" in report.conflicts[0].reason
    assert get_incident(app_engine, "tjk-blr-2015-test").outcome == "unknown"


def test_notes_added_in_the_database_survive_a_seed_update(
    settings: Settings, app_engine: Engine, tmp_path: Path
) -> None:
    seed = _write_seed(tmp_path / "seed.yaml")
    load_seed(_with_seed(settings, seed), engine=app_engine)
    note = tmp_path / "note.csv"
    note.write_text("id,notes\ntjk-blr-2015-test,Checked with the author in 2026\n")
    import_incidents(app_engine, note, catalogue_for(settings))
    _write_seed(seed, outcome="protected")
    report = load_seed(_with_seed(settings, seed), engine=app_engine)
    assert report.updated == ("tjk-blr-2015-test",)
    view = get_incident(app_engine, "tjk-blr-2015-test", visibility="all")
    assert (view.outcome, view.notes) == ("protected", "Checked with the author in 2026")


def test_incidents_dropped_from_the_seed_are_reported_and_kept(
    settings: Settings, app_engine: Engine, tmp_path: Path
) -> None:
    seed = _write_seed(tmp_path / "seed.yaml")
    load_seed(_with_seed(settings, seed), engine=app_engine)
    _write_seed(seed, id="tjk-blr-2015-renamed")
    report = load_seed(_with_seed(settings, seed), engine=app_engine)
    assert report.created == ("tjk-blr-2015-renamed",)
    assert report.not_in_seed == ("tjk-blr-2015-test",)
    assert {v.id for v in find_incidents(app_engine)} == {
        "tjk-blr-2015-test",
        "tjk-blr-2015-renamed",
    }


def test_the_report_says_what_happened_in_words(settings: Settings, app_engine: Engine) -> None:
    lines = load_seed(settings, engine=app_engine).lines()
    assert re.match(r".*seed\.yaml: \d+ incidents were added, 0 updated", lines[0])


def test_a_row_seeded_before_russian_labels_existed_takes_them_from_the_seed(
    settings: Settings, app_engine: Engine, tmp_path: Path
) -> None:
    """An installation seeded before `target.label_ru` and `name_ru` existed keeps its rows
    recognised as unedited: their stored digest is that of the document without the new
    keys, so the seed's Russian label flows in as an update, not as a conflict."""
    seed = _write_seed(tmp_path / "seed.yaml")
    load_seed(_with_seed(settings, seed), engine=app_engine)
    old_document = get_incident(app_engine, "tjk-blr-2015-test").record().to_document()
    del old_document["notes"], old_document["relatives_relation_ru"]
    del old_document["target"]["label_ru"], old_document["target"]["name_ru"]
    canonical = json.dumps(old_document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    with session_scope(app_engine, commit=False) as session:
        row = session.get(IncidentRow, "tjk-blr-2015-test")
        assert row is not None
        assert row.seed_digest == hashlib.sha256(canonical.encode()).hexdigest()
    target = {"name": None, "label": "Test target", "label_ru": "Проверочная метка",
              "profiles": ["political_activist"]}  # fmt: skip
    _write_seed(seed, target=target)
    report = load_seed(_with_seed(settings, seed), engine=app_engine)
    assert report.updated == ("tjk-blr-2015-test",) and report.conflicts == ()
    assert get_incident(app_engine, "tjk-blr-2015-test").target_label_ru == "Проверочная метка"
