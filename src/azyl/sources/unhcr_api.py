"""The UNHCR Refugee Data Finder API, shared by the two UNHCR adapters.

The API (`api.unhcr.org/population/v1/{dataset}/`) answers pages of JSON
objects, `{"page": n, "maxPages": m, "items": [...]}`; "-" stands for a
missing value. This is the same endpoint and query (all origins, all countries
of asylum) that UNHCR's own R package `refugees` uses to build the files of
the mirror (`data-raw/rdf.R` in PopulationStatistics/refugees), so a download
is written to disk in the mirror's column layout and loaded by the same reader.

A download that stops part-way resumes at the next page: the rows received so
far stay in `<file>.part` and the pages done in `<file>.part.json`.
"""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from rich.progress import Progress

from azyl.sources.base import Fetch
from azyl.sources.fetch import DownloadError, get_json

API = "https://api.unhcr.org/population/v1"
LICENCE = "CC BY 4.0"
PAGE_SIZE = 10_000
FIRST_YEAR = 2000


def fetcher(dataset: str, columns: Sequence[str]) -> Fetch:
    """A download function for one UNHCR dataset, written as gzipped CSV."""

    def fetch(client: httpx.Client, dest: Path, progress: Progress | None) -> str:
        return fetch_to_csv(client, dataset, columns, dest, progress)

    return fetch


def fetch_to_csv(
    client: httpx.Client,
    dataset: str,
    columns: Sequence[str],
    dest: Path,
    progress: Progress | None = None,
    year_to: int | None = None,
) -> str:
    """Download every page of `dataset` into a gzipped CSV at `dest`; return the URL used."""
    url = f"{API}/{dataset}/"
    last_year = year_to or datetime.now(UTC).year
    params: dict[str, Any] = {
        "yearFrom": FIRST_YEAR,
        "yearTo": last_year,
        "coo_all": "true",
        "coa_all": "true",
        "limit": PAGE_SIZE,
    }
    dest.parent.mkdir(parents=True, exist_ok=True)
    part, state_file = dest.with_name(dest.name + ".part"), dest.with_name(dest.name + ".part.json")
    state = _resume(state_file, part, params)
    task = progress.add_task(dest.name, total=None) if progress else None
    with part.open("a", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        if state["pages_done"] == 0:
            out.truncate(0)
            writer.writerow(columns)
        while state["pages_done"] < state["pages"]:
            page = state["pages_done"] + 1
            doc = get_json(client, url, {**params, "page": page})
            if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
                raise DownloadError(f"{url} page {page}: no 'items' list in the answer")
            for item in doc["items"]:
                writer.writerow([_cell(item.get(c)) for c in columns])
            out.flush()
            state = {"params": params, "pages_done": page, "pages": int(doc.get("maxPages") or 1)}
            state_file.write_text(json.dumps(state))
            if progress is not None and task is not None:
                progress.update(task, completed=page, total=state["pages"])
    with part.open("rb") as source, gzip.open(dest, "wb") as target:
        shutil.copyfileobj(source, target)
    part.unlink()
    state_file.unlink()
    return f"{url}?yearFrom={FIRST_YEAR}&yearTo={last_year}&coo_all=true&coa_all=true"


def _resume(state_file: Path, part: Path, params: dict[str, Any]) -> dict[str, Any]:
    """Where an earlier download of the same query stopped (or the start)."""
    try:
        state = json.loads(state_file.read_text())
    except (OSError, ValueError):
        state = None
    if isinstance(state, dict) and state.get("params") == params and part.exists():
        return state
    part.unlink(missing_ok=True)
    return {"params": params, "pages_done": 0, "pages": 1}


def _cell(value: object) -> str:
    """The API writes "-" (or null) for a missing value; the CSV leaves the cell empty."""
    if value is None or value == "-":
        return ""
    return str(value)
