"""UNHCR asylum applications: origin × country of asylum × year × procedure × level.

Mirror: the `asylum_applications` table of UNHCR's R package `refugees`
2025.12.1 (see shared/data/unhcr/PROVENANCE.md).
"""

from __future__ import annotations

from azyl.sources import unhcr_api
from azyl.sources.base import Adapter, Download, Format, MirrorEntry

COLUMNS = (
    "year", "coo_name", "coo", "coo_iso", "coa_name", "coa", "coa_iso", "procedure_type",
    "app_type", "dec_level", "app_pc", "applied",
)  # fmt: skip


ADAPTER = Adapter(
    key="unhcr_applications",
    publisher="UNHCR",
    dataset="asylum-applications",
    title="UNHCR Refugee Data Finder: asylum applications",
    licence=unhcr_api.LICENCE,
    table="unhcr_applications",
    mirror=(
        MirrorEntry(
            "unhcr/PopulationStatistics_refugees/asylum_applications.derived.csv.gz",
            Format.UNHCR_CSV,
            release="UNHCR R package `refugees` 2025.12.1 (Refugee Data Finder)",
            retrieved_at="2026-06-25",
            url="https://github.com/PopulationStatistics/refugees (data/asylum_applications.rda)",
            note="lossless CSV of the package's .rda, made for the mirror",
        ),
    ),
    download=Download(
        "unhcr/asylum_applications.csv.gz",
        Format.UNHCR_CSV,
        unhcr_api.fetcher("asylum-applications", COLUMNS),
    ),
)
