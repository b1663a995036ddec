"""`azyl users ...`: accounts on a shared server, from the command line.

The first admin of a new server is made here (`azyl users add NAME --role
admin`). Passwords are never command-line arguments (they would end up in the
shell history and the process list): they are typed at a hidden prompt, or
read from standard input with `--password-stdin` for scripts. Every change is
written to the audit log with the actor `cli:<operating-system user>`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from azyl.accounts import totp, users
from azyl.accounts.passwords import check_policy
from azyl.accounts.roles import Role, parse_role
from azyl.appdb import open_database, session_scope
from azyl.audit import operator_name
from azyl.config import Settings
from azyl.errors import InputError

PASSWORD_STDIN = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (for scripts).",
)
ROLES = ", ".join(r.value for r in Role)


def read_password(from_stdin: bool) -> str:
    """A new password from stdin or a hidden prompt typed twice; checked against the policy."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    if not password:
        raise InputError("no password was given")
    check_policy(password)
    return password


@contextmanager
def _database(settings: Settings) -> Iterator[Session]:
    """One transaction on the application database; the connections close afterwards."""
    engine = open_database(settings)
    try:
        with session_scope(engine) as db:
            yield db
    finally:
        engine.dispose()


@click.group("users")
def users_group() -> None:
    """Accounts that may sign in to the web application (admin, editor, caseworker, viewer)."""


@users_group.command("add")
@click.argument("username")
@click.option("--role", default="viewer", show_default=True, help=f"One of: {ROLES}.")
@click.option("--name", "display_name", default="", help="The person's name as pages show it.")
@PASSWORD_STDIN
@click.pass_obj
def add(
    settings: Settings, username: str, role: str, display_name: str, password_stdin: bool
) -> None:
    """Create an account (the first admin of a server is made this way)."""
    parsed = parse_role(role)
    password = read_password(password_stdin)
    with _database(settings) as db:
        user = users.add(
            db, username, password, parsed, actor=operator_name(), display_name=display_name
        )
    click.echo(f"added {user.username} ({user.role})")


@users_group.command("list")
@click.pass_obj
def list_(settings: Settings) -> None:
    """Every account with its role and whether it is disabled."""
    with _database(settings) as db:
        rows = users.list_users(db)
    if not rows:
        click.echo("no accounts yet; make the first admin with `azyl users add NAME --role admin`")
        return
    width = max(len(u.username) for u in rows)
    for u in rows:
        status = "disabled" if u.disabled else "active"
        two_step = "  two-step" if u.totp_secret else ""
        held = f"  cases held (reset by {u.cases_held_by})" if u.cases_held_by else ""
        click.echo(
            f"{u.username:<{width}}  {u.role:<10}  {status:<8}{two_step}{held}  {u.display_name}"
        )


@users_group.command("disable")
@click.argument("username")
@click.pass_obj
def disable(settings: Settings, username: str) -> None:
    """Stop an account from signing in; its sessions end at once."""
    with _database(settings) as db:
        users.set_disabled(db, username, True, actor=operator_name())
    click.echo(f"disabled {username.lower()}; its sessions have ended")


@users_group.command("enable")
@click.argument("username")
@click.pass_obj
def enable(settings: Settings, username: str) -> None:
    """Let a disabled account sign in again."""
    with _database(settings) as db:
        users.set_disabled(db, username, False, actor=operator_name())
    click.echo(f"enabled {username.lower()}")


@users_group.command("reset-password")
@click.argument("username")
@PASSWORD_STDIN
@click.pass_obj
def reset_password(settings: Settings, username: str, password_stdin: bool) -> None:
    """Give an account a new password; its sessions end (and a hold on its cases is lifted)."""
    password = read_password(password_stdin)
    with _database(settings) as db:
        users.reset_password(db, username, password, actor=operator_name())
    click.echo(f"new password set for {username.lower()}; its sessions have ended")


@users_group.command("release")
@click.argument("username")
@click.pass_obj
def release(settings: Settings, username: str) -> None:
    """Open an account's cases again after an admin reset its password from the web.

    Do this only once you have confirmed with the account's owner, by a channel
    other than azyl (in person, by phone), that they asked for the reset.
    """
    with _database(settings) as db:
        user = users.release_cases(db, username, actor=operator_name())
    click.echo(f"the cases of {user.username} are open to that account again")


@users_group.command("set-role")
@click.argument("username")
@click.argument("role")
@click.pass_obj
def set_role(settings: Settings, username: str, role: str) -> None:
    """Change an account's role (admin, editor, caseworker, viewer)."""
    parsed = parse_role(role)
    with _database(settings) as db:
        users.set_role(db, username, parsed, actor=operator_name())
    click.echo(f"{username.lower()} is now {parsed.value}")


@users_group.command("disable-totp")
@click.argument("username")
@click.pass_obj
def disable_totp(settings: Settings, username: str) -> None:
    """Turn off an account's two-step sign-in (for someone who lost their phone)."""
    with _database(settings) as db:
        totp.disable(db, users.get(db, username), actor=operator_name())
    click.echo(f"two-step sign-in is off for {username.lower()}")


COMMANDS: list[click.Command] = [users_group]
