"""Eurostat `migr_eirtn`: third-country nationals returned following an order to leave.

Mirror: two 2017 label exports from the Deutsche Welle data team, by
citizenship 2012-2016 and totals 2010-2016 (shared/data/eurostat/PROVENANCE.md, §2).
"""

from __future__ import annotations

from azyl.sources import eurostat
from azyl.sources.base import Adapter, Format, MirrorEntry

DATASET = "migr_eirtn"

ADAPTER = Adapter(
    key="eurostat_eirtn",
    publisher="Eurostat",
    dataset=DATASET,
    title="Third country nationals returned following an order to leave (annual)",
    licence=eurostat.LICENCE,
    table="eurostat_eirtn",
    category=("c_dest", "indic_mg"),
    label_codes=eurostat.LABEL_CODES,
    mirror=(
        MirrorEntry(
            f"eurostat/{eurostat.DW}/migr_eirtn_Data_allcitizens.csv.gz",
            Format.EUROSTAT_LABELS,
            release="Eurostat appsso export, spring 2017",
            retrieved_at="2017 (day not recorded)",
            url=eurostat.DW_REPO,
            encoding="latin-1",
        ),
        MirrorEntry(
            f"eurostat/{eurostat.DW}/migr_eirtn_1_Data.csv",
            Format.EUROSTAT_LABELS,
            release="Eurostat appsso export, spring 2017",
            retrieved_at="2017 (day not recorded)",
            url=eurostat.DW_REPO,
        ),
    ),
    download=eurostat.download(DATASET),
)
