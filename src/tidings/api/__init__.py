"""The REST API and the offline dashboard: one FastAPI app over a tidings SQLite store.

``create_app(db)`` builds the app; ``tidings serve`` (``cli_web.py``) runs it with uvicorn.

Reads and writes (the datasette pattern, STYLE.md):

- every request reads through its own **read-only** connection taken from a small pool, so the
  API serves while ``tidings run`` writes (WAL); every value reaches SQL as a bound parameter;
- the only writes (``POST /api/articles``) run one at a time on a single writer thread, through
  the same ingest path as ``tidings run`` (extract, store, near-duplicates, stories). Ingest is
  off unless the operator sets a bearer token (``TIDINGS_API_TOKEN`` or ``--token``).

Errors are JSON: ``{"error": {"code": "E5xx", "status": 400, "message": "..."}}``.

=====  =====================================================================
code   meaning
=====  =====================================================================
E501   a filter or parameter value is invalid (the message lists valid ones)
E502   a pagination cursor is invalid or belongs to another sort order
E503   the database cannot be read
E504   no such event / article / route
E510   ingest is disabled (no token configured): 403
E511   missing or wrong bearer token: 401
E512   request body too large: 413
E513   request body is not a valid article: 400 / 422
=====  =====================================================================

Static assets (the dashboard, Swagger UI, ReDoc and the world map) are served from the
package's ``web/`` folder; nothing is ever loaded from a CDN.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import csv
import hmac
import io
import json
import math
import os
import queue
import re
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..errors import InputError, StoreError
from ..model import MODALITIES, PLOVER_TYPES, SECTORS
from .. import export as ex
from ..storage.sqlite import connect

__all__ = ["ApiError", "Filters", "QUADS", "QUAD_OF", "create_app", "DEFAULT_MAX_BODY"]

WEB_DIR = Path(__file__).resolve().parents[1] / "web"

#: PLOVER quad classes: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
#: 4 material conflict (the dashboard colours events by these)
QUADS: dict[int, tuple[str, tuple[str, ...]]] = {
    1: ("verbal cooperation", ("AGREE", "CONSULT", "SUPPORT", "CONCEDE")),
    2: ("material cooperation", ("COOPERATE", "AID", "RETREAT")),
    3: ("verbal conflict", ("REQUEST", "ACCUSE", "REJECT", "THREATEN")),
    4: ("material conflict", ("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")),
}
QUAD_OF: dict[str, int] = {t: q for q, (_, types) in QUADS.items() for t in types}

#: bytes of one POST body (``TIDINGS_API_MAX_BODY`` / ``--max-body``)
DEFAULT_MAX_BODY = 1_000_000
MIN_TOKEN_CHARS = 16
MAX_PAGE = 1000
SORTS = ("date", "-date", "confidence", "-confidence")
_SORT_COLUMN = {"date": "e.date_start", "confidence": "e.confidence"}
_ISO3 = re.compile(r"^[A-Za-z]{3}$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EARTH_KM = 6371.0088
# A text query matching more than this share of articles (and at least BROAD_FTS_MIN) is
# "broad": scanning events in order finds a page faster than visiting every hit. Measured on
# the 100k-event synthetic store: 3.6k of 22k hits 16 ms by hits vs 70 ms by scan; 19.7k
# hits 85 ms by hits vs 12 ms by scan.
BROAD_FTS_SHARE = 0.25
BROAD_FTS_MIN = 2000
# An actor matching under this share of actor rows is "rare": its events are collected first.
RARE_ACTOR_SHARE = 0.02
#: at most this many event-actor and event-place rows make a country filter "rare"
RARE_COUNTRY_EVENTS = 3000
#: bytes of the database each read connection memory-maps (shared with the OS page cache)
MMAP_BYTES = 1 << 30

# The dashboard runs no inline script and loads nothing from elsewhere; d3 sets styles through
# the CSSOM, which style-src does not restrict. Swagger UI and ReDoc need inline styles and
# (ReDoc) a blob: worker, so the docs pages get a slightly wider policy.
CSP_APP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
           " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
           " form-action 'self'")
CSP_DOCS = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            " img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:;"
            " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


# ---------------------------------------------------------------- errors

class ApiError(Exception):
    """An error answered as JSON with an HTTP status and a coded message."""

    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def fast_json(obj: Any, status: int = 200) -> Response:
    """Return ``obj`` (plain JSON types only) as a JSON response, skipping FastAPI's encoder
    (a large share of a page's time for 100 nested events)."""
    body = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Response(body, status_code=status, media_type="application/json")


def _error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "status": status, "message": message}}


def _bad(message: str) -> ApiError:
    return ApiError(400, "E501", f"E501 {message}")


# ---------------------------------------------------------------- filters

@dataclass
class Filters:
    """Event filters shared by every read endpoint (events, map, graph, stats, export)."""

    types: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    actor: str | None = None
    role: str = "any"  # which actors `actor` and `sector` look at: source, target or any
    countries: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    km: float | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    since: str | None = None
    until: str | None = None
    q: str | None = None
    modalities: list[str] = field(default_factory=list)
    min_confidence: float | None = None
    article_id: str | None = None


def _split(values: list[str] | None) -> list[str]:
    """Accept both repeated parameters and comma-separated lists."""
    out: list[str] = []
    for v in values or []:
        out += [x.strip() for x in v.split(",") if x.strip()]
    return out


def _norm_date(value: str | None, name: str, end: bool) -> str | None:
    """Return a YYYY[-MM[-DD]] bound as a comparable string (the end of a period for until)."""
    if value is None or not value.strip():
        return None
    v = value.strip()
    if not _DATE.match(v):
        raise _bad(f"{name} {value!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")
    parts = v.split("-")
    try:
        date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
             int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        raise _bad(f"{name} {value!r} is not a valid date") from None
    if len(parts) == 3:
        return v
    if len(parts) == 2:
        return v + ("-31" if end else "-01")
    return v + ("-12-31" if end else "-01-01")


