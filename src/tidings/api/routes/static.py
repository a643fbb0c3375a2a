"""The dashboard (``/``), the API docs (``/docs``, ``/redoc``) and ``/assets``, all from the
package's ``web/`` folder: nothing is ever loaded from a CDN."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

WEB_DIR = Path(__file__).resolve().parents[2] / "web"


def install_static(app: FastAPI) -> None:
    """The dashboard at ``/``, Swagger UI and ReDoc, and the assets they load."""
    index = WEB_DIR / "index.html"

    @app.get("/", include_in_schema=False)
    def dashboard() -> Response:
        """The dashboard (built by frontend/, shipped in the package)."""
        if not index.exists():
            return HTMLResponse("<h1>tidings</h1><p>The dashboard is not built: run"
                                " <code>npm run build</code> in frontend/. The API is at"
                                " <a href='/docs'>/docs</a>.</p>", status_code=200)
        return FileResponse(index, media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        """Swagger UI from local assets."""
        return HTMLResponse(_DOCS_HTML.format(title=app.title))

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        """ReDoc from local assets."""
        return HTMLResponse(_REDOC_HTML.format(title=app.title))

    if WEB_DIR.is_dir():
        app.mount("/assets", StaticFiles(directory=WEB_DIR), name="assets")


_DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} API</title>
<link rel="stylesheet" href="/assets/vendor/swagger-ui/swagger-ui.css">
<link rel="icon" href="/assets/favicon.svg"></head>
<body><div id="swagger-ui"></div>
<script src="/assets/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/assets/docs-init.js"></script></body></html>
"""

_REDOC_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} API</title>
<link rel="icon" href="/assets/favicon.svg"></head>
<body><redoc spec-url="/openapi.json"></redoc>
<script src="/assets/vendor/redoc/redoc.standalone.js"></script></body></html>
"""
