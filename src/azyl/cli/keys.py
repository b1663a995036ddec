"""`azyl keys ...`: the keyring that encrypts personal data (rotate, status, retire)."""

from __future__ import annotations

import click

from azyl.appdb import open_database
from azyl.cases.access import Actor
from azyl.config import Settings
from azyl.errors import InputError
from azyl.keys.guard import keyring_for
from azyl.keys.rotation import BATCH_SIZE, retire, rotate, usage
from azyl.vault import load_keyring


@click.group("keys")
def keys_group() -> None:
    """The keyring that encrypts saved cases and second factors (kept outside the database)."""


@keys_group.command("init")
@click.pass_obj
def init_command(settings: Settings) -> None:
    """Create the keyring (one new key, file 0600) for a database that holds nothing encrypted."""
    if settings.keys or settings.key_file_path.exists():
        where = "AZYL_KEYS" if settings.keys else settings.key_file_path
        raise InputError(f"there is a keyring already ({where}); `azyl keys status` shows it")
    engine = open_database(settings)
    try:
        keyring = keyring_for(settings, engine)
    finally:
        engine.dispose()
    click.echo(f"created the keyring {keyring.path} with key {keyring.active}")
    click.echo("make its offline copy now: without it, nobody can read the saved cases")


@keys_group.command("status")
@click.pass_obj
def status_command(settings: Settings) -> None:
    """Each key of the keyring, which one is active, and how many values each still protects."""
    keyring = load_keyring(settings, create=False)
    used = usage(open_database(settings))
    where = keyring.path or "AZYL_KEYS"
    click.echo(f"keyring: {where}")
    for key_id in sorted(set(keyring.keys) | set(used), key=lambda k: (len(k), k)):
        counts = used.get(key_id, {})
        marker = "active" if key_id == keyring.active else "      "
        held = "" if key_id in keyring.keys else "  MISSING from the keyring"
        detail = ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "nothing"
        click.echo(f"{key_id:>6}  {marker}  protects {detail}{held}")


@keys_group.command("rotate")
@click.option("--batch-size", type=click.IntRange(min=1), default=BATCH_SIZE, show_default=True,
              help="Values re-encrypted per committed transaction.")  # fmt: skip
@click.pass_obj
def rotate_command(settings: Settings, batch_size: int) -> None:
    """Add a new active key and re-encrypt everything under it (resumes an interrupted run)."""
    engine = open_database(settings)
    done = rotate(engine, settings, actor=Actor.cli().name, batch_size=batch_size)
    how = "new key" if done.created else "finished the rotation to"
    moved = ", ".join(f"{n} {what}" for what, n in sorted(done.moved.items())) or "nothing"
    click.echo(f"{how} {done.active}: re-encrypted {moved} in {done.batches} batches")
    click.echo(
        "keep an offline copy of the keyring; `azyl keys retire KEY` removes an old key once "
        "`azyl keys status` shows it unused"
    )


@keys_group.command("retire")
@click.argument("key_id", metavar="KEY")
@click.pass_obj
def retire_command(settings: Settings, key_id: str) -> None:
    """Remove KEY from the keyring, only if no stored value is encrypted with it."""
    keyring = retire(open_database(settings), settings, key_id, actor=Actor.cli().name)
    click.echo(f"retired {key_id}; the keyring holds {', '.join(sorted(keyring.keys))}")


COMMANDS = [keys_group]