def _like(value: str) -> str:
    """Return a LIKE pattern matching ``value`` anywhere, with % and _ taken literally."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def event_filters(
    type: Annotated[list[str] | None, Query(
        description="PLOVER type(s), comma-separated or repeated: ASSAULT,PROTEST")] = None,
    quad: Annotated[list[str] | None, Query(
        description="Quad class(es) 1-4: 1 verbal cooperation, 2 material cooperation,"
                    " 3 verbal conflict, 4 material conflict")] = None,
    mode: Annotated[list[str] | None, Query(description="PLOVER mode(s), e.g. withdraw")] = None,
    actor: Annotated[str | None, Query(
        description="Actor name or mention text (substring), knowledge-base id, or ISO-3"
                    " country of an actor", max_length=200)] = None,
    role: Annotated[str, Query(description="Actor role that `actor` and `sector` match:"
                               " source, target or any")] = "any",
    country: Annotated[list[str] | None, Query(
        description="ISO-3 country of the place or of a source/target actor")] = None,
    sector: Annotated[list[str] | None, Query(description="Actor sector code(s): GOV, MIL…")
                      ] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90, description="Radius centre latitude")
                   ] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180, description="Radius centre longitude")
                   ] = None,
    km: Annotated[float | None, Query(gt=0, le=20040, description="Radius in km")] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees"
                                      " (west > east crosses the antimeridian)")] = None,
    since: Annotated[str | None, Query(description="Events ending on or after (YYYY[-MM[-DD]])")
                     ] = None,
    until: Annotated[str | None, Query(
        description="Events starting on or before (YYYY[-MM[-DD]])")] = None,
    q: Annotated[str | None, Query(description="Full-text query over the article (FTS5)",
                                   max_length=500)] = None,
    modality: Annotated[list[str] | None, Query(
        description="asserted, negated, hypothetical, future, historical")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    article_id: Annotated[str | None, Query(max_length=100)] = None,
) -> Filters:
    """Parse and validate the event filters of a request (a FastAPI dependency)."""
    f = Filters()
    types = [t.upper() for t in _split(type)]
    for t in types:
        if t not in PLOVER_TYPES:
            raise _bad(f"unknown type {t!r}. Available: {', '.join(PLOVER_TYPES)}")
    for qv in _split(quad):
        if qv not in ("1", "2", "3", "4"):
            raise _bad(f"unknown quad {qv!r}. Available: 1, 2, 3, 4")
        types += [t for t in QUADS[int(qv)][1] if t not in types]
    f.types = types
    f.modes = [m.lower() for m in _split(mode)]
    f.actor = actor.strip() if actor and actor.strip() else None
    if role not in ("source", "target", "any"):
        raise _bad(f"unknown role {role!r}. Available: source, target, any")
    f.role = role
    f.countries = [c.upper() for c in _split(country)]
    for c in f.countries:
        if not _ISO3.match(c):
            raise _bad(f"country {c!r} is not an ISO 3166-1 alpha-3 code (e.g. NER)")
    f.sectors = [s.upper() for s in _split(sector)]
    for s in f.sectors:
        if s not in SECTORS:
            raise _bad(f"unknown sector {s!r}. Available: {', '.join(SECTORS)}")
    given = [x is not None for x in (lat, lon, km)]
    if any(given) and not all(given):
        raise _bad("a radius needs all of lat, lon and km")
    f.lat, f.lon, f.km = lat, lon, km
    if bbox:
        try:
            west, south, east, north = (float(x) for x in bbox.split(","))
        except ValueError:
            raise _bad(f"bbox {bbox!r} is not west,south,east,north (four numbers)") from None
        if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
            raise _bad(f"bbox {bbox!r} is out of range: -180..180, -90..90, south <= north")
        f.bbox = (west, south, east, north)
    f.since = _norm_date(since, "since", end=False)
    f.until = _norm_date(until, "until", end=True)
    f.q = q.strip() if q and q.strip() else None
    f.modalities = [m.lower() for m in _split(modality)]
    for m in f.modalities:
        if m not in MODALITIES:
            raise _bad(f"unknown modality {m!r}. Available: {', '.join(MODALITIES)}")
    f.min_confidence = min_confidence
    f.article_id = article_id or None
    return f


def _in(column: str, values: list[Any]) -> str:
    return f"{column} IN ({','.join('?' * len(values))})"


def fts_query(conn: sqlite3.Connection, text: str) -> str:
    """Return ``text`` as an FTS5 query: as written when it parses, else its words quoted.

    Analysts type words, phrases and operators (``niger AND "troops"``); anything FTS5 cannot
    parse (``O'Brien``, a stray quote) is searched as plain words instead of failing.
    """
    text = _CONTROL.sub(" ", text).strip()
    try:
        conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1",
                     (text,)).fetchall()
        return text
    except sqlite3.DatabaseError:
        words = [w for w in text.split() if w]
        return " ".join('"' + w.replace('"', '""') + '"' for w in words) or '""'


def _fts_is_broad(conn: sqlite3.Connection, query: str) -> bool:
    """Return True if ``query`` matches a large share of the articles (measured, capped)."""
    total = conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0
    cap = max(BROAD_FTS_MIN, int(total * BROAD_FTS_SHARE))
    hits = conn.execute("SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts"
                        " MATCH ? LIMIT ?)", (query, cap)).fetchone()[0]
    return bool(hits >= cap)


def where_sql(conn: sqlite3.Connection, f: Filters, max_span_days: int | None = None,
              articles_joined: bool = False,
              actor_plan: tuple[list[str], int] | None = None,
              country_plan: bool = False) -> tuple[str, list[Any]]:
    """Return ``(" WHERE ...", args)`` over ``events e`` for ``f``; values are all bound.

    ``max_span_days`` (the longest ``date_end - date_start`` in the store, see
    :class:`SpanTracker`) adds a redundant lower bound on ``date_start`` to ``since``, so the
    overlap test ``date_end >= since AND date_start <= until`` becomes an index range.
    ``articles_joined``: the query joins ``articles a`` (lets ``q`` test article rowids).
    ``actor_plan``: ``(names, rowid)`` from :class:`ActorNames` for a rare actor.
    ``country_plan``: the countries are rare (see :meth:`ReadPool.where`): collect their
    events through the country indexes first and keep the type and date indexes out of it.
    """
    where: list[str] = []
    args: list[Any] = []
    # "+" stops SQLite from driving the query from an index on that column
    plus = "+" if country_plan else ""
    if f.types:
        where.append(_in(f"{plus}e.type", f.types))
        args += f.types
    if f.modes:
        where.append(_in("e.mode", f.modes))
        args += f.modes
    if f.modalities:
        where.append(_in("e.modality", f.modalities))
        args += f.modalities
    if f.countries and country_plan:
        where.append("e.id IN (SELECT x.event_id FROM event_actors x WHERE"
                     f" x.role IN ('source', 'target') AND {_in('x.country', f.countries)}"
                     " UNION SELECT p.id FROM events p WHERE"
                     f" {_in('p.place_country', f.countries)})")
        args += [*f.countries, *f.countries]
    elif f.countries:
        ors = []
        for c in f.countries:
            ors.append("e.source_countries LIKE ? OR e.target_countries LIKE ?"
                       " OR e.place_country = ?")
            args += [f"% {c} %", f"% {c} %", c]
        where.append("(" + " OR ".join(ors) + ")")
    roles = ("'source', 'target'" if f.role == "any" else f"'{f.role}'")  # fixed literals
    if f.actor:
        pat = _like(f.actor)
        match = (f"x.role IN ({roles}) AND (x.name LIKE ? ESCAPE '\\'"
                 " OR x.text LIKE ? ESCAPE '\\' OR x.kb_id = ? OR x.country = ?)")
        if actor_plan is not None:
            # a rare actor: collect its events first (index on event_actors.name), then
            # test membership; rows newer than the dictionary are checked in full
            names, seen_rowid = actor_plan
            where.append("e.id IN (SELECT x.event_id FROM event_actors x WHERE"
                         f" ({_in('x.name', names)} OR x.rowid > ?) AND {match})")
            args += [*names, seen_rowid, pat, pat, f.actor, f.actor.upper()]
        else:
            where.append("EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.id"
                         f" AND {match})")
            args += [pat, pat, f.actor, f.actor.upper()]
    if f.sectors:
        where.append("EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.id"
                     f" AND x.role IN ({roles}) AND {_in('x.sector', f.sectors)})")
        args += f.sectors
    if f.km is not None and f.lat is not None and f.lon is not None:
        # a bounding box the index can use first, then the exact great-circle distance
        dlat = math.degrees(f.km / _EARTH_KM)
        where.append("e.lat BETWEEN ? AND ?")
        args += [f.lat - dlat, f.lat + dlat]
        coslat = math.cos(math.radians(f.lat))
        if coslat > 1e-6 and dlat / coslat < 180:
            dlon = dlat / coslat
            lo, hi = f.lon - dlon, f.lon + dlon
            if lo >= -180 and hi <= 180:
                where.append("e.lon BETWEEN ? AND ?")
                args += [lo, hi]
        where.append("tidings_km(e.lat, e.lon, ?, ?) <= ?")
        args += [f.lat, f.lon, f.km]
    if f.bbox:
        w, s, e, n = f.bbox
        where.append("e.lat BETWEEN ? AND ?")
        args += [s, n]
        if w <= e:
            where.append("e.lon BETWEEN ? AND ?")
            args += [w, e]
        else:
            where.append("(e.lon >= ? OR e.lon <= ?)")
            args += [w, e]
    if f.since:
        where.append("e.date_end >= ?")
        args.append(f.since)
        if max_span_days is not None:
            try:
                lower = date.fromisoformat(f.since) - timedelta(days=max_span_days + 1)
                where.append(f"{plus}e.date_start >= ?")
                args.append(lower.isoformat())
            except (ValueError, OverflowError):
                pass  # a since before year 1 plus a long span: no bound, still correct
    if f.until:
        where.append(f"{plus}e.date_start <= ?")
        args.append(f.until)
    if f.min_confidence is not None:
        where.append("e.confidence >= ?")
        args.append(f.min_confidence)
    if f.article_id:
        where.append("e.article_id = ?")
        args.append(f.article_id)
    if f.q:
        query = fts_query(conn, f.q)
        if not articles_joined:
            where.append("e.article_id IN (SELECT a.id FROM articles a WHERE a.rowid IN"
                         " (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))")
        elif _fts_is_broad(conn, query):
            # most articles match: walk events in sort order and test membership ("+" keeps
            # the planner from driving the join from the FTS hits)
            where.append("+a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts"
                         " MATCH ?)")
        else:
            where.append("a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts"
                         " MATCH ?)")
        args.append(query)
    return (" WHERE " + " AND ".join(where) if where else ""), args


# ---------------------------------------------------------------- cursors

def encode_cursor(sort: str, value: Any, event_id: str) -> str:
    """Return an opaque cursor for the row after (``value``, ``event_id``) in ``sort``."""
    raw = json.dumps([sort, value, event_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, str]:
    """Return the (value, id) keyset of ``cursor``; raise ApiError E502 if it is not one."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        s, value, event_id = json.loads(raw)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ApiError(400, "E502", "E502 invalid cursor: pass next_cursor back unchanged")\
            from None
    if s != sort or not isinstance(event_id, str) or not isinstance(value, (str, int, float)):
        raise ApiError(400, "E502", f"E502 the cursor belongs to another sort order ({s!r}):"
                       " start again without a cursor")
    return value, event_id


# ---------------------------------------------------------------- connections

def _haversine(lat1: float | None, lon1: float | None, lat2: float, lon2: float) -> float | None:
    if lat1 is None or lon1 is None:
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


class SpanTracker:
    """Track the longest event span (``date_end - date_start``, in days) of the store.

    Only rows added since the last look are scanned (rowids grow as ``tidings run`` appends);
    a full rescan every ``full_every`` seconds, or when rows disappear, catches replaced rows.
    Checked at most every ``every`` seconds, so an event longer than any seen before may be
    missed by a ``since`` filter for that long after it is stored.
    """

    def __init__(self, every: float = 5.0, full_every: float = 600.0) -> None:
        self.every = every
        self.full_every = full_every
        self._lock = threading.Lock()
        self._rowid = 0
        self._days = 0
        self._checked = -math.inf
        self._full = -math.inf

    def days(self, conn: sqlite3.Connection) -> int:
        """Return the longest span in days (refreshing it when due)."""
        now = time.monotonic()
        if now - self._checked < self.every:
            return self._days
        with self._lock:
            if now - self._checked < self.every:
                return self._days
            top = conn.execute("SELECT max(rowid) FROM events").fetchone()[0] or 0
            full = top < self._rowid or now - self._full > self.full_every
            start = 0 if full else self._rowid
            if full or top > self._rowid:
                span = conn.execute(
                    "SELECT max(julianday(date_end) - julianday(date_start)) FROM events"
                    " WHERE rowid > ? AND rowid <= ? AND date_end != date_start",
                    (start, top)).fetchone()[0]
                span_days = int(math.ceil(span)) if span is not None and span > 0 else 0
                self._days = span_days if full else max(self._days, span_days)
                self._rowid = top
                if full:
                    self._full = now
            self._checked = now
            return self._days

    def forget(self) -> None:
        """Force a full rescan on the next call (after this process wrote)."""
        with self._lock:
            self._checked = -math.inf
            self._full = -math.inf


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class ActorNames:
    """The store's distinct actor mentions ``(role, name, text, kb_id, country) → rows``.

    Lets the API tell a rare actor (collect its events through an index on
    ``event_actors(name)``) from a common one (walk events in order and test each): the
    ``actor`` filter matches exactly as in SQL (ASCII case-insensitive substring of name or
    text, or equal kb_id / country). Kept up to date like :class:`SpanTracker`; off (None)
    for stores with more than ``max_entries`` distinct mentions.
    """

    def __init__(self, every: float = 5.0, full_every: float = 600.0,
                 max_entries: int = 200_000) -> None:
        self.every = every
        self.full_every = full_every
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._rowid = 0
        self._entries: dict[tuple[str, str, str, str, str], int] = {}
        self._total = 0
        self._checked = -math.inf
        self._full = -math.inf
        self._off = False

    def _refresh(self, conn: sqlite3.Connection) -> None:
        now = time.monotonic()
        if now - self._checked < self.every:
            return
        with self._lock:
            if now - self._checked < self.every:
                return
            top = conn.execute("SELECT max(rowid) FROM event_actors").fetchone()[0] or 0
            full = top < self._rowid or now - self._full > self.full_every
            if full:
                self._entries, self._total, self._rowid, self._off = {}, 0, 0, False
                self._full = now
            if top > self._rowid and not self._off:
                for role, name, text, kb, cty, n in conn.execute(
                        "SELECT role, name, text, kb_id, country, count(*) FROM event_actors"
                        " WHERE rowid > ? AND rowid <= ? AND role IN ('source', 'target')"
                        " GROUP BY 1, 2, 3, 4, 5", (self._rowid, top)):
                    key = (role, name or "", text or "", kb or "", cty or "")
                    self._entries[key] = self._entries.get(key, 0) + n
                    self._total += n
                if len(self._entries) > self.max_entries:
                    self._off, self._entries = True, {}
            self._rowid = top
            self._checked = now

    def plan(self, conn: sqlite3.Connection, actor: str, role: str,
             rare_share: float) -> tuple[list[str], int] | None:
        """Return ``(names, rowid)`` when ``actor`` matches under ``rare_share`` of the actor
        rows (and at least one name), else None (the caller walks events in order)."""
        self._refresh(conn)
        if self._off or not self._total:
            return None
        needle = actor.translate(_ASCII_LOWER)
        upper = actor.upper()
        names: set[str] = set()
        rows = 0
        for (r, name, text, kb, cty), n in self._entries.items():
            if role != "any" and r != role:
                continue
            if (needle in name.translate(_ASCII_LOWER) or needle in text.translate(_ASCII_LOWER)
                    or kb == actor or cty == upper):
                names.add(name)
                rows += n
        if not names or rows > rare_share * self._total or len(names) > 500:
            return None
        return sorted(names), self._rowid

    def forget(self) -> None:
        """Force a refresh on the next call (after this process wrote)."""
        with self._lock:
            self._checked = -math.inf


class ReadPool:
    """A small pool of read-only connections to the store, one per concurrent request."""

    def __init__(self, path: Path, size: int = 8) -> None:
        self.path = path
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue(maxsize=size)
        self.spans = SpanTracker()
        self.actors = ActorNames()
        self._has_name_index: bool | None = None
        self._has_country_indexes: bool | None = None

    def where(self, conn: sqlite3.Connection, f: Filters, articles_joined: bool = False,
              ) -> tuple[str, list[Any]]:
        """Return :func:`where_sql` of ``f`` with the store's longest event span and, for a
        rare actor, its names (only where ``event_actors(name)`` is indexed)."""
        plan = None
        if f.actor:
            if self._has_name_index is None:
                self._has_name_index = conn.execute(
                    "SELECT 1 FROM pragma_index_info(il.name) AS ii, pragma_index_list("
                    "'event_actors') AS il WHERE ii.seqno = 0 AND ii.name = 'name'"
                ).fetchone() is not None
            if self._has_name_index:
                plan = self.actors.plan(conn, f.actor, f.role, RARE_ACTOR_SHARE)
        return where_sql(conn, f, self.spans.days(conn) if f.since else None,
                         articles_joined=articles_joined, actor_plan=plan,
                         country_plan=plan is None and self._rare_countries(conn, f))

    def _rare_countries(self, conn: sqlite3.Connection, f: Filters) -> bool:
        """True when ``f.countries`` name few events (at most RARE_COUNTRY_EVENTS, counted
        through the indexes, capped) and the store has both country indexes: then collecting
        their events first beats walking a type or date index and testing each row."""
        if not f.countries or f.actor or f.q or f.bbox or f.km is not None:
            return False
        if self._has_country_indexes is None:
            names = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index'")}
            self._has_country_indexes = {"event_actors_country",
                                         "events_place_country"} <= names
        if not self._has_country_indexes:
            return False
        cap = RARE_COUNTRY_EVENTS + 1
        n = conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM event_actors WHERE"
            f" {_in('country', f.countries)} LIMIT ?)", [*f.countries, cap]).fetchone()[0]
        if n >= cap:
            return False
        n += conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM events WHERE"
            f" {_in('place_country', f.countries)} LIMIT ?)", [*f.countries, cap]).fetchone()[0]
        return bool(n < cap)

    def warm(self) -> None:
        """Build the span and actor caches now, so no request pays for the first build."""
        try:
            with self.connection() as conn:
                self.spans.days(conn)
                self.actors.plan(conn, "", "any", RARE_ACTOR_SHARE)
        except ApiError:
            pass  # no database yet: requests will say so

    def forget(self) -> None:
        """Drop cached facts about the store (after this process wrote to it)."""
        self.spans.forget()
        self.actors.forget()

    def _open(self) -> sqlite3.Connection:
        try:
            conn = connect(self.path, readonly=True)
        except StoreError as exc:
            raise ApiError(503, "E503", f"E503 {exc}") from exc
        conn.create_function("tidings_km", 4, _haversine, deterministic=True)
        conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")  # reads skip a copy per page
        return conn

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """Lend a read-only connection for the duration of a block."""
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = self._open()
        try:
            yield conn
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise ApiError(503, "E503", f"E503 the database cannot be read: {exc}") from exc
        else:
            try:
                self._idle.put_nowait(conn)
            except queue.Full:
                conn.close()

    def close(self) -> None:
        """Close every idle connection."""
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Return True if the store has a table ``name`` (e.g. the story tables)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                        (name,)).fetchone() is not None


