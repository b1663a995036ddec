"""`azyl build`: validate the knowledge base, build the statistics, load the incident seed."""

from __future__ import annotations

import sys

import click

from azyl.build import build_all
from azyl.config import Settings

#: How many problems to print before summarising the rest.
SHOWN_PROBLEMS = 20


@click.command("build")
@click.option("--force", is_flag=True, help="Rebuild even when no input file changed.")
@click.option(
    "--online", is_flag=True, help="Allow downloads from the publishers (as AZYL_ONLINE=yes)."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@click.pass_obj
def build_command(settings: Settings, force: bool, online: bool, quiet: bool) -> None:
    """Build or refresh everything azyl serves from.

    Validates the knowledge base, builds the statistics database from the mirror
    (or online), and loads the incident registry's reviewed seed. Safe to repeat:
    nothing is redone when nothing changed.
    """
    if online:
        settings = settings.model_copy(update={"online": True})
    summary = build_all(settings, progress=not quiet, force=force)
    report = summary.statistics
    for problem in report.problems[:SHOWN_PROBLEMS]:
        click.echo(f"warning: {problem.message}", err=True)
    if len(report.problems) > SHOWN_PROBLEMS:
        more = len(report.problems) - SHOWN_PROBLEMS
        click.echo(f"warning: ... and {more} more (see `azyl sources --problems`)", err=True)
    if not quiet:
        click.echo("\n".join(summary.lines()), file=sys.stdout)


COMMANDS = [build_command]
