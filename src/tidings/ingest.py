"""Ingest: read inputs, extract what is new, store each article in its own transaction.

Bad inputs are recorded in the rejects table with their reason and never stop the batch;
articles already stored (same stable id) are skipped without re-extraction, so re-running
on the same inputs adds nothing.

Stories (see ``stories.py`` and ``fingerprint.py``): every stored article gets a MinHash
fingerprint; a new article that is a near-duplicate of a stored one (the same wire story from
another outlet, lightly re-edited) is not stored again but recorded as one more source of the
stored article in ``article_sources``, and an exact copy under another ``SOURCE`` line (same
article id) likewise. After storing, :func:`tidings.stories.merge_new` merges the new event
mentions into story events.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import fingerprint, stories
from .model import Article
from .pipeline import extract_parallel
from .readers import Rejected, read
from .storage import display_name, is_pg_url, open_store


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
    near_duplicates: int = 0  # articles stored as one more source of a stored article
    sources_added: int = 0  # new rows of article_sources (new outlets of stored articles)
    stories: dict[str, int] = field(default_factory=dict)  # stories.merge_new counts

    @property
    def articles_per_second(self) -> float:
        done = self.stored + self.updated
        return done / self.seconds if self.seconds else 0.0


def _items(paths: Iterable[Path], published: date | None, source: str | None,
           language: str | None = None) -> Iterator[Article | Rejected]:
    for p in paths:
        for item in read(p, published=published, source=source):
            if language and isinstance(item, Article):
                item.language = language
            yield item


def ingest(paths: Iterable[Path], db: str | Path, published: date | None = None,
           source: str | None = None, force: bool = False, progress: bool = False,
           console: Any = None, workers: int = 1, language: str | None = None) -> Summary:
    """Read ``paths``, extract new articles and store them in ``db``; return a summary.

    ``workers`` processes extract in parallel; this process stays the one writer.
    ``language`` ("en", "fr") forces the language of every article; None detects it."""
    return ingest_items(_items(paths, published, source, language), db, force=force,
                        progress=progress, console=console, workers=workers)


def ingest_items(items: Iterable[Article | Rejected], db: str | Path, force: bool = False,
                 progress: bool = False, console: Any = None, workers: int = 1) -> Summary:
    """Extract and store already-read articles (the feed watcher's entry point).

    ``db`` is a SQLite file or a ``postgresql://`` URL (:func:`_ingest_pg`)."""
    if is_pg_url(db):
        return _ingest_pg(items, str(db), force=force, workers=workers)
    t0 = time.perf_counter()
    summary = Summary(db=str(db))
    with open_store(db) as store:
        conn = store.conn  # type: ignore[attr-defined]  # the SQLite store's connection
        todo: list[Article] = []
        prints: dict[str, fingerprint.Fingerprint] = {}
        seen: set[str] = set()
        batch_index = fingerprint.MemoryIndex()
        touched: list[str] = []
        for item in items:
            if isinstance(item, Rejected):
                summary.rejected.append((item.origin, item.reason, item.message))
                store.reject(item.origin, item.reason, item.message)
                continue
            if item.id in seen or (not force and store.has_article(item.id)):
                summary.skipped += 1
                if _add_source(conn, item.id, item):
                    summary.sources_added += 1
                    touched.append(item.id)
                continue
            fp = fingerprint.minhash(item.text)
            dup = None if force else (batch_index.query(fp) or fingerprint.find_near_duplicate(
                conn, fp, exclude=item.id))
            if dup is not None:
                summary.skipped += 1
                summary.near_duplicates += 1
                if _add_source(conn, dup[0], item):
                    summary.sources_added += 1
                    touched.append(dup[0])
                continue
            seen.add(item.id)
            batch_index.add(item.id, fp)
            prints[item.id] = fp
            todo.append(item)
        bar = None
        if progress and todo:
            from rich.progress import Progress

            bar = Progress(console=console, transient=True)
            bar.start()
            task = bar.add_task("extracting", total=len(todo))
        try:
            for article, document in zip(todo, extract_parallel(todo, workers,
                                                                timings=summary.timings)):
                fp = prints[article.id]

                def with_article(c: Any, d: Any = document, a: Article = article,
                                 f: fingerprint.Fingerprint = fp) -> None:
                    # fingerprint and source commit with the article, or not at all
                    fingerprint.save(c, d.id, f)
                    stories.add_source(c, d.id, a.source, a.url, a.origin,
                                       a.published.isoformat())

                status = store.upsert(document, origin=article.origin, also=with_article)
                _tally(summary, status)
                if status == "skipped":
                    with conn:
                        fingerprint.save(conn, document.id, fp)
                    _add_source(conn, document.id, article)
                summary.events_by_type.update(e.type for e in document.events)
                if article.origin:
                    store.forget_reject(article.origin)
                if bar is not None:
                    bar.advance(task)
        finally:
            if bar is not None:
                bar.stop()
        t1 = time.perf_counter()
        summary.stories = stories.merge_new(conn)
        if touched:
            stories.refresh_sources(conn, touched)
        summary.timings["stories"] = time.perf_counter() - t1
    summary.seconds = time.perf_counter() - t0
    return summary


def _tally(summary: Summary, status: str) -> None:
    """Count one upsert's outcome ("stored", "updated" or "skipped")."""
    if status == "stored":
        summary.stored += 1
    elif status == "updated":
        summary.updated += 1
    else:
        summary.skipped += 1


def _add_source(conn: Any, article_id: str, article: Article) -> bool:
    """Record ``article``'s outlet as a source of the stored ``article_id``; commit."""
    with conn:
        return stories.add_source(conn, article_id, article.source, article.url,
                                  article.origin, article.published.isoformat())


def _ingest_pg(items: Iterable[Article | Rejected], url: str, force: bool = False,
               workers: int = 1) -> Summary:
    """``run --db postgresql://...``: the same reading, skipping and extraction, stored by
    :class:`tidings.storage.postgres.PgStore` (one transaction per article, safe beside other
    writers).

    Near-duplicates are dropped within the batch (MinHash, as for SQLite); fingerprints across
    runs, article sources and story merging live in the SQLite store only (docs/SCALING.md)."""
    t0 = time.perf_counter()
    summary = Summary(db=display_name(url))
    with open_store(url) as store:
        todo: list[Article] = []
        seen: set[str] = set()
        batch_index = fingerprint.MemoryIndex()
        for item in items:
            if isinstance(item, Rejected):
                summary.rejected.append((item.origin, item.reason, item.message))
                store.reject(item.origin, item.reason, item.message)
                continue
            if item.id in seen or (not force and store.has_article(item.id)):
                summary.skipped += 1
                continue
            fp = fingerprint.minhash(item.text)
            if not force and batch_index.query(fp) is not None:
                summary.skipped += 1
                summary.near_duplicates += 1
                continue
            seen.add(item.id)
            batch_index.add(item.id, fp)
            todo.append(item)
        for article, document in zip(todo, extract_parallel(todo, workers,
                                                            timings=summary.timings)):
            _tally(summary, store.upsert(document, origin=article.origin))
            summary.events_by_type.update(e.type for e in document.events)
            if article.origin:
                store.forget_reject(article.origin)
    summary.seconds = time.perf_counter() - t0
    return summary
