"""The query API for the screening engine and the web app: find_incidents and IncidentIndex."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from azyl.config import Settings
from azyl.errors import InputError, NotFound, UnknownCountry
from azyl.incidents import (
    find_incidents,
    get_incident,
    import_incidents,
    load_incident_index,
    load_seed,
)
from azyl.incidents.references import catalogue_for
from incident_docs import doc, target

# A small registry whose answers can be worked out by hand.
REGISTRY = [
    doc(
        id="a-tjk-rus-day",
        date="2016-05-22",
        date_precision="day",
        origin="TJK",
        host="RUS",
        target=target(None, "A", "political_activist"),
        tactics=["detention"],
    ),
    doc(
        id="b-tjk-rus-month",
        date="2016-06-01",
        date_precision="month",
        origin="TJK",
        host="RUS",
        target=target(None, "B", "journalist"),
        tactics=["wanted_list"],
    ),
    doc(
        id="c-tjk-rus-year",
        date="2015-01-01",
        date_precision="year",
        origin="TJK",
        host="RUS",
        target=target(None, "C", "journalist", "political_activist"),
        tactics=["deportation"],
    ),
    doc(
        id="d-tjk-pol-restricted",
        date="2016-09-01",
        date_precision="month",
        origin="TJK",
        host="POL",
        target=target(None, "D"),
        relatives_targeted=True,
        relatives_relation="daughter",
        tactics=["family_reprisal"],
        visibility="restricted",
        notes="internal",
    ),
    doc(
        id="e-aze-unknown-host",
        date="2016-10-12",
        date_precision="before",
        origin="AZE",
        host=None,
        target=target("E", None, "former_official"),
        tactics=["interpol_red_notice"],
    ),
]


@pytest.fixture
def registry(app_engine: Engine, settings: Settings, tmp_path: Path) -> Engine:
    path = tmp_path / "registry.json"
    path.write_text(json.dumps({"incidents": REGISTRY}))
    import_incidents(app_engine, path, catalogue_for(settings))
    return app_engine


def _ids(views: list[Any]) -> list[str]:
    return [v.id for v in views]


def test_public_queries_hide_restricted_incidents_and_fields(registry: Engine) -> None:
    assert _ids(find_incidents(registry)) == [
        "c-tjk-rus-year",
        "a-tjk-rus-day",
        "b-tjk-rus-month",
        "e-aze-unknown-host",
    ]
    team = find_incidents(registry, visibility="all")
    restricted = next(v for v in team if v.id == "d-tjk-pol-restricted")
    assert (restricted.notes, restricted.relatives_relation) == ("internal", "daughter")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"origin": "TJK", "host": "RUS"}, ["c-tjk-rus-year", "a-tjk-rus-day", "b-tjk-rus-month"]),
        (
            {"origin": "Tajikistan", "host": "RU"},
            ["c-tjk-rus-year", "a-tjk-rus-day", "b-tjk-rus-month"],
        ),
        ({"origin": "TJK", "host": "POL"}, ["d-tjk-pol-restricted"]),
        ({"origin": "AZE"}, ["e-aze-unknown-host"]),
        ({"profile": "journalist"}, ["c-tjk-rus-year", "b-tjk-rus-month"]),
        ({"tactic": "detention"}, ["a-tjk-rus-day"]),
        ({"tactic": "family_reprisal"}, ["d-tjk-pol-restricted"]),
        # as_of: certainly happened by then; "June 2016" has not certainly happened by 10 June
        ({"as_of": dt.date(2016, 6, 10)}, ["c-tjk-rus-year", "a-tjk-rus-day"]),
        ({"as_of": dt.date(2016, 6, 30)}, ["c-tjk-rus-year", "a-tjk-rus-day", "b-tjk-rus-month"]),
        ({"as_of": dt.date(2015, 12, 30)}, []),
        (
            {"as_of": dt.date(2016, 10, 12)},
            [
                "c-tjk-rus-year",
                "a-tjk-rus-day",
                "b-tjk-rus-month",
                "d-tjk-pol-restricted",
                "e-aze-unknown-host",
            ],
        ),
        # since: may have happened on or after; a year-only 2015 is before mid-2016
        (
            {"since": dt.date(2016, 6, 15)},
            ["b-tjk-rus-month", "d-tjk-pol-restricted", "e-aze-unknown-host"],
        ),
        (
            {"since": dt.date(2015, 12, 31)},
            [
                "c-tjk-rus-year",
                "a-tjk-rus-day",
                "b-tjk-rus-month",
                "d-tjk-pol-restricted",
                "e-aze-unknown-host",
            ],
        ),
        (
            {
                "origin": "TJK",
                "host": "RUS",
                "profile": "political_activist",
                "as_of": dt.date(2016, 5, 22),
            },
            ["c-tjk-rus-year", "a-tjk-rus-day"],
        ),
    ],
)
def test_find_incidents_filters(
    registry: Engine, filters: dict[str, Any], expected: list[str]
) -> None:
    assert _ids(find_incidents(registry, visibility="all", **filters)) == expected


def test_find_incidents_accepts_an_open_session(registry: Engine) -> None:
    with Session(registry) as session:
        assert _ids(find_incidents(session, tactic="detention")) == ["a-tjk-rus-day"]


@pytest.mark.parametrize(
    ("filters", "error"),
    [
        ({"origin": "Atlantis"}, UnknownCountry),
        ({"profile": "dissident"}, InputError),
        ({"tactic": "kidnap"}, InputError),
        ({"visibility": "restricted"}, InputError),
    ],
)
def test_unknown_filter_values_are_errors_not_empty_answers(
    registry: Engine, filters: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        find_incidents(registry, **filters)


def test_get_incident_hides_restricted_incidents_from_the_public(registry: Engine) -> None:
    with pytest.raises(NotFound):
        get_incident(registry, "d-tjk-pol-restricted")
    assert get_incident(registry, "d-tjk-pol-restricted", visibility="all").notes == "internal"
    with pytest.raises(NotFound, match='no incident with id "nope"'):
        get_incident(registry, "nope", visibility="all")


def test_the_index_answers_like_the_database(registry: Engine) -> None:
    index = load_incident_index(registry, visibility="all")
    assert len(index) == len(REGISTRY)
    assert _ids(index.matching("TJK", "RUS")) == [
        "c-tjk-rus-year",
        "a-tjk-rus-day",
        "b-tjk-rus-month",
    ]
    assert _ids(index.matching("TJK", "RUS", profile="journalist")) == [
        "c-tjk-rus-year",
        "b-tjk-rus-month",
    ]
    assert _ids(index.matching("TJK", "RUS", as_of=dt.date(2016, 6, 10))) == [
        "c-tjk-rus-year",
        "a-tjk-rus-day",
    ]
    assert index.matching("AZE", "RUS") == []
    public = load_incident_index(registry)
    assert public.matching("TJK", "POL") == []


def test_the_index_agrees_with_find_incidents_on_the_whole_seed(
    settings: Settings, app_engine: Engine
) -> None:
    load_seed(settings, engine=app_engine)
    index = load_incident_index(app_engine)
    pairs = {(v.origin, v.host) for v in index.incidents if v.host is not None}
    assert len(pairs) > 5
    for origin, host in sorted(pairs):
        for as_of in (None, dt.date(2016, 1, 1)):
            expected = find_incidents(app_engine, origin=origin, host=host, as_of=as_of)
            assert index.matching(origin, host, as_of=as_of) == expected


def test_views_are_frozen(registry: Engine) -> None:
    view = find_incidents(registry)[0]
    with pytest.raises(AttributeError):
        view.outcome = "killed"  # type: ignore[misc]


def test_from_state_finds_people_taken_there_and_people_sent_home_from_there(
    settings: Settings, app_engine: Engine
) -> None:
    """incidents/seed.yaml records the Chechen returnee deported from Sweden and killed at home
    with host RUS and residence SWE; the detention of Ali Feruz happened in Russia itself."""
    load_seed(settings, engine=app_engine)
    index = load_incident_index(app_engine)
    assert "rus-swe-2015-chechen-returnee-killed" in _ids(index.from_state("RUS", "SWE"))
    assert "rus-swe-2015-chechen-returnee-killed" not in _ids(index.matching("RUS", "SWE"))
    assert _ids(index.from_state("RUS", "SWE", as_of=dt.date(2014, 12, 31))) == []
    assert "rus-pol-2015-chechen-returnee-disappeared" in _ids(index.from_state("RUS", "POL"))
