"""Eurostat `migr_asyappctza`: asylum applicants by citizenship, annual (2008 onwards).

Mirror: the full dataset as downloaded by the R `eurostat` package on
2024-01-18 (flags dropped, ":" cells absent), and two 2017 label exports from
the Deutsche Welle data team (see shared/data/eurostat/PROVENANCE.md, §1-2).
"""

from __future__ import annotations

from azyl.sources import eurostat
from azyl.sources.base import Adapter, Format, MirrorEntry

DATASET = "migr_asyappctza"

ADAPTER = Adapter(
    key="eurostat_asyappctza",
    publisher="Eurostat",
    dataset=DATASET,
    title="Asylum applicants by type of applicant, citizenship, age and sex (annual)",
    licence=eurostat.LICENCE,
    table="eurostat_asyappctza",
    category=("asyl_app", "applicant"),
    label_codes=eurostat.LABEL_CODES,
    mirror=(
        MirrorEntry(
            "eurostat/bgautijonsson_asylum/migr_asyappctza_2024-01-18.derived.csv.gz",
            Format.EUROSTAT_FLAT,
            release="Eurostat bulk download of 2024-01-18",
            retrieved_at="2024-01-18",
            url="https://github.com/bgautijonsson/asylum (data-raw/b77d2baf….rds @ 9f5cccaf)",
            note="R eurostat package cache, keepFlags=FALSE: flags dropped, ':' cells absent",
        ),
        MirrorEntry(
            f"eurostat/{eurostat.DW}/migr_asyappctza_allcitizenships.csv.gz",
            Format.EUROSTAT_LABELS,
            release="Eurostat appsso export, spring 2017",
            retrieved_at="2017 (day not recorded)",
            url=eurostat.DW_REPO,
            encoding="latin-1",
        ),
        MirrorEntry(
            f"eurostat/{eurostat.DW}/migr_asyappctza_1_Data-2017-05-31-ADDED.csv",
            Format.EUROSTAT_LABELS,
            release="Eurostat appsso export of 2017-05-31",
            retrieved_at="2017-05-31",
            url=eurostat.DW_REPO,
        ),
    ),
    download=eurostat.downloader(DATASET),
)