# ---------------------------------------------------------------- records

_EVENT_COLUMNS = (
    "e.id, e.article_id, e.type, e.mode, e.modality, e.confidence, e.date_start, e.date_end,"
    " e.date_granularity, e.date_basis, e.trigger_text, e.trigger_start, e.trigger_end,"
    " e.sentence_start, e.sentence_end, e.evidence, e.place_name, e.place_country,"
    " e.place_admin1, e.geonameid, e.lat, e.lon, e.place_kind, e.time_text, e.time_value,"
    " e.json, a.title AS article_title, a.published AS article_published,"
    " a.source AS article_source, a.url AS article_url")


def event_item(r: sqlite3.Row) -> dict[str, Any]:
    """Return the API record of one event row (selected with ``_EVENT_COLUMNS``)."""
    ev = json.loads(r["json"])
    return {
        "id": r["id"], "article_id": r["article_id"], "type": r["type"],
        "quad": QUAD_OF.get(r["type"]), "mode": r["mode"], "modality": r["modality"],
        "confidence": r["confidence"], "date_start": r["date_start"], "date_end": r["date_end"],
        "date_granularity": r["date_granularity"], "date_basis": r["date_basis"],
        "trigger": {"text": r["trigger_text"], "start": r["trigger_start"],
                    "end": r["trigger_end"]},
        "sentence": {"start": r["sentence_start"], "end": r["sentence_end"]},
        "evidence": r["evidence"],
        "place": {"name": r["place_name"], "country": r["place_country"],
                  "admin1": r["place_admin1"], "geonameid": r["geonameid"], "lat": r["lat"],
                  "lon": r["lon"], "kind": r["place_kind"]} if r["place_name"] or
        r["lat"] is not None or r["place_country"] else None,
        "lat": r["lat"], "lon": r["lon"],
        "source": ev.get("source", []), "target": ev.get("target", []),
        "article": {"id": r["article_id"], "title": r["article_title"],
                    "published": r["article_published"], "source": r["article_source"],
                    "url": r["article_url"]},
    }


