"""The PostgreSQL store: the tables and semantics of :mod:`tidings.storage.sqlite`, for a team server.

Chosen by URL: wherever ``--db`` is accepted, ``postgresql://user:pass@host/db`` (or
``postgres://``) selects this backend and anything else is a SQLite file path
(:func:`open_store`, :func:`connect_any`).

- The schema is versioned: ``migrations/NNNN_name.sql`` are applied in order, each in one
  transaction, and recorded in ``schema_version``; re-running :func:`migrate` is a no-op and
  concurrent migrators serialise on an advisory lock.
- :meth:`PgStore.upsert` writes one article with its times, places, events and actors in one
  transaction keyed on the article id; storing the same Document twice is a no-op ("skipped").
- Full-text search uses a generated ``tsvector`` column with a GIN index; the country filters
  use ``text[]`` columns with GIN indexes. Rows come back in the shape of
  :func:`tidings.storage.sqlite.query_events` (country lists as ``' USA NER '`` strings, dates as
  ISO strings) so callers need not know the backend.
- Every value reaches SQL as a bound parameter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..model import Document, Event
from .sqlite import EVENT_COLUMNS, EventQuery, event_actor_rows, event_values, events_sql

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_LOCK_KEY = 7_455_120  # advisory lock id of schema migrations ("tidings")


def is_pg_url(target: str | Path | None) -> bool:
    """Return True if ``target`` names a PostgreSQL database rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise StoreError("E205 PostgreSQL support needs psycopg: pip install 'psycopg[binary]'"
                         ) from exc
    return psycopg


def _redact(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def migrations() -> list[tuple[int, str, str]]:
    """Return the packaged migrations as (version, file name, SQL), in version order."""
    folder = resources.files("tidings.storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise StoreError("E206 two migrations share a version number")
    return found


def migrate(conn: Any) -> list[int]:
    """Apply the migrations ``conn``'s database lacks, in order; return the versions applied."""
    applied: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                     " name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        done = {r[0] for r in conn.execute("SELECT version FROM schema_version").fetchall()}
        for version, name, sql in migrations():
            if version in done:
                continue
            with conn.transaction():
                conn.execute(sql)
                conn.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)",
                             (version, name))
            applied.append(version)
    return applied


def schema_version(conn: Any) -> int:
    """Return the highest applied migration version (0 for an empty database)."""
    row = conn.execute("SELECT to_regclass('schema_version')").fetchone()
    if row is None or row[0] is None:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0])


def _connect_raw(url: str, readonly: bool = False) -> Any:
    psycopg = _psycopg()
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise StoreError(f"E203 cannot open database {_redact(url)}: "
                         f"{str(exc).strip().splitlines()[0] if str(exc).strip() else exc}"
                         ) from exc
    if readonly:
        conn.execute("SET default_transaction_read_only = on")
    return conn


def _countries(actors: Sequence[Any]) -> list[str]:
    return sorted({a.country for a in actors if a.country})


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


