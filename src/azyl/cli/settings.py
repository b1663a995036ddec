"""`azyl config`: the settings in force, where they come from, and what they mean."""

from __future__ import annotations

import json

import click

from azyl.config import Settings


@click.command("config")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def config_command(settings: Settings, fmt: str) -> None:
    """Print every setting (AZYL_* environment variable) with its current value."""
    rows = settings.as_rows()
    if fmt == "json":
        data = [{"variable": v, "value": val, "help": h} for v, val, h in rows]
        click.echo(json.dumps({"data": data, "meta": {}}, indent=2, ensure_ascii=False))
        return
    width = max(len(v) for v, _, _ in rows)
    for variable, value, help_text in rows:
        click.echo(f"{variable:<{width}}  {value or '(not set)'}")
        click.echo(f"{'':<{width}}  {help_text}")


COMMANDS = [config_command]
