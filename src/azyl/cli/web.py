"""`azyl serve`: the web application (pages and JSON API) on the embedded stores."""

from __future__ import annotations

import click

from azyl.appdb import open_database
from azyl.config import Settings
from azyl.keys.guard import keyring_for


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on (default: AZYL_HOST, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default: 8000).")
@click.option("--workers", type=click.IntRange(1, 16), default=1, show_default=True,
              help="Worker processes (separate Python processes).")  # fmt: skip
@click.pass_obj
def serve_command(settings: Settings, host: str | None, port: int | None, workers: int) -> None:
    """Start the web application: the atlas, screening, incidents, knowledge base and API."""
    import uvicorn

    _check_keyring(settings)
    host = host or settings.host
    port = port or settings.port
    click.echo(f"azyl is running on http://{host}:{port} (Ctrl+C stops it)", err=True)
    uvicorn.run(
        # The server imports the app itself (each worker process, or this one):
        # azyl.web.asgi reads the same AZYL_* environment this process did, so it has
        # these settings, and commands other than `serve` never load the web app.
        "azyl.web.asgi:app",
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,  # the client address from X-Forwarded-For, but only from...
        forwarded_allow_ips=settings.forwarded_allow_ips,  # ...the proxies trusted here
        log_level="warning",
        access_log=False,  # screening posts personal circumstances: log no request lines
    )


def _check_keyring(settings: Settings) -> None:
    """Refuse to start, in one line, when the keyring of a non-empty database is missing.

    The workers check again as they start (`azyl.web.app.lifespan`); this says
    it before uvicorn does, without a traceback.
    """
    engine = open_database(settings)
    try:
        keyring_for(settings, engine)
    finally:
        engine.dispose()


COMMANDS: list[click.Command] = [serve_command]
