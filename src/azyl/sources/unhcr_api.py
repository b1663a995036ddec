"""The UNHCR Refugee Data Finder API, shared by the two UNHCR adapters.

The API (`api.unhcr.org/population/v1/{dataset}/`) answers pages of JSON
objects, `{"page": n, "maxPages": m, "items": [...]}`; "-" stands for a
missing value. This is the same endpoint and query (all origins, all countries
of asylum) that UNHCR's own R package `refugees` uses to build the files of
the local mirror (`data-raw/rdf.R` in PopulationStatistics/refugees), so a
download is written to disk in the mirror's column layout and loaded by the
same reader.
"""

from __future__ import annotations

import csv
import gzip
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from azyl.sources.fetch import DownloadError, get_json

API = "https://api.unhcr.org/population/v1"
LICENCE = "CC BY 4.0"
PAGE_SIZE = 10_000
FIRST_YEAR = 2000


def fetch_to_csv(
    client: httpx.Client,
    dataset: str,
    columns: Sequence[str],
    dest: Path,
    now: datetime,
) -> str:
    """Download every page of `dataset` into a gzipped CSV at `dest`; return the URL used."""
    url = f"{API}/{dataset}/"
    params: dict[str, Any] = {
        "yearFrom": FIRST_YEAR,
        "yearTo": now.year,
        "coo_all": "true",
        "coa_all": "true",
        "limit": PAGE_SIZE,
    }
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    try:
        with gzip.open(tmp, "wt", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(columns)
            page, pages = 1, 1
            while page <= pages:
                doc = get_json(client, url, {**params, "page": page})
                if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
                    raise DownloadError(f"{url} page {page}: no 'items' list in the answer")
                pages = int(doc.get("maxPages") or 1)
                for item in doc["items"]:
                    writer.writerow([_cell(item.get(c)) for c in columns])
                page += 1
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, dest)
    return f"{url}?yearFrom={FIRST_YEAR}&yearTo={now.year}&coo_all=true&coa_all=true"


def _cell(value: object) -> str:
    """The API writes "-" (or null) for a missing value; the CSV leaves the cell empty."""
    if value is None or value == "-":
        return ""
    return str(value)
