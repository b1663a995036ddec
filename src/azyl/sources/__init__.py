"""Ingest adapters: one module per official dataset; the only code that touches the network.

Each adapter (`ADAPTER` in its module) names its table in the store, lists the
files of the mirror that hold the dataset, and says how to download the same
dataset from its publisher. `locate()` decides, per dataset, where the build
reads it from:

1. the mirror (`AZYL_MIRROR_DIR`, or `../shared/data` beside the checkout),
   when it holds the dataset's files;
2. else a file downloaded earlier, in the download folder (`<data_dir>/downloads`,
   laid out like a mirror) or in the mirror itself;
3. else, when downloads are allowed (`AZYL_ONLINE`, yes by default), the
   publisher's own file, downloaded now into the download folder;
4. else the dataset is missing, and the build, the CLI and the web app say
   which statistics are missing and how to get them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.progress import Progress

from azyl.sources import (
    eurostat_asydcfsta,
    eurostat_eirfs,
    eurostat_eirtn,
    unhcr_applications,
    unhcr_decisions,
)
from azyl.sources.base import Adapter, Format, MirrorEntry, SourceFile
from azyl.sources.fetch import (
    DownloadError,
    Unreachable,
    make_client,
    read_provenance,
    record_provenance,
)

__all__ = [
    "ADAPTERS",
    "Adapter",
    "Format",
    "Located",
    "Missing",
    "SourceFile",
    "adapter_for",
    "locate",
]

#: Every dataset azyl loads, in load order.
ADAPTERS: tuple[Adapter, ...] = (
    unhcr_decisions.ADAPTER,
    unhcr_applications.ADAPTER,
    eurostat_asydcfsta.ADAPTER,
    eurostat_eirtn.ADAPTER,
    eurostat_eirfs.ADAPTER,
)


def adapter_for(key: str) -> Adapter:
    """The adapter by its key (`unhcr_decisions`) or publisher dataset id (`migr_eirtn`)."""
    for adapter in ADAPTERS:
        if key in (adapter.key, adapter.dataset):
            return adapter
    raise KeyError(key)


@dataclass(frozen=True)
class Missing:
    """A dataset the build could not find, and why."""

    adapter: str
    title: str
    reason: str


@dataclass(frozen=True)
class Located:
    """Where each dataset will be read from, and which ones are missing."""

    files: list[SourceFile] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    downloaded: list[str] = field(default_factory=list)


def locate(
    mirror: Path | None,
    downloads: Path,
    online: bool,
    *,
    transport: httpx.BaseTransport | None = None,
    progress: Progress | None = None,
) -> Located:
    """Find every dataset's files (see the module docstring), downloading when allowed."""
    found = Located()
    unreachable: str | None = None
    with make_client(transport) as client:
        for adapter in ADAPTERS:
            files = _in_mirror(adapter, mirror) or _downloaded(adapter, [mirror, downloads])
            if files:
                found.files.extend(files)
                continue
            if not online:
                found.missing.append(_missing(adapter, "downloads are turned off (AZYL_ONLINE=no)"))
                continue
            if unreachable is not None:
                found.missing.append(_missing(adapter, unreachable))
                continue
            try:
                found.files.append(_download(adapter, client, downloads, progress))
                found.downloaded.append(adapter.download.relpath)
            except Unreachable as exc:
                unreachable = exc.message
                found.missing.append(_missing(adapter, unreachable))
            except DownloadError as exc:
                found.missing.append(_missing(adapter, exc.message))
    return found


def _missing(adapter: Adapter, reason: str) -> Missing:
    return Missing(adapter.key, adapter.title, reason)


def _in_mirror(adapter: Adapter, mirror: Path | None) -> list[SourceFile]:
    """The dataset's files that the mirror holds."""
    if mirror is None:
        return []
    return [
        adapter.source_file(mirror / e.relpath, e)
        for e in adapter.mirror
        if (mirror / e.relpath).is_file()
    ]


def _downloaded(adapter: Adapter, roots: list[Path | None]) -> list[SourceFile]:
    """The dataset's file downloaded earlier (with its provenance record), if any."""
    for root in roots:
        if root is None:
            continue
        path = root / adapter.download.relpath
        record = read_provenance(path)
        if path.is_file() and record is not None:
            return [adapter.source_file(path, _download_entry(adapter, record))]
    return []


def _download_entry(adapter: Adapter, record: dict[str, str]) -> MirrorEntry:
    day = record["retrieved_at"]
    return MirrorEntry(
        adapter.download.relpath,
        adapter.download.format,
        release=f"downloaded from {adapter.publisher} on {day}",
        retrieved_at=day,
        url=record["url"],
    )


def _download(
    adapter: Adapter, client: httpx.Client, downloads: Path, progress: Progress | None
) -> SourceFile:
    path = downloads / adapter.download.relpath
    url = adapter.download.fetch(client, path, progress)
    record_provenance(path, url)
    record = read_provenance(path)
    assert record is not None
    return adapter.source_file(path, _download_entry(adapter, record))
