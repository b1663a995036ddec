"""What an ingest adapter is, and what it hands to the store.

An adapter knows one official dataset: which files of the local mirror hold it,
how to download the same dataset from its publisher, and which of the
publisher's file formats each file is in. It does not load anything: it hands
`SourceFile` descriptions to the store, which is the only code that knows SQL
and reads the bytes with DuckDB's native CSV reader.

Provenance travels with each file (publisher, dataset, release, licence,
where and when it was retrieved), so every stored row can be traced back to the
exact bytes it came from.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx


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
    #: Long CSV written by the R `eurostat` package from the bulk TSV with flags dropped.
    EUROSTAT_FLAT = "eurostat_flat"


@dataclass(frozen=True)
class SourceFile:
    """One publisher file to load, with everything needed to cite it."""

    adapter: str
    path: Path
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

    @property
    def file_name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class MirrorEntry:
    """A file of the local mirror, relative to the mirror root, with its provenance."""

    relpath: str
    format: Format
    release: str
    retrieved_at: str
    url: str
    encoding: str = "utf-8"
    note: str = ""


#: Downloads a dataset: (client, destination folder, now) -> the files written.
Downloader = Callable[[httpx.Client, Path, datetime], list[SourceFile]]


@dataclass(frozen=True)
class Adapter:
    """One official dataset: its table in the store, its mirror files, its download.

    `category` names the dimension that distinguishes the measures of a
    Eurostat dataset (`asyl_app` for applications, `decision` for decisions...),
    in the order the publisher has named it over time.
    """

    key: str
    publisher: str
    dataset: str
    title: str
    licence: str
    table: str
    mirror: tuple[MirrorEntry, ...]
    download: Downloader
    category: tuple[str, ...] = ()
    label_codes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def source_file(self, path: Path, entry: MirrorEntry) -> SourceFile:
        """Describe one file of this dataset."""
        return SourceFile(
            adapter=self.key,
            path=path,
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

    def mirror_files(self, mirror: Path) -> list[SourceFile]:
        """The files of this dataset in the local mirror (missing ones included, to report)."""
        return [self.source_file(mirror / e.relpath, e) for e in self.mirror]
