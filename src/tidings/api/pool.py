"""The read pool: a few read-only connections to the store, one per concurrent request.

Connections are storage :class:`~tidings.storage.base.Reader` objects of either backend
(a read-only SQLite connection, so the API serves while ``tidings run`` writes through WAL;
or a read-only PostgreSQL session). The pool also keeps the backend's planner, whose facts
about the store (the SQLite planner's longest event span and actor names) outlive a request.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request

from ..errors import StoreError
from ..storage import connect, db_errors
from ..storage.base import EventFilter, Planner, Reader
from ..storage.filters import where_sql
from .errors import ApiError


class ReadPool:
    """A small pool of read-only connections to the store at ``target``."""

    def __init__(self, target: str | Path, size: int = 8) -> None:
        self.target = target
        self._idle: queue.LifoQueue[Reader] = queue.LifoQueue(maxsize=size)
        self._planner: Planner | None = None
        self._errors = db_errors()

    def planner(self, conn: Reader) -> Planner:
        """The backend's planner of this store (made on first use)."""
        if self._planner is None:
            self._planner = conn.planner()
        return self._planner

    def where(self, conn: Reader, f: EventFilter, articles_joined: bool = False,
              ) -> tuple[str, list[Any]]:
        """Return the ``WHERE`` clause of ``f`` over ``events e``, as the planner advises."""
        return where_sql(conn, f, self.planner(conn).hints(conn, f),
                         articles_joined=articles_joined)

    def warm(self) -> None:
        """Build the planner's facts now, so no request pays for the first build."""
        try:
            with self.connection() as conn:
                self.planner(conn).warm(conn)
        except ApiError:
            pass  # no database yet: requests will say so

    def forget(self) -> None:
        """Drop the planner's facts about the store (after this process wrote to it)."""
        if self._planner is not None:
            self._planner.forget()

    def _open(self) -> Reader:
        try:
            return connect(self.target, readonly=True)
        except StoreError as exc:
            raise ApiError(503, "E503", f"E503 {exc}") from exc

    @contextmanager
    def connection(self) -> Iterator[Reader]:
        """Lend a read-only connection for the duration of a block."""
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = self._open()
        try:
            yield conn
        except self._errors as exc:
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


def get_pool(request: Request) -> ReadPool:
    """The app's read pool (a FastAPI dependency)."""
    pool: ReadPool = request.app.state.pool
    return pool


PoolDep = Annotated[ReadPool, Depends(get_pool)]
