"""The embedded store: one SQLite file, WAL, FTS5 over article text, one writer.

Every article's results are written in one transaction keyed on the article's stable id, so
re-ingesting is a no-op and a crash never leaves an article without its events. Readers
(``events``, ``search``, the API) open their own connections and see whole articles only.

:class:`Store` is the :class:`~tidings.storage.base.Writer` and :class:`SqliteReader` the
:class:`~tidings.storage.base.Reader` of this backend; :func:`connect` opens the raw
``sqlite3`` connection the SQLite-only parts (story merging, fingerprints) work on.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..model import Document, Event
from . import reviews, schema
from .base import (EVENT_COLUMNS, ArticleSearch, EventFilter, Hints, Planner, article_values,
                   event_actor_rows, event_row, place_rows, time_rows)
from .filters import haversine_km
from .queries import ReaderBase

#: bytes of the database each read-only connection memory-maps (shared with the page cache)
MMAP_BYTES = 1 << 30
_CONTROL = str.maketrans({c: " " for c in [*range(0, 9), 11, 12, *range(14, 32), 127]})


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def connect(path: str | Path, readonly: bool = False) -> sqlite3.Connection:
    """Open the SQLite store at ``path`` (WAL, foreign keys on); opened for writing, its
    schema is brought to the latest version first (:func:`migrate`)."""
    p = Path(path)
    try:
        if readonly:
            if not p.exists():
                raise StoreError(f"E201 no database at {p}: run `tidings run PATH --db {p}` first")
            conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True, check_same_thread=False)
            conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")  # reads skip a copy per page
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
            migrate(conn, store=str(p))
            # the longest event span, kept up to date by Store.upsert; a store whose events were
            # written without it (an older version, a bulk load) gets it from one scan here,
            # so the bound in query_events never excludes a row
            conn.execute(_SPAN_FROM_ROWS)
            conn.commit()
        return conn
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"E203 cannot open database {p}: {exc}") from exc


# ---------------------------------------------------------------- schema versions

def _statements(sql: str) -> Iterator[str]:
    """The statements of a migration script (triggers' bodies kept whole)."""
    buf = ""
    for line in sql.splitlines(keepends=True):
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()


def _has(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                        (name,)).fetchone() is not None


def schema_version(conn: sqlite3.Connection) -> int:
    """Return the store's schema version (0: empty; 1: a store from before the table)."""
    if _has(conn, "schema_version"):
        row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)
    return 1 if _has(conn, "articles") else 0


def migrate(conn: sqlite3.Connection, target: int | None = None, store: str = "?") -> list[int]:
    """Apply the migrations the store lacks (up to ``target``) in one transaction; return the
    versions applied. Concurrent openers serialise on SQLite's write lock."""
    conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    try:
        legacy = not _has(conn, "schema_version") and _has(conn, "articles")
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                     " name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        if legacy:  # written before schema_version existed: its tables are version 1's
            first = schema.migrations("sqlite")[0]
            conn.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                         (first.version, first.name, _now()))
        done = {r[0] for r in conn.execute("SELECT version FROM schema_version")}
        applied = []
        for m in schema.pending("sqlite", done, store, target):
            for stmt in _statements(m.sql):
                conn.execute(stmt)
            conn.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                         (m.version, m.name, _now()))
            applied.append(m.version)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return applied


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


def max_span_days(conn: Any) -> int | None:
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


def _padded(codes: list[str]) -> str:
    """A country list as SQLite keeps it: ``' USA NER '``, so LIKE '% NER %' finds it."""
    return " " + " ".join(codes) + " " if codes else ""


# ---------------------------------------------------------------- the writer