def _mention_of(item: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """Return an event row in the shape of ``stories.story_mentions`` (a story of one)."""
    art = item["article"]
    return {"event_id": item["id"], "article_id": item["article_id"],
            "published": art["published"], "title": art["title"], "source": art["source"],
            "url": art["url"], "type": item["type"], "mode": item["mode"],
            "modality": item["modality"], "date_start": item["date_start"],
            "date_end": item["date_end"], "date_granularity": item["date_granularity"],
            "date_basis": item["date_basis"], "trigger_text": item["trigger"]["text"],
            "evidence": item["evidence"], "place_name": (item["place"] or {}).get("name"),
            "place_country": (item["place"] or {}).get("country"),
            "confidence": item["confidence"], "score": 1.0,
            "magnitudes": event.get("magnitudes") or {}, "source_actors": item["source"],
            "target_actors": item["target"], "copies": []}


def _story_summary(s: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "type", "mode", "modality", "date_start", "date_end", "date_granularity",
            "date_basis", "place_name", "place_country", "lat", "lon", "mention_count",
            "event_count", "article_count", "source_count", "sources", "first_reported",
            "last_reported", "confidence", "evidence", "magnitudes")
    out = {k: s.get(k) for k in keep}
    out["source"] = s.get("source_actors", [])
    out["target"] = s.get("target_actors", [])
    out["quad"] = QUAD_OF.get(s.get("type") or "")
    return out


# ---------------------------------------------------------------- ingest

class ArticleIn(BaseModel):
    """An article to ingest: its text and publication date, optional metadata."""

    text: str = Field(..., min_length=1, description="Article text (paragraphs by blank lines)")
    published: str = Field(..., description="Publication date, YYYY-MM-DD")
    title: str | None = Field(None, max_length=1000)
    source: str | None = Field(None, max_length=200, description="Outlet, e.g. AP")
    url: str | None = Field(None, max_length=2000)


IngestFn = Callable[[Path, Any], dict[str, Any]]


def ingest_one(db: Path, article: Any) -> dict[str, Any]:
    """Extract and store one Article through the path of ``tidings run``; return a summary."""
    from ..ingest import ingest_items

    s = ingest_items([article], db)
    status = ("near-duplicate" if s.near_duplicates else "stored" if s.stored else
              "updated" if s.updated else "skipped")
    return {"id": article.id, "status": status, "events": sum(s.events_by_type.values()),
            "events_by_type": dict(s.events_by_type), "stories": s.stories,
            "new_sentences": s.copy_sentences_new if s.near_duplicates else None}


class Writer:
    """The single writer: one thread runs every write, in arrival order."""

    def __init__(self, db: Path, ingest: IngestFn) -> None:
        self.db = db
        self._ingest = ingest
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tidings-writer")
        self._lock = threading.Lock()

    def _run(self, article: Any) -> dict[str, Any]:
        with self._lock:
            return self._ingest(self.db, article)

    async def ingest(self, article: Any) -> dict[str, Any]:
        """Queue ``article`` on the writer thread and wait for its result."""
        return await asyncio.wrap_future(self._pool.submit(self._run, article))

    def close(self) -> None:
        """Finish queued writes and stop the thread."""
        self._pool.shutdown(wait=True)


# ---------------------------------------------------------------- the app

@dataclass
class Settings:
    """What an operator chooses when starting the server (see ``tidings serve --help``)."""

    db: Path
    token: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    cors_origins: list[str] = field(default_factory=list)
    allowed_hosts: list[str] | None = None
    pool_size: int = 8


def _page_limit(limit: int) -> int:
    return max(1, min(limit, MAX_PAGE))


def create_app(db: str | Path = "tidings.db", token: str | None = None,
               max_body: int = DEFAULT_MAX_BODY, cors_origins: list[str] | None = None,
               allowed_hosts: list[str] | None = None, ingest: IngestFn | None = None,
               pool_size: int = 8) -> FastAPI:
    """Build the API + dashboard app over the store at ``db``.

    ``token`` enables ``POST /api/articles`` (bearer auth, at least 16 characters);
    ``cors_origins`` enables CORS for those origins (off by default); ``allowed_hosts``
    rejects requests whose Host header is not listed (``tidings serve`` sets the loopback
    names when it binds a loopback address, against DNS rebinding).
    """
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise ValueError(f"E514 the API token must have at least {MIN_TOKEN_CHARS} characters")
    settings = Settings(db=Path(db), token=token, max_body=max_body,
                        cors_origins=list(cors_origins or []), allowed_hosts=allowed_hosts,
                        pool_size=pool_size)
    pool = ReadPool(settings.db, size=pool_size)
    writer = Writer(settings.db, ingest or ingest_one)

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

    _install_errors(app)
    _install_middleware(app, settings)
    _install_read_routes(app, pool)
    _install_write_routes(app, settings, writer)
    _install_static(app)
    return app


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("tidings")
    except Exception:  # noqa: BLE001 - not installed: a source checkout
        return "0"


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(_error_body(exc.status, exc.code, exc.message),
                            status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = "E504" if exc.status_code == 404 else f"E{exc.status_code}"
        return JSONResponse(_error_body(exc.status_code, code, f"{code} {exc.detail}"),
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errs = exc.errors()
        first = errs[0] if errs else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        msg = f"E501 {where}: {first.get('msg', 'invalid value')}"
        body = _error_body(422, "E501", msg)
        body["detail"] = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"),
                           "type": e.get("type")} for e in errs]
        return JSONResponse(body, status_code=422)


#: read endpoints whose 200 answers :class:`ResponseCache` keeps (export streams; not cached)
CACHED_PREFIXES = ("/api/events", "/api/map", "/api/graph", "/api/stats", "/api/actors",
                   "/api/articles", "/api/meta")


class ResponseCache:
    """Pure-ASGI cache of read answers, keyed by path and query string and valid for one
    version of the store: the size, mtime and inode of the database file and of its WAL. Any
    commit (``tidings run``, ``POST /api/articles``, another process) changes the WAL, so an
    answer is never served for a store that changed after it was computed; an answer computed
    while the store changed is not kept. Dashboards ask the same questions over and over (every
    visitor's first view), which is what this is for. Bounded by entries and bytes (LRU)."""

    def __init__(self, app: Any, db: Path, max_entries: int = 512,
                 max_bytes: int = 64 << 20, max_item: int = 2 << 20,
                 registry: dict[str, Any] | None = None) -> None:
        from collections import OrderedDict

        if registry is not None:
            registry["cache"] = self  # so tests and /api/meta can read hits and misses
        self.app, self.db = app, Path(db)
        self.wal = Path(str(db) + "-wal")
        self.entries: OrderedDict[tuple[str, bytes], tuple[Any, ...]] = OrderedDict()
        self.max_entries, self.max_bytes, self.max_item = max_entries, max_bytes, max_item
        self.size = 0
        self.hits = self.misses = 0

    def version(self) -> tuple[Any, ...]:
        out: list[Any] = []
        for p in (self.db, self.wal):
            try:
                st = os.stat(p)
                out += [st.st_mtime_ns, st.st_size, st.st_ino]
            except OSError:
                out.append(None)
        return tuple(out)

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


def _install_middleware(app: FastAPI, settings: Settings) -> None:
    # the last added is the outermost: the cache sits right around the routes, so the host,
    # CORS and security-header layers still run for every answer, cached or not
    app.state.registry = {}
    if os.environ.get("TIDINGS_API_CACHE", "on").strip().lower() not in ("off", "0", "false"):
        app.add_middleware(ResponseCache, db=settings.db, registry=app.state.registry)
    app.add_middleware(SecurityHeaders)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    if settings.allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)


