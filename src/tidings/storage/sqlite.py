"""The embedded store: one SQLite file, WAL, FTS5 over article text, one writer.

Every article's results are written in one transaction keyed on the article's stable id, so
re-ingesting is a no-op and a crash never leaves an article without its events. Readers
(``events``, ``search``, the API) open their own connections and see whole articles only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..model import Document, Event

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    published TEXT NOT NULL,
    title TEXT, section TEXT, source TEXT, url TEXT, origin TEXT,
    text TEXT NOT NULL,
    document TEXT NOT NULL,          -- the Document JSON (DESIGN section 3)
    stored_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid', tokenize='unicode61'
);
CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    type TEXT NOT NULL, mode TEXT, modality TEXT NOT NULL, confidence REAL NOT NULL,
    date_start TEXT NOT NULL, date_end TEXT NOT NULL, date_granularity TEXT NOT NULL,
    date_basis TEXT NOT NULL,
    trigger_text TEXT, trigger_start INTEGER, trigger_end INTEGER,
    sentence_start INTEGER, sentence_end INTEGER, evidence TEXT,
    place_name TEXT, place_country TEXT, place_admin1 TEXT, geonameid INTEGER,
    lat REAL, lon REAL, place_kind TEXT,
    time_text TEXT, time_value TEXT,
    source_countries TEXT, target_countries TEXT,  -- ' USA NER ' for cheap filtering
    json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_article ON events(article_id);
CREATE INDEX IF NOT EXISTS events_type_date ON events(type, date_start);
CREATE INDEX IF NOT EXISTS events_date ON events(date_start);
CREATE INDEX IF NOT EXISTS events_place_country ON events(place_country);
CREATE TABLE IF NOT EXISTS event_actors (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role TEXT NOT NULL, ord INTEGER NOT NULL,
    text TEXT, name TEXT, country TEXT, sector TEXT, kb_id TEXT,
    PRIMARY KEY (event_id, role, ord)
);
CREATE INDEX IF NOT EXISTS event_actors_country ON event_actors(country);
CREATE INDEX IF NOT EXISTS event_actors_name ON event_actors(name);
CREATE TABLE IF NOT EXISTS places (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, text TEXT, start INTEGER, "end" INTEGER, name TEXT,
    geonameid INTEGER, country TEXT, admin1 TEXT, lat REAL, lon REAL, kind TEXT, usage TEXT,
    PRIMARY KEY (article_id, ord)
);
CREATE TABLE IF NOT EXISTS times (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, text TEXT, start INTEGER, "end" INTEGER, type TEXT, value TEXT,
    mod TEXT, granularity TEXT,
    PRIMARY KEY (article_id, ord)
);
CREATE TABLE IF NOT EXISTS rejects (
    origin TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (origin, reason)
);
"""


@dataclass
class EventQuery:
    """Filters of ``tidings events`` and ``GET /api/events``; all optional."""

    type: str | None = None
    country: str | None = None
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    modality: str | None = None
    min_confidence: float | None = None
    article_id: str | None = None
    limit: int | None = None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def connect(path: str | Path, readonly: bool = False) -> sqlite3.Connection:
    """Open the SQLite store at ``path`` (WAL, foreign keys on)."""
    p = Path(path)
    try:
        if readonly:
            if not p.exists():
                raise StoreError(f"E201 no database at {p}: run `tidings run PATH --db {p}` first")
            conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True, check_same_thread=False)
        else:
            if p.parent and not p.parent.exists():
                raise StoreError(f"E202 folder {p.parent} does not exist")
            conn = sqlite3.connect(str(p), check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=10000")
        conn.row_factory = sqlite3.Row
        if not readonly:
            conn.executescript(_SCHEMA)
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                         (str(SCHEMA_VERSION),))
            # the longest event span, kept up to date by Store.upsert; a store whose events were
            # written without it (an older version, a bulk load) gets it from one scan here,
            # so the bound in query_events never excludes a row
            conn.execute(_SPAN_FROM_ROWS)
            conn.commit()
        return conn
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"E203 cannot open database {p}: {exc}") from exc


#: the longest span of the stored events, in days plus one, when there are events
_SPAN_FROM_ROWS = ("INSERT OR IGNORE INTO meta SELECT 'max_span_days', CAST(max("
                   "julianday(date_end) - julianday(date_start)) AS INTEGER) + 1"
                   " FROM events HAVING count(*) > 0")


def _span_days(e: Event) -> int:
    """Days from an event's date start to its end, plus one (the bound is never too tight)."""
    try:
        start, end = date.fromisoformat(e.date.start[:10]), date.fromisoformat(e.date.end[:10])
        return (end - start).days + 1
    except ValueError:
        return 1_000_000  # a date this code cannot read: no bound at all


