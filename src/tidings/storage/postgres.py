"""The PostgreSQL store: the tables and semantics of the SQLite store, for a team server.

Chosen by URL: wherever ``--db`` is accepted, ``postgresql://user:pass@host/db`` (or
``postgres://``) selects this backend and anything else is a SQLite file path
(:func:`tidings.storage.open_store`, :func:`tidings.storage.connect`).

- The schema is versioned (:mod:`tidings.storage.schema`): the migrations a database lacks
  are applied in order, in one transaction, when it is opened for writing; concurrent
  migrators serialise on an advisory lock.
- :meth:`PgStore.upsert` writes one article with its times, places, events and actors in one
  transaction keyed on the article id; storing the same Document twice is a no-op ("skipped").
  Several writers may run at once (each article is written under an advisory lock on its id).
- Full-text search uses a generated ``tsvector`` column with a GIN index; the country filters
  use ``text[]`` columns with GIN indexes. :class:`PgReader` answers the portable SQL of the
  shared queries (``?`` placeholders; dates as ISO strings, JSON as text, rows readable by
  index and by name), so callers need not know the backend.
- Every value reaches SQL as a bound parameter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from ..errors import StoreError
from ..model import Document, Event
from . import reviews, schema
from .base import (EVENT_COLUMNS, ArticleSearch, Hints, Planner, article_values,
                   event_actor_rows, event_row, place_rows, time_rows)
from .queries import ReaderBase

_LOCK_KEY = 7_455_120  # advisory lock id of schema migrations ("tidings")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_pg_url(target: Any) -> bool:
    """Return True if ``target`` names a PostgreSQL database rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def redact(url: str) -> str:
    """``url`` without its password (for messages and summaries)."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise StoreError("E205 PostgreSQL support needs psycopg: pip install 'psycopg[binary]'"
                         ) from exc
    return psycopg


# ---------------------------------------------------------------- schema versions

def migrate(conn: Any, target: int | None = None, store: str = "?") -> list[int]:
    """Apply the migrations ``conn``'s database lacks (up to ``target``), in order, in one
    transaction; return the versions applied."""
    applied: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                     " name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        done = {r[0] for r in conn.execute("SELECT version FROM schema_version").fetchall()}
        for m in schema.pending("postgresql", done, store, target):
            conn.execute(m.sql)
            conn.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)",
                         (m.version, m.name))
            applied.append(m.version)
    return applied


def schema_version(conn: Any) -> int:
    """Return the highest applied migration version (0 for an empty database)."""
    row = conn.execute("SELECT to_regclass('schema_version')").fetchone()
    if row is None or row[0] is None:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0])


# ---------------------------------------------------------------- connections and rows

class Row(tuple):  # type: ignore[type-arg]
    """A row readable like ``sqlite3.Row``: by index, by column name, and with ``dict()``."""

    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], index: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], Row]:
    index = {c.name: i for i, c in enumerate(cursor.description or [])}
    return lambda values: Row(values, index)


@lru_cache(maxsize=2048)
def portable(sql: str) -> str:
    """Portable SQL (``?`` placeholders) in psycopg's form (``%s``; a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _connect_raw(url: str, readonly: bool = False) -> Any:
    psycopg = _psycopg()
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc
        raise StoreError(f"E203 cannot open database {redact(url)}: {first}") from exc
    if readonly:
        conn.execute("SET default_transaction_read_only = on")
    return conn


def _as_text(conn: Any) -> None:
    """Read dates, timestamps and JSON as text on ``conn``: what SQLite returns."""
    from psycopg.types.string import TextLoader

    for name in ("date", "timestamptz", "timestamp", "json", "jsonb"):
        conn.adapters.register_loader(name, TextLoader)


