"""`azyl assess`: screen one case profile for every pathway back to danger."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from azyl.assess import assess, case_profile_schema, load_case
from azyl.assess.adapters import load
from azyl.assess.vocabulary import catalog
from azyl.config import Settings
from azyl.errors import InputError
from azyl.reports import build_report, render
from azyl.reports.evidence import evidence_appendix


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of {value!r} is not a date: use YYYY-MM-DD") from None


def _print_json(data: object) -> None:
    click.echo(json.dumps({"data": data, "meta": {}}, indent=2, ensure_ascii=False))


@click.command("assess")
@click.argument("case_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--as-of", "as_of", metavar="DATE", help="Screen as of this date (YYYY-MM-DD).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "markdown", "html", "pdf"]),
    default="markdown",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to a file instead of standard output.",
)
@click.option("--schema", is_flag=True, help="Print the case profile's JSON Schema and exit.")
@click.option(
    "--catalog",
    "show_catalog",
    is_flag=True,
    help="Print the screening vocabularies (codes, stages, roles) and exit.",
)
@click.pass_obj
def assess_command(
    settings: Settings,
    case_file: Path | None,
    as_of: str | None,
    fmt: str,
    output: Path | None,
    schema: bool,
    show_catalog: bool,
) -> None:
    """Screen CASE_FILE (YAML or JSON case profile) for every way back to persecution.

    Prints findings, pathways, protective arguments, destination statistics and a
    trace of the rules and evidence used. Nothing is stored.
    """
    if schema:
        _print_json(case_profile_schema())
        return
    if show_catalog:
        _print_json(catalog())
        return
    if case_file is None:
        raise click.UsageError("give a case profile file (see docs/screening.md), or --schema")
    case = load_case(case_file, _as_of(as_of))
    loaded = load(settings)
    result = assess(case, loaded.context)
    appendix = evidence_appendix(result.to_dict(), loaded.kb, loaded.incidents.incidents)
    rendered = render(build_report(result, case.model_dump(mode="json"), appendix=appendix), fmt)
    if output is not None:
        output.write_bytes(rendered.content)
        click.echo(f"wrote {output} ({len(rendered.content)} bytes)", err=True)
    elif fmt == "pdf":
        raise click.UsageError("--format pdf needs --output FILE")
    else:
        sys.stdout.buffer.write(rendered.content)
        if not rendered.content.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")


COMMANDS = [assess_command]
