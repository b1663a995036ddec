"""Fuzzing every upload and import path: bad input gets a clear refusal, never a crash or a 500.

Hypothesis generates case files, incident files (CSV, JSON, XLSX) and JSON
bodies: random bytes, documents nested up to thousands of levels, oversized
files, and workbooks with one part replaced, cut short or inflated. For each,
the library may only answer with an `AzylError` (a sentence for a person)
and the web only with a status below 500; nothing is written by a refused
file. Runs are derandomized (the same examples every time) and keep no
example database, so CI is reproducible.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.assess import read_case_document
from azyl.config import Settings
from azyl.csvcells import neutralise, restore
from azyl.errors import AzylError
from azyl.incidents import import_incident_file
from azyl.incidents.model import IncidentRow
from azyl.incidents.references import SourceCatalogue, catalogue_for
from azyl.limits import MAX_DEPTH, LimitExceeded, check_json, load_json
from edit_support import app_on, client_as
from hostile_files import SHEET, altered, workbook
from incident_docs import doc

FUZZ = settings(
    max_examples=60,
    deadline=None,  # no timing in tests: a slow example is not a failure
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# -- what the fuzzer sends ---------------------------------------------------------------------

JSON_LEAF = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@st.composite
def deep_text(draw: st.DrawFn) -> str:
    """Brackets nested up to 30,000 levels, in JSON or YAML flow style, maybe unbalanced."""
    depth = draw(st.integers(min_value=0, max_value=30_000))
    opener = draw(st.sampled_from(["[", '{"a": ', "{a: "]))
    closer = {"[": "]", '{"a": ': "}", "{a: ": "}"}[opener]
    inner = draw(st.sampled_from(["1", "", "null", "'x'"]))
    closing = depth if draw(st.booleans()) else draw(st.integers(0, depth))
    return (
        draw(st.sampled_from(["", "as_of: ", '{"as_of": ']))
        + opener * depth
        + inner
        + (closer * closing)
    )


HOSTILE_TEXT = (
    st.binary(max_size=2000).map(lambda b: b.decode("utf-8", errors="replace"))
    | deep_text()
    | JSON_VALUE.map(json.dumps)
    | st.text(alphabet="[]{}:,-&*!|>'\"\n #?", max_size=400)
)
HOSTILE_BYTES = st.binary(max_size=4000) | HOSTILE_TEXT.map(lambda t: t.encode("utf-8"))


@st.composite
def broken_workbook(draw: st.DrawFn) -> bytes:
    """A valid workbook with one part replaced by garbage, cut short, nested deep, or dropped."""
    rows = [["id", "summary"], *[[f"i{n}", f"summary {n}"] for n in range(draw(st.integers(0, 3)))]]
    good = workbook(rows)
    part = draw(st.sampled_from([SHEET, "xl/styles.xml", "xl/workbook.xml",
                                 "xl/_rels/workbook.xml.rels", "[Content_Types].xml"]))  # fmt: skip
    change = draw(st.sampled_from(["garbage", "truncate", "deep", "drop", "flip"]))
    noise = draw(st.binary(min_size=1, max_size=200))
    cut = draw(st.integers(0, 2000))
    depth = draw(st.integers(1, 50_000))

    def changed(data: bytes) -> bytes | None:
        if change == "garbage":
            return noise
        if change == "truncate":
            return data[: cut % max(1, len(data))]
        if change == "deep":
            return b"<worksheet>" + b"<a>" * depth + b"</a>" * depth + b"</worksheet>"
        if change == "drop":
            return None
        flipped = bytearray(data)
        flipped[cut % len(flipped)] ^= 0xFF
        return bytes(flipped)

    return altered(good, part, changed)


@st.composite
def inflating_zip(draw: st.DrawFn) -> bytes:
    """A zip whose parts declare (and inflate to) more than a workbook may, or very many parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if draw(st.booleans()):
            archive.writestr(SHEET, b"\0" * draw(st.integers(101, 140)) * 2**20)
        else:
            for n in range(1001):
                archive.writestr(f"xl/p{n}.xml", b"")
    return buffer.getvalue()


