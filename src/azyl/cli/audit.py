"""`azyl audit list|export|verify|head`: read and check the tamper-evident audit log.

Exports are themselves audited (`audit.export`), so a copy leaving the server
leaves a trace. Commands run by an operator on the server are recorded under
the actor `cli:<system user>`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy import Engine

from azyl.appdb import open_database, session_scope
from azyl.audit import entries, head, operator_name, record, verify
from azyl.audit.export import (
    EXPORT_FORMATS,
    LIST_FORMATS,
    parse_anchor,
    parse_since,
    render,
)
from azyl.cli.files import writable, write_private
from azyl.config import Settings


@contextmanager
def database(settings: Settings) -> Iterator[Engine]:
    """The migrated application database for one command, its connections closed after."""
    engine = open_database(settings)
    try:
        yield engine
    finally:
        engine.dispose()


@click.group("audit")
def audit() -> None:
    """The audit log: who signed in, viewed, exported, edited and erased what."""


@audit.command("list")
@click.option("--action", help="An action (auth.sign_in) or a prefix ending in '.' (case.).")
@click.option("--actor", help="Only entries by this username.")
@click.option("--since", help="Entries at or after this day or time (2026-11-01, UTC).")
@click.option("--limit", type=click.IntRange(1), default=None, help="The newest N entries only.")
@click.option("--format", "fmt", type=click.Choice(LIST_FORMATS), default="table")
@click.pass_obj
def list_command(
    settings: Settings,
    action: str | None,
    actor: str | None,
    since: str | None,
    limit: int | None,
    fmt: str,
) -> None:
    """List entries, oldest first (with --limit: the newest N, still oldest first)."""
    moment = parse_since(since) if since else None
    with database(settings) as engine, session_scope(engine, commit=False) as session:
        found = entries(
            session, action=action, actor=actor, since=moment, limit=limit, newest_first=True
        )
    found.reverse()
    sys.stdout.write(render(found, fmt).decode("utf-8"))
    if fmt == "table":
        click.echo(f"{len(found)} entr{'ies' if len(found) != 1 else 'y'}", err=True)


@audit.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_obj
def export_command(settings: Settings, fmt: str, output: Path) -> None:
    """Write the whole log to a file (the export itself is recorded as audit.export)."""
    writable(output)
    with database(settings) as engine, session_scope(engine) as session:
        found = entries(session)
        record(session, "audit.export", actor=operator_name(), details={"format": fmt,
               "entries": len(found)})  # fmt: skip
        data = render(found, fmt)
        write_private(output, data)  # inside the transaction: no file, no audit entry
    click.echo(f"wrote {output} ({len(found)} entries, {len(data)} bytes)", err=True)


@audit.command("verify")
@click.option("--expect", help="A head written down earlier (SEQ:HASH) that must still be there.")
@click.pass_context
def verify_command(ctx: click.Context, expect: str | None) -> None:
    """Recompute the hash chain; exit 1 naming the first changed, missing or inserted entry."""
    anchor = parse_anchor(expect) if expect else None
    with database(ctx.obj) as engine, session_scope(engine, commit=False) as session:
        result = verify(session, expect=anchor)
    if result.ok:
        click.echo(
            f"{result.checked} entries, chain intact, head {result.head_seq}:{result.head_hash}"
        )
        return
    click.echo(f"audit chain BROKEN at entry {result.broken_at}: {result.problem}", err=True)
    ctx.exit(1)


@audit.command("head")
@click.pass_obj
def head_command(settings: Settings) -> None:
    """Print SEQ:HASH of the newest entry: record it elsewhere to anchor the log."""
    with database(settings) as engine, session_scope(engine, commit=False) as session:
        seq, digest = head(session)
    click.echo(f"{seq}:{digest}")


COMMANDS: list[click.Command] = [audit]
