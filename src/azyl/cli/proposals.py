"""`azyl kb proposals ...`: list proposals made in the web app; export an accepted one.

The reviewer's side of knowledge-base proposals (docs/editing.md): the web
app never writes kb/, so an accepted proposal is exported here as the file to
place in the repository, check, stamp and commit.
"""

from __future__ import annotations

from pathlib import Path

import click

from azyl.appdb import open_database
from azyl.config import Settings
from azyl.revisions.proposals import export_proposal, list_proposals


@click.group("proposals")
def proposals_group() -> None:
    """Knowledge-base proposals made in the web app (editors propose, admins decide)."""


@proposals_group.command("list")
@click.option("--status", help="Only draft, submitted, accepted or rejected proposals.")
@click.pass_obj
def list_command(settings: Settings, status: str | None) -> None:
    """One line per proposal: id, status, fact id, who proposed it."""
    engine = open_database(settings)
    try:
        found = list_proposals(engine, status)
    finally:
        engine.dispose()
    for p in found:
        click.echo(f"{p.id}\t{p.status}\t{p.fact_id}\t{p.created_by or ''}")


@proposals_group.command("export")
@click.argument("proposal_id", type=int)
@click.option(
    "--out", type=click.Path(path_type=Path),
    help="Write the file here (default: standard output). Use --in-place for its kb/ path.",
)  # fmt: skip
@click.option("--in-place", is_flag=True, help="Write it at its path under the knowledge base.")
@click.pass_obj
def export_command(settings: Settings, proposal_id: int, out: Path | None, in_place: bool) -> None:
    """Export an accepted proposal as the fact's YAML file, ready to check and commit."""
    engine = open_database(settings)
    try:
        path, text = export_proposal(engine, proposal_id)
    finally:
        engine.dispose()
    if in_place:
        out = settings.kb_dir / Path(path).relative_to("kb")
    if out is None:
        click.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    click.echo(f"{out}: written ({path}); next: azyl kb check, CHANGELOG.md, azyl kb stamp")