class PgConnection:
    """A read-side connection to a PostgreSQL store, with the queries of :mod:`tidings.storage.sqlite`.

    ``tidings.storage.sqlite.query_events(conn, q)`` and friends dispatch here when ``conn`` is one of
    these, so the CLI and the API call the same functions for either backend.
    """

    backend = "postgresql"

    def __init__(self, url: str, readonly: bool = True, conn: Any = None) -> None:
        self.url = url
        self.conn = conn if conn is not None else _connect_raw(url, readonly)
        if not readonly and conn is None:
            migrate(self.conn)
        elif schema_version(self.conn) == 0:
            self.conn.close()
            raise StoreError(f"E201 no tidings tables in {_redact(url)}: run "
                             f"`tidings run PATH --db {_redact(url)}` first")

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        from psycopg.rows import dict_row

        with self.conn.cursor(row_factory=dict_row) as cur:
            cur.execute(sql, list(args))
            return [{k: _iso(v) for k, v in r.items()} for r in cur.fetchall()]

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        """Run parameterised SQL (``%s`` placeholders) and return the psycopg cursor."""
        return self.conn.execute(sql, list(args))

    def query_events(self, q: EventQuery) -> list[dict[str, Any]]:
        """Return events (with article fields) matching ``q``, oldest first."""
        where: list[str] = []
        args: list[Any] = []
        if q.country:
            code = q.country.upper()
            where.append("(e.source_countries @> ARRAY[%s]::text[]"
                         " OR e.target_countries @> ARRAY[%s]::text[] OR e.place_country = %s)")
            args += [code, code, code]
        if q.actor:
            where.append("EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.id AND"
                         " x.role != 'reported_by' AND (x.name ILIKE %s OR x.text ILIKE %s"
                         " OR x.kb_id = %s OR x.country = %s))")
            pat = "%" + q.actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") \
                + "%"
            args += [pat, pat, q.actor, q.actor.upper()]
        sql, args = events_sql(q, where, args, "%s")
        return [_event_row(r) for r in self._rows(sql, args)]

    def search_articles(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search (web-search syntax: words, "phrases", OR, -word) with snippets."""
        rows = self._rows(
            "SELECT a.id, a.title, a.published, a.source,"
            " ts_headline('english', a.text, q, 'StartSel=[, StopSel=], MaxWords=24,"
            " MinWords=8, MaxFragments=1, FragmentDelimiter=…') AS snippet,"
            " -ts_rank(a.fts, q) AS rank"
            " FROM articles a, websearch_to_tsquery('english', %s) q"
            " WHERE a.fts @@ q ORDER BY rank, a.id LIMIT %s", (query, limit))
        for d in rows:
            d["events"] = self.query_events(EventQuery(article_id=d["id"]))
        return rows

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """Return the stored Document JSON of an article (id or unique id prefix)."""
        prefix = article_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.execute("SELECT document FROM articles WHERE id LIKE %s LIMIT 2",
                            (prefix + "%",)).fetchall()
        if len(rows) != 1:
            return None
        return json.loads(rows[0][0])

    def counts(self) -> dict[str, int]:
        """Return row counts of the main tables."""
        return {t: self.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
                for t in ("articles", "events", "event_actors", "places", "times", "rejects")}


def _event_row(d: dict[str, Any]) -> dict[str, Any]:
    for key in ("source_countries", "target_countries"):
        codes = d.get(key) or []
        d[key] = " " + " ".join(codes) + " " if codes else ""
    ev = d.pop("json")
    d["event"] = ev if isinstance(ev, dict) else json.loads(ev)
    return d


class PgStore:
    """A writer of a PostgreSQL store, with the interface of :class:`tidings.storage.sqlite.Store`.

    Several writers may run at once (each article is written under an advisory lock on its id).
    """

    backend = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = _redact(url)
        self.conn = _connect_raw(url)
        migrate(self.conn)

    def __enter__(self) -> PgStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def reader(self) -> PgConnection:
        """Return a read-side view over this store's connection."""
        return PgConnection(self.url, readonly=False, conn=self.conn)

    @contextmanager
    def _tx(self) -> Iterator[Any]:
        with self.conn.transaction():
            yield self.conn

    def has_article(self, article_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE id=%s", (article_id,)).fetchone()
        return row is not None

    def upsert(self, document: Document, origin: str | None = None,
               also: Callable[[Any], None] | None = None) -> str:
        """Store one Document in one transaction; return "stored", "updated" or "skipped".

        ``also(conn)`` runs inside the same transaction (the caller's rows that belong with
        the article: fingerprint, sources, copy links), as in the SQLite store; such a write
        first takes the shared-rows lock (``storage.dialect.SHARED_ROWS_LOCK``), since those
        rows are shared across articles, so writers that pass ``also`` run one at a time.
        """
        from .dialect import SHARED_ROWS_LOCK

        payload = json.dumps(document.to_dict(), ensure_ascii=False, sort_keys=True)
        with self._tx() as c:
            if also is not None:  # before any row lock: the lock order is shared, then article
                c.execute("SELECT pg_advisory_xact_lock(%s)", (SHARED_ROWS_LOCK,))
            c.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (document.id,))
            row = c.execute("SELECT document FROM articles WHERE id=%s",
                            (document.id,)).fetchone()
            if row is not None and row[0] == payload:
                return "skipped"
            if row is not None:
                c.execute("DELETE FROM articles WHERE id=%s", (document.id,))
            c.execute(
                "INSERT INTO articles (id, published, title, section, source, url, origin, text,"
                " document) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                (document.id, document.published, document.title, document.section,
                 document.source, document.url, origin, document.text, payload))
            with c.cursor() as cur:
                if document.times:
                    cur.executemany(
                        'INSERT INTO times (article_id, ord, text, start, "end", type, value,'
                        " mod, granularity) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                        [(document.id, i, t.text, t.start, t.end, t.type, t.value, t.mod,
                          t.granularity) for i, t in enumerate(document.times)])
                if document.places:
                    cur.executemany(
                        'INSERT INTO places (article_id, ord, text, start, "end", name,'
                        " geonameid, country, admin1, lat, lon, kind, usage)"
                        " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                        [(document.id, i, p.text, p.start, p.end, p.name, p.geonameid,
                          p.country, p.admin1, p.lat, p.lon, p.kind, p.usage)
                         for i, p in enumerate(document.places)])
                for e in document.events:
                    self._insert_event(cur, document, e)
            if also is not None:
                also(c)
        return "updated" if row is not None else "stored"

    def _insert_event(self, cur: Any, document: Document, e: Event) -> None:
        cur.execute(f"INSERT INTO events ({EVENT_COLUMNS}) VALUES ({','.join(['%s'] * 28)})",
                    event_values(document, e, _countries))
        rows = event_actor_rows(e)
        if rows:
            cur.executemany("INSERT INTO event_actors (event_id, role, ord, text, name, country,"
                            " sector, kb_id) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)", rows)

    def reject(self, origin: str, reason: str, message: str) -> bool:
        """Record a rejected input; return False if it was already recorded."""
        cur = self.conn.execute("INSERT INTO rejects (origin, reason, message) VALUES"
                                " (%s,%s,%s) ON CONFLICT DO NOTHING", (origin, reason, message))
        return cur.rowcount > 0

    def forget_reject(self, origin: str) -> None:
        """Drop the rejects of an input that now reads cleanly."""
        self.conn.execute("DELETE FROM rejects WHERE origin=%s", (origin,))


# ---------------------------------------------------------------- factories

def open_store(target: str | Path) -> Any:
    """Return the writer for ``target``: :class:`PgStore` for a URL, else a SQLite ``Store``."""
    if is_pg_url(target):
        return PgStore(str(target))
    from .sqlite import Store

    return Store(target)


def connect_any(target: str | Path, readonly: bool = False) -> Any:
    """Return a read-side connection: :class:`PgConnection` for a URL, else ``sqlite3``'s.

    Pass it to :func:`tidings.storage.sqlite.query_events`, ``search_articles``, ``get_article`` and
    ``counts``, which dispatch on the backend.
    """
    if is_pg_url(target):
        return PgConnection(str(target), readonly=readonly)
    from .sqlite import connect

    return connect(target, readonly=readonly)
