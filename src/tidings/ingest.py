"""Ingest: read inputs, extract what is new, store each article in its own transaction.

Bad inputs are recorded in the rejects table with their reason and never stop the batch;
articles already stored (same stable id) are skipped without re-extraction, so re-running
on the same inputs adds nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .model import Article
from .pipeline import extract_many
from .readers import Rejected, read
from .store import Store


@dataclass
class Summary:
    db: str
    stored: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: list[tuple[str, str, str]] = field(default_factory=list)
    events_by_type: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def articles_per_second(self) -> float:
        done = self.stored + self.updated
        return done / self.seconds if self.seconds else 0.0


def _items(paths: Iterable[Path], published: date | None, source: str | None,
           ) -> Iterator[Article | Rejected]:
    for p in paths:
        yield from read(p, published=published, source=source)


def ingest(paths: Iterable[Path], db: str | Path, published: date | None = None,
           source: str | None = None, force: bool = False, progress: bool = False,
           console: Any = None) -> Summary:
    """Read ``paths``, extract new articles and store them in ``db``; return a summary."""
    t0 = time.perf_counter()
    summary = Summary(db=str(db))
    with Store(db) as store:
        todo: list[Article] = []
        seen: set[str] = set()
        for item in _items(paths, published, source):
            if isinstance(item, Rejected):
                summary.rejected.append((item.origin, item.reason, item.message))
                store.reject(item.origin, item.reason, item.message)
                continue
            if item.id in seen or (not force and store.has_article(item.id)):
                summary.skipped += 1
                continue
            seen.add(item.id)
            todo.append(item)
        bar = None
        if progress and todo:
            from rich.progress import Progress

            bar = Progress(console=console, transient=True)
            bar.start()
            task = bar.add_task("extracting", total=len(todo))
        try:
            for article, document in zip(todo, extract_many(todo, timings=summary.timings)):
                status = store.upsert(document, origin=article.origin)
                if status == "stored":
                    summary.stored += 1
                elif status == "updated":
                    summary.updated += 1
                else:
                    summary.skipped += 1
                summary.events_by_type.update(e.type for e in document.events)
                if article.origin:
                    store.forget_reject(article.origin)
                if bar is not None:
                    bar.advance(task)
        finally:
            if bar is not None:
                bar.stop()
    summary.seconds = time.perf_counter() - t0
    return summary
