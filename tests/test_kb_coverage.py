"""`azyl kb coverage`: facts in force counted by origin, destination and pair."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from assess_support import fact
from azyl.config import Settings
from azyl.kb.coverage import ORIGIN_MINIMUM, coverage
from conftest import Run

ON = date(2026, 6, 30)
FACTS = [
    # Germany's practice towards Russians: concerns RUS (subject) and DEU (actor).
    fact("a", "deportation_practice", "DEU", ["RUS"], confirmed=date(2026, 1, 1)),
    # Russia's own persecution: concerns RUS (actor), no destination.
    fact("b", "persecution_practice", "RUS", nationalities=["RUS"], confirmed=date(2026, 1, 1)),
    # Poland's designation of Georgia, ended before the date: counted nowhere.
    fact("c", "safe_country_of_origin_designation", "POL", ["GEO"], end=date(2020, 1, 1)),
    # An EU-wide rule: counted under no member state's column.
    fact("d", "dublin_practice", "EU", nationalities=["GEO"], confirmed=date(2026, 1, 1)),
    # Poland's treatment of Georgians through applies_to alone.
    fact("e", "recognition_practice", "POL", nationalities=["GEO"], confirmed=date(2026, 1, 1)),
]


def test_facts_are_counted_where_they_belong_on_the_date() -> None:
    counted = coverage(FACTS, ON, ["RUS", "GEO"], ["DEU", "POL"])
    assert counted.origin_total("RUS") == 2  # a (subject), b (actor)
    assert counted.origin_total("GEO") == 2  # d, e; c has ended
    assert counted.destination_total("DEU") == 1 and counted.destination_total("POL") == 1
    assert counted.cells[("RUS", "DEU")] == {"deportation_practice": 1}
    assert counted.cells[("GEO", "POL")] == {"recognition_practice": 1}
    assert counted.empty_cells() == [("RUS", "POL"), ("GEO", "DEU")]
    assert counted.thin_origins() == ["RUS", "GEO"]  # both below ORIGIN_MINIMUM
    assert ORIGIN_MINIMUM > 2
    before = coverage(FACTS, date(2019, 6, 30), ["GEO"], ["POL"])
    assert before.cells[("GEO", "POL")] == {
        "safe_country_of_origin_designation": 1, "recognition_practice": 1,
    }  # fmt: skip


def test_the_command_prints_the_matrix_and_its_empty_cells(
    run_azyl: Callable[..., Run], built_settings: Settings
) -> None:
    env = {"AZYL_DATA_DIR": str(built_settings.data_dir)}
    result = run_azyl("kb", "coverage", "--on", "2026-06-30", "--format", "json", env=env)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data["origins"]) == {
        "RUS", "UKR", "BLR", "MDA", "GEO", "ARM", "AZE", "KAZ", "KGZ", "TJK", "TKM", "UZB",
    }  # fmt: skip
    assert len(data["destinations"]) == 15 and data["fallback"] is None
    # The destinations are ranked by the decisions behind them.
    decided = list(data["decided"].values())
    assert decided == sorted(decided, reverse=True)
    table = run_azyl("kb", "coverage", "--on", "2026-06-30", env=env)
    assert table.code == 0 and "empty cells" in table.out
    bad = run_azyl("kb", "coverage", "--on", "30.06.2026", env=env)
    assert bad.code != 0 and "--on" in bad.err and "Traceback" not in bad.err
