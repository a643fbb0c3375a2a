"""ASGI layers around the routes: the response cache, security headers, CORS, Host checks.

The security headers wrap everything: :func:`install_security_headers` puts
:class:`SecurityHeaders` *outside* Starlette's ServerErrorMiddleware (``add_middleware``
cannot: user middleware sits inside it), so the answer to an unhandled exception (JSON E500,
no details) and Host/CORS refusals carry them too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..settings import api_cache_on
from ..storage import version_probe

# The dashboard runs no inline script and loads nothing from elsewhere; d3 sets styles through
# the CSSOM, which style-src does not restrict. Swagger UI and ReDoc need inline styles and
# (ReDoc) a blob: worker, so the docs pages get a slightly wider policy.
CSP_APP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
           " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
           " form-action 'self'")
CSP_DOCS = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            " img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:;"
            " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


#: read endpoints whose 200 answers :class:`ResponseCache` keeps (export streams; not cached)
CACHED_PREFIXES = ("/api/events", "/api/map", "/api/graph", "/api/stats", "/api/actors",
                   "/api/articles", "/api/meta")


class ResponseCache:
    """Pure-ASGI cache of read answers, keyed by path and query string and valid for one
    version of the store (``version()``, from :func:`tidings.storage.version_probe`: for
    SQLite the size, mtime and inode of the database file and of its WAL). Any commit
    (``tidings run``, ``POST /api/articles``, another process) changes the version, so an
    answer is never served for a store that changed after it was computed; an answer computed
    while the store changed is not kept. Dashboards ask the same questions over and over (every
    visitor's first view), which is what this is for. Bounded by entries and bytes (LRU)."""

    def __init__(self, app: Any, version: Callable[[], Any], max_entries: int = 512,
                 max_bytes: int = 64 << 20, max_item: int = 2 << 20,
                 registry: dict[str, Any] | None = None) -> None:
        from collections import OrderedDict

        if registry is not None:
            registry["cache"] = self  # so tests and /api/meta can read hits and misses
        self.app = app
        self.version = version
        self.entries: OrderedDict[tuple[str, bytes], tuple[Any, ...]] = OrderedDict()
        self.max_entries, self.max_bytes, self.max_item = max_entries, max_bytes, max_item
        self.size = 0
        self.hits = self.misses = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or \
                not scope["path"].startswith(CACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        version = self.version()
        hit = self.entries.get(key)
        if hit is not None and hit[0] == version:
            self.entries.move_to_end(key)
            self.hits += 1
            await send({"type": "http.response.start", "status": hit[1], "headers": hit[2]})
            await send({"type": "http.response.body", "body": hit[3]})
            return
        self.misses += 1
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        if start.get("status") == 200 and len(body) <= self.max_item and \
                self.version() == version:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old[3])
            self.entries[key] = (version, 200, list(start.get("headers", [])), body)
            self.size += len(body)
            while self.entries and (len(self.entries) > self.max_entries
                                    or self.size > self.max_bytes):
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped[3])


class SecurityHeaders:
    """Pure-ASGI middleware adding the security headers to every response (CSP, nosniff,
    no-referrer, frame denial, same-origin resources; ``no-store`` on the API)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        extra = [(b"content-security-policy",
                  (CSP_DOCS if path in ("/docs", "/redoc") else CSP_APP).encode()),
                 (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                 (b"x-frame-options", b"DENY"),
                 (b"cross-origin-resource-policy", b"same-origin")]
        if path.startswith("/api/"):
            extra.append((b"cache-control", b"no-store"))

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


async def _internal_error(_: Request, exc: Exception) -> JSONResponse:
    """Answer an unhandled exception (logged by the server) without showing its details."""
    message = "E500 internal error: the server log has the details"
    return JSONResponse({"error": {"code": "E500", "status": 500, "message": message}},
                        status_code=500)


def install_security_headers(app: FastAPI) -> None:
    """Make :class:`SecurityHeaders` the outermost layer of ``app`` (around the 500 handler)."""
    app.add_exception_handler(Exception, _internal_error)
    build = app.build_middleware_stack

    def build_with_headers() -> Any:
        return SecurityHeaders(build())

    app.build_middleware_stack = build_with_headers  # type: ignore[method-assign]


def install_middleware(app: FastAPI, db: str | Path, cors_origins: list[str],
                       allowed_hosts: list[str] | None) -> None:
    """Add the response cache (where the backend has a cheap store version), the security
    headers, CORS (when origins are given) and Host checking (when hosts are given)."""
    # the last added is the outermost: the cache sits right around the routes, so the host,
    # CORS and security-header layers still run for every answer, cached or not; the security
    # headers wrap everything, the 500 handler included
    install_security_headers(app)
    app.state.registry = {}
    version = version_probe(db)
    if version is not None and api_cache_on():
        app.add_middleware(ResponseCache, version=version, registry=app.state.registry)
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=cors_origins,
                           allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