# -- the library ---------------------------------------------------------------------------------


REVIEWED_CASE = b"as_of: " + b"[" * 25_000 + b"]" * 25_000 + b"\n"  # exited 139 before


@FUZZ
@given(data=HOSTILE_BYTES, name=st.sampled_from(["case.yaml", "case.json", "case.yml"]))
@example(data=REVIEWED_CASE, name="case.yaml")
@example(data=b'{"as_of": ' + b"[" * 25_000 + b"]" * 25_000 + b"}", name="case.json")
@example(data=b"a: &a [x]\nb: [*a, *a]\n", name="case.yaml")
@example(data=b"# padding\n" * 110_000, name="case.yaml")
def test_reading_any_case_file_answers_a_document_or_a_sentence(data: bytes, name: str) -> None:
    try:
        read_case_document(data, name)
    except AzylError as exc:
        assert exc.message and exc.http_status < 500


@pytest.fixture
def catalogue(settings: Settings) -> SourceCatalogue:
    return catalogue_for(settings)


def _count(engine: Engine) -> int:
    with session_scope(engine, commit=False) as session:
        return int(session.scalar(select(func.count()).select_from(IncidentRow)) or 0)


def _import_answers(engine: Engine, catalogue: SourceCatalogue, data: bytes, fmt: str) -> None:
    """A report or an AzylError (a sentence, a 4xx); never another exception; nothing written."""
    try:
        import_incident_file(engine, data, f"f.{fmt}", catalogue, dry_run=True)
    except AzylError as exc:
        assert exc.message and exc.http_status < 500
    assert _count(engine) == 0  # a dry run writes nothing, accepted or not


@FUZZ
@given(data=HOSTILE_BYTES, fmt=st.sampled_from(["csv", "json", "xlsx"]))
@example(data=b"[" * 100_000 + b"]" * 100_000, fmt="json")
@example(data=b"id\n" + b"x\n" * 100_000, fmt="csv")
@example(data=b'"' + b"x" * 200_000 + b'"', fmt="csv")
def test_importing_any_file_answers_a_report_or_a_sentence_and_writes_nothing(
    sqlite_engine: Engine, catalogue: SourceCatalogue, data: bytes, fmt: str
) -> None:
    _import_answers(sqlite_engine, catalogue, data, fmt)


@FUZZ
@given(data=broken_workbook())
def test_importing_any_broken_workbook_answers_a_sentence(
    sqlite_engine: Engine, catalogue: SourceCatalogue, data: bytes
) -> None:
    _import_answers(sqlite_engine, catalogue, data, "xlsx")


@settings(FUZZ, max_examples=6)
@given(data=inflating_zip())
def test_importing_a_zip_bomb_answers_a_sentence(
    sqlite_engine: Engine, catalogue: SourceCatalogue, data: bytes
) -> None:
    _import_answers(sqlite_engine, catalogue, data, "xlsx")


@FUZZ
@given(value=JSON_VALUE)
def test_json_within_the_depth_limit_reads_exactly_as_the_standard_parser(value: Any) -> None:
    text = json.dumps(value)
    if isinstance(json.loads(text), dict | list) and _depth(value) <= MAX_DEPTH:
        try:
            assert load_json(text) == json.loads(text)
        except ValueError as exc:  # only a key repeated in one object is refused
            assert "appears twice" in str(exc)


@FUZZ
@given(depth=st.integers(0, 5000), kind=st.sampled_from(["[", '{"k": ']))
def test_the_depth_check_agrees_with_the_nesting_it_is_given(depth: int, kind: str) -> None:
    closer = "]" if kind == "[" else "}"
    text = kind * depth + "0" + closer * depth
    if depth > MAX_DEPTH:
        with pytest.raises(LimitExceeded):
            check_json(text, "body")
    else:
        check_json(text, "body")
        assert _depth(json.loads(text)) == depth


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


