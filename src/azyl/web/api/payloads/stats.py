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
    rounded: bool = Field(
        description="UNHCR may have rounded a count this rate rests on: its recognized, "
        "complementary or rejected count is exactly 5, the smallest non-zero count its "
        "tables hold (see the About page)."
    )


class LotteryRow(RatePoint):
    """One destination of the lottery; `rank` is null when it decided too few claims."""

    destination: str
    rank: int | None
    small_n: bool = Field(description="Fewer decisions than the threshold: not ranked.")
    provenance_id: str


class Spread(Payload):
    """The lowest and highest of the selected rate among the ranked destinations."""

    destinations: int = Field(description="How many destinations are ranked.")
    low: float
    high: float
    lowest: list[str] = Field(description="Every ranked destination with the lowest rate.")
    highest: list[str] = Field(description="Every ranked destination with the highest rate.")


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
    smallest_count: int = Field(
        description="The smallest non-zero count UNHCR's tables hold (rows resting on it are "
        "flagged `rounded`)."
    )
    rows: list[LotteryRow]
    spread: Spread | None = Field(
        description="The lowest and highest rate among the ranked destinations (null: none)."
    )
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
    scope: str = Field(description="The destinations considered: europe or all.")
    source: str
    small_n: int = Field(description="The fewest decisions a cell needs to show a rate.")
    origins: list[str]
    destinations: list[str]
    values: list[list[float | None]] = Field(
        description="values[i][j]: the rate of origins[i] in destinations[j] (null: no figure)."
    )
    provenance: list[StatisticsFile]


class RateDefinition(Payload):
    name: str
    definition: str
