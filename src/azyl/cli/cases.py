"""`azyl cases ...`: the operator's tools for data-subject requests (list, export, erase).

These commands run on the server, with its keyring, as its operator: they can
read any user's cases, and every use is audited under `cli:<os user>`.
Caseworkers use the web application instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from azyl.appdb import open_database, utc_now
from azyl.cases import Actor, erase_case, export_case, list_cases, reclaim_space
from azyl.cli.files import writable, write_private
from azyl.config import Settings
from azyl.errors import ConfigError, NotFound
from azyl.vault import Vault, VaultError, load_keyring

USER = click.option("--user", "username", required=True, metavar="NAME",
                    help="The account whose cases to act on.")  # fmt: skip
CASE = click.option("--case", "case_id", metavar="ID", help="Only this case of the user.")


def _open(settings: Settings) -> tuple[Any, Vault, Actor]:
    return open_database(settings), Vault(load_keyring(settings, create=False)), Actor.cli()


def _selected(
    engine: Any, vault: Vault, actor: Actor, username: str, case_id: str | None
) -> list[str]:
    ids = [s.id for s in list_cases(engine, vault, actor, owner=username)]
    if case_id is None:
        return ids
    if case_id not in ids:
        raise NotFound(f"{username} owns no case {case_id!r}")
    return [case_id]


@click.group("cases")
def cases_group() -> None:
    """Saved cases of one user: list, export (data-subject access) and erase."""


@cases_group.command("list")
@USER
@click.pass_obj
def list_command(settings: Settings, username: str) -> None:
    """The cases NAME owns: id, runs, latest as-of date, title."""
    engine, vault, actor = _open(settings)
    found = list_cases(engine, vault, actor, owner=username)
    for case in found:
        latest = case.latest_as_of.isoformat() if case.latest_as_of else "-"
        click.echo(f"{case.id}  {case.runs:>3} runs  as of {latest}  {case.title}")
    click.echo(f"{len(found)} case{'s' if len(found) != 1 else ''} owned by {username}", err=True)


@cases_group.command("export")
@USER
@CASE
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (created owner-only: it holds the cases in clear).")  # fmt: skip
@click.pass_obj
def export_command(settings: Settings, username: str, case_id: str | None, output: Path) -> None:
    """Write NAME's cases (every run) to a JSON file, for a data-subject access request."""
    writable(output)
    engine, vault, actor = _open(settings)
    ids = _selected(engine, vault, actor, username, case_id)
    exported, damaged = [], []
    for i in ids:  # a case that cannot be decrypted is named, and the others still exported
        try:
            exported.append(export_case(engine, vault, actor, i)["case"])
        except (VaultError, ConfigError) as exc:
            damaged.append({"id": i, "problem": exc.message})
    document = {
        "format": "azyl-cases-export-1",
        "user": username,
        "exported_at": utc_now().isoformat(),
        "cases": exported,
        **({"damaged": damaged} if damaged else {}),
    }
    data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    write_private(output, data)
    click.echo(
        f"wrote {len(exported)} cases to {output} (in clear: deliver it securely, then delete it)"
    )
    if damaged:
        raise click.ClickException(
            f"{len(damaged)} case(s) could not be decrypted and are only named in the file "
            f"(under 'damaged'): {', '.join(d['id'] for d in damaged)}"
        )


@cases_group.command("erase")
@USER
@CASE
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def erase_command(settings: Settings, username: str, case_id: str | None, yes: bool) -> None:
    """Erase NAME's cases (or one of them) for good: rows and data keys are deleted."""
    engine, vault, actor = _open(settings)
    ids = _selected(engine, vault, actor, username, case_id)
    if not ids:
        click.echo(f"{username} owns no case; nothing erased")
        return
    if not yes:
        click.confirm(f"erase {len(ids)} case(s) of {username} for good?", abort=True)
    for i in ids:
        erase_case(engine, actor, i, reclaim=False)
    click.echo(f"erased {len(ids)} case{'s' if len(ids) != 1 else ''} of {username}")
    _reclaim(engine)


@cases_group.command("reclaim")
@click.pass_obj
def reclaim_command(settings: Settings) -> None:
    """Rewrite the case tables so no erased case stays in their files (PostgreSQL).

    Every erasure does this itself; run it by hand when one could not (another
    transaction held the tables too long, or the account may not vacuum).
    """
    _reclaim(open_database(settings))


def _reclaim(engine: Any) -> None:
    if reclaim_space(engine):
        click.echo("the case tables hold no erased case")
        return
    raise click.ClickException(
        "the case tables could not be rewritten now (busy, or VACUUM not allowed for this "
        "database account); the erasure stands: run `azyl cases reclaim` later"
    )


COMMANDS = [cases_group]
