"""A saved case's run as a report, in the formats of a screening (html, markdown, json, pdf)."""

from __future__ import annotations

from typing import Any

from azyl.cases.views import CaseDetail, RunView
from azyl.reports import Report, build_report
from azyl.reports.evidence import evidence_appendix


def run_report(
    detail: CaseDetail,
    run: RunView,
    lang: str,
    kb: Any,
    incidents: Any,
    base_url: str | None = None,
) -> Report:
    """The report of one run, its evidence appendix resolved from the current stores.

    The assessment is the one saved with the run, its sentences in the reader's
    language when the run kept them (runs saved before that read in English, marked
    as such); the appendix quotes the facts
    and incidents it cites as the knowledge base holds them now (a fact removed
    since is simply not quoted).
    """
    profile = {**detail.profile, "as_of": run.as_of.isoformat()}
    assessment, written_in = run.in_language(lang)
    appendix = evidence_appendix(assessment, kb, incidents)
    return build_report(assessment, profile, lang, base_url=base_url, appendix=appendix,
                        text_lang=written_in)  # fmt: skip
