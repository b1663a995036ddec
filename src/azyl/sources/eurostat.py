"""What the four Eurostat adapters share: the API, the licence and the label codes.

Eurostat's dissemination API serves a whole dataset as the bulk TSV
(`.../sdmx/2.1/data/{id}/?format=TSV&compressed=true`), the same format as the
old bulk download facility. The older "appsso" exports in the mirror use
English labels instead of codes; the tables below turn the labels back into
Eurostat's codes, and `countries` turns state names into ISO alpha-3. A label
that is not listed here is kept as it is and reported, never guessed.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from rich.progress import Progress

from azyl.sources.base import Download, Format
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
    "INDIC_MG": {"Total number of persons returned": "TOTAL"},
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


def download(dataset: str) -> Download:
    """How one Eurostat dataset is downloaded: the whole of it, as gzipped bulk TSV."""

    def fetch(client: httpx.Client, dest: Path, progress: Progress | None) -> str:
        url = bulk_url(dataset)
        download_to(client, url, dest, progress)
        return url

    return Download(f"eurostat/{dataset}.tsv.gz", Format.EUROSTAT_TSV, fetch)
