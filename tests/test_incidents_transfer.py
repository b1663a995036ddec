"""Import and export: lossless round trips, all-or-nothing imports, the public export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine

from azyl.appdb import make_engine, migrate
from azyl.config import Settings
from azyl.errors import InputError
from azyl.incidents import (
    IncidentImportError,
    export_incidents,
    find_incidents,
    get_incident,
    import_incidents,
    load_seed,
)
from azyl.incidents.references import SourceCatalogue, catalogue_for
from hostile_files import broken_workbooks, understated, workbook
from incident_docs import KB_QUOTE, KB_SOURCE, doc, target

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def catalogue(settings: Settings) -> SourceCatalogue:
    return catalogue_for(settings)


@pytest.fixture
def empty_engine(tmp_path: Path) -> Iterator[Engine]:
    """A second, empty SQLite database to import exports into."""
    engine = make_engine(f"sqlite:///{tmp_path / 'other' / 'azyl.sqlite3'}")
    migrate(engine)
    yield engine
    engine.dispose()


def _write_json(path: Path, docs: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"incidents": docs}, ensure_ascii=False), encoding="utf-8")
    return path


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _cells(data: bytes) -> dict[str, list[list[Any]]]:
    book = load_workbook(io.BytesIO(data))
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def _seed_file() -> list[dict[str, Any]]:
    return yaml.safe_load((REPO / "incidents" / "seed.yaml").read_text(encoding="utf-8"))


# -- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_import_export_gives_the_same_bytes(
    fmt: str, settings: Settings, app_engine: Engine, empty_engine: Engine, tmp_path: Path
) -> None:
    load_seed(settings, engine=app_engine)
    first = export_incidents(app_engine, fmt)
    path = tmp_path / f"registry.{fmt}"
    path.write_bytes(first)
    report = import_incidents(empty_engine, path, catalogue_for(settings))
    assert len(report.created) == len(_seed_file())
    assert export_incidents(empty_engine, fmt) == first


def test_xlsx_export_import_export_gives_the_same_cells(
    settings: Settings, app_engine: Engine, empty_engine: Engine, tmp_path: Path
) -> None:
    load_seed(settings, engine=app_engine)
    first = export_incidents(app_engine, "xlsx")
    path = tmp_path / "registry.xlsx"
    path.write_bytes(first)
    import_incidents(empty_engine, path, catalogue_for(settings))
    assert _cells(export_incidents(empty_engine, "xlsx")) == _cells(first)


def test_round_trip_keeps_every_field_including_restricted_ones(
    settings: Settings, app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    original = doc(
        id="full-record",
        origin_region="RU-CE",
        origin="RUS",
        host="UKR",
        host_region="UA-43",
        target=target("Public Person", None, "journalist", "crimean_resident"),
        relatives_targeted=True,
        relatives_relation="mother, in Grozny",
        notes="Internal: line 2\nwith a newline, a comma and “quotes”",
        sources=[
            {"source": KB_SOURCE, "pinpoint": "fn 86", "quote": KB_QUOTE},
            {
                "url": "https://example.org/a?b=1",
                "title": "A title; with a semicolon",
                "date": "2017-01-02",
                "pinpoint": "para. 3",
            },
        ],
    )
    path = _write_json(tmp_path / "one.json", [original])
    import_incidents(app_engine, path, catalogue)
    for fmt in ("csv", "json", "xlsx"):
        exported = tmp_path / f"again.{fmt}"
        exported.write_bytes(export_incidents(app_engine, fmt))
        before = get_incident(app_engine, "full-record", visibility="all")
        report = import_incidents(app_engine, exported, catalogue)
        assert report.unchanged == ("full-record",), fmt
        assert get_incident(app_engine, "full-record", visibility="all") == before
    view = get_incident(app_engine, "full-record", visibility="all")
    assert view.notes == original["notes"]
    assert view.relatives_relation == "mother, in Grozny"
    assert [s.url for s in view.sources] == [None, "https://example.org/a?b=1"]


# -- all or nothing --------------------------------------------------------------------------


def test_a_half_valid_csv_imports_nothing_and_names_each_bad_row(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    header = [
        "id",
        "date",
        "date_precision",
        "origin",
        "host",
        "target_label",
        "tactics",
        "outcome",
        "mechanism",
        "summary",
        "confidence",
        "visibility",
        "source_1_source",
        "source_1_pinpoint",
    ]
    good = [
        "a-good-one",
        "2016-01-01",
        "year",
        "TJK",
        "RUS",
        "Someone",
        "detention",
        "released",
        "m",
        "s",
        "low",
        "public",
        KB_SOURCE,
        "p. 1",
    ]
    rows = [header, good, [*good[:1], *good[1:]]]
    rows[2][0] = "another-good-one"
    bad = list(good)
    bad[0], bad[6] = "a-bad-one", "kidnap"
    rows.append(bad)
    worse = list(good)
    worse[0], worse[3], worse[12] = "a-worse-one", "Atlantis", "no-such-source"
    rows.append(worse)
    path = _write_csv(tmp_path / "half.csv", rows)
    with pytest.raises(IncidentImportError) as raised:
        import_incidents(app_engine, path, catalogue)
    problems = raised.value.problems
    assert "row 4: tactics: unknown tactic 'kidnap'" in problems
    assert "row 5: origin: unknown country 'Atlantis'" in problems
    assert any(
        p.startswith("row 5: source_1_source: 'no-such-source' is not a knowledge-base")
        for p in problems
    )
    assert len(problems) == 3
    assert find_incidents(app_engine, visibility="all") == []


def test_each_problem_of_a_row_is_named_by_its_column(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    header = ["id", "date", "date_precision", "origin", "target_name", "target_label", "tactics",
              "outcome", "mechanism", "summary", "confidence", "visibility", "source_1_source",
              "source_1_pinpoint", "source_1_quote", "source_2_url", "source_2_date",
              "source_2_pinpoint"]  # fmt: skip
    row = ["x-y", "2015-06-15", "month", "ru", "Public Person", "A label", "detention; detention",
           "released", "m", "", "low", "public", KB_SOURCE, "", "q" * 301,
           "https://example.org/a", "2017-01-02", "para. 3"]  # fmt: skip
    path = _write_csv(tmp_path / "rows.csv", [header, row])
    with pytest.raises(IncidentImportError) as raised:
        import_incidents(app_engine, path, catalogue)
    assert sorted(raised.value.problems) == [
        "row 2: date: 2015-06-15 has precision 'month': write the first of the month (2015-06-01)",
        "row 2: source_1_pinpoint: missing (required)",
        "row 2: source_1_quote: is 301 characters long; the limit is 300",
        "row 2: source_2_title: a URL citation needs the title of the page",
        "row 2: summary: missing (required)",
        "row 2: tactics: detention is listed twice",
        "row 2: target_name/target_label: has both a name and a label: give the name of a "
        "public figure, or a label for anyone else",
    ]


def test_json_values_empty_text_is_no_value_and_a_number_is_not_text(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    blank = doc(id="blank", origin_region="", host="  ", summary_ru="", notes=" ")
    import_incidents(app_engine, _write_json(tmp_path / "a.json", [blank]), catalogue)
    view = get_incident(app_engine, "blank", visibility="all")
    assert (view.origin_region, view.host, view.summary_ru, view.notes) == (None, None, None, None)
    numbered = doc(id="numbered", summary=7, relatives_targeted="maybe")
    with pytest.raises(IncidentImportError) as raised:
        import_incidents(app_engine, _write_json(tmp_path / "b.json", [numbered]), catalogue)
    assert raised.value.problems == [
        "row 1: relatives_targeted: must be true or false, not 'maybe'",
        "row 1: summary: expected text, not a number",
    ]


def test_a_dry_run_validates_and_reports_but_writes_nothing(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    path = _write_json(tmp_path / "new.json", [doc(id="new-one")])
    report = import_incidents(app_engine, path, catalogue, dry_run=True)
    assert report.created == ("new-one",) and report.dry_run
    assert find_incidents(app_engine, visibility="all") == []


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ([["id", "tactic"], ["x", "detention"]], "unknown column 'tactic'"),
        ([["id", "id"], ["x", "x"]], "column 'id' appears twice"),
        ([["outcome"], ["released"]], "there is no 'id' column"),
        ([["id", "outcome"], ["x", "released", "extra"]], "row 2: has 1 more cell(s)"),
        (
            [["id", "relatives_targeted"], ["x", "perhaps"]],
            "row 2: relatives_targeted: must be yes or no",
        ),
        ([], "the file is empty"),
    ],
)
def test_malformed_tables_are_refused_with_a_specific_problem(
    app_engine: Engine,
    tmp_path: Path,
    catalogue: SourceCatalogue,
    rows: list[list[str]],
    problem: str,
) -> None:
    path = _write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(IncidentImportError) as raised:
        import_incidents(app_engine, path, catalogue)
    assert any(problem in p for p in raised.value.problems), raised.value.problems


def test_the_same_id_twice_in_one_file_is_refused(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    path = _write_json(tmp_path / "twice.json", [doc(id="same"), doc(id="same")])
    with pytest.raises(IncidentImportError, match="row 2: id: 'same' already appears in row 1"):
        import_incidents(app_engine, path, catalogue)


def test_unknown_sources_and_states_are_never_created(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    path = _write_json(
        tmp_path / "x.json",
        [doc(host="Narnia", sources=[{"source": "made-up-report", "pinpoint": "p. 1"}])],
    )
    with pytest.raises(IncidentImportError) as raised:
        import_incidents(app_engine, path, catalogue)
    assert "row 1: host: unknown country 'Narnia'" in raised.value.problems
    assert any("made-up-report" in p for p in raised.value.problems)


def test_imports_accept_country_names_and_alpha2_and_store_alpha3(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    path = _write_json(tmp_path / "x.json", [doc(origin="Tajikistan", host="BY")])
    import_incidents(app_engine, path, catalogue)
    view = get_incident(app_engine, "test-incident")
    assert (view.origin, view.host) == ("TJK", "BLR")


def test_a_wrong_extension_or_a_missing_file_is_a_clear_error(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    with pytest.raises(InputError, match="cannot tell the format"):
        import_incidents(app_engine, tmp_path / "data.txt", catalogue)
    with pytest.raises(InputError, match="no such file"):
        import_incidents(app_engine, tmp_path / "absent.csv", catalogue)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(IncidentImportError, match="cannot be read as xlsx"):
        import_incidents(app_engine, broken, catalogue)


def test_json_of_another_format_is_refused(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": "something-else", "incidents": []}))
    with pytest.raises(IncidentImportError, match="is not 'azyl-incidents'"):
        import_incidents(app_engine, path, catalogue)


# -- updating by id --------------------------------------------------------------------------


def test_updates_by_id_report_the_changed_fields_and_stamp_the_change(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    import_incidents(app_engine, _write_json(tmp_path / "a.json", [doc()]), catalogue)
    before = get_incident(app_engine, "test-incident", visibility="all")
    path = _write_csv(
        tmp_path / "u.csv",
        [["id", "outcome", "tactics"], ["test-incident", "extradited", "detention; extradition"]],
    )
    report = import_incidents(app_engine, path, catalogue)
    assert report.updated == (("test-incident", ("tactics", "outcome")),)
    after = get_incident(app_engine, "test-incident", visibility="all")
    assert (after.outcome, after.tactics, after.stage) == (
        "extradited",
        ("detention", "extradition"),
        "rendered_or_attacked",
    )
    assert after.created_at == before.created_at
    assert after.updated_at >= before.updated_at
    assert after.summary == before.summary  # a column the file leaves out is left alone


def test_an_empty_cell_clears_the_field_but_a_missing_column_keeps_it(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    first = doc(notes="keep me", host_region=None, origin_region="RU-CE", origin="RUS")
    import_incidents(app_engine, _write_json(tmp_path / "a.json", [first]), catalogue)
    path = _write_csv(tmp_path / "u.csv", [["id", "origin_region"], ["test-incident", ""]])
    import_incidents(app_engine, path, catalogue)
    view = get_incident(app_engine, "test-incident", visibility="all")
    assert (view.origin_region, view.notes) == (None, "keep me")


def test_reimporting_a_public_export_keeps_restricted_fields(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    full = doc(relatives_targeted=True, relatives_relation="sister", notes="internal")
    import_incidents(app_engine, _write_json(tmp_path / "a.json", [full]), catalogue)
    public = tmp_path / "public.csv"
    public.write_bytes(export_incidents(app_engine, "csv", visibility="public"))
    report = import_incidents(app_engine, public, catalogue)
    assert report.unchanged == ("test-incident",)
    view = get_incident(app_engine, "test-incident", visibility="all")
    assert (view.relatives_relation, view.notes) == ("sister", "internal")


def test_new_incidents_keep_the_timestamps_of_the_file(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    stamped = doc(created_at="2020-01-02T03:04:05Z", updated_at="2021-06-07T08:09:10Z")
    import_incidents(app_engine, _write_json(tmp_path / "a.json", [stamped]), catalogue)
    document = get_incident(app_engine, "test-incident").to_document()
    assert (document["created_at"], document["updated_at"]) == (
        "2020-01-02T03:04:05Z",
        "2021-06-07T08:09:10Z",
    )


def test_a_bad_timestamp_is_a_row_problem(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    path = _write_json(tmp_path / "a.json", [doc(created_at="yesterday")])
    with pytest.raises(
        IncidentImportError, match="row 1: created_at: 'yesterday' is not a timestamp"
    ):
        import_incidents(app_engine, path, catalogue)


# -- the public export -----------------------------------------------------------------------


def test_public_export_leaves_out_restricted_incidents_and_fields(
    settings: Settings, app_engine: Engine
) -> None:
    load_seed(settings, engine=app_engine)
    seed = _seed_file()
    public_ids = {i["id"] for i in seed if i["visibility"] == "public"}
    assert len(public_ids) < len(seed)  # the seed does have restricted incidents

    payload = json.loads(export_incidents(app_engine, "json", visibility="public"))
    assert payload["visibility"] == "public"
    assert {i["id"] for i in payload["incidents"]} == public_ids
    for incident in payload["incidents"]:
        assert "notes" not in incident and "relatives_relation" not in incident

    table = list(
        csv.reader(io.StringIO(export_incidents(app_engine, "csv", visibility="public").decode()))
    )
    assert "notes" not in table[0] and "relatives_relation" not in table[0]
    assert {row[0] for row in table[1:]} == public_ids

    sheet = _cells(export_incidents(app_engine, "xlsx", visibility="public"))["incidents"]
    assert "notes" not in sheet[0] and {row[0] for row in sheet[1:]} == public_ids


def test_the_team_export_has_everything(settings: Settings, app_engine: Engine) -> None:
    load_seed(settings, engine=app_engine)
    payload = json.loads(export_incidents(app_engine, "json"))
    assert payload["visibility"] == "all"
    assert len(payload["incidents"]) == len(_seed_file())
    assert all("relatives_relation" in i for i in payload["incidents"])


def test_text_that_looks_like_a_formula_stays_text_in_xlsx(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    import_incidents(
        app_engine, _write_json(tmp_path / "a.json", [doc(summary="=HYPERLINK(1)")]), catalogue
    )
    book = load_workbook(io.BytesIO(export_incidents(app_engine, "xlsx")))
    sheet = book["incidents"]
    column = [c.value for c in sheet[1]].index("summary") + 1
    cell = sheet.cell(row=2, column=column)
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


def test_a_hand_made_workbook_with_real_dates_and_booleans_imports(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "id",
            "date",
            "date_precision",
            "origin",
            "host",
            "target_label",
            "tactics",
            "outcome",
            "mechanism",
            "summary",
            "confidence",
            "visibility",
            "relatives_targeted",
            "source_1_source",
            "source_1_pinpoint",
        ]
    )
    sheet.append(
        [
            "from-excel",
            dt.datetime(2016, 5, 22),
            "day",
            "TKM",
            "RUS",
            "Someone",
            "detention",
            "released",
            "m",
            "s",
            "low",
            "public",
            False,
            KB_SOURCE,
            7,
        ]
    )
    path = tmp_path / "hand.xlsx"
    book.save(path)
    import_incidents(app_engine, path, catalogue)
    view = get_incident(app_engine, "from-excel")
    assert (view.date.isoformat(), view.relatives_targeted, view.sources[0].pinpoint) == (
        "2016-05-22",
        False,
        "7",
    )


# -- hostile files ---------------------------------------------------------------------------


def _exported_workbook(
    engine: Engine, tmp_path: Path, catalogue: SourceCatalogue, *ids: str
) -> bytes:
    source = _write_json(tmp_path / "src.json", [doc(id=i) for i in ids])
    import_incidents(engine, source, catalogue)
    return export_incidents(engine, "xlsx")


@pytest.mark.parametrize("variant", sorted(broken_workbooks(workbook([["id"], ["x"]]))))
def test_a_broken_workbook_is_refused_in_a_sentence_and_changes_nothing(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue, variant: str
) -> None:
    _exported_workbook(app_engine, tmp_path, catalogue, "kept")
    path = tmp_path / "broken.xlsx"
    good = workbook([["id", "summary"], ["new", "A summary."]])
    path.write_bytes(broken_workbooks(good)[variant])
    with pytest.raises(IncidentImportError) as raised:
        import_incidents(app_engine, path, catalogue)
    assert len(raised.value.problems) == 1, raised.value.problems
    assert raised.value.problems[0].startswith("cannot be read as xlsx: not ")
    assert [v.id for v in find_incidents(app_engine)] == ["kept"]


def test_rows_past_an_understated_dimension_are_read(
    app_engine: Engine,
    empty_engine: Engine,
    tmp_path: Path,
    catalogue: SourceCatalogue,
) -> None:
    """The sheet declares A1:..2 (header and one row) but holds two incidents: both count."""
    both = _exported_workbook(empty_engine, tmp_path, catalogue, "known-one", "new-one")
    import_incidents(app_engine, _write_json(tmp_path / "a.json", [doc(id="known-one")]), catalogue)
    path = tmp_path / "short.xlsx"
    path.write_bytes(understated(both, "A1:B2"))
    report = import_incidents(app_engine, path, catalogue, dry_run=True)
    assert (report.created, report.unchanged) == (("new-one",), ("known-one",))
    report = import_incidents(app_engine, path, catalogue)
    assert sorted(v.id for v in find_incidents(app_engine)) == ["known-one", "new-one"]


def test_a_json_file_nested_too_deep_or_with_a_repeated_key_is_refused(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    from azyl.limits import LimitExceeded

    deep = tmp_path / "deep.json"
    deep.write_text('{"incidents": ' + "[" * 20_000 + "]" * 20_000 + "}")
    with pytest.raises(LimitExceeded, match="nested more than 32 levels deep"):
        import_incidents(app_engine, deep, catalogue)
    twice = tmp_path / "twice.json"
    twice.write_text('{"incidents": [], "incidents": [{"id": "sneaked-in"}]}')
    with pytest.raises(IncidentImportError, match="'incidents' appears twice"):
        import_incidents(app_engine, twice, catalogue)
    assert find_incidents(app_engine) == []


def test_files_over_the_row_or_size_limit_are_refused_before_validation(
    app_engine: Engine,
    tmp_path: Path,
    catalogue: SourceCatalogue,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from azyl.incidents import formats, transfer
    from azyl.limits import LimitExceeded, TooLarge

    rows = tmp_path / "rows.csv"
    rows.write_text("id\n" + "x\n" * formats.MAX_ROWS)  # the header makes one row too many
    with pytest.raises(LimitExceeded, match="more than 100,000 rows") as raised:
        import_incidents(app_engine, rows, catalogue)
    assert raised.value.details == {"limit": "rows", "max": 100_000}
    sheet = tmp_path / "tall.xlsx"
    monkeypatch.setattr(formats, "MAX_ROWS", 3)
    sheet.write_bytes(workbook([["id"], ["a"], ["b"], ["c"]]))
    with pytest.raises(LimitExceeded, match="more than 3 rows"):
        import_incidents(app_engine, sheet, catalogue)
    monkeypatch.setattr(transfer, "MAX_FILE_BYTES", 1000)
    big = _write_json(tmp_path / "big.json", [doc(id=f"i{n}") for n in range(3)])
    with pytest.raises(TooLarge, match="larger than the 1,000 bytes accepted"):
        import_incidents(app_engine, big, catalogue)
    assert find_incidents(app_engine) == []


def test_csv_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe_and_come_back_exact(
    app_engine: Engine, empty_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    documents = [
        doc(id="formula", summary="=cmd|' /C calc'!A0", notes="@SUM(1+1)",
            mechanism='=HYPERLINK("https://example.org/x","click")',
            target=target(None, "+7 900 000 00 00", "political_activist")),
        doc(id="apostrophes", summary="'Tis an apostrophe.", notes="'=already marked",
            mechanism="-2 days after the request."),
    ]  # fmt: skip
    import_incidents(app_engine, _write_json(tmp_path / "a.json", documents), catalogue)
    exported = export_incidents(app_engine, "csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(exported.decode()))}
    # What the spreadsheet reads: every such cell is text, marked by one leading apostrophe.
    assert rows["formula"]["summary"] == "'=cmd|' /C calc'!A0"
    assert rows["formula"]["mechanism"] == '\'=HYPERLINK("https://example.org/x","click")'
    assert rows["formula"]["notes"] == "'@SUM(1+1)"
    assert rows["formula"]["target_label"] == "'+7 900 000 00 00"
    assert rows["apostrophes"]["summary"] == "''Tis an apostrophe."
    assert rows["apostrophes"]["notes"] == "''=already marked"
    assert rows["apostrophes"]["mechanism"] == "'-2 days after the request."
    assert not any(
        cell.startswith(("=", "+", "-", "@")) for r in rows.values() for cell in r.values()
    )
    # Imported again, nothing changed: the marks are removed, exactly one each.
    path = tmp_path / "again.csv"
    path.write_bytes(exported)
    import_incidents(empty_engine, path, catalogue)
    assert export_incidents(empty_engine, "csv") == exported
    assert get_incident(empty_engine, "formula").summary == "=cmd|' /C calc'!A0"
    assert get_incident(empty_engine, "apostrophes", visibility="all").notes == "'=already marked"
    assert get_incident(empty_engine, "apostrophes").summary == "'Tis an apostrophe."


def test_a_hand_made_csv_keeps_an_apostrophe_that_marks_nothing(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    import_incidents(app_engine, _write_json(tmp_path / "a.json", [doc(id="hand")]), catalogue)
    path = _write_csv(
        tmp_path / "hand.csv", [["id", "summary", "notes"], ["hand", "'Tis kept.", "'=x"]]
    )
    import_incidents(app_engine, path, catalogue)
    view = get_incident(app_engine, "hand", visibility="all")
    assert (view.summary, view.notes) == ("'Tis kept.", "=x")


def test_a_citation_column_numbered_in_thousands_of_digits_is_an_unknown_column(
    app_engine: Engine, tmp_path: Path, catalogue: SourceCatalogue
) -> None:
    column = "source_" + "9" * 5000 + "_url"
    path = _write_csv(tmp_path / "wide.csv", [["id", column], ["x", "https://example.org"]])
    with pytest.raises(IncidentImportError) as raised:
        import_incidents(app_engine, path, catalogue)
    assert raised.value.problems == [f"unknown column {column!r}"]
