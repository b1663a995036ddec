"""UNHCR asylum applications: origin × country of asylum × year × procedure × level.

Mirror: the `asylum_applications` table of UNHCR's R package `refugees`
2025.12.1 (see shared/data/unhcr/PROVENANCE.md).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import httpx

from azyl.sources import unhcr_api
from azyl.sources.base import Adapter, Format, MirrorEntry, SourceFile

COLUMNS = (
    "year", "coo_name", "coo", "coo_iso", "coa_name", "coa", "coa_iso", "procedure_type",
    "app_type", "dec_level", "app_pc", "applied",
)  # fmt: skip


def _download(client: httpx.Client, dest: Path, now: datetime) -> list[SourceFile]:
    path = dest / "unhcr" / "asylum_applications.csv.gz"
    url = unhcr_api.fetch_to_csv(client, "asylum-applications", COLUMNS, path, now)
    entry = MirrorEntry(path.name, Format.UNHCR_CSV, f"API download {now:%Y-%m-%d}", "", url)
    return [ADAPTER.source_file(path, entry)]


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
    download=_download,
)