@FUZZ
@given(text=st.text())
def test_a_csv_cell_comes_back_exactly_and_is_never_a_formula(text: str) -> None:
    marked = neutralise(text)
    assert restore(marked) == text
    assert not marked.startswith(("=", "+", "-", "@", "\t", "\r"))


# -- the web -------------------------------------------------------------------------------------


@pytest.fixture
def app(settings: Settings, sqlite_engine: Engine) -> Iterator[FastAPI]:
    yield app_on(settings, sqlite_engine)


@FUZZ
@given(data=HOSTILE_BYTES, name=st.sampled_from(["case.yaml", "case.json", "x"]))
@example(data=REVIEWED_CASE, name="case.yaml")
def test_any_uploaded_case_file_gets_a_page_not_a_500(app: FastAPI, data: bytes, name: str) -> None:
    client = client_as(app, None, None)  # anonymous: screening is open to everyone
    page = client.post("/screening/file", files={"file": (name, data)})
    assert page.status_code < 500, page.text[:300]
    assert "Traceback" not in page.text


@FUZZ
@given(data=HOSTILE_BYTES, name=st.sampled_from(["f.csv", "f.json", "f.xlsx", "f.txt"]))
@example(data=b"[" * 100_000 + b"]" * 100_000, name="f.json")
def test_any_uploaded_incident_file_gets_an_answer_not_a_500(
    app: FastAPI, sqlite_engine: Engine, data: bytes, name: str
) -> None:
    _upload_answers(app, sqlite_engine, data, name)


@settings(FUZZ, max_examples=30)
@given(data=broken_workbook())
def test_any_uploaded_broken_workbook_gets_an_answer_not_a_500(
    app: FastAPI, sqlite_engine: Engine, data: bytes
) -> None:
    _upload_answers(app, sqlite_engine, data, "f.xlsx")


def _upload_answers(app: FastAPI, sqlite_engine: Engine, data: bytes, name: str) -> None:
    """The import page and the API answer below 500 and (in a dry run) write nothing."""
    editor = client_as(app, sqlite_engine, Role.EDITOR)
    page = editor.post("/incidents/import", data={"dry_run": "yes"}, files={"file": (name, data)})
    assert page.status_code < 500, page.text[:300]
    api = editor.post("/api/imports/incidents", data={"dry_run": "true"},
                      files={"file": (name, data)})  # fmt: skip
    assert api.status_code < 500, api.text[:300]
    assert _count(sqlite_engine) == 0


@FUZZ
@given(body=HOSTILE_BYTES, path=st.sampled_from(["/api/assess", "/api/assess/report?format=json",
                                                 "/api/cases", "/api/incidents"]))  # fmt: skip
@example(body=b"[" * 1_000_000 + b"]" * 1_000_000, path="/api/assess")
@example(body=b'{"incident": ' * 5_000 + b"{}" + b"}" * 5_000, path="/api/incidents")
def test_any_json_body_gets_an_answer_not_a_500(
    app: FastAPI, sqlite_engine: Engine, body: bytes, path: str
) -> None:
    editor = client_as(app, sqlite_engine, Role.EDITOR)
    answer = editor.post(path, content=body, headers={"content-type": "application/json"})
    assert answer.status_code < 500, answer.text[:300]


def test_the_fuzzed_import_path_accepts_a_good_file(app: FastAPI, sqlite_engine: Engine) -> None:
    """The same client and route take a valid file: the fuzz tests refuse for the right reason."""
    editor = client_as(app, sqlite_engine, Role.EDITOR)
    good = json.dumps({"incidents": [doc(id="good-one")]}).encode()
    page = editor.post("/api/imports/incidents", files={"file": ("f.json", good)})
    assert page.status_code == 200 and page.json()["data"]["created"] == ["good-one"]
