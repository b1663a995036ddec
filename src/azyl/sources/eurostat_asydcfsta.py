"""Eurostat `migr_asydcfsta`: first-instance decisions on applications, by citizenship.

Mirror: totals by reporting country 2008-2016 (Deutsche Welle, label export of
2017-04-26) and France by citizenship 2015-2019 (SDMX-CSV, Eurostat data as of
3 June 2021). There is no full by-citizenship dump in the mirror (see
shared/data/eurostat/PROVENANCE.md, "What is NOT here"); online, the whole
dataset is downloaded.
"""

from __future__ import annotations

from azyl.sources import eurostat
from azyl.sources.base import Adapter, Format, MirrorEntry

DATASET = "migr_asydcfsta"

ADAPTER = Adapter(
    key="eurostat_asydcfsta",
    publisher="Eurostat",
    dataset=DATASET,
    title="First instance decisions on applications by citizenship, age and sex (annual)",
    licence=eurostat.LICENCE,
    table="eurostat_asydcfsta",
    category=("decision",),
    label_codes=eurostat.LABEL_CODES,
    mirror=(
        MirrorEntry(
            f"eurostat/{eurostat.DW}/migr_asydcfsta_2017-04-26.csv",
            Format.EUROSTAT_LABELS,
            release="Eurostat appsso export of 2017-04-26",
            retrieved_at="2017-04-26",
            url=eurostat.DW_REPO,
        ),
        MirrorEntry(
            "eurostat/letisouza_knocking-on-france/migr_asydcfsta_asilo.csv.gz",
            Format.SDMX_CSV,
            release="Eurostat data as of 2021-06-03 (ESTAT:MIGR_ASYDCFSTA(1.0))",
            retrieved_at="2021 (committed 2021-10-22)",
            url="https://github.com/Letisouza/Knocking-on-France-s-Door "
            "(Dados/migr_asydcfsta_asilo.csv @ 52e332e6)",
        ),
    ),
    download=eurostat.download(DATASET),
)
