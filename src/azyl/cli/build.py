"""`azyl build`: build or refresh the databases from the publishers' files.

The statistics part is `azyl.store.build_statistics`; the knowledge base and
the incident registry join this command as they land.
"""

from __future__ import annotations

import dataclasses
import sys

import click

from azyl.config import Settings
from azyl.store import build_statistics

#: How many problems to print before summarising the rest.
SHOWN_PROBLEMS = 20


@click.command("build")
@click.option("--force", is_flag=True, help="Rebuild even when no input file changed.")
@click.option("--online", is_flag=True, help="Download from the publishers (as AZYL_ONLINE=yes).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@click.pass_obj
def build_command(settings: Settings, force: bool, online: bool, quiet: bool) -> None:
    """Build or refresh the statistics database from the mirror (or online)."""
    if online:
        settings = dataclasses.replace(settings, online=True)
    report = build_statistics(settings, progress=not quiet, force=force)
    for problem in report.problems[:SHOWN_PROBLEMS]:
        click.echo(f"warning: {problem.message}", err=True)
    if len(report.problems) > SHOWN_PROBLEMS:
        more = len(report.problems) - SHOWN_PROBLEMS
        click.echo(f"warning: ... and {more} more (see `azyl sources --problems`)", err=True)
    if not quiet:
        click.echo(report.summary(), file=sys.stdout)


COMMANDS = [build_command]
