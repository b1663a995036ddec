"""Downloads from the publishers: the only code in azyl that touches the network.

Everything goes through an `httpx.Client` whose transport can be injected, so
the tests replay small recorded files with `httpx.MockTransport` and never go
online. A download is written to a temporary name and renamed into place, so a
broken connection never leaves a half-written file that looks complete.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx

from azyl import __version__
from azyl.errors import AzylError

USER_AGENT = f"azyl/{__version__} (asylum statistics; +https://github.com/)"
TIMEOUT = httpx.Timeout(60.0, connect=20.0)


class DownloadError(AzylError):
    """A publisher's server did not give us the dataset."""

    code = "download_failed"
    http_status = 502


def make_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An HTTP client for the publishers' APIs; tests pass a MockTransport."""
    return httpx.Client(
        transport=transport,
        timeout=TIMEOUT,
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT},
    )


def _get(client: httpx.Client, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
    try:
        response = client.get(url, params=params)
    except httpx.HTTPError as exc:
        raise DownloadError(f"could not download {url}: {exc}") from None
    if response.status_code != 200:
        raise DownloadError(f"{url} answered HTTP {response.status_code}")
    return response


def get_json(client: httpx.Client, url: str, params: dict[str, Any]) -> Any:
    """GET a JSON document, with a one-line error if the server fails or sends junk."""
    response = _get(client, url, params)
    try:
        return response.json()
    except ValueError:
        raise DownloadError(f"{response.url} did not answer with JSON") from None


def download_to(client: httpx.Client, url: str, dest: Path) -> Path:
    """Stream `url` into `dest` atomically (temporary file, then rename)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise DownloadError(f"{url} answered HTTP {response.status_code}")
            with tmp.open("wb") as out:
                for chunk in response.iter_bytes(1 << 20):
                    out.write(chunk)
    except httpx.HTTPError as exc:
        tmp.unlink(missing_ok=True)
        raise DownloadError(f"could not download {url}: {exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, dest)
    return dest