class Store:
    """The single writer of a SQLite store. Use as a context manager."""

    backend = "sqlite"

    def __init__(self, path: str | Path = "tidings.db"):
        self.path = Path(path)
        self.name = str(self.path)
        self.conn = connect(self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one write transaction (``BEGIN IMMEDIATE``)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def reader(self) -> SqliteReader:
        """Return a reader over this writer's connection (sees its own commits)."""
        return SqliteReader(self.conn, self.name)

    def has_article(self, article_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone()
        return row is not None

    def upsert(self, document: Document, origin: str | None = None,
               also: Callable[[sqlite3.Connection], None] | None = None) -> str:
        """Store one Document in one transaction; return "stored", "updated" or "skipped".

        ``also(conn)`` runs inside the same transaction (the caller's rows that belong with the
        article, such as its fingerprint), so a crash keeps all of them or none.
        """
        values = article_values(document, origin)
        row = self.conn.execute("SELECT document FROM articles WHERE id=?",
                                (document.id,)).fetchone()
        if row is not None and row[0] == values[-1]:
            return "skipped"
        with self.transaction() as c:
            if row is not None:
                c.execute("DELETE FROM articles WHERE id=?", (document.id,))
            c.execute("INSERT INTO articles (id, published, title, section, source, url, origin,"
                      " text, language, document, stored_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                      (*values, _now()))
            c.executemany('INSERT INTO times (article_id, ord, text, start, "end", type, value,'
                          " mod, granularity) VALUES (?,?,?,?,?,?,?,?,?)", time_rows(document))
            c.executemany('INSERT INTO places (article_id, ord, text, start, "end", name,'
                          " geonameid, country, admin1, lat, lon, kind, usage)"
                          " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", place_rows(document))
            for e in document.events:
                self._insert_event(c, document, e)
            if row is not None:  # re-extracted: the article's corrections apply again
                reviews.reapply(c, document.id)
            if max_span_days(c) is None:  # first events, or rows bulk-loaded without it
                c.execute(_SPAN_FROM_ROWS)
            span = max((_span_days(e) for e in document.events), default=0)
            c.execute("UPDATE meta SET value = ? WHERE key = 'max_span_days'"
                      " AND CAST(value AS INTEGER) < ?", (str(span), span))
            if also is not None:
                also(c)
        return "updated" if row is not None else "stored"

    def _insert_event(self, c: sqlite3.Connection, document: Document, e: Event) -> None:
        row = event_row(document, e)
        row["source_countries"] = _padded(row["source_countries"])
        row["target_countries"] = _padded(row["target_countries"])
        c.execute(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)})"
                  f" VALUES ({','.join('?' * len(EVENT_COLUMNS))})", list(row.values()))
        c.executemany("INSERT INTO event_actors VALUES (?,?,?,?,?,?,?,?)", event_actor_rows(e))

    def record_review(self, event_id: str, status: str, reviewer: str, expected_version: int,
                      field: str | None = None,
                      value: str | dict[str, Any] | None = None) -> int:
        """Record one review of an event (:func:`tidings.storage.reviews.record`)."""
        with self.transaction() as c:
            return reviews.record(c, event_id, status, reviewer, expected_version, field, value)

    def reject(self, origin: str, reason: str, message: str) -> bool:
        """Record a rejected input; return False if it was already recorded."""
        with self.transaction() as c:
            cur = c.execute("INSERT OR IGNORE INTO rejects VALUES (?,?,?,?)",
                            (origin, reason, message, _now()))
        return cur.rowcount > 0

    def forget_reject(self, origin: str) -> None:
        """Drop the rejects of an input that now reads cleanly."""
        with self.transaction() as c:
            c.execute("DELETE FROM rejects WHERE origin=?", (origin,))


# ---------------------------------------------------------------- the reader

