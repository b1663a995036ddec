"""First-instance outcomes per origin × country of asylum × year, from store records.

Pure functions: they take the records `StatsStore` returns and give `RateRow`s.
The UNHCR level choice lives here, because it is a statistical decision, not a
storage detail: per country of asylum, year and procedure type, use the first
of FI (first instance), NA (new applications, as Germany reports), FA (first
instance and appeal combined, as Austria reports) that the country reported
for any origin that year. Choosing per procedure type keeps, for example, a
government's FA figures when UNHCR's own mandate procedure in the same country
reported FI; the levels actually used are reported with every row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from azyl.stats.intervals import wilson
from azyl.stats.records import RateRow
from azyl.store.queries import FIRST_INSTANCE_LEVELS, EurostatDecision, UnhcrDecision

_BASIS = {frozenset("P"): "persons", frozenset("C"): "cases", frozenset("PC"): "persons+cases"}

#: Eurostat positive decision types other than Geneva Convention status.
EUROSTAT_COMPLEMENTARY = ("HUMSTAT", "SUB_PROT", "TEMP_PROT")


def chosen_level(levels: Iterable[str]) -> str | None:
    """The first-instance level to use among the levels a country reported."""
    present = set(levels)
    return next((lvl for lvl in FIRST_INSTANCE_LEVELS if lvl in present), None)


def unhcr_rows(
    decisions: Iterable[UnhcrDecision],
    levels: Mapping[tuple[str, int, str], frozenset[str]],
    small_n: int,
) -> tuple[list[RateRow], list[dict[str, object]]]:
    """Rate rows per (origin, asylum, year), and the cells left out for want of the level.

    A cell is left out when the origin has figures only at a level other than
    the one chosen for that country and year (for example FA figures in a year
    when the country reported FI for other nationalities).
    """
    cells: dict[tuple[str, str, int], list[UnhcrDecision]] = defaultdict(list)
    for d in decisions:
        cells[(d.origin, d.asylum, d.year)].append(d)
    chosen: dict[tuple[str, int, str], str | None] = {}  # one choice per country, year, type
    rows, omitted = [], []
    for (origin, asylum, year), items in sorted(cells.items()):
        used = []
        for d in items:
            key = (asylum, year, d.procedure_type)
            if key not in chosen:
                chosen[key] = chosen_level(levels.get(key, ()))
            if d.dec_level == chosen[key]:
                used.append(d)
        if not used:
            omitted.append(
                {
                    "origin": origin,
                    "asylum": asylum,
                    "year": year,
                    "levels_present": sorted({d.dec_level for d in items}),
                }
            )
            continue
        rows.append(_unhcr_row(origin, asylum, year, used, small_n))
    return rows, omitted


def _unhcr_row(
    origin: str, asylum: str, year: int, used: list[UnhcrDecision], small_n: int
) -> RateRow:
    types: tuple[str, ...]
    if len(used) == 1:  # most cells: one level, one basis, one procedure type
        (d,) = used
        recognized, complementary, rejected, closed = (
            d.recognized, d.complementary, d.rejected, d.closed
        )  # fmt: skip
        level, basis, types, provenance = d.dec_level, _BASIS[frozenset(d.dec_pc)], (
            d.procedure_type,), d.provenance_id  # fmt: skip
    else:
        recognized = sum(d.recognized for d in used)
        complementary = sum(d.complementary for d in used)
        rejected = sum(d.rejected for d in used)
        closed = sum(d.closed for d in used)
        used_levels = {d.dec_level for d in used}
        level = "+".join(lvl for lvl in FIRST_INSTANCE_LEVELS if lvl in used_levels)
        basis = _BASIS[frozenset(d.dec_pc for d in used)]
        types = tuple(sorted({d.procedure_type for d in used}))
        provenance = min(d.provenance_id for d in used)
    return make_row(
        origin=origin,
        asylum=asylum,
        year=year,
        source="UNHCR",
        dataset="asylum-decisions",
        decision_level=level,
        basis=basis,
        procedure_types=types,
        recognized=recognized,
        complementary=complementary,
        rejected=rejected,
        closed=closed,
        positive=recognized + complementary,
        total_decided=recognized + complementary + rejected,
        flags=(),
        components=(),
        provenance_id=provenance,
        small_n_threshold=small_n,
    )


def eurostat_rows(decisions: Iterable[EurostatDecision], small_n: int) -> list[RateRow]:
    """Rate rows from Eurostat's decision types (TOTAL, TOTAL_POS, GENCONV, ..., REJECTED)."""
    cells: dict[tuple[str, str, int], list[EurostatDecision]] = defaultdict(list)
    for d in decisions:
        cells[(d.origin, d.asylum, d.year)].append(d)
    rows = []
    for (origin, asylum, year), items in sorted(cells.items()):
        if row := _eurostat_row(origin, asylum, year, items, small_n):
            rows.append(row)
    return rows


def _eurostat_row(
    origin: str, asylum: str, year: int, items: list[EurostatDecision], small_n: int
) -> RateRow | None:
    values = {d.decision: d.value for d in items if d.value is not None}
    positive = values.get("TOTAL_POS")
    total = values.get("TOTAL")
    rejected = values.get("REJECTED")
    if total is None and positive is not None and rejected is not None:
        total = positive + rejected
    if rejected is None and total is not None and positive is not None:
        rejected = total - positive
    if total is None or positive is None:
        return None
    recognized = values.get("GENCONV")
    return make_row(
        origin=origin,
        asylum=asylum,
        year=year,
        source="Eurostat",
        dataset="migr_asydcfsta",
        decision_level="FI",
        basis="persons",
        procedure_types=(),
        recognized=recognized,
        complementary=None if recognized is None else positive - recognized,
        rejected=rejected,
        closed=None,
        positive=positive,
        total_decided=total,
        flags=tuple(sorted({f for d in items if d.flag for f in d.flag})),
        components=tuple(sorted((d.decision, d.value) for d in items if d.value is not None)),
        provenance_id=min(d.provenance_id for d in items),
        small_n_threshold=small_n,
    )


def make_row(
    *,
    origin: str,
    asylum: str,
    year: int,
    source: str,
    dataset: str,
    decision_level: str,
    basis: str,
    procedure_types: tuple[str, ...],
    recognized: int | None,
    complementary: int | None,
    rejected: int | None,
    closed: int | None,
    positive: int,
    total_decided: int,
    flags: tuple[str, ...],
    components: tuple[tuple[str, int], ...],
    provenance_id: int,
    small_n_threshold: int,
) -> RateRow:
    """A RateRow with its rates and Wilson intervals computed from the counts."""

    def share(part: int | None, whole: int) -> float | None:
        return None if part is None or whole <= 0 else part / whole

    counted = total_decided + (closed or 0)
    return RateRow(
        origin=origin,
        asylum=asylum,
        year=year,
        source=source,
        dataset=dataset,
        decision_level=decision_level,
        basis=basis,
        procedure_types=procedure_types,
        recognized=recognized,
        complementary=complementary,
        rejected=rejected,
        closed=closed,
        positive=positive,
        total_decided=total_decided,
        recognition_rate=share(recognized, total_decided),
        recognition_rate_ci=None if recognized is None else wilson(recognized, total_decided),
        protection_rate=share(positive, total_decided),
        protection_rate_ci=wilson(positive, total_decided),
        closed_share=None if closed is None else share(closed, counted),
        small_n=total_decided < small_n_threshold,
        flags=flags,
        components=components,
        provenance_id=provenance_id,
    )
