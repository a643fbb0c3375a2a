"""How the SQLite backend plans event filters: facts about the store, kept across requests.

A reader's :meth:`~tidings.storage.sqlite.SqliteReader.planner` returns a
:class:`SqlitePlanner`; the REST API keeps one per store (its read pool) and asks it for the
:class:`~tidings.storage.base.Hints` of each filter:

- the longest event span (:class:`SpanTracker`) bounds ``date_start`` for ``since``;
- a rare actor (:class:`ActorNames`) is collected through ``event_actors(name)`` first;
- rare countries are collected through the country indexes first.

Each fact is refreshed incrementally (rowids grow as ``tidings run`` appends) and rescanned
in full now and then, so a plan is never wrong, only sometimes slower.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

from .base import EventFilter, Hints

# A text query matching more than this share of articles (and at least BROAD_FTS_MIN) is
# "broad": scanning events in order finds a page faster than visiting every hit. Measured on
# the 100k-event synthetic store: 3.6k of 22k hits 16 ms by hits vs 70 ms by scan; 19.7k
# hits 85 ms by hits vs 12 ms by scan.
BROAD_FTS_SHARE = 0.25
BROAD_FTS_MIN = 2000
# An actor matching under this share of actor rows is "rare": its events are collected first.
RARE_ACTOR_SHARE = 0.02
#: at most this many event-actor and event-place rows make a country filter "rare"
RARE_COUNTRY_EVENTS = 3000


def _in(column: str, values: list[Any]) -> str:
    return f"{column} IN ({','.join('?' * len(values))})"


class SpanTracker:
    """Track the longest event span (``date_end - date_start``, in days) of the store.

    Only rows added since the last look are scanned (rowids grow as ``tidings run`` appends);
    a full rescan every ``full_every`` seconds, or when rows disappear, catches replaced rows.
    Checked at most every ``every`` seconds, so an event longer than any seen before may be
    missed by a ``since`` filter for that long after it is stored.
    """

    def __init__(self, every: float = 5.0, full_every: float = 600.0) -> None:
        self.every = every
        self.full_every = full_every
        self._lock = threading.Lock()
        self._rowid = 0
        self._days = 0
        self._checked = -math.inf
        self._full = -math.inf

    def days(self, conn: Any) -> int:
        """Return the longest span in days (refreshing it when due)."""
        now = time.monotonic()
        if now - self._checked < self.every:
            return self._days
        with self._lock:
            if now - self._checked < self.every:
                return self._days
            top = conn.execute("SELECT max(rowid) FROM events").fetchone()[0] or 0
            full = top < self._rowid or now - self._full > self.full_every
            start = 0 if full else self._rowid
            if full or top > self._rowid:
                span = conn.execute(
                    "SELECT max(julianday(date_end) - julianday(date_start)) FROM events"
                    " WHERE rowid > ? AND rowid <= ? AND date_end != date_start",
                    (start, top)).fetchone()[0]
                span_days = int(math.ceil(span)) if span is not None and span > 0 else 0
                self._days = span_days if full else max(self._days, span_days)
                self._rowid = top
                if full:
                    self._full = now
            self._checked = now
            return self._days

    def forget(self) -> None:
        """Force a full rescan on the next call (after this process wrote)."""
        with self._lock:
            self._checked = -math.inf
            self._full = -math.inf


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class ActorNames:
    """The store's distinct actor mentions ``(role, name, text, kb_id, country) → rows``.

    Lets the API tell a rare actor (collect its events through an index on
    ``event_actors(name)``) from a common one (walk events in order and test each): the
    ``actor`` filter matches exactly as in SQL (ASCII case-insensitive substring of name or
    text, or equal kb_id / country). Kept up to date like :class:`SpanTracker`; off (None)
    for stores with more than ``max_entries`` distinct mentions.
    """

    def __init__(self, every: float = 5.0, full_every: float = 600.0,
                 max_entries: int = 200_000) -> None:
        self.every = every
        self.full_every = full_every
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._rowid = 0
        self._entries: dict[tuple[str, str, str, str, str], int] = {}
        self._total = 0
        self._checked = -math.inf
        self._full = -math.inf
        self._off = False

    def _refresh(self, conn: Any) -> None:
        now = time.monotonic()
        if now - self._checked < self.every:
            return
        with self._lock:
            if now - self._checked < self.every:
                return
            top = conn.execute("SELECT max(rowid) FROM event_actors").fetchone()[0] or 0
            full = top < self._rowid or now - self._full > self.full_every
            if full:
                self._entries, self._total, self._rowid, self._off = {}, 0, 0, False
                self._full = now
            if top > self._rowid and not self._off:
                for role, name, text, kb, cty, n in conn.execute(
                        "SELECT role, name, text, kb_id, country, count(*) FROM event_actors"
                        " WHERE rowid > ? AND rowid <= ? AND role IN ('source', 'target')"
                        " GROUP BY 1, 2, 3, 4, 5", (self._rowid, top)):
                    key = (role, name or "", text or "", kb or "", cty or "")
                    self._entries[key] = self._entries.get(key, 0) + n
                    self._total += n
                if len(self._entries) > self.max_entries:
                    self._off, self._entries = True, {}
            self._rowid = top
            self._checked = now

    def plan(self, conn: Any, actor: str, role: str,
             rare_share: float) -> tuple[list[str], int] | None:
        """Return ``(names, rowid)`` when ``actor`` matches under ``rare_share`` of the actor
        rows (and at least one name), else None (the caller walks events in order)."""
        self._refresh(conn)
        if self._off or not self._total:
            return None
        needle = actor.translate(_ASCII_LOWER)
        upper = actor.upper()
        names: set[str] = set()
        rows = 0
        for (r, name, text, kb, cty), n in self._entries.items():
            if role != "any" and r != role:
                continue
            if (needle in name.translate(_ASCII_LOWER) or needle in text.translate(_ASCII_LOWER)
                    or kb == actor or cty == upper):
                names.add(name)
                rows += n
        if not names or rows > rare_share * self._total or len(names) > 500:
            return None
        return sorted(names), self._rowid

    def forget(self) -> None:
        """Force a refresh on the next call (after this process wrote)."""
        with self._lock:
            self._checked = -math.inf


class SqlitePlanner:
    """The planner of a SQLite store: span, actor names and country indexes (thread-safe)."""

    def __init__(self) -> None:
        self.spans = SpanTracker()
        self.actors = ActorNames()
        self._has_name_index: bool | None = None
        self._has_country_indexes: bool | None = None

    def hints(self, conn: Any, f: EventFilter) -> Hints:
        """Return the hints for ``f``: the span for ``since``; for a rare actor its names
        (only where ``event_actors(name)`` is indexed); else whether its countries are rare."""
        plan = None
        if f.actor:
            if self._has_name_index is None:
                self._has_name_index = conn.execute(
                    "SELECT 1 FROM pragma_index_info(il.name) AS ii, pragma_index_list("
                    "'event_actors') AS il WHERE ii.seqno = 0 AND ii.name = 'name'"
                ).fetchone() is not None
            if self._has_name_index:
                plan = self.actors.plan(conn, f.actor, f.role, RARE_ACTOR_SHARE)
        return Hints(span_days=self.spans.days(conn) if f.since else None, actor_plan=plan,
                     country_plan=plan is None and self._rare_countries(conn, f))

    def _rare_countries(self, conn: Any, f: EventFilter) -> bool:
        """True when ``f.countries`` name few events (at most RARE_COUNTRY_EVENTS, counted
        through the indexes, capped) and the store has both country indexes: then collecting
        their events first beats walking a type or date index and testing each row."""
        if not f.countries or f.actor or f.q or f.bbox or f.km is not None:
            return False
        if self._has_country_indexes is None:
            names = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index'")}
            self._has_country_indexes = {"event_actors_country",
                                         "events_place_country"} <= names
        if not self._has_country_indexes:
            return False
        cap = RARE_COUNTRY_EVENTS + 1
        n = conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM event_actors WHERE"
            f" {_in('country', f.countries)} LIMIT ?)", [*f.countries, cap]).fetchone()[0]
        if n >= cap:
            return False
        n += conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM events WHERE"
            f" {_in('place_country', f.countries)} LIMIT ?)", [*f.countries, cap]).fetchone()[0]
        return bool(n < cap)

    def warm(self, conn: Any) -> None:
        """Build the span and actor facts now, so no request pays for the first build."""
        self.spans.days(conn)
        self.actors.plan(conn, "", "any", RARE_ACTOR_SHARE)

    def forget(self) -> None:
        """Drop cached facts (after this process wrote to the store)."""
        self.spans.forget()
        self.actors.forget()
