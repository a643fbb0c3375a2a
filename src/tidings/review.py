"""Review: analysts accept, reject or correct events; the plain functions behind
``tidings review``, ``tidings export --corrections`` and the API.

The corrections themselves live in the store (:mod:`tidings.storage.reviews`); this module
adds what sits above the store: story merging sees a corrected event again
(:func:`tidings.stories.remerge`), the queue of events to review (least confident first),
and corrections as training examples for ``python -m tidings.train.classifier``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import stories
from .storage import Reader, Writer, open_store
from .storage.dialect import wrap
from .storage.filters import where_sql
from .storage.base import EventFilter
from .storage.queries import event_from_row


def review_event(store: Writer, event_id: str, status: str, reviewer: str,
                 expected_version: int, field: str | None = None,
                 value: str | dict[str, Any] | None = None) -> int:
    """Record one review (see :meth:`Writer.record_review`) and merge the event into stories
    again with its corrected values; return the event's new review version."""
    version = store.record_review(event_id, status, reviewer, expected_version, field, value)
    stories.remerge(wrap(store.conn), [event_id])  # type: ignore[attr-defined]
    return version


def review_at(db: str | Path, event_id: str, status: str, reviewer: str,
              expected_version: int, field: str | None = None,
              value: str | dict[str, Any] | None = None) -> int:
    """:func:`review_event` on the store at ``db``."""
    with open_store(db) as store:
        return review_event(store, event_id, status, reviewer, expected_version, field, value)


def queue(reader: Reader, type: str | None = None, country: str | None = None,
          unreviewed: bool = True, limit: int | None = 50,
          after: str | None = None) -> list[dict[str, Any]]:
    """Events to review, least confident first (then by id): each event row with the article
    fields, ``review_version`` and ``evidence`` (the sentence). ``after`` (an event id) starts
    after that event in the same order, so a client pages through the queue while it reviews
    (reviewed events leave an unreviewed-only queue, so an offset would skip some)."""
    f = EventFilter(types=[type.upper()] if type else [],
                    countries=[country.upper()] if country else [])
    where, args = where_sql(reader, f, reader.event_hints(f),  # type: ignore[attr-defined]
                            articles_joined=True)
    conds = []
    if reader.has_table("reviews") and unreviewed:
        conds.append("e.review_status IS NULL")
    if after:
        conds.append("(e.confidence > (SELECT confidence FROM events WHERE id = ?) OR"
                     " (e.confidence = (SELECT confidence FROM events WHERE id = ?)"
                     " AND e.id > ?))")
        args += [after, after, after]
    for cond in conds:
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
    sql = f"{_item_select(reader)}{where} ORDER BY e.confidence, e.id"
    if limit:
        sql += " LIMIT ?"
        args.append(int(limit))
    return [event_from_row(r) for r in reader.execute(sql, args).fetchall()]


def _item_select(reader: Reader) -> str:
    """``SELECT`` of a review item: the event row, its article's fields and its review
    version."""
    if not reader.has_table("reviews"):  # a store older than reviews, served read-only
        version = "0"
    else:
        version = "(SELECT coalesce(max(r.version), 0) FROM reviews r WHERE r.event_id = e.id)"
    return ("SELECT e.*, a.title AS article_title, a.source AS article_source,"
            " a.published AS article_published, a.url AS article_url,"
            f" {version} AS review_version FROM events e JOIN articles a"
            " ON a.id = e.article_id")


def item(reader: Reader, event_id: str) -> dict[str, Any] | None:
    """One event as a queue item (None if there is none), with its review ``history``."""
    from .storage.reviews import history

    row = reader.execute(f"{_item_select(reader)} WHERE e.id = ?", (event_id,)).fetchone()
    if row is None:
        return None
    out = event_from_row(row)
    out["history"] = history(reader, event_id) if reader.has_table("reviews") else []
    return out


def marked_sentence(event: dict[str, Any]) -> str:
    """The evidence sentence with the trigger between ``[[`` and ``]]``."""
    text = event.get("evidence") or ""
    start = (event.get("trigger_start") or 0) - (event.get("sentence_start") or 0)
    end = (event.get("trigger_end") or 0) - (event.get("sentence_start") or 0)
    if not (0 <= start < end <= len(text)):
        return text
    return f"{text[:start]}[[{text[start:end]}]]{text[end:]}"


def corrections(reader: Reader) -> Iterator[dict[str, Any]]:
    """Reviewed events as training examples for the type classifier: the evidence sentence
    with source and target marked, the corrected type (accepted and edited events; a rejected
    event has no type to learn), the machine's type, the reviewer and status."""
    if not reader.has_table("reviews"):  # a store from before reviews: none to give
        return
    rows = reader.execute(
        "SELECT e.*, r.machine_type, r.reviewer FROM events e JOIN reviews r"
        " ON r.event_id = e.id AND r.version = (SELECT max(version) FROM reviews"
        " WHERE event_id = e.id) WHERE e.review_status IN ('accepted', 'edited')"
        " ORDER BY e.article_id, e.trigger_start, e.id").fetchall()
    for r in rows:
        event = event_from_row(r)
        text = event.get("evidence") or ""
        ev = event["event"]
        yield {"marked_sentence": dyad_sentence(text, event.get("sentence_start") or 0, ev),
               "label": event["type"], "machine_type": r["machine_type"],
               "status": event["review_status"], "reviewer": r["reviewer"],
               "event_id": event["id"], "article_id": event["article_id"]}


def dyad_sentence(text: str, offset: int, ev: dict[str, Any]) -> str:
    """``text`` with the event's first source and target marked ``<s>..</s>`` and
    ``<t>..</t>`` (PLV's marking, which ``tidings.train.classifier`` reads)."""
    marks: list[tuple[int, int, str]] = []
    for role, tag in (("source", "S"), ("target", "T")):
        actors = ev.get(role) or []
        if actors:
            a = actors[0]
            if a.get("start") is None or a.get("end") is None:
                continue  # an actor a reviewer named: no span in the text to mark
            s, e = int(a["start"]) - offset, int(a["end"]) - offset
            if 0 <= s < e <= len(text):
                marks.append((s, e, tag.lower()))
    marks.sort()
    if len(marks) == 2 and marks[0][1] > marks[1][0]:
        marks = marks[:1]  # overlapping actors: mark one
    out = text
    for s, e, tag in sorted(marks, reverse=True):
        out = f"{out[:s]}<{tag}>{out[s:e]}</{tag}>{out[e:]}"
    return out


def write_corrections(reader: Reader, output: Path) -> int:
    """Write :func:`corrections` as JSON Lines to ``output``; return how many."""
    n = 0
    with output.open("w", encoding="utf-8") as fh:
        for ex in corrections(reader):
            fh.write(json.dumps(ex, ensure_ascii=False) + "\n")
            n += 1
    return n
