"""The single writer: every write of the API (``POST /api/articles``, ``POST
/api/events/{id}/review``) runs on one thread, in arrival order; articles through the ingest
path of ``tidings run`` (extract, store, near-duplicates, stories) on either backend."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

IngestFn = Callable[[Any, Any], dict[str, Any]]


def ingest_one(db: str | Path, article: Any) -> dict[str, Any]:
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

    def __init__(self, db: str | Path, ingest: IngestFn) -> None:
        self.db = db
        self._ingest = ingest
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tidings-writer")
        self._lock = threading.Lock()

    def _run(self, article: Any) -> dict[str, Any]:
        with self._lock:
            return self._ingest(self.db, article)

    async def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(*args)`` (another write: a review) on the writer thread and wait."""
        def run() -> Any:
            with self._lock:
                return fn(*args)

        return await asyncio.wrap_future(self._pool.submit(run))

    async def ingest(self, article: Any) -> dict[str, Any]:
        """Queue ``article`` on the writer thread and wait for its result."""
        return await asyncio.wrap_future(self._pool.submit(self._run, article))

    def close(self) -> None:
        """Finish queued writes and stop the thread."""
        self._pool.shutdown(wait=True)
