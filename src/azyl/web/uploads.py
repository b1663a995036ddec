"""Files sent to the web application: read whole, in memory, refused in one clear sentence.

Uploads (incident files, case profiles) can hold restricted incidents or a
person's circumstances, so they never touch the disk: the multipart parser
keeps parts in memory up to the request-size limit (`AZYL_MAX_UPLOAD_BYTES`,
enforced before the body is read by `azyl.web.security.BodyLimit`), and the
bytes go straight to the library.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from fastapi import FastAPI, Request
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartParser

from azyl.config import Settings
from azyl.errors import InputError
from azyl.i18n import N_
from azyl.i18n.message import failure

#: Names shown back to the person (escaped by the templates) are kept short and printable.
NAME_MAX = 120
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name it was sent under (its last part only) and its bytes."""

    name: str
    data: bytes


def clean_name(raw: str | None, default: str) -> str:
    """The file's own name without any folder (Windows or POSIX), control characters or excess."""
    name = PureWindowsPath(PurePosixPath(raw or "").name).name
    name = _UNPRINTABLE.sub("", name).strip()
    return name[:NAME_MAX] or default


async def read_upload(form: FormData, field: str = "file", *, default_name: str) -> Upload:
    """The file in `field` of a multipart form, or InputError saying what is missing."""
    part = form.get(field)
    if not isinstance(part, UploadFile):
        raise failure(InputError, N_("choose a file to upload (the form was sent without one)"))
    data = await part.read()
    name = clean_name(part.filename, default_name)
    if not data:
        raise failure(InputError, N_("{name}: the file is empty"), name=name)
    return Upload(name, data)


def limits(request: Request) -> dict[str, Any]:
    """What a page with a file field shows and checks before sending (the server checks again)."""
    limit: int = request.app.state.settings.max_upload_bytes
    return {
        "max_upload_bytes": limit,
        "max_upload_mib": f"{limit / 2**20:.1f}".removesuffix(".0"),
    }


@asynccontextmanager
async def upload_form(request: Request) -> AsyncIterator[FormData]:
    """The request's multipart form (one file, a few fields), its file closed after use."""
    async with request.form(max_files=1, max_fields=20) as form:
        yield form


def install(app: FastAPI, settings: Settings) -> None:
    """Keep uploaded parts in memory up to the request limit (never a temporary file)."""
    MultiPartParser.spool_max_size = max(MultiPartParser.spool_max_size,
                                         settings.max_upload_bytes + 1)  # fmt: skip
