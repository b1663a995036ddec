"""Payloads of the statistics routes: rates with intervals, the lottery, the heatmap, provenance."""

from __future__ import annotations

from pydantic import Field

from azyl.stats.records import Dispersion
from azyl.web.api.payloads.base import Payload


class StatisticsFile(Payload):
    """One statistics file the database was built from (`azyl.store.queries.Provenance`)."""

    id: str = Field(description="The provenance id rows cite (`provenance_id`).")
    publisher: str
    dataset: str
    title: str
    file: str = Field(description="The file, relative to the publisher mirror.")
    url: str
    licence: str
    release: str
    retrieved_at: str
    sha256: str
    note: str


class RatePoint(Payload):
    """A rate with its Wilson interval and the counts it was computed from."""

    rate: float | None
    low: float | None = Field(description="Lower bound of the 95% Wilson interval.")
    high: float | None = Field(description="Upper bound of the 95% Wilson interval.")
    decisions: int = Field(description="Substantive decisions in the denominator.")
    positive: int = Field(description="Positive decisions in the numerator.")


class LotteryRow(RatePoint):
    """One destination of the lottery; `rank` is null when it decided too few claims."""

    destination: str
    rank: int | None
    small_n: bool = Field(description="Fewer decisions than the threshold: not ranked.")
    provenance_id: str


class Lottery(Payload):
    """Destinations ranked by rate for one origin and year, with the spread between them."""

    origin: str
    year: int
    years: list[int] = Field(description="Every year with decisions for this origin.")
    rate: str
    rates: list[str] = Field(description="Every rate that may be asked for.")
    scope: str
    source: str
    definition: str
    interval: str
    small_n: int = Field(description="The fewest decisions a ranked destination has.")
    rows: list[LotteryRow]
    total_decisions: int
    dispersion: Dispersion | None
    note: str | None
    provisional: bool = Field(description="Some figures are provisional (the latest year).")
    provenance: list[StatisticsFile]


class SeriesPoint(RatePoint):
    year: int


class Series(Payload):
    destination: str
    points: list[SeriesPoint]


class RateSeries(Payload):
    """Rates by year for one origin: one series per destination."""

    origin: str
    destination: str | None
    rate: str
    source: str
    definition: str
    series: list[Series]
    provenance: list[StatisticsFile]


class Heatmap(Payload):
    """Rates of every FSU origin (rows) in the largest destinations (columns), one year."""

    year: int
    rate: str
    source: str
    origins: list[str]
    destinations: list[str]
    values: list[list[float | None]] = Field(
        description="values[i][j]: the rate of origins[i] in destinations[j] (null: no figure)."
    )
    provenance: list[StatisticsFile]


class RateDefinition(Payload):
    name: str
    definition: str
