"""What the four Eurostat adapters share: the API, the licence and the label codes.

Eurostat's dissemination API serves a whole dataset as the bulk TSV
(`.../sdmx/2.1/data/{id}/?format=TSV&compressed=true`), the same format as the
old bulk download facility. The older "appsso" exports in the mirror use
English labels instead of codes; the tables below turn the labels back into
Eurostat's codes, and `countries` turns state names into ISO alpha-3. A label
that is not listed here is kept as it is and reported, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx

from azyl.sources.base import Format, MirrorEntry, SourceFile
from azyl.sources.fetch import download_to

API = "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data"
LICENCE = "CC BY 4.0 (Eurostat copyright notice; Commission Decision 2011/833/EU)"
DW = "dw-data_quantify-europe_asylum-seekers"
DW_REPO = "https://github.com/dw-data/quantify-europe_asylum-seekers (asylum-data/, @57bbef82)"

#: Labels of the old exports -> Eurostat codes, per dimension (column name, upper case).
LABEL_CODES: dict[str, dict[str, str]] = {
    "SEX": {"Total": "T", "Males": "M", "Females": "F", "Unknown": "UNK"},
    "AGE": {"Total": "TOTAL"},
    "ASYL_APP": {
        "Asylum applicant": "ASY_APP",
        "First time applicant": "NASY_APP",
        "Subsequent applicant": "SSEQ",
    },
    "DECISION": {
        "Total": "TOTAL",
        "Total positive decisions": "TOTAL_POS",
        "Rejected": "REJECTED",
        "Geneva Convention status": "GENCONV",
        "Humanitarian status": "HUMSTAT",
        "Subsidiary protection status": "SUB_PROT",
    },
    "REASON": {"Total": "TOTAL"},
}

#: Eurostat geo/citizen codes and labels that are groups, not states, kept as codes.
AGGREGATES: dict[str, str] = {
    "TOTAL": "Total",
    "EU27_2020": "European Union (27 countries, from 2020)",
    "EXT_EU27_2020": "Extra-EU27 (from 2020)",
    "EU28": "European Union (28 countries)",
    "EU27_2007": "European Union (27 countries, 2007-2013)",
    "EXT_EU28": "Extra-EU28",
    "STLS": "Stateless",
    "UNK": "Unknown",
    "RNC": "Recognised non-citizens",
    "UK_OCT": "British overseas countries and territories",
}

#: How the old exports label those groups (and two states pycountry does not know so).
AGGREGATE_LABELS: dict[str, str] = {
    "Total": "TOTAL",
    "European Union (28 countries)": "EU28",
    "European Union (27 countries)": "EU27_2007",
    "Extra-EU-28": "EXT_EU28",
    "Stateless": "STLS",
    "Unknown": "UNK",
    "Recognised non-citizens": "RNC",
    "British overseas countries and territories": "UK_OCT",
    "Vatican City State": "VAT",
    "Myanmar/Burma": "MMR",
}


def bulk_url(dataset: str) -> str:
    """The dissemination API URL of a whole dataset as gzipped bulk TSV."""
    return f"{API}/{dataset}/?format=TSV&compressed=true"


def downloader(dataset: str) -> Callable[[httpx.Client, Path, datetime], list[SourceFile]]:
    """A download function for one Eurostat dataset (bulk TSV, gzipped)."""

    def download(client: httpx.Client, dest: Path, now: datetime) -> list[SourceFile]:
        from azyl.sources import adapter_for  # the adapter registry, resolved at call time

        url = bulk_url(dataset)
        path = download_to(client, url, dest / "eurostat" / f"{dataset}.tsv.gz")
        entry = MirrorEntry(path.name, Format.EUROSTAT_TSV, f"API download {now:%Y-%m-%d}", "", url)
        adapter = adapter_for(dataset)
        return [adapter.source_file(path, entry)]

    return download
