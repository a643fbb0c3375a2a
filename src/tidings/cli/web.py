"""CLI command ``tidings serve``: the REST API and the offline dashboard (uvicorn).

Registered on the Typer ``app`` of :mod:`tidings.cli` (which imports this module at its end).
"""
# ruff: noqa: B008  (Typer declares options as argument defaults)

from __future__ import annotations

import ipaddress
import typer

from .app import app, err
from .render import line
from ..errors import UsageError
from ..settings import API_MAX_BODY_ENV, API_TOKEN_ENV, DEFAULT_API_MAX_BODY

LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]


def is_loopback(host: str) -> bool:
    """Return True if ``host`` is a loopback address or ``localhost``."""
    if host.strip("[]") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@app.command()
def serve(db: str = typer.Option("tidings.db", "--db", help="SQLite file or postgresql:// URL."),
          host: str = typer.Option("127.0.0.1", help="Address to bind (loopback by default;"
                                   " anything else exposes the API to the network)."),
          port: int = typer.Option(8000, help="TCP port."),
          token: str | None = typer.Option(None, envvar=API_TOKEN_ENV, show_default=False,
                                           help="Bearer token that enables POST /api/articles"
                                           " (16+ characters; prefer the TIDINGS_API_TOKEN"
                                           " environment variable to keep it out of `ps`)."),
          max_body: int = typer.Option(DEFAULT_API_MAX_BODY, envvar=API_MAX_BODY_ENV,
                                       help="Largest POST body in bytes."),
          cors_origin: list[str] = typer.Option([], "--cors-origin", help="Allow this origin"
                                                " to call the API from a browser (repeatable;"
                                                " CORS is off by default)."),
          log_level: str = typer.Option("warning", help="uvicorn log level."),
          ) -> None:
    """Serve the REST API (/api, docs at /docs) and the dashboard (/) over a store."""
    import uvicorn

    from ..api import MIN_TOKEN_CHARS, create_app
    from ..storage import display_name

    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise UsageError(f"E307 the API token must have at least {MIN_TOKEN_CHARS} characters")
    if max_body < 1:
        raise UsageError("E308 --max-body must be a positive number of bytes")
    _ensure_store(db, token)
    loopback = is_loopback(host)
    if not loopback:
        err.print(line(("warning", "yellow"), f": binding {host} exposes the API beyond this"
                       " machine" + ("; ingest is enabled by token" if token else "")))
    application = create_app(db, token=token, max_body=max_body, cors_origins=cors_origin,
                             allowed_hosts=LOOPBACK_HOSTS if loopback else None)
    shown = f"[{host}]" if ":" in host else host
    err.print(line(f"tidings: dashboard http://{shown}:{port}/  API docs"
                   f" http://{shown}:{port}/docs  ({display_name(db)}"
                   f"{', ingest on' if token else ''})"))
    uvicorn.run(application, host=host, port=port, log_level=log_level,
                server_header=False, proxy_headers=False)


def _ensure_store(db: str, token: str | None) -> None:
    """Refuse a store that does not exist, unless ingest is on (then create it empty)."""
    from ..errors import StoreError
    from ..storage import connect, display_name, open_store

    try:
        connect(db, readonly=True).close()
    except StoreError as exc:
        if "E201" not in str(exc):
            raise
        if token is None:
            name = display_name(db)
            raise UsageError(f"E306 no database at {name}: run `tidings run PATH --db {name}`"
                             " first (or start with a token to ingest through POST"
                             " /api/articles)") from None
        open_store(db).close()
