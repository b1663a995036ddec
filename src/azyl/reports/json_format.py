"""JSON: the assessment exactly as the API returns it, in the envelope."""

from __future__ import annotations

import pydantic_core

from azyl.reports.model import Report
from azyl.reports.registry import register


@register("json", "application/json", "json")
def render_json(report: Report) -> bytes:
    meta = {"azyl_version": report.azyl_version, "language": report.lang, "case": report.case}
    body = {"data": report.assessment, "meta": meta}
    return pydantic_core.to_json(body, indent=2)  # json.dumps(indent=2)'s bytes, faster