def max_span_days(conn: sqlite3.Connection) -> int | None:
    """The longest event span of the store in days, or None when the store does not keep it
    (a store never opened for writing by this version)."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'max_span_days'").fetchone()
    except sqlite3.DatabaseError:
        return None
    try:
        return int(row[0]) if row else None
    except (TypeError, ValueError):
        return None


def _countries(actors: Sequence[Any]) -> str:
    codes = sorted({a.country for a in actors if a.country})
    return " " + " ".join(codes) + " " if codes else ""


class Store:
    """The single writer of a SQLite store. Use as a context manager."""

    def __init__(self, path: str | Path = "tidings.db"):
        self.path = Path(path)
        self.conn = connect(self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def has_article(self, article_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone()
        return row is not None

    def upsert(self, document: Document, origin: str | None = None,
               also: Callable[[sqlite3.Connection], None] | None = None) -> str:
        """Store one Document in one transaction; return "stored", "updated" or "skipped".

        ``also(conn)`` runs inside the same transaction (the caller's rows that belong with the
        article, such as its fingerprint), so a crash keeps all of them or none.
        """
        payload = json.dumps(document.to_dict(), ensure_ascii=False, sort_keys=True)
        row = self.conn.execute("SELECT document FROM articles WHERE id=?",
                                (document.id,)).fetchone()
        if row is not None and row[0] == payload:
            return "skipped"
        with self._tx() as c:
            if row is not None:
                c.execute("DELETE FROM articles WHERE id=?", (document.id,))
            c.execute(
                "INSERT INTO articles (id, published, title, section, source, url, origin, text,"
                " document, stored_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (document.id, document.published.isoformat(), document.title, document.section,
                 document.source, document.url, origin, document.text, payload, _now()))
            c.executemany(
                'INSERT INTO times (article_id, ord, text, start, "end", type, value, mod,'
                " granularity) VALUES (?,?,?,?,?,?,?,?,?)",
                [(document.id, i, t.text, t.start, t.end, t.type, t.value, t.mod, t.granularity)
                 for i, t in enumerate(document.times)])
            c.executemany(
                'INSERT INTO places (article_id, ord, text, start, "end", name, geonameid,'
                " country, admin1, lat, lon, kind, usage) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(document.id, i, p.text, p.start, p.end, p.name, p.geonameid, p.country,
                  p.admin1, p.lat, p.lon, p.kind, p.usage)
                 for i, p in enumerate(document.places)])
            for e in document.events:
                self._insert_event(c, document, e)
            if max_span_days(c) is None:  # first events, or rows bulk-loaded without it
                c.execute(_SPAN_FROM_ROWS)
            span = max((_span_days(e) for e in document.events), default=0)
            c.execute("UPDATE meta SET value = ? WHERE key = 'max_span_days'"
                      " AND CAST(value AS INTEGER) < ?", (str(span), span))
            if also is not None:
                also(c)
        return "updated" if row is not None else "stored"

    def _insert_event(self, c: sqlite3.Connection, document: Document, e: Event) -> None:
        c.execute(f"INSERT INTO events ({EVENT_COLUMNS}) VALUES ({','.join('?' * 28)})",
                  event_values(document, e, _countries))
        c.executemany("INSERT INTO event_actors VALUES (?,?,?,?,?,?,?,?)", event_actor_rows(e))

    def reject(self, origin: str, reason: str, message: str) -> bool:
        """Record a rejected input; return False if it was already recorded."""
        with self._tx() as c:
            cur = c.execute("INSERT OR IGNORE INTO rejects VALUES (?,?,?,?)",
                            (origin, reason, message, _now()))
        return cur.rowcount > 0

    def forget_reject(self, origin: str) -> None:
        """Drop the rejects of an input that now reads cleanly."""
        with self._tx() as c:
            c.execute("DELETE FROM rejects WHERE origin=?", (origin,))


# ---------------------------------------------------------------- queries (read side)

def query_events(conn: sqlite3.Connection, q: EventQuery) -> list[dict[str, Any]]:
    """Return events (as dicts with article fields) matching ``q``, oldest first."""
    if hasattr(conn, "query_events"):  # a PostgreSQL connection (pg_store.PgConnection)
        return conn.query_events(q)
    where, args = [], []  # every value is a bound parameter
    if q.country:
        where.append("(e.source_countries LIKE ? OR e.target_countries LIKE ?"
                     " OR e.place_country = ?)")
        pat = f"% {q.country.upper()} %"
        args += [pat, pat, q.country.upper()]
    if q.actor:
        where.append("EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.id AND"
                     " x.role != 'reported_by' AND (x.name LIKE ? OR x.text LIKE ?"
                     " OR x.kb_id = ? OR x.country = ?))")
        pat = f"%{q.actor}%"
        args += [pat, pat, q.actor, q.actor.upper()]
    if q.since:
        span = max_span_days(conn)
        if span is not None:
            # "date_end >= since" cannot use an index; with the longest span known,
            # date_start >= since - span is implied and can (the events_date index)
            try:
                lower = date.fromisoformat(q.since[:10]) - timedelta(days=span)
                where.append("e.date_start >= ?")
                args.append(lower.isoformat())
            except (ValueError, OverflowError):
                pass
    sql, args = events_sql(q, where, args, "?")
    return [_event_row(conn, r) for r in conn.execute(sql, args).fetchall()]


def events_sql(q: EventQuery, where: list[str], args: list[Any], ph: str
               ) -> tuple[str, list[Any]]:
    """The events query of both backends: the backend's own country/actor conditions
    (``where``, ``args``) plus the filters written the same way in SQLite and PostgreSQL,
    with ``ph`` as the placeholder ("?" or "%s")."""
    where, args = list(where), list(args)
    if q.type:
        where.append(f"e.type = {ph}")
        args.append(q.type.upper())
    for cond, value in (("e.date_end >=", q.since), ("e.date_start <=", q.until),
                        ("e.modality =", q.modality), ("e.article_id =", q.article_id)):
        if value:
            where.append(f"{cond} {ph}")
            args.append(value)
    if q.min_confidence is not None:
        where.append(f"e.confidence >= {ph}")
        args.append(q.min_confidence)
    sql = ("SELECT e.*, a.title AS article_title, a.source AS article_source,"
           " a.published AS article_published FROM events e JOIN articles a"
           " ON a.id = e.article_id")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY e.date_start, e.article_id, e.trigger_start"
    if q.limit:
        sql += f" LIMIT {ph}"
        args.append(int(q.limit))
    return sql, args


#: the columns of an events row, in the order of :func:`event_values` (both backends)
EVENT_COLUMNS = (
    "id, article_id, type, mode, modality, confidence, date_start, date_end, date_granularity,"
    " date_basis, trigger_text, trigger_start, trigger_end, sentence_start, sentence_end,"
    " evidence, place_name, place_country, place_admin1, geonameid, lat, lon, place_kind,"
    " time_text, time_value, source_countries, target_countries, json")


def event_values(document: Document, e: Event, countries: Callable[[list[Any]], Any]
                 ) -> tuple[Any, ...]:
    """The values of an events row (:data:`EVENT_COLUMNS`); ``countries`` writes an actor
    list's countries the backend's way (a padded string in SQLite, an array in PostgreSQL)."""
    loc = e.location
    return (e.id, document.id, e.type, e.mode, e.modality, e.confidence, e.date.start,
            e.date.end, e.date.granularity, e.date.basis, e.trigger.text, e.trigger.start,
            e.trigger.end, e.sentence.start, e.sentence.end,
            document.text[e.sentence.start:e.sentence.end],
            loc.name if loc else None, loc.country if loc else None,
            loc.admin1 if loc else None, loc.geonameid if loc else None,
            loc.lat if loc else None, loc.lon if loc else None, loc.kind if loc else None,
            e.time.text if e.time else None, e.time.value if e.time else None,
            countries(e.source), countries(e.target),
            json.dumps(e.to_dict(), ensure_ascii=False))


def event_actor_rows(e: Event) -> list[tuple[Any, ...]]:
    """The event_actors rows of an event: (event_id, role, ord, text, name, country, sector,
    kb_id) for its sources, targets and reporters."""
    return [(e.id, role, i, a.text, a.name, a.country, a.sector, a.kb_id)
            for role, actors in (("source", e.source), ("target", e.target),
                                 ("reported_by", e.reported_by))
            for i, a in enumerate(actors)]


def _event_row(conn: sqlite3.Connection, r: sqlite3.Row) -> dict[str, Any]:
    d = dict(r)
    d["event"] = json.loads(d.pop("json"))
    return d


def search_articles(conn: sqlite3.Connection, query: str, limit: int = 20,
                    ) -> list[dict[str, Any]]:
    """Full-text search over article titles and text; each hit with a snippet and its events."""
    if hasattr(conn, "search_articles"):
        return conn.search_articles(query, limit)
    try:
        rows = conn.execute(
            "SELECT a.id, a.title, a.published, a.source,"
            " snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet, bm25(articles_fts) AS rank"
            " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?", (query, limit)).fetchall()
    except sqlite3.OperationalError as exc:
        raise StoreError(f"E204 bad search query {query!r}: {exc}. Quote phrases with \"...\"") \
            from exc
    out = []
    for r in rows:
        d = dict(r)
        d["events"] = query_events(conn, EventQuery(article_id=d["id"]))
        out.append(d)
    return out


def get_article(conn: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    """Return the stored Document JSON of an article (id or unique id prefix)."""
    if hasattr(conn, "get_article"):
        return conn.get_article(article_id)
    rows = conn.execute("SELECT document FROM articles WHERE id LIKE ? LIMIT 2",
                        (article_id + "%",)).fetchall()
    if len(rows) != 1:
        return None
    return json.loads(rows[0][0])


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Return row counts of the main tables."""
    if hasattr(conn, "counts"):
        return conn.counts()
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 (fixed names)
            for t in ("articles", "events", "event_actors", "places", "times", "rejects")}
