"""Ingest adapters: one module per official dataset; the only code that touches the network.

Each adapter (`ADAPTER` in its module) names its table in the store, lists the
files of the local mirror that hold the dataset, and downloads the same
dataset from the publisher's API when azyl runs online. `source_files()` is
what the store's build calls.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx

from azyl.errors import ConfigError
from azyl.sources import (
    eurostat_asyappctza,
    eurostat_asydcfsta,
    eurostat_eirfs,
    eurostat_eirtn,
    unhcr_applications,
    unhcr_decisions,
)
from azyl.sources.base import Adapter, Format, SourceFile
from azyl.sources.fetch import make_client

__all__ = ["ADAPTERS", "Adapter", "Format", "SourceFile", "adapter_for", "source_files"]

#: Every dataset azyl loads, in load order.
ADAPTERS: tuple[Adapter, ...] = (
    unhcr_decisions.ADAPTER,
    unhcr_applications.ADAPTER,
    eurostat_asydcfsta.ADAPTER,
    eurostat_asyappctza.ADAPTER,
    eurostat_eirtn.ADAPTER,
    eurostat_eirfs.ADAPTER,
)


def adapter_for(key: str) -> Adapter:
    """The adapter by its key (`unhcr_decisions`) or publisher dataset id (`migr_eirtn`)."""
    for adapter in ADAPTERS:
        if key in (adapter.key, adapter.dataset):
            return adapter
    raise KeyError(key)


def source_files(
    mirror: Path | None,
    online: bool,
    download_dir: Path,
    transport: httpx.BaseTransport | None = None,
    now: datetime | None = None,
) -> list[SourceFile]:
    """The files to load: downloaded from the publishers when online, else the mirror's."""
    if online:
        moment = now or datetime.now(UTC)
        with make_client(transport) as client:
            return [f for a in ADAPTERS for f in a.download(client, download_dir, moment)]
    if mirror is None or not mirror.is_dir():
        raise ConfigError(
            "no local mirror of publisher files: set AZYL_MIRROR_DIR to the shared/data "
            "folder, or AZYL_ONLINE=yes to download from the publishers"
        )
    return [f for a in ADAPTERS for f in a.mirror_files(mirror)]
