"""JSON: the assessment exactly as the API returns it, in the envelope."""

from __future__ import annotations

import json

from azyl.reports.model import Report
from azyl.reports.registry import register


@register("json", "application/json", "json")
def render_json(report: Report) -> bytes:
    meta = {"azyl_version": report.azyl_version, "language": report.lang, "case": report.case}
    body = {"data": report.assessment, "meta": meta}
    return json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")
