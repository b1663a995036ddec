"""`azyl kb ...`: check, browse, export and version the knowledge base of state practice.

Each command loads the knowledge base through the library, calls one library
function and formats the result. Bad input (an unknown kind, country or date)
is an `InputError` from the library, shown by `azyl.cli.main` as one line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from azyl import countries
from azyl.cli.proposals import proposals_group
from azyl.config import Settings
from azyl.coverage import kb_coverage
from azyl.errors import InputError, KnowledgeBaseError
from azyl.kb import catalog as kb_catalog
from azyl.kb.changelog import changelog_problems
from azyl.kb.coverage import DESTINATION_MINIMUM, ORIGIN_MINIMUM
from azyl.kb.export import describe, export_kb, meta
from azyl.kb.loader import load_configured_kb
from azyl.kb.model import Fact, KnowledgeBase, Source
from azyl.kb.resolver import Query, select
from azyl.kb.version import VERSION_FILE, plan_stamp

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _json(document: Any) -> None:
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


def parse_day(text: str, option: str) -> date:
    """A YYYY-MM-DD date typed by a user, or a one-line InputError."""
    if _DAY.match(text.strip()):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise InputError(f"{option} {text!r} is not a date on the calendar") from None
    raise InputError(f"{option} {text!r} is not a date: use YYYY-MM-DD, e.g. 2024-01-31")


@click.group("kb")
def kb_group() -> None:
    """The knowledge base of state practice: dated, cited facts (kb/)."""


@kb_group.command("check")
@click.option("--strict", is_flag=True, help="Also fail when kb/VERSION or CHANGELOG.md lag.")
@click.pass_obj
def check_command(settings: Settings, strict: bool) -> None:
    """Validate kb/ and list every problem.

    Exit 0 when valid (printing the version and counts), else list every
    problem as file:line: problem and exit 1.
    """
    try:
        kb = load_configured_kb(settings)
    except KnowledgeBaseError as exc:
        for problem in exc.problems:
            click.echo(problem)
        click.echo(f"error: {exc.message.splitlines()[0]}", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(f"knowledge base {kb.version.label} (version {kb.version.version})")
    click.echo(f"{len(kb.sources)} sources, {len(kb.facts)} facts in {len(kb.areas)} areas")
    click.echo(kb.quote_check.describe())
    warnings = _lagging(settings, kb)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if strict and warnings:
        raise click.exceptions.Exit(1)
    click.echo("the knowledge base is valid")


def _lagging(settings: Settings, kb: KnowledgeBase) -> list[str]:
    """What kb/VERSION and CHANGELOG.md (beside kb/) have not caught up with."""
    changelog = settings.kb_dir.parent / "CHANGELOG.md"
    if changelog.is_file():
        return changelog_problems(kb, changelog.read_text(encoding="utf-8"))
    if not kb.version.stamped:
        return ["kb/VERSION does not record the current content: run `azyl kb stamp`"]
    return []


@kb_group.command("list")
@click.option("--state", help="Facts concerning this state (actor or subject; EU facts count).")
@click.option("--kind", help="Only this fact kind (see `azyl kb catalog`).")
@click.option("--as-of", "as_of", help="Only facts in force on this date (YYYY-MM-DD).")
@click.option("--nationality", help="Only facts that apply to people of this nationality.")
@click.option("--region", help="Only facts that apply to people from this ISO 3166-2 region.")
@click.option("--profile", help="Only facts that apply to people with this profile.")
@click.option("--actor", help="Only facts whose actor is this state or organisation.")
@click.option("--subject", help="Only facts naming this state as a subject.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def list_command(settings: Settings, /, fmt: str, as_of: str | None, **filters: str | None) -> None:
    """List facts by state, kind, date and person.

    Without --as-of, facts of every period are listed.
    """
    on = parse_day(as_of, "--as-of") if as_of else None
    query = Query.build(on=on, **filters)  # validate before loading: bad input fails fast
    kb = load_configured_kb(settings)
    facts = select(kb, query)
    if fmt == "json":
        _json({"data": [f.to_dict() for f in facts], "meta": meta(kb, filters=query.to_dict())})
        return
    rows = [
        (f.id, f.kind, " ".join(f.states), str(f.valid_from), str(f.valid_until or ""))
        for f in facts
    ]
    _table(("ID", "KIND", "STATES", "FROM", "UNTIL"), rows)
    click.echo(
        f"{len(facts)} fact{'s' if len(facts) != 1 else ''} (knowledge base {kb.version.label})"
    )


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    for row in [headers, *rows]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@kb_group.command("show")
@click.argument("record_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def show_command(settings: Settings, record_id: str, fmt: str) -> None:
    """Show a fact with its citations and sources.

    Given a source id, show the source and the facts citing it.
    """
    kb = load_configured_kb(settings)
    document = describe(kb, record_id)
    if fmt == "json":
        _json(document)
    elif "fact" in document["data"]:
        fact = kb.facts[record_id]
        _print_fact(fact, [kb.sources[s] for s in fact.sources], document["data"]["overturned_by"])
    else:
        _print_source(kb.sources[record_id])
        cited_by = document["data"]["cited_by"]
        click.echo(f"cited by: {', '.join(cited_by) if cited_by else 'no fact yet'}")


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(f"{c} ({countries.name(c)})" for c in codes) or "-"


def _print_fact(fact: Fact, sources: list[Source], overturned_by: list[str]) -> None:
    reach = fact.applies_to
    who = (
        "everyone"
        if reach.everyone
        else "; ".join(
            f"{label}: {', '.join(values)}"
            for label, values in (
                ("nationalities", reach.nationalities),
                ("regions", reach.regions),
                ("profiles", reach.profiles),
            )
            if values
        )
    )
    until = f" to {fact.valid_until}" if fact.valid_until else " (no end date)"
    lines = [
        f"{fact.id}  ({fact.source_file})",
        f"kind:        {fact.kind}",
        f"actor:       {_codes((fact.actor,))}",
        f"subject:     {_codes(fact.subject)}",
        f"applies to:  {who}",
        f"in force:    from {fact.valid_from}{until}",
    ]
    if fact.valid_from_note:
        lines.append(f"             {fact.valid_from_note}")
    lines.append(f"confidence:  {fact.confidence}; reviewed {fact.reviewed}")
    links = (
        ("related", fact.related),
        ("overturns", fact.overturns),
        ("overturned by", overturned_by),
    )
    for label, ids in links:
        if ids:
            lines.append(f"{label + ':':<12} {', '.join(ids)}")
    lines += ["", fact.statement, "", "citations:"]
    for number, citation in enumerate(fact.citations, 1):
        lines += [
            f"  [{number}] {citation.source}, {citation.pinpoint}",
            f'      "{citation.quote}"',
        ]
    click.echo("\n".join(lines))
    click.echo("\nsources:")
    for source in sources:
        _print_source(source, indent="  ")


def _print_source(source: Source, indent: str = "") -> None:
    fields = [
        ("id", source.id),
        ("title", source.title),
        ("author", source.author),
        ("publisher", source.publisher),
        ("date", source.date.isoformat()),
        ("kind", f"{source.kind}, language {source.language}"),
        ("identifier", source.identifier),
        ("url", source.url),
        ("accessed", source.accessed.isoformat() if source.accessed else None),
        (
            "text",
            f"sha256 {source.text_sha256}, quotes verified {source.text_verified}"
            + (f" ({source.text_file})" if source.text_file else "")
            if source.text_sha256
            else "never stored: facts resting only on this source are unverified",
        ),
        ("note", source.note),
        ("file", source.source_file),
    ]
    for label, value in fields:
        if value:
            click.echo(f"{indent}{label + ':':<12} {value}")


@kb_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json")
@click.pass_obj
def export_command(settings: Settings, fmt: str) -> None:
    """Export all sources and facts as JSON.

    The document's meta quotes the knowledge-base version and the export time.
    """
    _json(export_kb(load_configured_kb(settings), datetime.now(UTC)))


@kb_group.command("catalog")
@click.option("--format", "fmt", type=click.Choice(["json", "markdown"]), default="json")
@click.option(
    "--write",
    "readme",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Rewrite the generated vocabulary section of this README (with --format markdown).",
)
def catalog_command(fmt: str, readme: Path | None) -> None:
    """Print the vocabularies with their definitions.

    Fact kinds, profiles, confidence levels, source kinds, areas and
    organisation codes, as JSON or as the Markdown section of kb/README.md.
    """
    if readme is not None:
        section = kb_catalog.vocabulary_markdown()
        try:
            text = kb_catalog.replace_generated_section(readme.read_text(encoding="utf-8"), section)
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot update {readme}: {exc}") from None
        readme.write_text(text, encoding="utf-8")
        click.echo(f"updated the vocabulary section of {readme}")
    elif fmt == "markdown":
        click.echo(kb_catalog.vocabulary_markdown())
    else:
        _json(kb_catalog.export_catalog())


@kb_group.command("coverage")
@click.option(
    "--on", "on", help="Count the facts in force on this day (YYYY-MM-DD; default today)."
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def coverage_command(settings: Settings, on: str | None, fmt: str) -> None:
    """What the knowledge base covers: origins by main destinations, with the empty cells."""
    day = parse_day(on, "--on") if on else date.today()
    report = kb_coverage(load_configured_kb(settings), settings.stats_db_path, day)
    counted = report.coverage
    if fmt == "json":
        _json({**counted.to_dict(), "decided": report.decided, "fallback": report.fallback})
        return
    if report.fallback:
        click.echo(f"every Dublin state is shown: {report.fallback}")
    else:
        first, last = report.years[0], report.years[-1]
        click.echo(
            f"main destinations: the {len(counted.destinations)} Dublin states that decided "
            f"most first-instance claims of the twelve origins' nationals in {first}-{last} "
            "(UNHCR)"
        )
    header = ("ORIGIN", "ALL", *counted.destinations)
    rows = [
        (
            o,
            str(counted.origin_total(o)),
            *(str(counted.cell_total(o, d)) for d in counted.destinations),
        )
        for o in counted.origins
    ]
    rows.append(("STATE", "", *(str(counted.destination_total(d)) for d in counted.destinations)))
    _table(header, rows)
    click.echo(f"facts in force on {day.isoformat()}; ALL: every fact that concerns the origin")
    empty = counted.empty_cells()
    click.echo(f"{len(empty)} empty cells: " + ", ".join(f"{o}>{d}" for o, d in empty))
    for name, thin, minimum in (
        ("origins", counted.thin_origins(), ORIGIN_MINIMUM),
        ("destinations", counted.thin_destinations(), DESTINATION_MINIMUM),
    ):
        click.echo(f"{name} with fewer than {minimum} facts: {', '.join(thin) or 'none'}")


@kb_group.command("stamp")
@click.option("--version", "version", help="A new human version (X.Y.Z); default: keep it.")
@click.pass_obj
def stamp_command(settings: Settings, version: str | None) -> None:
    """Recompute the content hash and write kb/VERSION."""
    stamp = plan_stamp(settings.kb_dir, today=date.today(), version=version)
    if stamp.changed:
        (settings.kb_dir / VERSION_FILE).write_text(stamp.text, encoding="utf-8")
        click.echo(f"kb/VERSION: {stamp.version.label} released {stamp.version.released}")
        click.echo(
            f'now add or update "### Knowledge base {stamp.version.version}" in CHANGELOG.md'
        )
    else:
        click.echo(f"kb/VERSION is up to date: {stamp.version.label}")


kb_group.add_command(proposals_group)  # `azyl kb proposals ...` (docs/editing.md)

COMMANDS: list[click.Command] = [kb_group]