class SqliteReader(ReaderBase):
    """A read connection to a SQLite store (:class:`~tidings.storage.base.Reader`)."""

    backend = "sqlite"

    def __init__(self, conn: sqlite3.Connection, name: str = "?") -> None:
        self.conn = conn
        self.name = name
        self.execute = conn.execute  # type: ignore[method-assign,assignment]  # no wrapper
        conn.create_function("tidings_km", 4, haversine_km, deterministic=True)

    @classmethod
    def open(cls, path: str | Path, readonly: bool = True) -> SqliteReader:
        """Open a reader on the store at ``path``."""
        return cls(connect(path, readonly=readonly), str(path))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SqliteReader:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def has_table(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                                 (name,)).fetchone() is not None

    def planner(self) -> Planner:
        from .sqlite_plan import SqlitePlanner

        return SqlitePlanner()

    def event_hints(self, f: EventFilter) -> Hints:
        return Hints(span_days=max_span_days(self.conn) if f.since else None)

    # SQL pieces
    def hint(self) -> str:
        return "+"

    def countries_match(self, codes: list[str]) -> tuple[str, list[Any]]:
        ors, args = [], []
        for c in codes:
            ors.append("e.source_countries LIKE ? ESCAPE '\\' OR e.target_countries LIKE ?"
                       " ESCAPE '\\' OR e.place_country = ?")
            pat = "% " + c.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " %"
            args += [pat, pat, c]
        return "(" + " OR ".join(ors) + ")", args

    def ilike(self, column: str) -> str:
        return f"{column} LIKE ? ESCAPE '\\'"  # ASCII case-insensitive, as SQLite's LIKE is

    def within_km(self, lat: float, lon: float, km: float) -> tuple[str, list[Any]]:
        return "tidings_km(e.lat, e.lon, ?, ?) <= ?", [lat, lon, km]

    def week_start(self, column: str) -> str:
        return (f"date({column}, '-' || ((CAST(strftime('%w', {column}) AS INTEGER) + 6) % 7)"
                " || ' days')")

    def group_concat_distinct(self, column: str) -> str:
        return f"group_concat(DISTINCT {column})"

    # full text (FTS5)
    def fts_query(self, text: str) -> str:
        """Return ``text`` as an FTS5 query: as written when it parses, else its words quoted.

        Analysts type words, phrases and operators (``niger AND "troops"``); anything FTS5
        cannot parse (``O'Brien``, a stray quote) is searched as plain words instead."""
        text = text.translate(_CONTROL).strip()
        try:
            self.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1",
                         (text,)).fetchall()
            return text
        except sqlite3.DatabaseError:
            words = [w for w in text.split() if w]
            return " ".join('"' + w.replace('"', '""') + '"' for w in words) or '""'

    def _fts_is_broad(self, query: str) -> bool:
        """True if ``query`` matches a large share of the articles (measured, capped)."""
        from .sqlite_plan import BROAD_FTS_MIN, BROAD_FTS_SHARE

        total = self.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0
        cap = max(BROAD_FTS_MIN, int(total * BROAD_FTS_SHARE))
        hits = self.execute("SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE"
                            " articles_fts MATCH ? LIMIT ?)", (query, cap)).fetchone()[0]
        return bool(hits >= cap)

    def fts_events(self, text: str, articles_joined: bool) -> tuple[str, list[Any]]:
        query = self.fts_query(text)
        hits = "rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
        if not articles_joined:
            return f"e.article_id IN (SELECT a.id FROM articles a WHERE a.{hits})", [query]
        if self._fts_is_broad(query):
            # most articles match: walk events in sort order and test membership ("+" keeps
            # the planner from driving the join from the FTS hits)
            return f"+a.{hits}", [query]
        return f"a.{hits}", [query]

    def fts_articles(self, text: str, strict: bool = False) -> ArticleSearch:
        if strict:
            try:
                self.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
                             " LIMIT 1", (text,)).fetchall()
            except sqlite3.OperationalError as exc:
                raise StoreError(f"E204 bad search query {text!r}: {exc}. Quote phrases"
                                 " with \"...\"") from exc
            query = text
        else:
            query = self.fts_query(text)
        return ArticleSearch(
            source="articles_fts JOIN articles a ON a.rowid = articles_fts.rowid",
            snippet="snippet(articles_fts, 1, '[', ']', '…', 12)",
            rank="bm25(articles_fts)", condition="articles_fts MATCH ?",
            condition_args=[query])


def version_probe(path: str | Path) -> Callable[[], tuple[Any, ...]]:
    """Return a function whose value changes with every commit to the store at ``path``:
    size, mtime and inode of the database file and of its WAL (every commit changes the
    WAL, whichever process makes it)."""
    files = (Path(path), Path(str(path) + "-wal"))

    def version() -> tuple[Any, ...]:
        out: list[Any] = []
        for p in files:
            try:
                st = os.stat(p)
                out += [st.st_mtime_ns, st.st_size, st.st_ino]
            except OSError:
                out.append(None)
        return tuple(out)

    return version

