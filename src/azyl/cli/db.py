"""`azyl db status|upgrade`: the application database's schema revision and its migrations."""

from __future__ import annotations

import click

from azyl.appdb.engine import make_engine
from azyl.appdb.upgrade import schema_status
from azyl.audit import operator_name
from azyl.config import Settings
from azyl.upgrade import upgrade


@click.group("db")
def db() -> None:
    """The application database (AZYL_DATABASE_URL): schema status and upgrades."""


@db.command("status")
@click.pass_context
def status_command(ctx: click.Context) -> None:
    """Print the database, its schema revision, this azyl's newest one, and pending steps."""
    engine = make_engine(ctx.obj.database)
    try:
        status = schema_status(engine)
    finally:
        engine.dispose()
    click.echo(f"database  {status.url}")
    click.echo(f"revision  {status.current or '(empty: no schema yet)'}")
    click.echo(f"newest    {status.head}")
    if status.up_to_date:
        click.echo("up to date")
        return
    click.echo(f"pending   {', '.join(status.pending)}  (run `azyl db upgrade`)")


@db.command("upgrade")
@click.pass_obj
def upgrade_command(settings: Settings) -> None:
    """Apply every pending migration (take a backup first: `azyl backup -o FILE`)."""
    before, after = upgrade(settings.database, operator_name())
    if before.up_to_date:
        click.echo(f"already at {after.current}; nothing to do")
        return
    click.echo(f"upgraded {before.current or '(empty)'} -> {after.current}")


COMMANDS: list[click.Command] = [db]
