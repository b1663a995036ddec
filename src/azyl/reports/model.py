"""The report object: an assessment's data, the case it answers, and how it was made."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from azyl import __version__

#: Severities, most serious first (the screening engine's scale).
SEVERITY_ORDER = ("critical", "high", "elevated", "low")


class HasToDict(Protocol):
    def to_dict(self, lang: str = "en") -> dict[str, Any]: ...


class HasDump(Protocol):
    def model_dump(self, *, mode: str) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Report:
    """What every renderer reads: plain data only, in one language."""

    assessment: dict[str, Any]
    case: dict[str, Any] | None
    lang: str = "en"
    azyl_version: str = __version__
    #: Where the knowledge base's and registry's pages are: "" on the site itself, an
    #: absolute address in a file downloaded from it, None where there is no site (the CLI).
    base_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: The language the engine's sentences in `assessment` are written in: the report's
    #: own when it screened for this report, English for a run saved earlier.
    text_lang: str = "en"

    @property
    def as_of(self) -> str:
        return str(self.assessment.get("trace", {}).get("as_of", ""))

    @property
    def filename_stem(self) -> str:
        """`azyl-screening-rus-in-deu-2024-05-01`: which case and date, never a name."""
        parts = ["azyl-screening"]
        if self.case:
            nationality = "-".join(self.case["person"]["citizenship"]).lower()
            parts += [nationality, "in", str(self.case["current_country"]).lower()]
        parts.append(self.as_of or "report")
        return "-".join(parts)

    @property
    def has_statistics(self) -> bool:
        """Whether any published figure was at hand for the screening's date."""
        return any(d.get("statistics") for d in self.assessment.get("destinations", []))

    @property
    def statistics_years(self) -> tuple[int, int] | None:
        """The earliest and latest year of the published figures the screening used, so a
        report names the years it read, not a year derived from its date (a screening as
        of 1990 must not claim "statistics up to 1989" when the figures start in 2000)."""
        years = [
            d["statistics"]["year"]
            for d in self.assessment.get("destinations", [])
            if d.get("statistics") and d["statistics"].get("year") is not None
        ]
        return (min(years), max(years)) if years else None

    def fact_name(self, fact_id: str) -> str:
        """A fact named as a reader knows it: its first source's title and date, and the
        pinpoint in that source when another fact of the report has the same title and date
        (several facts of one long source would read as one line repeated), and the fact's id
        when two of them also share the pinpoint."""
        return self._names[0].get(fact_id, fact_id)

    def incident_name(self, incident_id: str) -> str:
        """An incident named as a reader knows it: its date and target."""
        return self._names[1].get(incident_id, incident_id)

    @cached_property
    def _names(self) -> tuple[dict[str, str], dict[str, str]]:
        """The names of the appendix's facts and incidents, worked out once per report (a
        report names each piece of evidence wherever it is cited, hundreds of times)."""
        appendix = self.extra.get("appendix", {})
        firsts = {}
        for fact in appendix.get("facts", []):
            if fact["citations"] and fact["id"] not in firsts:
                firsts[fact["id"]] = fact["citations"][0]
        names = {key: _source_name(first) for key, first in firsts.items()}
        # Several facts of one long source: the passage each rests on, then (two facts on
        # one passage) the fact's id.
        names = _tell_apart(names, lambda key, name: f"{name}, {firsts[key]['pinpoint']}")
        facts = _tell_apart(names, lambda key, name: f"{name} ({key})")
        incidents = {}
        for incident in appendix.get("incidents", []):
            if incident["id"] not in incidents:
                who = _target_name(incident, self.lang)
                date = incident["date"]
                incidents[incident["id"]] = f"{date}, {who}" if who else str(date)
        return facts, incidents

    def findings_by_severity(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """Findings grouped under their severity, most serious first."""
        groups: dict[str, list[dict[str, Any]]] = {}
        for finding in self.assessment.get("findings", []):
            groups.setdefault(finding["severity"], []).append(finding)
        order = {s: i for i, s in enumerate(SEVERITY_ORDER)}
        return sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))


def build_report(
    assessment: HasToDict | dict[str, Any],
    case: HasDump | dict[str, Any] | None = None,
    lang: str = "en",
    base_url: str | None = None,
    appendix: dict[str, Any] | None = None,
    text_lang: str = "en",
) -> Report:
    """Freeze an assessment (and the case it screened) into a report in one language.

    `appendix` is the evidence appendix (`azyl.reports.evidence.evidence_appendix`):
    the cited facts and incidents with their sources, so that a printed report
    stands on its own. `text_lang` is the language of the engine's sentences when
    `assessment` is already data (a saved run keeps the language it was saved in).
    """
    if not isinstance(assessment, dict):
        assessment, text_lang = assessment.to_dict(lang), lang
    if case is not None and not isinstance(case, dict):
        case = case.model_dump(mode="json")
    extra = {"appendix": appendix} if appendix else {}
    return Report(assessment=assessment, case=case, lang=lang, base_url=base_url, extra=extra,
                  text_lang=text_lang)  # fmt: skip


def _tell_apart(names: dict[str, str], longer: Callable[[str, str], str]) -> dict[str, str]:
    """The names, each made `longer` where another key has the same name."""
    shared = Counter(names.values())
    return {key: longer(key, name) if shared[name] > 1 else name for key, name in names.items()}


def _source_name(citation: dict[str, Any]) -> str:
    """A citation's source as a reader knows it: its title, and its date when it has one."""
    date = citation.get("date")
    return f"{citation['title']} ({date})" if date else str(citation["title"])


def _target_name(incident: dict[str, Any], lang: str) -> str | None:
    """How a report names an incident's target (the appendix holds incidents' documents): a
    public name or a pseudonymous label, in the report's language where a Russian one was
    written (as written otherwise)."""
    target = incident["target"]
    if lang == "ru" and target.get("name") and target.get("name_ru"):
        return str(target["name_ru"])
    if lang == "ru" and target.get("label_ru") and not target.get("name"):
        return str(target["label_ru"])
    who = target.get("name") or target.get("label")
    return str(who) if who else None