class _Portable:
    """The psycopg connection of a writer's transaction, taking portable SQL."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return self.conn.execute(portable(sql), list(args))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(portable(sql), [list(r) for r in rows])


# ---------------------------------------------------------------- the reader

class _NoPlanner:
    """PostgreSQL plans filters itself: no hints."""

    def hints(self, reader: Any, f: Any) -> Hints:
        return Hints()

    def warm(self, reader: Any) -> None:
        pass

    def forget(self) -> None:
        pass


class PgReader(ReaderBase):
    """A read connection to a PostgreSQL store (:class:`~tidings.storage.base.Reader`)."""

    backend = "postgresql"

    def __init__(self, url: str, readonly: bool = True, conn: Any = None) -> None:
        self.url = url
        self.name = redact(url)
        own = self._own = conn is None
        self.conn = conn if conn is not None else _connect_raw(url, readonly)
        if own and not readonly:
            migrate(self.conn, store=self.name)
        elif own and schema_version(self.conn) == 0:
            self.conn.close()
            raise StoreError(f"E201 no tidings tables in {self.name}: run "
                             f"`tidings run PATH --db {self.name}` first")
        _as_text(self.conn)
        self.conn.row_factory = _row_factory

    def __enter__(self) -> PgReader:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (not a writer's, which the writer closes)."""
        if self._own:
            self.conn.close()

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        """Run portable SQL (``?`` placeholders) and return the cursor."""
        return self.conn.execute(portable(sql), list(args))

    def has_table(self, name: str) -> bool:
        return self.execute("SELECT to_regclass(?::text)", (name,)).fetchone()[0] is not None

    def planner(self) -> Planner:
        return _NoPlanner()

    # SQL pieces
    def hint(self) -> str:
        return ""

    def countries_match(self, codes: list[str]) -> tuple[str, list[Any]]:
        arr = "ARRAY[" + ",".join("?" * len(codes)) + "]::text[]"
        return (f"(e.source_countries && {arr} OR e.target_countries && {arr}"
                f" OR e.place_country IN ({','.join('?' * len(codes))}))",
                [*codes, *codes, *codes])

    def ilike(self, column: str) -> str:
        return f"{column} ILIKE ? ESCAPE '\\'"

    def within_km(self, lat: float, lon: float, km: float) -> tuple[str, list[Any]]:
        return ("2 * 6371.0088 * asin(least(1.0, sqrt(power(sin(radians(e.lat - ?) / 2), 2)"
                " + cos(radians(e.lat)) * cos(radians(?))"
                " * power(sin(radians(e.lon - ?) / 2), 2)))) <= ?", [lat, lat, lon, km])

    def week_start(self, column: str) -> str:
        return f"to_char(date_trunc('week', CAST({column} AS date)), 'YYYY-MM-DD')"

    def group_concat_distinct(self, column: str) -> str:
        return f"string_agg(DISTINCT {column}, ',')"

    # full text (tsvector over accent-folded text; web-search syntax: words, "phrases", OR,
    # -word, never an error); queries are folded as the indexed text (ACCENT_FOLD)
    def fts_events(self, text: str, articles_joined: bool) -> tuple[str, list[Any]]:
        q = fold_accents(_CONTROL.sub(" ", text).strip())
        if articles_joined:
            return "a.fts @@ websearch_to_tsquery('english', ?)", [q]
        return ("e.article_id IN (SELECT id FROM articles WHERE fts @@"
                " websearch_to_tsquery('english', ?))", [q])

    def fts_articles(self, text: str, strict: bool = False) -> ArticleSearch:
        return ArticleSearch(
            source="articles a, websearch_to_tsquery('english', ?) q",
            snippet="ts_headline('english', a.text, q, 'StartSel=[, StopSel=], MaxWords=24,"
                    " MinWords=8, MaxFragments=1, FragmentDelimiter=…')",
            rank="-ts_rank(a.fts, q)", condition="a.fts @@ q",
            source_args=[fold_accents(_CONTROL.sub(" ", text).strip())])


#: the accents the tsvector folds (migration 0004: ``translate(text, FROM, TO)``), as
#: (FROM, TO); queries are folded the same way in Python
ACCENT_FOLD: tuple[str, str] = (
    "àáâãäåāăąçćčďèéêëēėęěìíîïīįñńňòóôõöøōőùúûüūůűųýÿžźżšśřŕľĺłťţğ"
    "ÀÁÂÃÄÅĀĂĄÇĆČĎÈÉÊËĒĖĘĚÌÍÎÏĪĮÑŃŇÒÓÔÕÖØŌŐÙÚÛÜŪŮŰŲÝŸŽŹŻŠŚŘŔĽĹŁŤŢĞ",
    "aaaaaaaaacccdeeeeeeeeiiiiiinnnoooooooouuuuuuuuyyzzzssrrlllttg"
    "AAAAAAAAACCCDEEEEEEEEIIIIIINNNOOOOOOOOUUUUUUUUYYZZZSSRRLLLTTG")
