"""Build the app: settings, the read pool, the writer, middleware and routes."""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from .errors import install_errors
from .middleware import install_middleware
from .pool import ReadPool
from .routes import articles, events, exports, review, stats
from .routes import ingest as ingest_route
from .routes.static import install_static
from .writer import IngestFn, Writer, ingest_one

#: bytes of one POST body (``TIDINGS_API_MAX_BODY`` / ``--max-body``)
DEFAULT_MAX_BODY = 1_000_000
MIN_TOKEN_CHARS = 16


@dataclass
class Settings:
    """What an operator chooses when starting the server (see ``tidings serve --help``)."""

    db: str | Path
    token: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    cors_origins: list[str] = field(default_factory=list)
    allowed_hosts: list[str] | None = None
    pool_size: int = 8


def create_app(db: str | Path = "tidings.db", token: str | None = None,
               max_body: int = DEFAULT_MAX_BODY, cors_origins: list[str] | None = None,
               allowed_hosts: list[str] | None = None, ingest: IngestFn | None = None,
               pool_size: int = 8) -> FastAPI:
    """Build the API + dashboard app over the store at ``db`` (a SQLite file or a
    ``postgresql://`` URL).

    ``token`` enables ``POST /api/articles`` and ``POST /api/events/{id}/review`` (bearer
    auth, at least 16 characters);
    ``cors_origins`` enables CORS for those origins (off by default); ``allowed_hosts``
    rejects requests whose Host header is not listed (``tidings serve`` sets the loopback
    names when it binds a loopback address, against DNS rebinding).
    """
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise ValueError(f"E514 the API token must have at least {MIN_TOKEN_CHARS} characters")
    target = db if isinstance(db, str) and "://" in db else Path(db)
    settings = Settings(db=target, token=token, max_body=max_body,
                        cors_origins=list(cors_origins or []), allowed_hosts=allowed_hosts,
                        pool_size=pool_size)
    pool = ReadPool(target, size=pool_size)
    writer = Writer(target, ingest or ingest_one)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        threading.Thread(target=pool.warm, name="tidings-warm", daemon=True).start()
        yield
        writer.close()
        pool.close()

    app = FastAPI(
        title="tidings", version=_version(), lifespan=lifespan,
        description="PLOVER political events extracted from news articles, with evidence."
                    " Filters are shared by events, map, graph, stats and export.",
        docs_url=None, redoc_url=None,
    )
    app.state.settings = settings
    app.state.pool = pool
    app.state.writer = writer
    install_errors(app)
    install_middleware(app, target, settings.cors_origins, allowed_hosts)
    for module in (stats, events, articles, exports, ingest_route, review):
        app.include_router(module.router)
    install_static(app)
    return app


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("tidings")
    except Exception:  # noqa: BLE001 - not installed: a source checkout
        return "0"
