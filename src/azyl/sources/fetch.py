"""Downloads from the publishers: the only code in azyl that touches the network.

Everything goes through an `httpx.Client` whose transport can be injected, so
the tests replay recorded publisher answers with `httpx.MockTransport` and
never go online. Downloads are:

* **resumable**: bytes arrive in `<file>.part`; a download that was cut off
  continues from where it stopped (an HTTP range request), and the file gets
  its real name only when complete, so a half-written file never looks done;
* **recorded**: beside each file, `<file>.provenance.json` keeps the URL and
  the day it was retrieved, which become the rows' provenance with the
  file's sha256 (computed by the build);
* **quick to give up**: a host that does not answer within a few seconds is
  reported, so that a machine without network starts without statistics
  instead of hanging.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from rich.progress import Progress

from azyl import __version__
from azyl.errors import AzylError

USER_AGENT = f"azyl/{__version__} (asylum statistics)"
#: Connecting is quick or it fails: a machine without network must not wait long.
TIMEOUT = httpx.Timeout(60.0, connect=5.0)
CHUNK = 1 << 20


class DownloadError(AzylError):
    """A publisher's server did not give us the dataset."""

    code = "download_failed"
    http_status = 502


class Unreachable(DownloadError):
    """The publisher's host could not be reached at all (no network, DNS, timeout)."""

    code = "publisher_unreachable"


def make_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An HTTP client for the publishers' APIs; tests pass a MockTransport."""
    return httpx.Client(
        transport=transport,
        timeout=TIMEOUT,
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT},
    )


def _failed(url: str, exc: httpx.HTTPError) -> DownloadError:
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return Unreachable(f"could not reach {httpx.URL(url).host}: {exc}")
    return DownloadError(f"could not download {url}: {exc}")


def get_json(client: httpx.Client, url: str, params: dict[str, Any]) -> Any:
    """GET a JSON document, with a one-line error if the server fails or sends junk."""
    try:
        response = client.get(url, params=params)
    except httpx.HTTPError as exc:
        raise _failed(url, exc) from None
    if response.status_code != 200:
        raise DownloadError(f"{url} answered HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise DownloadError(f"{response.url} did not answer with JSON") from None


def download_to(client: httpx.Client, url: str, dest: Path, progress: Progress | None) -> None:
    """Stream `url` into `dest`, continuing a `.part` file left by an interrupted download."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 416 and have:  # nothing left to fetch
                os.replace(part, dest)
                return
            if response.status_code not in (200, 206):
                raise DownloadError(f"{url} answered HTTP {response.status_code}")
            resumed = response.status_code == 206
            total = int(response.headers.get("content-length", 0)) + (have if resumed else 0)
            task = progress.add_task(dest.name, total=total or None) if progress else None
            with part.open("ab" if resumed else "wb") as out:
                if progress is not None and task is not None and resumed:
                    progress.advance(task, have)
                for chunk in response.iter_bytes(CHUNK):
                    out.write(chunk)
                    if progress is not None and task is not None:
                        progress.advance(task, len(chunk))
    except httpx.HTTPError as exc:
        raise _failed(url, exc) from None
    os.replace(part, dest)


def record_provenance(dest: Path, url: str, now: datetime | None = None) -> None:
    """Write `<file>.provenance.json`: where and when the file was retrieved."""
    moment = (now or datetime.now(UTC)).date().isoformat()
    record = {"url": url, "retrieved_at": moment}
    dest.with_name(dest.name + ".provenance.json").write_text(json.dumps(record, indent=2) + "\n")


def read_provenance(dest: Path) -> dict[str, str] | None:
    """The URL and retrieval day recorded beside a downloaded file, if any."""
    try:
        record = json.loads(dest.with_name(dest.name + ".provenance.json").read_text())
    except (OSError, ValueError):
        return None
    if isinstance(record, dict) and {"url", "retrieved_at"} <= record.keys():
        return {"url": str(record["url"]), "retrieved_at": str(record["retrieved_at"])}
    return None