# ---------------------------------------------------------------- read routes

FiltersDep = Annotated[Filters, Depends(event_filters)]


def _install_read_routes(app: FastAPI, pool: ReadPool) -> None:  # noqa: C901 - route table

    @app.get("/api/meta", tags=["meta"])
    def meta() -> dict[str, Any]:
        """Describe the store: counts, date range, story tables, whether ingest is on."""
        with pool.connection() as conn:
            # min/max over the date_start index (max(date_end) would scan the table)
            n_events, first, last = conn.execute(
                "SELECT count(*), min(date_start), max(date_start) FROM events").fetchone()
            n_articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            stories = has_table(conn, "story_events")
            n_stories = conn.execute("SELECT count(*) FROM story_events").fetchone()[0] \
                if stories else None
        return {"version": app.version, "articles": n_articles, "events": n_events,
                "stories": n_stories, "first_date": first, "last_date": last,
                "ingest": app.state.settings.token is not None,
                "types": list(PLOVER_TYPES), "modalities": list(MODALITIES),
                "sectors": list(SECTORS),
                "quads": {str(k): {"name": n, "types": list(t)} for k, (n, t) in QUADS.items()}}

    @app.get("/api/events", tags=["events"])
    def list_events(
        f: FiltersDep,
        sort: Annotated[str, Query(description="date, -date, confidence or -confidence")
                        ] = "-date",
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        cursor: Annotated[str | None, Query(description="next_cursor of the previous page",
                                            max_length=2000)] = None,
        count: Annotated[bool, Query(description="Also count every matching event")] = False,
    ) -> Response:
        """List events matching the filters, in a stable order, a page at a time.

        Answers ``{"items": [...], "next_cursor": str | null, "count": int | null}``; pass
        ``next_cursor`` back (with the same filters and sort) for the next page."""
        if sort not in SORTS:
            raise _bad(f"unknown sort {sort!r}. Available: {', '.join(SORTS)}")
        desc = sort.startswith("-")
        col = _SORT_COLUMN[sort.lstrip("-")]
        with pool.connection() as conn:
            where, args = pool.where(conn, f, articles_joined=True)
            total = None
            if count:
                total = conn.execute("SELECT count(*) FROM events e JOIN articles a"
                                     f" ON a.id = e.article_id{where}", args).fetchone()[0]
            page_where, page_args = where, list(args)
            if cursor:
                value, last_id = decode_cursor(cursor, sort)
                op = "<" if desc else ">"
                page_where += (" AND " if where else " WHERE ") + f"({col}, e.id) {op} (?, ?)"
                page_args += [value, last_id]
            order = "DESC" if desc else "ASC"
            n = _page_limit(limit)
            rows = conn.execute(
                f"SELECT {_EVENT_COLUMNS}, {col} AS sort_value FROM events e"
                f" JOIN articles a ON a.id = e.article_id{page_where}"
                f" ORDER BY {col} {order}, e.id {order} LIMIT ?", [*page_args, n + 1]).fetchall()
        items = [event_item(r) for r in rows[:n]]
        nxt = encode_cursor(sort, rows[n - 1]["sort_value"], rows[n - 1]["id"]) \
            if len(rows) > n else None
        return fast_json({"items": items, "next_cursor": nxt, "count": total, "sort": sort})

    @app.get("/api/events/{event_id}", tags=["events"])
    def get_event(event_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        """Return one event mention with its evidence, its article and every mention of the
        story it belongs to (when the store has story tables); a story id returns the story."""
        with pool.connection() as conn:
            row = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events e JOIN articles a"
                               " ON a.id = e.article_id WHERE e.id = ?", (event_id,)).fetchone()
            stories_here = has_table(conn, "story_events") and has_table(conn, "story_mentions")
            if row is None:
                if stories_here:
                    story = _load_story(conn, event_id)
                    if story is not None:
                        return {"kind": "story", **_story_summary(story),
                                "mentions": story["mentions"]}
                raise ApiError(404, "E504", f"E504 no event {event_id!r}")
            item = event_item(row)
            event = json.loads(row["json"])
            story = None
            mentions: list[dict[str, Any]] = []
            if stories_here:
                from ..stories import story_of_event

                sid = story_of_event(conn, event_id)
                loaded = _load_story(conn, sid) if sid else None
                if loaded is not None:
                    story = _story_summary(loaded)
                    mentions = loaded["mentions"]
            if not mentions:
                mentions = [_mention_of(item, event)]
        return {"kind": "mention", **item, "event": event, "story": story,
                "mentions": mentions}

    @app.get("/api/articles", tags=["articles"])
    def list_articles(
        q: Annotated[str | None, Query(description="Full-text query (FTS5)", max_length=500)
                     ] = None,
        since: Annotated[str | None, Query(description="Published on or after")] = None,
        until: Annotated[str | None, Query(description="Published on or before")] = None,
        source: Annotated[str | None, Query(description="Outlet (exact)", max_length=200)
                          ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        cursor: Annotated[str | None, Query(max_length=2000)] = None,
    ) -> dict[str, Any]:
        """List articles, newest first, with their event counts (and a snippet with ``q``)."""
        lo = _norm_date(since, "since", end=False)
        hi = _norm_date(until, "until", end=True)
        where: list[str] = []
        args: list[Any] = []
        with pool.connection() as conn:
            frm = "articles a"
            snippet = "NULL"
            if q and q.strip():
                frm = "articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
                snippet = "snippet(articles_fts, 1, '[', ']', '…', 12)"
                where.append("articles_fts MATCH ?")
                args.append(fts_query(conn, q.strip()))
            if lo:
                where.append("a.published >= ?")
                args.append(lo)
            if hi:
                where.append("a.published <= ?")
                args.append(hi)
            if source:
                where.append("a.source = ?")
                args.append(source)
            if cursor:
                value, last_id = decode_cursor(cursor, "-published")
                where.append("(a.published, a.id) < (?, ?)")
                args += [value, last_id]
            n = _page_limit(limit)
            sql = (f"SELECT a.id, a.published, a.title, a.section, a.source, a.url,"
                   f" {snippet} AS snippet,"
                   " (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS event_count"
                   f" FROM {frm}" + (" WHERE " + " AND ".join(where) if where else "")
                   + " ORDER BY a.published DESC, a.id DESC LIMIT ?")
            rows = conn.execute(sql, [*args, n + 1]).fetchall()
        items = [dict(r) for r in rows[:n]]
        nxt = encode_cursor("-published", rows[n - 1]["published"], rows[n - 1]["id"]) \
            if len(rows) > n else None
        return {"items": items, "next_cursor": nxt}

    @app.get("/api/articles/{article_id}", tags=["articles"],
             responses={200: {"description": "The Document JSON (DESIGN section 3)"}})
    def get_article(article_id: Annotated[str, PathParam(max_length=200)]) -> Response:
        """Return an article's Document JSON (by id, or by a unique prefix of 6+ characters)."""
        with pool.connection() as conn:
            rows = conn.execute("SELECT document FROM articles WHERE id = ?",
                                (article_id,)).fetchall()
            if not rows and len(article_id) >= 6:
                rows = conn.execute("SELECT document FROM articles WHERE substr(id, 1, ?) = ?"
                                    " LIMIT 2", (len(article_id), article_id)).fetchall()
        if len(rows) != 1:
            raise ApiError(404, "E504", f"E504 no article {article_id!r}"
                           + (" (the prefix is ambiguous)" if len(rows) > 1 else ""))
        return Response(rows[0][0], media_type="application/json")

    @app.get("/api/actors", tags=["actors"])
    def list_actors(
        f: FiltersDep,
        name: Annotated[str | None, Query(description="Substring of the actor name",
                                          max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> dict[str, Any]:
        """List actors (name, country) with their event counts as source and as target."""
        with pool.connection() as conn:
            where, args = pool.where(conn, f)
            extra = ""
            if name:
                extra = " AND (x.name LIKE ? ESCAPE '\\' OR x.text LIKE ? ESCAPE '\\')"
                args += [_like(name), _like(name)]
            rows = conn.execute(
                "SELECT x.name, x.country, group_concat(DISTINCT x.sector) AS sectors,"
                " min(x.kb_id) AS kb_id, count(DISTINCT x.event_id) AS events,"
                " sum(x.role = 'source') AS as_source, sum(x.role = 'target') AS as_target"
                " FROM event_actors x WHERE x.role IN ('source', 'target')"
                f" AND x.event_id IN (SELECT e.id FROM events e{where}){extra}"
                " GROUP BY x.name, x.country ORDER BY events DESC, x.name LIMIT ? OFFSET ?",
                [*args, _page_limit(limit), offset]).fetchall()
        items = []
        for r in rows:
            d = dict(r)
            d["sectors"] = sorted(set((d["sectors"] or "").split(","))) if d["sectors"] else []
            items.append(d)
        return {"items": items, "offset": offset,
                "next_offset": offset + len(items) if len(items) == _page_limit(limit) else None}

    @app.get("/api/stats", tags=["stats"])
    def stats(
        f: FiltersDep,
        interval: Annotated[str, Query(description="day, week (ISO, from Monday), month, year"
                                       " or all")] = "month",
        by: Annotated[str, Query(description="type, quad, country (of the place), actor"
                                 " (source actors), modality or none")] = "type",
        top: Annotated[int, Query(ge=1, le=200, description="country/actor: keep the top N"
                                  " keys, fold the rest into 'other' (null: none known)")
                       ] = 20,
    ) -> dict[str, Any]:
        """Count events by period × key (the timeline and the summary tables)."""
        periods = {"day": "e.date_start",
                   "week": "date(e.date_start, '-' || ((CAST(strftime('%w', e.date_start)"
                           " AS INTEGER) + 6) % 7) || ' days')",
                   "month": "substr(e.date_start, 1, 7)", "year": "substr(e.date_start, 1, 4)",
                   "all": "'all'"}
        keys = {"type": "e.type", "quad": "e.type", "country": "e.place_country",
                "actor": "x.name", "modality": "e.modality", "none": "'all'"}
        if interval not in periods:
            raise _bad(f"unknown interval {interval!r}. Available: {', '.join(periods)}")
        if by not in keys:
            raise _bad(f"unknown by {by!r}. Available: {', '.join(keys)}")
        join = (" JOIN event_actors x ON x.event_id = e.id AND x.role = 'source'"
                if by == "actor" else "")
        with pool.connection() as conn:
            where, args = pool.where(conn, f)
            rows = conn.execute(
                f"SELECT {periods[interval]} AS period, {keys[by]} AS key,"
                f" {'count(DISTINCT e.id)' if join else 'count(*)'} AS n"
                f" FROM events e{join}{where}"
                " GROUP BY period, key ORDER BY period, key", args).fetchall()
        counts: dict[tuple[str, Any], int] = defaultdict(int)
        for period, key, n in rows:
            if by == "quad":
                key = QUAD_OF.get(key)
            counts[(period, key)] += n
        if by in ("country", "actor"):
            totals: dict[Any, int] = defaultdict(int)
            for (_, key), n in counts.items():
                totals[key] += n
            keep = {k for k, _ in sorted(totals.items(), key=lambda kv: (-kv[1], str(kv[0])))
                    [:top]}
            folded: dict[tuple[str, Any], int] = defaultdict(int)
            for (period, key), n in counts.items():
                folded[(period, key if key in keep or key is None else "other")] += n
            counts = folded
        ordered = sorted(counts.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))
        buckets = [{"period": p, "key": k, "count": n} for (p, k), n in ordered]
        return {"interval": interval, "by": by, "total": sum(counts.values()),
                "buckets": buckets}

    @app.get("/api/map", tags=["stats"])
    def map_points(
        f: FiltersDep,
        cell: Annotated[float, Query(gt=0, le=10, description="Grid cell in degrees")] = 0.25,
    ) -> dict[str, Any]:
        """Aggregate located events on a grid: ``[lat, lon, count, [q1, q2, q3, q4]]`` per cell
        (mean position of the cell's events; counts per quad class) plus counts by country."""
        with pool.connection() as conn:
            where, args = pool.where(conn, f)
            located = (" AND " if where else " WHERE ") + "e.lat IS NOT NULL AND e.lon IS NOT NULL"
            rows = conn.execute(
                "SELECT CAST(round(e.lat / ?) AS INTEGER) AS gy,"
                " CAST(round(e.lon / ?) AS INTEGER) AS gx, e.type, count(*) AS n,"
                " avg(e.lat) AS la, avg(e.lon) AS lo"
                f" FROM events e{where}{located} GROUP BY gy, gx, e.type",
                [cell, cell, *args]).fetchall()
            by_country = conn.execute(
                f"SELECT e.place_country, count(*) FROM events e{where}"
                + (" AND " if where else " WHERE ") + "e.place_country IS NOT NULL"
                " GROUP BY e.place_country", args).fetchall()
        cells: dict[tuple[int, int], list[Any]] = {}
        for gy, gx, typ, n, la, lo in rows:
            c = cells.setdefault((gy, gx), [0.0, 0.0, 0, [0, 0, 0, 0]])
            c[0] += la * n
            c[1] += lo * n
            c[2] += n
            c[3][QUAD_OF.get(typ, 4) - 1] += n
        out = [[round(c[0] / c[2], 4), round(c[1] / c[2], 4), c[2], c[3]] for c in cells.values()]
        return {"cell": cell, "cells": out, "countries": dict(by_country),
                "located": sum(c[2] for c in out)}

    @app.get("/api/graph", tags=["stats"])
    def graph(
        f: FiltersDep,
        level: Annotated[str, Query(description="actor (name) or country")] = "actor",
        limit: Annotated[int, Query(ge=1, le=500, description="Strongest edges kept")] = 60,
    ) -> dict[str, Any]:
        """Who acts on whom: source → target edges with cooperation / conflict counts."""
        if level not in ("actor", "country"):
            raise _bad(f"unknown level {level!r}. Available: actor, country")
        key = "coalesce(s.name, s.country)" if level == "actor" else "s.country"
        tkey = "coalesce(t.name, t.country)" if level == "actor" else "t.country"
        with pool.connection() as conn:
            where, args = pool.where(conn, f)
            rows = conn.execute(
                f"SELECT {key} AS src, s.country, {tkey} AS tgt, t.country, e.type,"
                " count(DISTINCT e.id) FROM events e"
                " JOIN event_actors s ON s.event_id = e.id AND s.role = 'source'"
                " JOIN event_actors t ON t.event_id = e.id AND t.role = 'target'"
                f"{where} GROUP BY src, s.country, tgt, t.country, e.type", args).fetchall()
        edges: dict[tuple[str, str], dict[str, Any]] = {}
        nodes: dict[str, dict[str, Any]] = {}
        for src, scty, tgt, tcty, typ, n in rows:
            if not src or not tgt or src == tgt:
                continue
            e = edges.setdefault((src, tgt), {"source": src, "target": tgt, "count": 0,
                                              "cooperation": 0, "conflict": 0, "types": {}})
            e["count"] += n
            e["cooperation" if QUAD_OF.get(typ, 4) <= 2 else "conflict"] += n
            e["types"][typ] = e["types"].get(typ, 0) + n
            for name, cty in ((src, scty), (tgt, tcty)):
                nd = nodes.setdefault(name, {"id": name, "country": cty, "count": 0})
                nd["count"] += n
        kept = sorted(edges.values(), key=lambda e: (-e["count"], e["source"], e["target"]))
        kept = kept[:limit]
        used = {x for e in kept for x in (e["source"], e["target"])}
        return {"level": level, "nodes": [nodes[n] for n in sorted(used)], "edges": kept}

    @app.get("/api/export", tags=["export"],
             responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {},
                                          "application/geo+json": {}}}})
    def export(
        f: FiltersDep,
        format: Annotated[str, Query(description="csv, jsonl or geojson")] = "csv",
        profile: Annotated[str, Query(description="native, acled or plover")] = "native",
        mentions: Annotated[bool | None, Query(
            description="Raw event mentions (true) or merged story events (false); default:"
                        " story events when the store has them")] = None,
    ) -> StreamingResponse:
        """Stream the filtered events as CSV, JSON Lines or GeoJSON (the profiles of
        ``tidings export``)."""
        if format not in ("csv", "jsonl", "geojson"):
            raise _bad(f"unknown format {format!r}. Available: csv, jsonl, geojson"
                       " (Parquet: use `tidings export`)")
        if profile not in ("native", "acled", "plover"):
            raise _bad(f"unknown profile {profile!r}. Available: native, acled, plover")
        with pool.connection() as conn:
            recs, cols, to_row = _export_records(conn, f, profile, mentions)
        media = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
                 "geojson": "application/geo+json"}[format]
        name = f"tidings-events.{format}"
        lat, lon = ("latitude", "longitude") if profile == "acled" else ("lat", "lon")
        rows = (r for r in (to_row(rec) for rec in recs) if r is not None)
        if format == "csv":
            body = _stream_csv(rows, cols)
        elif format == "jsonl":
            body = _stream_jsonl(rows, cols)
        else:
            body = _stream_geojson(rows, cols, lat, lon)
        return StreamingResponse(body, media_type=media,
                                 headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _load_story(conn: sqlite3.Connection, sid: str) -> dict[str, Any] | None:
    """Return a story event with its mentions, or None."""
    from ..stories import story_mentions

    cur = conn.execute("SELECT * FROM story_events WHERE id = ?", (sid,))
    row = cur.fetchone()
    if row is None:
        return None
    d = dict(zip([c[0] for c in cur.description], tuple(row)))
    for k in ("source_actors", "target_actors", "sources", "magnitudes"):
        try:
            d[k] = json.loads(d[k]) if d.get(k) else []
        except (TypeError, ValueError):
            d[k] = []
    d["mentions"] = story_mentions(conn, sid)
    return d


# ---------------------------------------------------------------- export

def _export_records(conn: sqlite3.Connection, f: Filters, profile: str,
                    mentions: bool | None) -> tuple[list[dict[str, Any]], list[tuple[str, str]],
                                                    Callable[[dict[str, Any]], Any]]:
    """Return (records, columns, row function) for an export, using ``tidings.export``."""
    stories_here = has_table(conn, "story_events") and conn.execute(
        "SELECT 1 FROM story_events LIMIT 1").fetchone() is not None
    use_mentions = (not stories_here) if mentions is None else mentions
    where, args = where_sql(conn, f)
    rows = conn.execute(
        "SELECT e.*, a.title AS article_title, a.source AS article_source,"
        " a.published AS article_published, a.url AS url FROM events e JOIN articles a"
        f" ON a.id = e.article_id{where} ORDER BY e.date_start, e.id", args).fetchall()
    if use_mentions:
        recs = []
        for r in rows:
            d = dict(r)
            d["event"] = json.loads(d.pop("json"))
            recs.append(ex.mention_record(conn, d))
    elif not stories_here:
        recs = []
    else:
        from ..stories import story_of_event

        sids = []
        seen: set[str] = set()
        for r in rows:
            sid = story_of_event(conn, r["id"])
            if sid and sid not in seen:
                seen.add(sid)
                sids.append(sid)
        recs = [ex.story_record(s) for s in (_load_story(conn, sid) for sid in sids) if s]
    return recs, ex.COLUMNS[profile], ex.PROFILE_ROWS[profile]


def _stream_csv(rows: Iterator[dict[str, Any]], cols: list[tuple[str, str]]) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([c for c, _ in cols])
    for i, r in enumerate(rows):
        w.writerow(["" if (v := ex.flat_value(r.get(c), t)) is None else v for c, t in cols])
        if i % 200 == 199:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _stream_jsonl(rows: Iterator[dict[str, Any]], cols: list[tuple[str, str]],
                  ) -> Iterator[str]:
    for r in rows:
        yield json.dumps({c: r.get(c) for c, _ in cols}, ensure_ascii=False) + "\n"


def _stream_geojson(rows: Iterator[dict[str, Any]], cols: list[tuple[str, str]], lat: str,
                    lon: str) -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":['
    first = True
    for r in rows:
        la, lo = r.get(lat), r.get(lon)
        geom = {"type": "Point", "coordinates": [float(lo), float(la)]} \
            if la is not None and lo is not None else None
        props = {c: ex.flat_value(r.get(c), t) for c, t in cols}
        feat = {"type": "Feature", "id": str(props.get(cols[0][0])), "geometry": geom,
                "properties": props}
        yield ("" if first else ",") + json.dumps(feat, ensure_ascii=False)
        first = False
    yield "]}\n"


# ---------------------------------------------------------------- write routes

def _install_write_routes(app: FastAPI, settings: Settings, writer: Writer) -> None:
    @app.post("/api/articles", tags=["articles"], status_code=201,
              responses={401: {"description": "Missing or wrong bearer token"},
                         403: {"description": "Ingest is disabled on this server"},
                         413: {"description": "Body or text too large"}},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": ArticleIn.model_json_schema()}}}})
    async def post_article(request: Request) -> JSONResponse:
        """Ingest one article (JSON: text, published, title, source, url): extract its events
        and store them. Needs ``Authorization: Bearer <token>``; off unless the operator set
        a token. Idempotent: posting the same text again stores nothing new."""
        _authorise(request, settings.token)
        body = await _read_body(request, settings.max_body)
        article = _parse_article(body)
        result = await writer.ingest(article)
        app.state.pool.forget()
        status = 201 if result.get("status") in ("stored", "updated") else 200
        result["url"] = f"/api/articles/{result['id']}"
        return JSONResponse(result, status_code=status)


def _authorise(request: Request, token: str | None) -> None:
    """Raise 403 when ingest is off, 401 when the bearer token is missing or wrong."""
    if token is None:
        raise ApiError(403, "E510", "E510 ingest is disabled on this server: start it with"
                       " TIDINGS_API_TOKEN set (or --token) to enable POST /api/articles")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="tidings"'}
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(401, "E511", "E511 missing bearer token: send Authorization: Bearer"
                       " <token>", headers=challenge)
    if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
        raise ApiError(401, "E511", "E511 wrong bearer token",
                       headers={"WWW-Authenticate": 'Bearer realm="tidings",'
                                ' error="invalid_token"'})


async def _read_body(request: Request, limit: int) -> bytes:
    """Read the request body, refusing (413) more than ``limit`` bytes without reading them."""
    declared = request.headers.get("content-length")
    too_big = ApiError(413, "E512", f"E512 request body over {limit} bytes: send a smaller"
                       " article (the operator sets the limit with TIDINGS_API_MAX_BODY)")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise too_big
        except ValueError:
            raise ApiError(400, "E513", "E513 bad Content-Length") from None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_article(body: bytes) -> Any:
    """Return the Article of a JSON body; raise 400/413/422 ApiErrors for bad ones."""
    from pydantic import ValidationError

    from ..readers import parse_date, read_text
    from ..settings import max_text_chars

    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "E513", "E513 the body is not JSON: send"
                       ' {"text": "...", "published": "YYYY-MM-DD"}') from None
    try:
        art = ArticleIn.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise ApiError(422, "E513", f"E513 {where or 'body'}: {first.get('msg')}") from None
    if len(art.text) > max_text_chars():
        raise ApiError(413, "E512", f"E512 article text over {max_text_chars()} characters")
    try:
        published = parse_date(art.published, "<api>")
        return read_text(art.text, published, title=art.title, source=art.source,
                         url=art.url, origin="api")
    except InputError as exc:
        raise ApiError(400, "E513", f"E513 {exc}") from None


# ---------------------------------------------------------------- static

def _install_static(app: FastAPI) -> None:
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
