"""Analysts' corrections: recorded with who, when and the value before, never lost.

An event's reviews are rows of ``reviews`` (migration 5), version 1, 2, ... in order; each is
an *accept*, a *reject* or an *edit* of one field (:data:`FIELDS`). The event row carries the
result: its columns and its JSON hold the corrected values and ``review_status`` the last
action (``accepted``, ``rejected`` or ``edited``); the article's stored Document keeps the
machine's output, so storing the same Document again is still a no-op.

Optimistic concurrency: a reviewer sends the version it saw (0 for an unreviewed event); a
write whose version is stale is refused (E210), and the primary key ``(event_id, version)``
refuses the second of two writers that read the same version at once. Nothing is silently
overwritten.

Re-extraction (``tidings run --force``, a model upgrade, ``tidings load``) deletes and
re-inserts an article's events; :func:`reapply` then runs in the same transaction and
matches each reviewed event to its counterpart by article and evidence span: the same event
id, else the same trigger span, else the same sentence span and extracted type. A match gets
its corrections again (and the reviews follow its id); a review without one is kept and
flagged ``orphaned`` until an event matches again. Every write goes to ``audit``.

The functions take a connection of a writer's transaction (portable SQL: ``execute`` with
``?`` placeholders, rows readable by index), so both backends share them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from ..errors import StoreError
from ..model import MODALITIES, PLOVER_TYPES

STATUSES = ("accepted", "rejected", "edited")


def _check_type(v: str) -> str:
    if v.upper() not in PLOVER_TYPES:
        raise StoreError(f"E212 unknown event type {v!r}. Available: {', '.join(PLOVER_TYPES)}")
    return v.upper()


def _check_modality(v: str) -> str:
    if v.lower() not in MODALITIES:
        raise StoreError(f"E212 unknown modality {v!r}. Available: {', '.join(MODALITIES)}")
    return v.lower()


def _check_date(v: str) -> str:
    try:
        return date.fromisoformat(v.strip()).isoformat()
    except ValueError:
        raise StoreError(f"E212 bad date {v!r}: write YYYY-MM-DD") from None


def _check_country(v: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{3}", v.strip()):
        raise StoreError(f"E212 bad country {v!r}: write an ISO 3166-1 alpha-3 code (NER)")
    return v.strip().upper()


def _check_text(v: str) -> str:
    v = " ".join(v.split())
    if not v or len(v) > 200:
        raise StoreError(f"E212 bad value {v!r}: write 1 to 200 characters")
    return v


@dataclass(frozen=True)
class Field:
    """An editable field: its ``events`` column, its path in the event JSON, its check."""

    column: str
    path: tuple[str, ...]
    check: Callable[[str], str]


#: the fields a reviewer may edit
FIELDS: dict[str, Field] = {
    "type": Field("type", ("type",), _check_type),
    "mode": Field("mode", ("mode",), _check_text),
    "modality": Field("modality", ("modality",), _check_modality),
    "date_start": Field("date_start", ("date", "start"), _check_date),
    "date_end": Field("date_end", ("date", "end"), _check_date),
    "place_name": Field("place_name", ("location", "name"), _check_text),
    "place_country": Field("place_country", ("location", "country"), _check_country),
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _audit(c: Any, actor: str, action: str, subject: str, detail: dict[str, Any]) -> None:
    c.execute("INSERT INTO audit (at, actor, action, subject, detail) VALUES (?,?,?,?,?)",
              (_now(), actor, action, subject, json.dumps(detail, sort_keys=True)))


def current_version(c: Any, event_id: str) -> int:
    """The version of an event's last review (0: never reviewed)."""
    row = c.execute("SELECT max(version) FROM reviews WHERE event_id = ?", (event_id,)
                    ).fetchone()
    return int(row[0] or 0)


