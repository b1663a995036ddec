"""Eurostat `migr_eirfs`: third-country nationals refused entry at the external borders.

Mirror: two downloads of the same 2017 label export (Deutsche Welle data team;
the second has two more citizenships), kept side by side with their own
provenance (shared/data/eurostat/PROVENANCE.md, §2).
"""

from __future__ import annotations

from azyl.sources import eurostat
from azyl.sources.base import Adapter, Format, MirrorEntry

DATASET = "migr_eirfs"

ADAPTER = Adapter(
    key="eurostat_eirfs",
    publisher="Eurostat",
    dataset=DATASET,
    title="Third country nationals refused entry at the external borders (annual)",
    licence=eurostat.LICENCE,
    table="eurostat_eirfs",
    category=("reason",),
    label_codes=eurostat.LABEL_CODES,
    mirror=(
        MirrorEntry(
            f"eurostat/{eurostat.DW}/migr_eirfs_Data_allcitizenships.csv.gz",
            Format.EUROSTAT_LABELS,
            release="Eurostat appsso export, spring 2017",
            retrieved_at="2017 (day not recorded)",
            url=eurostat.DW_REPO,
            encoding="latin-1",
        ),
        MirrorEntry(
            f"eurostat/{eurostat.DW}/migr_eirfs_1_Data_mit2012.csv.gz",
            Format.EUROSTAT_LABELS,
            release="Eurostat appsso export, spring 2017 (second download)",
            retrieved_at="2017 (day not recorded)",
            url=eurostat.DW_REPO,
            encoding="latin-1",
        ),
    ),
    download=eurostat.download(DATASET),
)
