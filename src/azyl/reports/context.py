"""What the HTML and Markdown templates read: labels translated, pathways drawn."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2
import pydantic_core
from markupsafe import Markup, escape

from azyl import charts
from azyl.i18n import country_name, formats, label, translations
from azyl.i18n.templates import environment as template_environment
from azyl.reports.model import Report

TEMPLATES = Path(__file__).parent / "templates"
#: The report templates, for an application that embeds a report in its own pages (the web
#: screening page shows exactly what the downloads contain).
LOADER = jinja2.FileSystemLoader(TEMPLATES)


def pathway_svg(pathway: dict[str, Any], lang: str) -> str:
    """One pathway as a route diagram: states in order, mechanisms on the arrows."""
    hops = pathway["hops"]
    route = []
    for i, state in enumerate(pathway["states"]):
        hop = hops[i] if i < len(hops) else None
        route.append(
            charts.RouteHop(
                label=country_name(state, lang),
                mechanism=label("mechanisms", hop["mechanism"], lang) if hop else "",
                severity=pathway["severity"] if hop is None else None,
            )
        )
    _ = translations(lang).gettext
    names = " → ".join(country_name(s, lang) for s in pathway["states"])
    return charts.route_diagram(
        route, title=_("Pathway %(rank)s") % {"rank": pathway.get("rank", "")}, desc=names
    )


def md_evidence(evidence: dict[str, Any], lang: str, report: Report | None = None) -> str:
    """Evidence as indented Markdown bullet lines (facts, figures, incidents), facts named by
    their source's title and date, older evidence marked."""
    _ = translations(lang).gettext
    ngettext = translations(lang).ngettext
    stale = set(evidence.get("stale_facts", []))
    lines = [
        (report.fact_name(f) if report else f) + (f" ({_('older evidence')})" if f in stale else "")
        for f in evidence.get("facts", [])
    ]
    for s in evidence.get("stats", []):
        rate = formats.percent(s["protection_rate"], lang)
        where = f"{country_name(s['origin'], lang)} → {country_name(s['asylum'], lang)}"
        decided = int(s["total_decided"])
        count = ngettext("%(num)s decision", "%(num)s decisions", decided) % {
            "num": formats.number(decided, lang)
        }
        lines.append(f"{_('Statistics')}: {where}, {s['year']}: {rate}, {count} ({s['source']})")
    for f in evidence.get("figures", []):
        template = (
            _("%(n)s nationals of %(origin)s refused entry")
            if f["dataset"] == "eirfs"
            else _("%(n)s nationals of %(origin)s returned after an order to leave")
        )
        what = template % {
            "n": formats.number(f["value"], lang),
            "origin": country_name(f["origin"], lang),
        }
        lines.append(f"{_('Eurostat')}: {country_name(f['state'], lang)}, {f['year']}: {what}")
    lines += [
        f"{_('Incident')}: {report.incident_name(i) if report else i}"
        for i in evidence.get("incidents", [])
    ]
    return "".join(f"\n    - {line}" for line in lines)


def quoted(value: Any) -> Markup:
    """Data shown as written (a source's title, a quote, a person's or account's name).

    Marked `data-quoted`, so that the page's language check, and anyone reading
    the markup, know it is not the page's own text and is never translated.
    """
    return Markup(f"<span data-quoted>{escape(value)}</span>")


def in_english(value: Any, lang: str) -> Markup:
    """Text that exists only in English (no Russian version written yet), marked as such."""
    if lang == "en":
        return escape(value)
    return Markup(f'<span lang="en">{escape(value)}</span>')


def untranslated(value: Any, lang: str, written_in: str) -> Markup:
    """A sentence of the screening engine, marked with its language when it is not the page's.

    The engine renders its sentences in the reader's language when it screens;
    a run saved earlier keeps the language it was saved in (English), so its
    sentences are marked `lang="en" data-untranslated` on a Russian page, which
    the browser tests tell apart from quoted data.
    """
    if written_in == lang:
        return escape(value)
    return Markup(f'<span lang="{escape(written_in)}" data-untranslated>{escape(value)}</span>')


def appendix_entry(
    kind: str, entry: Mapping[str, Any], name: str, base_url: str | None, lang: str
) -> Markup:
    """One entry of a report's evidence appendix: a fact or a public incident, with its
    sources (`_appendix_entry.html`).

    The appendix is about half of a report's bytes, and the same facts and
    incidents come back report after report, so an entry is rendered once per
    content, name, address and language and kept. What is kept is public
    knowledge-base and registry content, never anything of the person screened:
    the key is the entry's own data, serialised by pydantic-core (a fifth of the
    time `json.dumps` took, which was a tenth of a report's rendering). Key order
    is kept as the entry has it: two equal entries built in different orders
    would only be rendered twice.
    """
    return _rendered_entry(kind, pydantic_core.to_json(entry, fallback=str), name, base_url, lang)


@lru_cache(maxsize=4096)
def _rendered_entry(kind: str, data: bytes, name: str, base_url: str | None, lang: str) -> Markup:
    template = environment(lang).get_template("_appendix_entry.html")
    return Markup(template.render(kind=kind, entry=json.loads(data), name=name, base_url=base_url))


def helpers(lang: str, base_url: str | None = None) -> dict[str, Any]:
    """Template globals shared by the report templates and the web page embedding them."""
    return {
        "label": lambda vocabulary, key: label(vocabulary, key, lang),
        "country": lambda code: country_name(code, lang),
        "region": lambda code: formats.region_name(code, lang),
        "number": lambda value, digits=0: formats.number(value, lang, digits),
        "percent": lambda value, digits=0: formats.percent(value, lang, digits),
        "day": lambda value: formats.day(value, lang),
        "pathway_svg": lambda pathway: pathway_svg(pathway, lang),
        "md_evidence": lambda evidence: md_evidence(evidence, lang),
        "quoted": quoted,
        "code": lambda value: Markup("<code>{}</code>").format(value),
        "in_english": lambda value: in_english(value, lang),
        "untranslated": lambda value, written_in="en": untranslated(value, lang, written_in),
        "appendix_entry": lambda kind, entry, name, base_url: appendix_entry(
            kind, entry, name, base_url, lang
        ),
        "base_url": base_url,
        "lang": lang,
    }


@cache
def environment(lang: str, autoescape: bool = True) -> jinja2.Environment:
    """A report template environment for one language (HTML escaped, Markdown not)."""
    env = template_environment(LOADER, lang, escaped=autoescape)
    env.globals.update(helpers(lang))
    return env


def render_template(report: Report, name: str, autoescape: bool = True) -> str:
    env = environment(report.lang, autoescape)
    return env.get_template(name).render(
        report=report,
        a=report.assessment,
        case=report.case,
        base_url=report.base_url,
        md_evidence=lambda evidence: md_evidence(evidence, report.lang, report),
    )
