"""The `azyl` command: thin commands over the library.

Each module in this package holds the commands of one area and exposes them as
`COMMANDS`; `COMMAND_MODULES` below registers them all, in one place. Commands
parse arguments, call one library function and format the result. Domain
errors (`azyl.errors.AzylError`) become a one-line message on standard error
and a non-zero exit here, at the edge, never a traceback.
"""

from __future__ import annotations

import sys

import click

from azyl import __version__
from azyl.cli import (
    assess,
    audit,
    backup,
    build,
    cases,
    db,
    incidents,
    kb,
    keys,
    settings,
    stats,
    users,
    web,
)
from azyl.config import load_settings
from azyl.errors import AzylError

#: Every command module, registered here and nowhere else: the
#: library's areas, then operations (the audit log, the schema, backups).
COMMAND_MODULES = (build, stats, kb, incidents, assess, web, settings, users, cases, keys,
                   audit, db, backup)  # fmt: skip


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="azyl")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """azyl: asylum statistics, state practice, transnational repression and
    chain-refoulement screening for people from the former Soviet Union."""
    ctx.obj = load_settings()


for _module in COMMAND_MODULES:
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Entry point: run the CLI, turning user-facing errors into clean exits."""
    try:
        # Without standalone mode, click returns (rather than raises) the code of ctx.exit(n).
        code = cli.main(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except AzylError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:  # a file or folder the user named cannot be used
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"error: {where}{exc.strerror or exc}", err=True)
        sys.exit(1)
