"""Ingest: read inputs, extract what is new, store each article in its own transaction.

Bad inputs are recorded in the rejects table with their reason and never stop the batch;
articles already stored (same stable id) are skipped without re-extraction, so re-running
on the same inputs adds nothing.

Copies and stories (see ``copies.py``, ``fingerprint.py`` and ``stories.py``): every stored
article gets a MinHash fingerprint. An article that is a near-duplicate of stored ones is a
*copy* of those before it in report order: it is stored with a link to them and keeps the
annotations of the sentences they lack (a wire copy with nothing new keeps none and is not
even extracted; an updated story keeps its new paragraph's events; a roundup keeps the other
story's). An exact copy under another ``SOURCE`` line (same article id) is recorded as one
more source of the stored article. After storing, :func:`tidings.stories.merge_new` merges
the new event mentions into story events (re-extracted events that a reviewer corrected are
merged again, with their corrections: :func:`tidings.stories.remerge`).

Both backends take this path. On PostgreSQL several writers may run at once: each article is
written under the shared-rows lock (:mod:`tidings.storage.dialect`), after checking that its
near-duplicates are still those it was planned against (else it is planned again).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import copies, fingerprint, stories
from .errors import StoreError
from .model import Article, Document
from .pipeline import extract_article, extract_parallel
from .readers import Rejected, read
from .storage import display_name, open_store
from .storage.dialect import lock, wrap

#: how often an article is planned again when other writers keep storing near-duplicates of
#: it between its planning and its write
PLAN_TRIES = 8


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
    near_duplicates: int = 0  # articles stored as copies of earlier near-duplicates
    copy_sentences: int = 0  # sentences of those copies
    copy_sentences_new: int = 0  # of which new: extracted, their events kept
    copy_events: int = 0  # events of the new sentences of copies
    retrofitted: int = 0  # stored copies that lost sentences to an earlier report read later
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

    ``db`` is a SQLite file or a ``postgresql://`` URL; both take the same path (the store's
    migrations create every table when it is opened)."""
    t0 = time.perf_counter()
    summary = Summary(db=display_name(db))
    with open_store(db) as store:
        conn = wrap(store.conn)  # type: ignore[attr-defined]
        todo: list[Article] = []
        prints: dict[str, fingerprint.Fingerprint] = {}
        seen: set[str] = set()
        batch = fingerprint.MemoryIndex()  # the batch's articles, to plan before storing
        pending: dict[str, Article] = {}
        extract: set[str] = set()
        touched: set[str] = set()
        reextracted: list[str] = []
        for item in items:
            if isinstance(item, Rejected):
                summary.rejected.append((item.origin, item.reason, item.message))
                store.reject(item.origin, item.reason, item.message)
                continue
            if item.id in seen or (not force and store.has_article(item.id)):
                summary.skipped += 1
                if _add_source(conn, item.id, item):
                    summary.sources_added += 1
                    touched.add(item.id)
                continue
            fp = fingerprint.minhash(item.text)
            known = copies.pending_known(item, fp, copies.plan(conn, item, fp), batch, pending)
            if copies.needs_extraction(item.text, known):
                extract.add(item.id)  # else: a copy with nothing new, stored unextracted
            seen.add(item.id)
            batch.add(item.id, fp)
            pending[item.id] = item
            prints[item.id] = fp
            todo.append(item)
        bar = None
        if progress and todo:
            from rich.progress import Progress

            bar = Progress(console=console, transient=True)
            bar.start()
            task = bar.add_task("extracting", total=len(todo))
        documents = extract_parallel([a for a in todo if a.id in extract], workers,
                                     timings=summary.timings)
        try:
            for article in todo:
                document = next(documents) if article.id in extract else None
                if _store(store, conn, article, document, prints[article.id], summary,
                          touched) == "updated":
                    reextracted.append(article.id)
                if article.origin:
                    store.forget_reject(article.origin)
                if bar is not None:
                    bar.advance(task)
        finally:
            getattr(documents, "close", lambda: None)()  # stop the extraction workers
            if bar is not None:
                bar.stop()
        t1 = time.perf_counter()
        reviewed = _reviewed_events(conn, reextracted)
        summary.stories = (stories.remerge(conn, reviewed) if reviewed
                           else stories.merge_new(conn))
        if touched:
            stories.refresh_sources(conn, sorted(touched))
        summary.timings["stories"] = time.perf_counter() - t1
    summary.seconds = time.perf_counter() - t0
    return summary


def _store(store: Any, conn: Any, article: Article, document: Document | None,
           fp: fingerprint.Fingerprint, summary: Summary, touched: set[str]) -> str:
    """Store one article as :mod:`tidings.copies` says (whole, or what it adds to the
    near-duplicates before it), its fingerprint, source and copy links in its transaction."""
    for _ in range(PLAN_TRIES):
        plan = copies.plan(conn, article, fp)
        known = plan.known
        if document is None and copies.needs_extraction(article.text, known):
            # planned as a copy of a batch article that is not stored (it failed): extract
            document = extract_article(article)
        kept = copies.keep_new(document if document is not None else copies.bare(article),
                               known)
        retrofitted: list[str] = []

        def with_article(c: Any, plan: copies.Plan = plan, out: list[str] = retrofitted
                         ) -> None:
            # the fingerprint, source, copy links and retrofitted copies commit with the
            # article, or not at all
            c = wrap(c)
            lock(c)
            copies.check(c, plan, fp)
            _record(c, article, fp, plan)
            out.extend(copies.retrofit(c, plan, article.text))

        try:
            status = store.upsert(kept.document, origin=article.origin, also=with_article)
        except copies.PlanChanged:
            continue
        if status == "skipped":  # the same Document is stored (by --force or another writer)
            with conn:
                lock(conn)
                _record(conn, article, fp, plan)
                retrofitted.extend(copies.retrofit(conn, plan, article.text))
            touched.add(article.id)  # its source row may be new: its stories count it
        _tally(summary, status)
        summary.events_by_type.update(e.type for e in kept.document.events)
        if plan.earlier:
            summary.near_duplicates += 1
            summary.copy_sentences += kept.sentences
            summary.copy_sentences_new += kept.new
            summary.copy_events += len(kept.document.events)
        summary.retrofitted += len(retrofitted)
        touched.update(plan.ids())  # their mentions' reports may have changed
        return status
    raise StoreError(f"E207 the near-duplicates of article {article.id} kept changing while"
                     f" it was stored ({PLAN_TRIES} tries): run again")


def _reviewed_events(conn: Any, article_ids: list[str]) -> list[str]:
    """The reviewed events of re-extracted articles: their corrections were applied again
    (``storage/reviews.py``), so story merging takes them again."""
    out: list[str] = []
    for aid in article_ids:
        out += [r[0] for r in conn.execute("SELECT DISTINCT event_id FROM reviews WHERE"
                                           " article_id = ? AND orphaned = 0", (aid,))]
    return out


def _record(conn: Any, article: Article, fp: fingerprint.Fingerprint,
            plan: copies.Plan) -> None:
    """Write the rows that belong with a stored article: fingerprint, source, copy links."""
    fingerprint.save(conn, article.id, fp)
    stories.add_source(conn, article.id, article.source, article.url, article.origin,
                       article.published.isoformat())
    copies.record(conn, article.id, plan)


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
        lock(conn)
        return stories.add_source(conn, article_id, article.source, article.url,
                                  article.origin, article.published.isoformat())
