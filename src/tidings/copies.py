"""Copies: a near-duplicate article is stored, and keeps what it adds to what it copies.

News repeats itself: the same wire story from several outlets, the updated story (the same
text with a new paragraph or a new toll), the roundup (two stories in one article), the live
page that repeats earlier paragraphs. The policy (docs/ARCHITECTURE.md, decision 17):

- **Near-duplicates**: two articles whose 5-word shingle sets have an estimated Jaccard
  similarity ≥ :data:`tidings.fingerprint.NEAR_DUPLICATE_THRESHOLD` (0.5, MinHash).
- **Report order**: near-duplicates are ordered by (publication date, text length, id); of
  two near-duplicates the later is a *copy of* the earlier (table ``article_copies``). The
  order depends on the articles only, never on when they were read.
- **Sentences** are the spans :func:`sentences` cuts (sentence ends and line breaks). A
  sentence of an article is *known* when its normalised text (:func:`normalise`: words only,
  case folded, so whitespace, quotes and punctuation edits do not count) occurs in the
  normalised text of an article it copies; the other sentences are *new*.
- **A copy is stored** (its text is searchable, its evidence offsets index it) with the
  annotations of its new sentences only: the times, places and actors that start in a new
  sentence, and the events whose trigger lies in one. An article with no earlier
  near-duplicate is stored whole, as before. A roundup is a copy only for the sentences it
  shares: the other story's sentences are new, so their events are kept.
- **Order does not matter**: when an article arrives that a stored one copies (an earlier
  report read later), the stored copy loses the annotations of the sentences the new
  article has, in the new article's transaction (:func:`retrofit`). So what a store holds
  for an article is a function of the article and of the articles it copies.
- Outlets: each article keeps its own ``article_sources`` rows; a story counts as reports
  of a mention its article and every near-duplicate of it whose text carries the mention's
  evidence sentence (``stories._Reports``).

The tables are plain SQL shared by SQLite and PostgreSQL (:mod:`tidings.storage.dialect`).
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import fingerprint
from .model import Article, Document
from .storage.dialect import is_pg, wrap

_WORD = re.compile(r"\w+")
#: a sentence ends at . ! ? or … (with closing quotes or brackets) before a space, or at a
#: line break; abbreviations ("U.S.") may cut a sentence in two, which is harmless here: both
#: halves of a known sentence are known
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|\n")


class PlanChanged(Exception):
    """Another writer stored a near-duplicate between planning and writing: plan again."""


def ensure_schema(conn: Any) -> None:
    """Bring a SQLite store's schema up to date (``article_copies`` comes with migration 3,
    ``storage/migrations/0003_copies.*.sql``); PostgreSQL stores are migrated when opened."""
    if not is_pg(conn):
        from .storage.sqlite import migrate

        migrate(wrap(conn))


def normalise(text: str) -> str:
    """Return the comparable form of a text: its words, case folded, one space apart."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def sentences(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of the sentences of ``text`` (spans with a word)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in [*_BOUNDARY.finditer(text), None]:
        end = m.end() if m is not None else len(text)
        a, b = start, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if _WORD.search(text, a, b):
            spans.append((a, b))
        start = end
    return spans


def _padded(texts: Iterable[str]) -> list[str]:
    return [f" {normalise(t)} " for t in texts]


def _known(sentence: str, known: Sequence[str]) -> bool:
    needle = normalise(sentence)
    return not needle or any(f" {needle} " in k for k in known)


def order_key(published: str, text: str, article_id: str) -> tuple[str, int, str]:
    """The report order of near-duplicates: earlier publication, then shorter text, then id."""
    return (published[:10], len(text), article_id)


@dataclass(frozen=True)
class Neighbour:
    """A stored near-duplicate of the article being stored."""

    id: str
    similarity: float
    key: tuple[str, int, str]
    text: str


@dataclass
class Plan:
    """How an article relates to the stored articles: the near-duplicates before it in report
    order (it copies them) and after it (they copy it)."""

    article_id: str
    key: tuple[str, int, str]
    earlier: list[Neighbour] = field(default_factory=list)
    later: list[Neighbour] = field(default_factory=list)

    @property
    def known(self) -> list[str]:
        """The padded normalised texts whose sentences this article does not add."""
        return _padded(n.text for n in self.earlier)

    def ids(self) -> list[str]:
        return sorted(n.id for n in self.earlier + self.later)


def plan(conn: Any, article: Article, fp: fingerprint.Fingerprint) -> Plan:
    """Find the stored near-duplicates of ``article`` and place it among them."""
    conn = wrap(conn)
    key = order_key(article.published.isoformat(), article.text, article.id)
    found = dict(fingerprint.find_near_duplicates(conn, fp, exclude=article.id))
    out = Plan(article.id, key)
    if not found:
        return out
    ph = ",".join("?" * len(found))
    rows = conn.execute(f"SELECT id, published, text FROM articles WHERE id IN ({ph})",
                        sorted(found)).fetchall()
    for aid, published, text in sorted(tuple(r) for r in rows):  # sqlite3.Row: no order
        n = Neighbour(aid, round(found[aid], 4), order_key(str(published), text, aid), text)
        (out.earlier if n.key < key else out.later).append(n)
    return out


def check(conn: Any, planned: Plan, fp: fingerprint.Fingerprint) -> None:
    """Raise :class:`PlanChanged` if the stored near-duplicates are no longer those planned
    for (run inside the writing transaction, under the shared-rows lock)."""
    now = sorted(a for a, _ in fingerprint.find_near_duplicates(conn, fp,
                                                                exclude=planned.article_id))
    if now != planned.ids():
        raise PlanChanged(planned.article_id)


