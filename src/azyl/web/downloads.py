"""Files the web app hands out, built the same way for a page's button and the API route."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pydantic_core
from fastapi.responses import Response

from azyl.accounts.model import User
from azyl.csvcells import neutralise
from azyl.errors import NotFound
from azyl.i18n import N_
from azyl.i18n.message import failure
from azyl.incidents import audit_export, render_incidents
from azyl.incidents.formats import FORMATS
from azyl.revisions import counter
from azyl.web.services import Services, may_see_restricted, select_incidents
from azyl.web.tables import Order

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_response(
    services: Services, engine: Any, fmt: str, user: User | None, address: str | None,
    filters: dict[str, Any], order: Order,
) -> Response:  # fmt: skip
    """Incidents as a download: those a list with these filters shows, in its order.

    The file is the same for everyone of one audience (public, or restricted
    incidents too) asking the same selection, so it is rendered once and kept
    until the registry changes (an XLSX of the registry took some 50 ms); each
    download of restricted incidents is still audited.
    """
    if fmt not in FORMATS:
        raise failure(
            NotFound,
            N_("no export format {format}; use one of {formats}"),
            format=repr(fmt),
            formats=", ".join(FORMATS),
        )
    restricted = may_see_restricted(user)
    visibility = "all" if restricted else "public"

    def build() -> tuple[bytes, int]:
        views = select_incidents(services.incident_views(restricted), filters, order)
        return render_incidents(views, fmt, visibility), len(views)

    seen = counter.read(engine)
    key = ("incident-export", fmt, restricted, seen, order, *sorted(filters.items()))
    content, count = services.kept_body(key, build)
    audit_export(engine, fmt, visibility, count, actor=user, address=address)
    filtered = any(v is not None for v in filters.values())
    suffix = ("-filtered" if filtered else "") + ("" if visibility == "public" else "-restricted")
    name = f"azyl-incidents-{date.today().isoformat()}{suffix}.{fmt}"
    return Response(content, media_type=MEDIA_TYPES[fmt],
                    headers={"content-disposition": f'attachment; filename="{name}"'})  # fmt: skip


def yaml_download(path: str, text: str) -> Response:
    name = path.rsplit("/", 1)[-1]
    return Response(
        text.encode("utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Azyl-Path": path,
        },
    )


#: The columns of a CSV download of facts (lists joined with "; ", as the registry's CSV does).
FACT_CSV_COLUMNS: tuple[str, ...] = (
    "id", "area", "kind", "actor", "subject", "valid_from", "valid_until", "statement",
    "statement_ru", "confidence", "nature", "protection", "last_confirmed", "sources",
    "source_file",
)  # fmt: skip


def facts_download(result: dict[str, Any], fmt: str, filtered: bool) -> Response:
    """Facts as listed (`Services.facts`) as a CSV or JSON file (the JSON is the API's items)."""
    if fmt not in ("csv", "json"):
        raise failure(
            NotFound, N_("no download format {format}; use csv or json"), format=repr(fmt)
        )
    items = result["items"]
    if fmt == "json":
        body = {"kb_version": result["kb_version"], "total": result["total"], "facts": items}
        content = pydantic_core.to_json(body, indent=2) + b"\n"  # as json.dumps, faster
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(FACT_CSV_COLUMNS)
        for item in items:
            sources = dict.fromkeys(c["source"] for c in item["citations"])
            cells = {**item, "subject": "; ".join(item["subject"]), "sources": "; ".join(sources)}
            writer.writerow([neutralise(cells.get(c) or "") for c in FACT_CSV_COLUMNS])
        content = buffer.getvalue().encode("utf-8")
    name = f"azyl-facts-{date.today().isoformat()}{'-filtered' if filtered else ''}.{fmt}"
    return Response(content, media_type=MEDIA_TYPES[fmt],
                    headers={"content-disposition": f'attachment; filename="{name}"'})  # fmt: skip