_FOLD_TABLE = str.maketrans(*ACCENT_FOLD)


def fold_accents(text: str) -> str:
    """``text`` with the accents of :data:`ACCENT_FOLD` removed, as the tsvector folds them."""
    return text.translate(_FOLD_TABLE)


# ---------------------------------------------------------------- the writer

class PgStore:
    """The writer of a PostgreSQL store (:class:`~tidings.storage.base.Writer`)."""

    backend = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self.name = self.path = redact(url)
        self.conn = _connect_raw(url)
        migrate(self.conn, store=self.name)

    def __enter__(self) -> PgStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def reader(self) -> PgReader:
        """Return a reader over this writer's connection (sees its own commits)."""
        return PgReader(self.url, conn=self.conn)

    @contextmanager
    def transaction(self) -> Iterator[_Portable]:
        """Run the block in one transaction; the yielded object takes portable SQL."""
        with self.conn.transaction():
            yield _Portable(self.conn)

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

        values = article_values(document, origin)
        with self.conn.transaction():
            c = self.conn
            if also is not None:  # before any row lock: the lock order is shared, then article
                c.execute("SELECT pg_advisory_xact_lock(%s)", (SHARED_ROWS_LOCK,))
            c.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (document.id,))
            row = c.execute("SELECT document FROM articles WHERE id=%s",
                            (document.id,)).fetchone()
            if row is not None and row[0] == values[-1]:
                return "skipped"
            if row is not None:
                c.execute("DELETE FROM articles WHERE id=%s", (document.id,))
            c.execute("INSERT INTO articles (id, published, title, section, source, url, origin,"
                      " text, language, document) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", values)
            with c.cursor() as cur:
                if document.times:
                    cur.executemany(
                        'INSERT INTO times (article_id, ord, text, start, "end", type, value,'
                        " mod, granularity) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                        time_rows(document))
                if document.places:
                    cur.executemany(
                        'INSERT INTO places (article_id, ord, text, start, "end", name,'
                        " geonameid, country, admin1, lat, lon, kind, usage)"
                        " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", place_rows(document))
                for e in document.events:
                    self._insert_event(cur, document, e)
            if row is not None:  # re-extracted: the article's corrections apply again
                reviews.reapply(_Portable(c), document.id)
            if also is not None:
                also(_Portable(c))
        return "updated" if row is not None else "stored"

    def _insert_event(self, cur: Any, document: Document, e: Event) -> None:
        cur.execute(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)})"
                    f" VALUES ({','.join(['%s'] * len(EVENT_COLUMNS))})",
                    list(event_row(document, e).values()))
        rows = event_actor_rows(e)
        if rows:
            cur.executemany("INSERT INTO event_actors (event_id, role, ord, text, name, country,"
                            " sector, kb_id) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)", rows)

    def record_review(self, event_id: str, status: str, reviewer: str, expected_version: int,
                      field: str | None = None,
                      value: str | dict[str, Any] | None = None) -> int:
        """Record one review of an event (:func:`tidings.storage.reviews.record`); the
        event's advisory lock serialises reviewers of one event."""
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 1))",
                              (event_id,))
            return reviews.record(_Portable(self.conn), event_id, status, reviewer,
                                  expected_version, field, value)

    def reject(self, origin: str, reason: str, message: str) -> bool:
        """Record a rejected input; return False if it was already recorded."""
        cur = self.conn.execute("INSERT INTO rejects (origin, reason, message) VALUES"
                                " (%s,%s,%s) ON CONFLICT DO NOTHING", (origin, reason, message))
        return cur.rowcount > 0

    def forget_reject(self, origin: str) -> None:
        """Drop the rejects of an input that now reads cleanly."""
        self.conn.execute("DELETE FROM rejects WHERE origin=%s", (origin,))
