"""The records the statistics API returns, with the JSON shape of the CLI contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from azyl import countries


@dataclass(frozen=True)
class RateRow:
    """First-instance outcome for one origin × country of asylum × year × source.

    Counts are persons unless `basis` says otherwise; rates are fractions
    (0.25, not 25%). `recognized`/`complementary` are None when the source does
    not split positive decisions; `closed` is None when it does not report
    closures (Eurostat).
    """

    origin: str
    asylum: str
    year: int
    source: str
    dataset: str
    decision_level: str
    basis: str
    procedure_types: tuple[str, ...]
    recognized: int | None
    complementary: int | None
    rejected: int | None
    closed: int | None
    positive: int
    total_decided: int
    recognition_rate: float | None
    recognition_rate_ci: tuple[float, float] | None
    protection_rate: float | None
    protection_rate_ci: tuple[float, float] | None
    closed_share: float | None
    small_n: bool
    flags: tuple[str, ...]
    components: tuple[tuple[str, int], ...]
    provenance_id: int
    provisional: bool = False  # the latest year of its release: may be revised (PROVISIONAL)

    def to_dict(self) -> dict[str, Any]:
        """The row as the CLI and the API print it (codes ISO alpha-3, rates as fractions)."""
        return {
            "origin": self.origin,
            "origin_name": countries.name(self.origin),
            "asylum": self.asylum,
            "asylum_name": countries.name(self.asylum),
            "year": self.year,
            "source": self.source,
            "dataset": self.dataset,
            "decision_level": self.decision_level,
            "basis": self.basis,
            "procedure_types": list(self.procedure_types),
            "recognized": self.recognized,
            "complementary": self.complementary,
            "rejected": self.rejected,
            "closed": self.closed,
            "positive": self.positive,
            "total_decided": self.total_decided,
            "recognition_rate": self.recognition_rate,
            "recognition_rate_ci": _pair(self.recognition_rate_ci),
            "protection_rate": self.protection_rate,
            "protection_rate_ci": _pair(self.protection_rate_ci),
            "closed_share": self.closed_share,
            "small_n": self.small_n,
            "flags": list(self.flags),
            "components": dict(self.components) or None,
            "provenance_id": self.provenance_id,
            "provisional": self.provisional,
        }


def _pair(ci: tuple[float, float] | None) -> list[float] | None:
    return None if ci is None else [ci[0], ci[1]]


@dataclass(frozen=True)
class RatesResult:
    """Rows plus the metadata needed to read and cite them."""

    rows: tuple[RateRow, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"data": [r.to_dict() for r in self.rows], "meta": self.meta}


@dataclass(frozen=True)
class Extreme:
    """The highest or lowest rate, and every state that has it."""

    rate: float
    states: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rate": self.rate, "states": list(self.states)}


@dataclass(frozen=True)
class Dispersion:
    """How far protection rates for one origin and year spread across destinations."""

    destinations: int
    decisions: int
    highest: Extreme
    lowest: Extreme
    ratio: float | None
    range_pp: float
    iqr_pp: float
    median: float
    weighted_mean: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "destinations": self.destinations,
            "decisions": self.decisions,
            "highest": self.highest.to_dict(),
            "lowest": self.lowest.to_dict(),
            "ratio": self.ratio,
            "range_pp": self.range_pp,
            "iqr_pp": self.iqr_pp,
            "median": self.median,
            "weighted_mean": self.weighted_mean,
        }


@dataclass(frozen=True)
class LotteryEntry:
    """One destination in the lottery table: its rank (None if below the threshold)."""

    rank: int | None
    included: bool
    row: RateRow

    def to_dict(self) -> dict[str, Any]:
        return {"rank": self.rank, "included": self.included, **self.row.to_dict()}


@dataclass(frozen=True)
class LotteryResult:
    """Destinations ranked by protection rate, with the dispersion figures."""

    destinations: tuple[LotteryEntry, ...]
    dispersion: Dispersion | None
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "data": {
                "destinations": [d.to_dict() for d in self.destinations],
                "dispersion": None if self.dispersion is None else self.dispersion.to_dict(),
            },
            "meta": self.meta,
        }
