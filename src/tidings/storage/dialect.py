"""One SQL surface over both backends for the modules that keep their own tables.

``fingerprint.py``, ``copies.py`` and ``stories.py`` write their SQL once, in the subset that
SQLite and PostgreSQL share (``?`` placeholders, ``ON CONFLICT DO NOTHING``, ``coalesce``),
against an object with the interface of ``sqlite3.Connection`` they use: ``execute``,
``executemany``, ``with conn:`` for one transaction. A SQLite connection is that object
already; :func:`wrap` gives a psycopg connection the same interface (:class:`PgCompat`), and
:func:`lock` serialises writers that share rows across articles (a no-op on SQLite, whose
one-writer rule already does).

This is a bridge, not the storage interface of issue 13: when the backends share one
``Protocol``, these calls move behind it.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any

#: advisory lock held by every PostgreSQL write that touches rows shared across articles
#: (copy links, retrofitted copies, fingerprints, story merging): such writers run one at a
#: time, while extraction runs in parallel
SHARED_ROWS_LOCK = 7_455_121


def _value(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat(timespec="seconds")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, memoryview):
        return v.tobytes()
    return v


class _Cursor:
    """The part of ``sqlite3.Cursor`` the callers use, over a psycopg cursor."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur
        self.rowcount = cur.rowcount
        self.description = cur.description

    def fetchone(self) -> tuple[Any, ...] | None:
        row = self._cur.fetchone() if self._cur.description else None
        return None if row is None else tuple(_value(v) for v in row)

    def fetchall(self) -> list[tuple[Any, ...]]:
        if not self._cur.description:
            return []
        return [tuple(_value(v) for v in r) for r in self._cur.fetchall()]

    def __iter__(self) -> Any:
        return iter(self.fetchall())


def _pg_sql(sql: str) -> str:
    """``?`` placeholders to psycopg's ``%s`` (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class PgCompat:
    """A psycopg connection (autocommit) with the ``sqlite3.Connection`` calls used here;
    ``with conn:`` is one transaction (a savepoint when nested)."""

    backend = "postgresql"

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self._tx: list[Any] = []

    def execute(self, sql: str, args: Any = ()) -> _Cursor:
        return _Cursor(self.conn.execute(_pg_sql(sql), list(args)))

    def executemany(self, sql: str, rows: Any) -> None:
        rows = list(rows)
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(_pg_sql(sql), rows)

    def __enter__(self) -> PgCompat:
        tx = self.conn.transaction()
        tx.__enter__()
        self._tx.append(tx)
        return self

    def __exit__(self, *exc: Any) -> Any:
        return self._tx.pop().__exit__(*exc)


def wrap(conn: Any) -> Any:
    """Return ``conn`` with the ``sqlite3.Connection`` interface: a SQLite connection or a
    :class:`PgCompat` as is; a psycopg connection (or a ``PgConnection``/``PgStore`` holding
    one) wrapped."""
    if isinstance(conn, (sqlite3.Connection, PgCompat)):
        return conn
    inner = getattr(conn, "conn", None)
    if inner is not None and not hasattr(conn, "transaction"):
        return wrap(inner)
    return PgCompat(conn)


def is_pg(conn: Any) -> bool:
    """True when ``conn`` (wrapped or not) is a PostgreSQL connection."""
    return not isinstance(conn, sqlite3.Connection)


def lock(conn: Any, key: int = SHARED_ROWS_LOCK) -> None:
    """Take the transaction-scoped advisory lock ``key`` (PostgreSQL; no-op on SQLite)."""
    if is_pg(conn):
        wrap(conn).execute("SELECT pg_advisory_xact_lock(?)", (key,))