def pending_known(article: Article, fp: fingerprint.Fingerprint, stored: Plan,
                  batch: fingerprint.MemoryIndex, pending: dict[str, Article]) -> list[str]:
    """The known texts of ``article`` once the batch items read before it are stored: those
    of its stored earlier near-duplicates and of earlier near-duplicates in the batch."""
    key = order_key(article.published.isoformat(), article.text, article.id)
    texts = [n.text for n in stored.earlier]
    for other_id, _ in batch.query_all(fp):
        o = pending[other_id]
        if order_key(o.published.isoformat(), o.text, o.id) < key:
            texts.append(o.text)
    return _padded(texts)


def _fresh_test(text: str, known: Sequence[str]) -> tuple[Callable[[int], bool], int, int]:
    """(is the sentence at this offset new?, number of sentences, number of new ones)."""
    spans = sentences(text)
    new = [not _known(text[a:b], known) for a, b in spans]
    starts = [a for a, _ in spans]

    def fresh(offset: int) -> bool:
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and offset < spans[i][1] and new[i]

    return fresh, len(spans), sum(new)


def needs_extraction(text: str, known: Sequence[str]) -> bool:
    """True when ``text`` has a sentence that ``known`` lacks (or nothing is known)."""
    if not known:
        return True
    return _fresh_test(text, known)[2] > 0


@dataclass
class Kept:
    """What a copy keeps: the restricted Document and its sentence counts."""

    document: Document
    sentences: int = 0
    new: int = 0


def keep_new(document: Document, known: Sequence[str]) -> Kept:
    """Restrict ``document`` to the annotations of its new sentences (all of it when nothing
    is known: an article that copies nothing)."""
    if not known:
        return Kept(document)
    fresh, total, new = _fresh_test(document.text, known)
    kept = dataclasses.replace(
        document,
        times=[t for t in document.times if fresh(t.start)],
        places=[p for p in document.places if fresh(p.start)],
        actors=[a for a in document.actors if fresh(a.start)],
        events=[e for e in document.events if fresh(e.trigger.start)])
    return Kept(kept, total, new)


def bare(article: Article) -> Document:
    """The Document of a copy with no new sentence: its text and metadata, no annotations
    (the Document the pipeline would give, restricted to its new sentences: none)."""
    from .language import resolve_language

    return Document(id=article.id, published=article.published, text=article.text,
                    title=article.title, section=article.section, source=article.source,
                    url=article.url, language=resolve_language(article.language, article.text))


def record(conn: Any, article_id: str, planned: Plan) -> None:
    """Write the copy links of a stored article (both directions); the caller commits."""
    rows = ([(article_id, n.id, n.similarity) for n in planned.earlier]
            + [(n.id, article_id, n.similarity) for n in planned.later])
    wrap(conn).executemany("INSERT INTO article_copies VALUES (?,?,?) ON CONFLICT DO NOTHING",
                           rows)


def retrofit(conn: Any, planned: Plan, text: str) -> list[str]:
    """Restrict each stored copy of the article being stored (its later near-duplicates) to
    the sentences that article lacks; return the ids of the copies that changed. Runs inside
    the article's transaction."""
    conn = wrap(conn)
    known = _padded([text])
    changed = []
    for n in planned.later:
        row = conn.execute("SELECT document FROM articles WHERE id=?", (n.id,)).fetchone()
        if row is None:
            continue
        d = json.loads(row[0])
        fresh = _fresh_test(d["text"], known)[0]
        kept = {k: [x for x in d[k] if fresh(x["start"])] for k in ("times", "places", "actors")}
        kept["events"] = [e for e in d["events"] if fresh(e["trigger"]["start"])]
        if all(len(kept[k]) == len(d[k]) for k in kept):
            continue
        gone = [e["id"] for e in d["events"] if e not in kept["events"]]
        if gone:
            ph = ",".join("?" * len(gone))
            conn.execute(f"DELETE FROM event_actors WHERE event_id IN ({ph})", gone)
            conn.execute(f"DELETE FROM events WHERE id IN ({ph})", gone)
        conn.execute("DELETE FROM times WHERE article_id=?", (n.id,))
        conn.executemany(
            'INSERT INTO times (article_id, ord, text, start, "end", type, value, mod,'
            " granularity) VALUES (?,?,?,?,?,?,?,?,?)",
            [(n.id, i, t["text"], t["start"], t["end"], t["type"], t["value"], t["mod"],
              t["granularity"]) for i, t in enumerate(kept["times"])])
        conn.execute("DELETE FROM places WHERE article_id=?", (n.id,))
        conn.executemany(
            'INSERT INTO places (article_id, ord, text, start, "end", name, geonameid,'
            " country, admin1, lat, lon, kind, usage) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(n.id, i, p["text"], p["start"], p["end"], p["name"], p["geonameid"],
              p["country"], p["admin1"], p["lat"], p["lon"], p["kind"], p["usage"])
             for i, p in enumerate(kept["places"])])
        d.update(kept)
        conn.execute("UPDATE articles SET document=? WHERE id=?",
                     (json.dumps(d, ensure_ascii=False, sort_keys=True), n.id))
        changed.append(n.id)
    return changed


def neighbours(conn: Any, article_id: str) -> list[str]:
    """The ids of the stored near-duplicates of an article (copies and copied), sorted."""
    try:
        rows = wrap(conn).execute(
            "SELECT copy_of FROM article_copies WHERE article_id=?"
            " UNION SELECT article_id FROM article_copies WHERE copy_of=?",
            (article_id, article_id)).fetchall()
    except sqlite3.OperationalError:  # a store written before the table existed
        return []
    return sorted(r[0] for r in rows)
