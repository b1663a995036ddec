"""The incident record and its tables: derived stage and dates, digests, constraints."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from azyl.appdb import session_scope, utc_now
from azyl.incidents import RESTRICTED_FIELDS, IncidentRecord, SourceRef
from azyl.incidents.model import IncidentRow, SourceRow, TacticRow
from azyl.incidents.store import new_row, update_row, view_of


def record(**changes: object) -> IncidentRecord:
    base = IncidentRecord(
        id="r",
        date=dt.date(2016, 2, 1),
        date_precision="month",
        origin="TJK",
        host="RUS",
        target_label="Someone",
        target_label_ru="Некто",
        relatives_targeted=True,
        relatives_relation="brother",
        relatives_relation_ru="брат",
        tactics=("wanted_list", "detention"),
        outcome="released",
        mechanism="m",
        summary="s",
        sources=(SourceRef(source="fpc-closing-the-door-2017", pinpoint="fn 1"),),
        confidence="low",
        visibility="public",
        notes="internal",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("tactics", "stage"),
    [
        (("threat",), "on_notice"),
        (("interpol_red_notice", "family_reprisal"), "on_notice"),
        (("wanted_list", "detention"), "detained"),
        (("detention", "extradition"), "rendered_or_attacked"),
        (("assault",), "rendered_or_attacked"),
        (("entry_ban",), "on_notice"),
    ],
)
def test_the_stage_is_the_furthest_one_any_tactic_reached(
    tactics: tuple[str, ...], stage: str
) -> None:
    assert record(tactics=tactics).stage == stage


@pytest.mark.parametrize(
    ("day", "precision", "end"),
    [
        (dt.date(2016, 2, 1), "month", dt.date(2016, 2, 29)),  # a leap year
        (dt.date(2015, 2, 1), "month", dt.date(2015, 2, 28)),
        (dt.date(2015, 1, 1), "year", dt.date(2015, 12, 31)),
        (dt.date(2015, 6, 15), "day", dt.date(2015, 6, 15)),
        (dt.date(2016, 10, 12), "before", dt.date(2016, 10, 12)),
    ],
)
def test_date_end_is_the_last_possible_day(day: dt.date, precision: str, end: dt.date) -> None:
    assert record(date=day, date_precision=precision).date_end == end


def test_public_copies_drop_exactly_the_restricted_fields() -> None:
    full = record()
    public = full.public()
    assert RESTRICTED_FIELDS == ("notes", "relatives_relation", "relatives_relation_ru")
    assert (public.notes, public.relatives_relation, public.relatives_relation_ru) == (None,) * 3
    kept = {f.name for f in dataclasses.fields(full)} - set(RESTRICTED_FIELDS)
    assert all(getattr(public, name) == getattr(full, name) for name in kept)


def test_the_content_digest_ignores_notes_but_not_content() -> None:
    assert record().content_digest() == record(notes="other").content_digest()
    assert record().content_digest() != record(outcome="killed").content_digest()
    assert record().content_digest() != record(visibility="restricted").content_digest()


def test_rows_round_trip_through_the_store(app_engine: Engine) -> None:
    original = record(tactics=("detention", "wanted_list"), target_profiles=("journalist", "lgbti"))
    now = utc_now()
    with session_scope(app_engine) as session:
        session.add(new_row(original, now, now))
    with session_scope(app_engine, commit=False) as session:
        row = session.get(IncidentRow, "r")
        assert row is not None
        view = view_of(row)
        assert (row.stage, row.date_end) == ("detained", dt.date(2016, 2, 29))
    assert view.record() == original  # tactic order kept as written
    assert (view.created_at, view.updated_at) == (now, now)


def test_updating_replaces_child_rows_even_when_some_are_kept(app_engine: Engine) -> None:
    now = utc_now()
    with session_scope(app_engine) as session:
        session.add(new_row(record(), now, now))
    changed = record(tactics=("detention", "deportation"))
    with session_scope(app_engine) as session:
        row = session.get(IncidentRow, "r")
        assert row is not None
        update_row(session, row, changed, now)
    with session_scope(app_engine, commit=False) as session:
        row = session.get(IncidentRow, "r")
        assert row is not None
        assert view_of(row).tactics == ("detention", "deportation")
        assert row.stage == "rendered_or_attacked"
        assert session.scalar(select(func.count()).select_from(TacticRow)) == 2


def test_deleting_an_incident_deletes_its_child_rows(app_engine: Engine) -> None:
    now = utc_now()
    with session_scope(app_engine) as session:
        session.add(new_row(record(), now, now))
    with session_scope(app_engine) as session:
        row = session.get(IncidentRow, "r")
        session.delete(row)
    with session_scope(app_engine, commit=False) as session:
        assert session.scalar(select(func.count()).select_from(SourceRow)) == 0


def test_the_database_refuses_a_target_with_neither_name_nor_label(app_engine: Engine) -> None:
    now = utc_now()
    row = new_row(record(), now, now)
    row.target_label = None
    with pytest.raises(IntegrityError), session_scope(app_engine) as session:
        session.add(row)