def _set_json(event: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = event
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[path[-1]] = value


def _apply(c: Any, event_id: str, status: str, edits: dict[str, str]) -> None:
    """Write corrected values and the review status into an event row and its JSON."""
    row = c.execute("SELECT json FROM events WHERE id = ?", (event_id,)).fetchone()
    if row is None:
        return
    event = json.loads(row[0]) if isinstance(row[0], str) else dict(row[0])  # PG: JSONB
    sets, args = ["review_status = ?"], [status]
    for name, value in edits.items():
        f = FIELDS[name]
        sets.append(f"{f.column} = ?")
        args.append(value)
        _set_json(event, f.path, value)
    sets.append("json = ?")
    args.append(json.dumps(event, ensure_ascii=False))
    c.execute(f"UPDATE events SET {', '.join(sets)} WHERE id = ?", [*args, event_id])  # noqa: S608


def record(c: Any, event_id: str, status: str, reviewer: str, expected_version: int,
           field: str | None = None, value: str | None = None) -> int:
    """Record one review of an event and apply it; return the event's new review version.

    ``status`` is ``accepted``, ``rejected`` or ``edited`` (``field`` and ``value`` given).
    Refuses (E210) a stale ``expected_version``, (E211) an unknown event, (E212) a bad field
    or value."""
    if status not in STATUSES:
        raise StoreError(f"E212 unknown review status {status!r}. Available: "
                         f"{', '.join(STATUSES)}")
    if not reviewer or not reviewer.strip():
        raise StoreError("E212 a review needs a reviewer name")
    if status == "edited":
        if field not in FIELDS:
            raise StoreError(f"E212 cannot edit field {field!r}. Available: "
                             f"{', '.join(FIELDS)}")
        value = FIELDS[field].check(value or "")
    else:
        field = value = None
    cols = ", ".join(["article_id", "trigger_start", "trigger_end", "sentence_start",
                      "sentence_end", "type", *((FIELDS[field].column,) if field else ())])
    row = c.execute(f"SELECT {cols} FROM events WHERE id = ?", (event_id,)).fetchone()  # noqa: S608
    if row is None:
        raise StoreError(f"E211 no event {event_id!r} in the store")
    version = current_version(c, event_id)
    if version != expected_version:
        raise StoreError(f"E210 event {event_id} was reviewed meanwhile (version {version},"
                         f" you saw {expected_version}): reload it and review again")
    machine_type = row[5]
    first = c.execute("SELECT machine_type FROM reviews WHERE event_id = ? AND version = 1",
                      (event_id,)).fetchone()
    if first is not None:  # the type the machine gave, not an earlier correction's
        machine_type = first[0]
    before = None if field is None or row[6] is None else str(row[6])
    at = _now()
    try:
        c.execute("INSERT INTO reviews (event_id, version, article_id, trigger_start,"
                  " trigger_end, sentence_start, sentence_end, machine_type, field,"
                  " value_before, value_after, status, reviewer, reviewed_at)"
                  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                  (event_id, version + 1, row[0], row[1], row[2], row[3], row[4],
                   machine_type, field, before, value, status, reviewer, at))
    except Exception as exc:  # the same version added by another writer just now
        if _is_conflict(exc):
            raise StoreError(f"E210 event {event_id} was reviewed meanwhile: reload it and"
                             " review again") from exc
        raise
    _audit(c, reviewer, f"review.{status}", event_id,
           {"version": version + 1, "field": field, "before": before, "after": value})
    status_now, edits = state(c, event_id)
    _apply(c, event_id, status_now, edits)
    return version + 1


def _is_conflict(exc: BaseException) -> bool:
    import sqlite3

    if isinstance(exc, sqlite3.IntegrityError):
        return True
    try:
        import psycopg
    except ImportError:  # pragma: no cover - depends on the environment
        return False
    return isinstance(exc, psycopg.errors.UniqueViolation)


def state(c: Any, event_id: str) -> tuple[str, dict[str, str]]:
    """An event's review state from its reviews: the last status and each edited field's
    last value."""
    status, edits = "", {}
    for field, after, st in c.execute("SELECT field, value_after, status FROM reviews WHERE"
                                      " event_id = ? ORDER BY version", (event_id,)).fetchall():
        status = st
        if field in FIELDS and after is not None:
            edits[field] = after
    return status, edits


def reapply(c: Any, article_id: str) -> dict[str, int]:
    """Re-apply the reviews of an article to its (re-inserted) events, in the caller's
    transaction; return counts ``reapplied`` and ``orphaned``."""
    chains = c.execute(
        "SELECT event_id, trigger_start, trigger_end, sentence_start, sentence_end,"
        " machine_type, orphaned FROM reviews WHERE article_id = ? AND version = 1"
        " ORDER BY event_id", (article_id,)).fetchall()
    out = {"reapplied": 0, "orphaned": 0}
    if not chains:
        return out
    events = c.execute("SELECT id, trigger_start, trigger_end, sentence_start, sentence_end,"
                       " type FROM events WHERE article_id = ? ORDER BY id",
                       (article_id,)).fetchall()
    by_id = {e[0]: e for e in events}
    claimed: set[str] = set()
    ordered = sorted(chains, key=lambda ch: ch[0] not in by_id)  # exact ids claim first
    for ch in ordered:
        old = ch[0]
        match = _match(ch, events, by_id, claimed)
        if match is None:
            c.execute("UPDATE reviews SET orphaned = 1 WHERE event_id = ?", (old,))
            if not ch[6]:
                _audit(c, "tidings", "review.orphaned", old, {"article_id": article_id})
            out["orphaned"] += 1
            continue
        new = match[0]
        claimed.add(new)
        c.execute("UPDATE reviews SET event_id = ?, orphaned = 0, trigger_start = ?,"
                  " trigger_end = ?, sentence_start = ?, sentence_end = ? WHERE event_id = ?",
                  (new, match[1], match[2], match[3], match[4], old))
        status, edits = state(c, new)
        _apply(c, new, status, edits)
        _audit(c, "tidings", "review.reapplied", new, {"from": old, "article_id": article_id})
        out["reapplied"] += 1
    return out


def _match(ch: Any, events: list[Any], by_id: dict[str, Any], claimed: set[str]) -> Any:
    """The event a review chain belongs to: same id, else same trigger span, else same
    sentence span and extracted type."""
    if ch[0] in by_id and ch[0] not in claimed:
        return by_id[ch[0]]
    free = [e for e in events if e[0] not in claimed]
    for e in free:
        if ch[1] is not None and (e[1], e[2]) == (ch[1], ch[2]):
            return e
    for e in free:
        if ch[3] is not None and (e[3], e[4], e[5]) == (ch[3], ch[4], ch[5]):
            return e
    return None


def has_review_status(c: Any) -> bool:
    """True if the store's ``events`` rows have ``review_status`` (a store opened read-only
    may be older than migration 5)."""
    import sqlite3

    inner = getattr(c, "conn", c)
    if isinstance(inner, sqlite3.Connection):
        sql = "SELECT 1 FROM pragma_table_info('events') WHERE name = 'review_status'"
    else:
        sql = ("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
               " AND table_name = 'events' AND column_name = 'review_status'")
    return c.execute(sql).fetchone() is not None


def history(c: Any, event_id: str) -> list[dict[str, Any]]:
    """An event's reviews, oldest first."""
    rows = c.execute("SELECT version, field, value_before, value_after, status, reviewer,"
                     " reviewed_at, orphaned FROM reviews WHERE event_id = ? ORDER BY version",
                     (event_id,)).fetchall()
    keys = ("version", "field", "value_before", "value_after", "status", "reviewer",
            "reviewed_at", "orphaned")
    return [dict(zip(keys, r, strict=True)) for r in rows]
