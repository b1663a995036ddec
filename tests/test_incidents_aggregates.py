"""Counts by dimension and the CAPE escalation profile, on records counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from azyl.errors import InputError
from azyl.incidents import count_incidents, escalation_profile
from azyl.incidents.record import IncidentRecord, SourceRef


def record(
    id: str,
    host: str | None,
    tactics: tuple[str, ...],
    *,
    label: str,
    year: int = 2016,
    origin: str = "TJK",
    profiles: tuple[str, ...] = (),
) -> IncidentRecord:
    return IncidentRecord(
        id=id,
        date=dt.date(year, 1, 1),
        date_precision="year",
        origin=origin,
        host=host,
        target_label=label,
        target_profiles=profiles,
        tactics=tactics,
        outcome="unknown",
        mechanism="m",
        summary="s",
        sources=(
            SourceRef(url="https://example.org", title="t", date=dt.date(2017, 1, 1), pinpoint="p"),
        ),
        confidence="low",
        visibility="public",
    )


RECORDS = [
    # Person A in Russia: put on notice, later deported (two incidents, one target).
    record("1", "RUS", ("wanted_list",), label="A", year=2015, profiles=("journalist",)),
    record(
        "2", "RUS", ("detention", "deportation"), label="A", year=2016, profiles=("journalist",)
    ),
    # Person B in Russia: detained only.
    record("3", "RUS", ("extradition_request", "detention"), label="B"),
    # Person C in Russia: threatened only.
    record("4", "RUS", ("threat",), label="C", origin="UZB"),
    # Person D in Poland: relatives punished.
    record(
        "5", "POL", ("family_reprisal",), label="D", year=2017, profiles=("political_activist",)
    ),
    # Person E, whereabouts unknown: Red Notice.
    record("6", None, ("interpol_red_notice",), label="E", origin="AZE"),
]


def test_counts_by_origin() -> None:
    assert count_incidents(RECORDS, ["origin"]) == [(("TJK",), 4), (("AZE",), 1), (("UZB",), 1)]


def test_counts_by_host_and_year() -> None:
    assert count_incidents(RECORDS, ["host", "year"]) == [
        (("RUS", "2016"), 3),
        (("POL", "2017"), 1),
        (("RUS", "2015"), 1),
        ((None, "2016"), 1),
    ]


def test_an_incident_counts_once_per_tactic_it_used() -> None:
    counts = dict(count_incidents(RECORDS, ["tactic"]))
    assert counts[("detention",)] == 2
    assert counts[("deportation",)] == 1
    assert sum(counts.values()) == 8  # 1 + 2 + 2 + 1 + 1 + 1 tactics


def test_incidents_without_a_profile_count_under_none() -> None:
    counts = dict(count_incidents(RECORDS, ["profile"]))
    assert counts == {("journalist",): 2, ("political_activist",): 1, (None,): 3}


def test_freedom_house_categories_count_physical_incidents_once_each() -> None:
    """Incident 2 (detention and deportation) counts under both categories; incident 3
    (a request and a detention) under detention; the four without a physical tactic under
    None (Freedom House's categories: docs/incidents.md)."""
    counts = dict(count_incidents(RECORDS, ["freedom_house"]))
    assert counts == {("detention",): 2, ("deportation",): 1, (None,): 4}
    twice = record("7", "TUR", ("assault", "assault", "abduction"), label="F")
    assert dict(count_incidents([twice], ["freedom_house"])) == {("assault",): 1, ("abduction",): 1}


def test_unknown_dimensions_are_refused() -> None:
    with pytest.raises(InputError, match="cannot count by colour"):
        count_incidents(RECORDS, ["origin", "colour"])
    with pytest.raises(InputError):
        count_incidents(RECORDS, [])


def test_escalation_counts_each_target_once_at_their_furthest_stage() -> None:
    profile = {e.host: e for e in escalation_profile(RECORDS)}
    russia = profile["RUS"]
    assert (russia.targets, russia.incidents) == (3, 4)
    # A reached rendered_or_attacked; B detained; C on notice.
    assert russia.reached == {"on_notice": 3, "detained": 2, "rendered_or_attacked": 1}
    assert russia.share("detained") == pytest.approx(2 / 3)
    assert profile["POL"].reached == {"on_notice": 1, "detained": 0, "rendered_or_attacked": 0}
    assert profile[None].targets == 1
    assert escalation_profile(RECORDS)[0].host == "RUS"  # most targets first
