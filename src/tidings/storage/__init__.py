"""Storage: one interface, two backends.

- :mod:`.base` — the interface (:class:`Writer`, :class:`Reader`), the filters
  (:class:`EventQuery`, :class:`EventFilter`) and the one event row (:func:`event_row`);
- :mod:`.queries` and :mod:`.filters` — the read queries and the event ``WHERE`` clause,
  written once for both backends;
- :mod:`.schema` and ``migrations/`` — schema versions, one ordered set for both backends;
- :mod:`.sqlite` (the embedded default, with its planner in :mod:`.sqlite_plan`) and
  :mod:`.postgres` (a team server).

:func:`open_store` and :func:`connect` pick the backend from the target: a
``postgresql://`` (or ``postgres://``) URL, else a SQLite file path.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .base import EventFilter, EventQuery, Reader, Writer, event_row
from .postgres import is_pg_url, redact

__all__ = ["EventFilter", "EventQuery", "Reader", "Writer", "as_reader", "connect", "db_errors",
           "display_name", "event_row", "is_pg_url", "open_store", "version_probe"]


def open_store(target: str | Path) -> Writer:
    """Return the writer of the store at ``target`` (its schema brought up to date)."""
    if is_pg_url(target):
        from .postgres import PgStore

        return PgStore(str(target))
    from .sqlite import Store

    return Store(target)


def connect(target: str | Path, readonly: bool = False) -> Reader:
    """Return a read connection to the store at ``target``; ``readonly=False`` creates or
    upgrades the store first (the SQLite file, or the PostgreSQL tables)."""
    if is_pg_url(target):
        from .postgres import PgReader

        return PgReader(str(target), readonly=readonly)
    from .sqlite import SqliteReader

    return SqliteReader.open(target, readonly=readonly)


def display_name(target: str | Path) -> str:
    """The store's name as users see it: a path, or a URL without its password."""
    return redact(str(target)) if is_pg_url(target) else str(target)


def version_probe(target: str | Path) -> Callable[[], Any] | None:
    """A cheap function whose value changes with every commit to the store, or None where
    there is none (PostgreSQL: the API's response cache is then off)."""
    if is_pg_url(target):
        return None
    from .sqlite import version_probe as probe

    return probe(target)


def as_reader(conn: Any) -> Reader:
    """``conn`` as a :class:`Reader`: a reader as it is, a raw ``sqlite3`` connection (as the
    SQLite-only story and fingerprint code and older callers hold) wrapped."""
    import sqlite3

    if isinstance(conn, sqlite3.Connection):
        from .sqlite import SqliteReader

        return SqliteReader(conn)
    return conn  # type: ignore[no-any-return]


def db_errors() -> tuple[type[BaseException], ...]:
    """The exception classes a backend raises when a store cannot be read or written."""
    import sqlite3

    try:
        import psycopg
    except ImportError:  # pragma: no cover - depends on the environment
        return (sqlite3.DatabaseError,)
    return (sqlite3.DatabaseError, psycopg.Error)
