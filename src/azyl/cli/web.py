"""Commands of this area are added as the area lands."""

import click

COMMANDS: list[click.Command] = []
