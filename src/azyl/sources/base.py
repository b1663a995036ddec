"""What an ingest adapter is, and what it hands to the store.

An adapter knows one official dataset: which files of a mirror hold it, how
to download the same dataset from its publisher, and which of the publisher's
file formats each file is in. It does not load anything: it hands `SourceFile`
descriptions to the store, which reads the bytes with DuckDB's own readers.

Provenance travels with each file (publisher, dataset, release, licence,
where and when it was retrieved), so every stored row can be traced back to the
exact bytes it came from.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.progress import Progress


class Format(enum.Enum):
    """The publisher file formats the store can read."""

    #: UNHCR Refugee Data Finder columns (year, coo..., dec_* or applied), comma-separated.
    UNHCR_CSV = "unhcr_csv"
    #: Eurostat bulk download TSV: `dim1,dim2,...\\TIME_PERIOD` then one column per year;
    #: cells are a value and optional flags ("12 p"), or ":" for not available.
    EUROSTAT_TSV = "eurostat_tsv"
    #: Eurostat SDMX-CSV (data browser): one observation per line, OBS_VALUE and OBS_FLAG.
    SDMX_CSV = "sdmx_csv"
    #: Older Eurostat "appsso" exports: English labels, "10,985" thousands separators,
    #: ":" for not available and a separate "Flag and Footnotes" column.
    EUROSTAT_LABELS = "eurostat_labels"


@dataclass(frozen=True)
class SourceFile:
    """One publisher file to load, with everything needed to cite it."""

    adapter: str
    path: Path
    #: The file's place in its mirror or download folder (`unhcr/...`), as cited.
    relpath: str
    format: Format
    publisher: str
    dataset: str
    title: str
    licence: str
    release: str
    retrieved_at: str
    url: str
    encoding: str = "utf-8"
    note: str = ""


@dataclass(frozen=True)
class MirrorEntry:
    """A file of a mirror, relative to the mirror's root, with its provenance."""

    relpath: str
    format: Format
    release: str
    retrieved_at: str
    url: str
    encoding: str = "utf-8"
    note: str = ""


#: Downloads a dataset into a file: (client, destination, progress) -> the URL it came from.
Fetch = Callable[[httpx.Client, Path, Progress | None], str]


@dataclass(frozen=True)
class Download:
    """How the dataset is downloaded from its publisher, and where the file goes.

    `relpath` is the file's place in the download folder, which is laid out
    like a mirror (`unhcr/...`, `eurostat/...`), so that a download folder can
    serve another machine as its mirror.
    """

    relpath: str
    format: Format
    fetch: Fetch


@dataclass(frozen=True)
class Adapter:
    """One official dataset: its table in the store, its mirror files, its download.

    `category` names the dimension that distinguishes the measures of a
    Eurostat dataset (`decision` for decisions...), in the order the publisher
    has named it over time.
    """

    key: str
    publisher: str
    dataset: str
    title: str
    licence: str
    table: str
    mirror: tuple[MirrorEntry, ...]
    download: Download
    category: tuple[str, ...] = ()
    label_codes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def source_file(self, path: Path, entry: MirrorEntry) -> SourceFile:
        """Describe one file of this dataset."""
        return SourceFile(
            adapter=self.key,
            path=path,
            relpath=entry.relpath,
            format=entry.format,
            publisher=self.publisher,
            dataset=self.dataset,
            title=self.title,
            licence=self.licence,
            release=entry.release,
            retrieved_at=entry.retrieved_at,
            url=entry.url,
            encoding=entry.encoding,
            note=entry.note,
        )
