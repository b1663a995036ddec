"""`azyl incidents ...`: the incident registry from the command line.

Each command opens the application database (migrating it if needed), makes
one library call and prints the result. The command line is a team tool: it
sees restricted incidents unless asked for `--visibility public`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from azyl import countries
from azyl.appdb import open_database
from azyl.audit import operator_name
from azyl.cli.files import writable, write_private
from azyl.config import Settings
from azyl.errors import InputError
from azyl.incidents import (
    AUDIENCES,
    DIMENSIONS,
    count_incidents,
    escalation_profile,
    export_incidents,
    find_incidents,
    get_incident,
    import_incidents,
    load_seed,
)
from azyl.incidents.formats import FORMATS, is_public
from azyl.incidents.record import IncidentView
from azyl.incidents.references import catalogue_for
from azyl.incidents.transfer import render_incidents
from azyl.incidents.vocabulary import STAGES

DATE = click.DateTime(formats=["%Y-%m-%d"])
VISIBILITY = click.option(
    "--visibility",
    type=click.Choice(AUDIENCES),
    default="all",
    show_default=True,
    help="'public' leaves out restricted incidents and restricted fields.",
)


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def _write(data: bytes, output: Path | None, private: bool = False) -> None:
    """To standard output, or to a file (owner-only when it holds restricted incidents)."""
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    if private:
        write_private(output, data)
    else:
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"wrote {output} ({len(data)} bytes)", err=True)


@click.group("incidents")
def incidents() -> None:
    """The incident registry: transnational repression against exiles."""


@incidents.command("seed")
@click.option("--dry-run", is_flag=True, help="Validate and report, change nothing.")
@click.pass_obj
def seed_command(settings: Settings, dry_run: bool) -> None:
    """Load the reviewed seed file (incidents/seed.yaml) into the database."""
    for line in load_seed(settings, dry_run=dry_run).lines():
        click.echo(line)


@incidents.command("list")
@click.option("--origin", help="State that acted (code or English name).")
@click.option("--host", help="State where the target was.")
@click.option("--tactic", help="Only incidents that used this tactic.")
@click.option("--profile", help="Only targets with this profile.")
@click.option("--since", type=DATE, help="Incidents that may have happened on or after this day.")
@click.option("--as-of", type=DATE, help="Incidents that certainly happened by this day.")
@VISIBILITY
@click.option("--format", "fmt", type=click.Choice(["table", *FORMATS]), default="table")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def list_command(
    settings: Settings,
    origin: str | None,
    host: str | None,
    tactic: str | None,
    profile: str | None,
    since: dt.datetime | None,
    as_of: dt.datetime | None,
    visibility: str,
    fmt: str,
    output: Path | None,
) -> None:
    """List incidents, oldest first."""
    if fmt == "xlsx" and output is None:
        raise click.UsageError("XLSX is a binary file: give -o FILE.xlsx")
    views = find_incidents(
        open_database(settings),
        origin=origin,
        host=host,
        tactic=tactic,
        profile=profile,
        since=_day(since),
        as_of=_day(as_of),
        visibility=visibility,
    )
    if fmt != "table":
        _write(render_incidents(views, fmt, visibility), output)
        return
    for view in views:
        click.echo(
            f"{view.id:<48} {_when(view):<12} {view.origin} -> {view.host or '?':<3} "
            f"{view.stage:<20} {view.outcome:<12} {view.target}"
        )
    click.echo(f"{len(views)} incident{'s' if len(views) != 1 else ''}", err=True)


def _when(view: IncidentView) -> str:
    """A date as precise as it is known: 2015-06-15, 2015-06, 2015, <=2016-10-12."""
    iso = view.date.isoformat()
    return {"month": iso[:7], "year": iso[:4], "before": "<=" + iso}.get(view.date_precision, iso)


@incidents.command("show")
@click.argument("incident_id")
@VISIBILITY
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def show_command(settings: Settings, incident_id: str, visibility: str, fmt: str) -> None:
    """Show one incident with its sources."""
    view = get_incident(open_database(settings), incident_id, visibility=visibility)
    if fmt == "json":
        click.echo(json.dumps(view.to_document(), indent=2, ensure_ascii=False))
        return
    click.echo(f"{view.id}  ({view.visibility}, confidence {view.confidence})")
    host = countries.name(view.host) if view.host else "unknown"
    click.echo(f"  when:      {_when(view)} ({view.date_precision})")
    click.echo(f"  who acted: {countries.name(view.origin)}; where: {host}")
    if view.residence and view.residence != view.host:  # a returnee: removed from where they lived
        click.echo(f"  lived in:  {countries.name(view.residence)}")
    click.echo(f"  target:    {view.target} [{', '.join(view.target_profiles) or '-'}]")
    if view.relatives_targeted:
        click.echo(f"  relatives: {view.relatives_relation or 'yes'}")
    click.echo(f"  tactics:   {', '.join(view.tactics)}  -> stage {view.stage}")
    click.echo(f"  outcome:   {view.outcome}")
    click.echo(f"  mechanism: {view.mechanism}")
    click.echo(f"  summary:   {view.summary}")
    for ref in view.sources:
        cited = ref.source or f"{ref.title}, {ref.url} ({ref.date})"
        click.echo(f"  source:    {cited}; {ref.pinpoint}")
        if ref.quote:
            click.echo(f"             “{ref.quote}”")
    if view.notes:
        click.echo(f"  notes:     {view.notes}")


@incidents.command("stats")
@click.option(
    "--by",
    default="origin,host",
    show_default=True,
    help=f"Comma-separated dimensions: {', '.join(DIMENSIONS)}.",
)
@VISIBILITY
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def stats_command(settings: Settings, by: str, visibility: str, fmt: str) -> None:
    """Count incidents, and show how far targets got in each host state (CAPE stages)."""
    dimensions = [d.strip() for d in by.split(",") if d.strip()]
    views = find_incidents(open_database(settings), visibility=visibility)
    counts = count_incidents(views, dimensions)
    profile = escalation_profile(views)
    if fmt == "json":
        payload = {
            "by": dimensions,
            "counts": [
                {**dict(zip(dimensions, k, strict=True)), "incidents": n} for k, n in counts
            ],
            "escalation": [
                {
                    "host": e.host,
                    "targets": e.targets,
                    "incidents": e.incidents,
                    "reached": e.reached,
                }
                for e in profile
            ],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo("  ".join(f"{d:<22}" for d in dimensions) + "incidents")
    for key, n in counts:
        click.echo("  ".join(f"{v or '(unknown)':<22}" for v in key) + f"{n:>9}")
    click.echo("")
    click.echo("Escalation per host state (share of targets reaching each CAPE stage)")
    click.echo(f"{'host':<10}{'targets':>8}{'incidents':>10}" + "".join(f"{s:>22}" for s in STAGES))
    for e in profile:
        shares = "".join(f"{e.reached[s]:>12} ({e.share(s):>5.0%})" for s in STAGES)
        click.echo(f"{e.host or '(unknown)':<10}{e.targets:>8}{e.incidents:>10}{shares}")


@incidents.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Default: from the extension.")
@click.option("--dry-run", is_flag=True, help="Validate and report, change nothing.")
@click.pass_obj
def import_command(settings: Settings, file: Path, fmt: str | None, dry_run: bool) -> None:
    """Import incidents from CSV, XLSX or JSON (all rows or none; updates by id)."""
    engine = open_database(settings)
    catalogue = catalogue_for(settings)
    report = import_incidents(
        engine, file, catalogue, fmt=fmt, dry_run=dry_run, actor=operator_name()
    )
    for line in report.lines():
        click.echo(line)


@incidents.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@VISIBILITY
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def export_command(settings: Settings, fmt: str, visibility: str, output: Path | None) -> None:
    """Export the registry (to standard output unless -o is given; XLSX needs -o)."""
    if fmt == "xlsx" and output is None:
        raise click.UsageError("XLSX is a binary file: give -o FILE.xlsx")
    if output is not None:
        writable(output)
    engine = open_database(settings)
    content = export_incidents(engine, fmt, visibility=visibility, actor=operator_name())
    _write(content, output, private=not is_public(visibility))


COMMANDS: list[click.Command] = [incidents]
