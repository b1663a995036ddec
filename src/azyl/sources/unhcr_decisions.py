"""UNHCR asylum decisions: origin × country of asylum × year × procedure × decision level.

Mirror: the `asylum_decisions` table of UNHCR's R package `refugees` 2025.12.1
(see shared/data/unhcr/PROVENANCE.md). `dec_level` is a code, and `NA` there
means "new applications", never a missing value.
"""

from __future__ import annotations

from azyl.sources import unhcr_api
from azyl.sources.base import Adapter, Download, Format, MirrorEntry

COLUMNS = (
    "year", "coo_name", "coo", "coo_iso", "coa_name", "coa", "coa_iso", "procedure_type",
    "dec_level", "dec_pc", "dec_recognized", "dec_other", "dec_rejected", "dec_closed",
    "dec_total",
)  # fmt: skip

_PACKAGE = "UNHCR R package `refugees` 2025.12.1 (Refugee Data Finder, Global Trends 2025)"
_REPO = "https://github.com/PopulationStatistics/refugees"


ADAPTER = Adapter(
    key="unhcr_decisions",
    publisher="UNHCR",
    dataset="asylum-decisions",
    title="UNHCR Refugee Data Finder: asylum decisions",
    licence=unhcr_api.LICENCE,
    table="unhcr_decisions",
    mirror=(
        MirrorEntry(
            "unhcr/PopulationStatistics_refugees/asylum_decisions.derived.csv.gz",
            Format.UNHCR_CSV,
            release=_PACKAGE,
            retrieved_at="2026-06-25",
            url=f"{_REPO} (data/asylum_decisions.rda @ 8239ce0f)",
            note="lossless CSV of the package's .rda, made for the mirror",
        ),
    ),
    download=Download(
        "unhcr/asylum_decisions.csv.gz",
        Format.UNHCR_CSV,
        unhcr_api.fetcher("asylum-decisions", COLUMNS),
    ),
)
