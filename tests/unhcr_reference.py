"""An independent reference computation of UNHCR first-instance outcomes, for the tests.

Written from the definitions in the issue and docs/statistics.md, straight over
the raw CSV rows (csv module), sharing no code with azyl.stats or azyl.store.
"""

from __future__ import annotations

from collections import defaultdict

PREFERENCE = ("FI", "NA", "FA")
COUNTS = ("dec_recognized", "dec_other", "dec_rejected", "dec_closed")


def first_instance_cells(raw: list[dict[str, str]]) -> dict[tuple[str, str, int], dict[str, int]]:
    """(origin, asylum, year) -> summed counts at the level chosen per country/year/procedure."""
    reported: dict[tuple[str, int, str], set[str]] = defaultdict(set)
    for r in raw:
        reported[(r["coa_iso"], int(r["year"]), r["procedure_type"])].add(r["dec_level"])
    chosen = {
        key: next((lvl for lvl in PREFERENCE if lvl in levels), None)
        for key, levels in reported.items()
    }
    cells: dict[tuple[str, str, int], dict[str, int]] = {}
    for r in raw:
        year = int(r["year"])
        if r["dec_level"] != chosen[(r["coa_iso"], year, r["procedure_type"])]:
            continue
        cell = cells.setdefault((r["coo_iso"], r["coa_iso"], year), dict.fromkeys(COUNTS, 0))
        for c in COUNTS:
            cell[c] += int(r[c] or 0)
    return cells


def protection_rate(cell: dict[str, int]) -> float | None:
    decided = cell["dec_recognized"] + cell["dec_other"] + cell["dec_rejected"]
    if decided == 0:
        return None
    return (cell["dec_recognized"] + cell["dec_other"]) / decided
