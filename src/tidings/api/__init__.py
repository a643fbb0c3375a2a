"""The REST API and the offline dashboard: one FastAPI app over a tidings store.

``create_app(db)`` builds the app (:mod:`.app`); ``tidings serve`` (``cli/web.py``) runs it
with uvicorn. ``db`` is a SQLite file or a ``postgresql://`` URL: the API reads through the
storage interface (:mod:`tidings.storage`), so both backends serve the same answers.

Reads and writes (the datasette pattern, STYLE.md):

- every request reads through its own **read-only** connection taken from a small pool
  (:mod:`.pool`), so the API serves while ``tidings run`` writes (SQLite: WAL); the event
  filters (:mod:`.filters`) become one ``WHERE`` clause in :mod:`tidings.storage.filters`,
  and every value reaches SQL as a bound parameter;
- the only writes (``POST /api/articles``, ``POST /api/events/{id}/review``) run one at a
  time on a single writer thread (:mod:`.writer`), articles through the same ingest path as
  ``tidings run`` (extract, store, near-duplicates, stories), reviews through
  :func:`tidings.review.review_at` (audited, versioned). Writes are off unless the operator
  sets a bearer token (``TIDINGS_API_TOKEN`` or ``--token``), sent in the ``Authorization``
  header (never a cookie, so a cross-site form cannot write).

Errors are JSON: ``{"error": {"code": "E5xx", "status": 400, "message": "..."}}``.

=====  =====================================================================
code   meaning
=====  =====================================================================
E501   a filter or parameter value is invalid (the message lists valid ones)
E502   a pagination cursor is invalid or belongs to another sort order
E503   the database cannot be read
E504   no such event / article / route
E510   writes are disabled (no token configured): 403
E511   missing or wrong bearer token: 401
E512   request body too large: 413
E513   request body is not a valid article (not JSON, nested too deep...): 400 / 422
E515   request body is not ``Content-Type: application/json``: 415
E520   review conflict: the event was reviewed since the version sent: 409
E521   not a valid review (status, field or value): 422
E500   an unexpected error (details in the server log): 500
=====  =====================================================================

Bad values are echoed in messages cut to 80 characters (:mod:`.errors`); cursors
(:mod:`.cursors`) and bodies (:mod:`.bodies`) are checked before they are parsed; every
answer, 500s and Host/CORS refusals included, carries the security headers
(:mod:`.middleware`).

Routes live in ``routes/`` (events, articles, stories, stats, exports, ingest, review,
static); the
response cache and security headers in :mod:`.middleware`. Static assets (the dashboard,
Swagger UI, ReDoc and the world map) are served from the package's ``web/`` folder; nothing
is ever loaded from a CDN.
"""

from __future__ import annotations

from .app import DEFAULT_MAX_BODY, MIN_TOKEN_CHARS, Settings, create_app
from .errors import ApiError
from .cursors import decode_cursor, encode_cursor
from .records import QUAD_OF, QUADS
from .routes.static import WEB_DIR

__all__ = ["ApiError", "DEFAULT_MAX_BODY", "MIN_TOKEN_CHARS", "QUADS", "QUAD_OF", "Settings",
           "WEB_DIR", "create_app", "decode_cursor", "encode_cursor"]
