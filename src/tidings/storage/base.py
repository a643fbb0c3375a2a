"""The storage interface: what every backend offers, and the one shape of an event row.

Two protocols, implemented by :mod:`tidings.storage.sqlite` and :mod:`tidings.storage.postgres`:

- :class:`Writer` — the single writer of a store (``upsert`` one Document per transaction,
  re-applying the article's reviews; ``record_review``; ``reject``; ``transaction`` for the
  caller's own rows);
- :class:`Reader` — a read connection: ``query_events``, ``search_articles``, ``get_article``,
  ``counts`` (written once, in :mod:`tidings.storage.queries`, over ``execute``), and the few
  SQL pieces that differ between backends (full text, distance, a padded-list match...), so
  that callers such as the REST API write one portable query for both.

Portable SQL uses ``?`` placeholders on either backend; rows read by index (``r[0]``), by
name (``r["id"]``) and convert with ``dict(r)``; dates come back as ISO strings and JSON
columns as JSON text.

The event row: :func:`event_row` builds the columns of an ``events`` row from a Document's
event, once, for the writers of both backends and for the Spark job's Parquet output; country
lists are lists of ISO-3 codes (each backend stores them its own way).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..model import Document, Event

#: the columns of an events row, in the order of :func:`event_row`
EVENT_COLUMNS: tuple[str, ...] = (
    "id", "article_id", "type", "mode", "modality", "confidence", "date_start", "date_end",
    "date_granularity", "date_basis", "trigger_text", "trigger_start", "trigger_end",
    "sentence_start", "sentence_end", "evidence", "place_name", "place_country",
    "place_admin1", "geonameid", "lat", "lon", "place_kind", "time_text", "time_value",
    "source_countries", "target_countries", "json", "place_admin1_name", "place_admin2",
    "location_basis")

#: the columns :func:`article_values` fills, in its order
ARTICLE_COLUMNS: tuple[str, ...] = (
    "id", "published", "title", "section", "source", "url", "origin", "text", "language",
    "document")

#: tables every store has (``counts`` reports their rows)
MAIN_TABLES = ("articles", "events", "event_actors", "places", "times", "rejects")


@dataclass
class EventQuery:
    """Filters of ``tidings events`` and ``tidings export --mentions``; all optional."""

    type: str | None = None
    country: str | None = None
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    modality: str | None = None
    min_confidence: float | None = None
    article_id: str | None = None
    language: str | None = None
    limit: int | None = None

    def to_filter(self) -> EventFilter:
        """Return the same filters as an :class:`EventFilter`."""
        return EventFilter(
            types=[self.type.upper()] if self.type else [],
            countries=[self.country.upper()] if self.country else [],
            actor=self.actor or None, since=self.since or None, until=self.until or None,
            modalities=[self.modality] if self.modality else [],
            min_confidence=self.min_confidence, article_id=self.article_id or None,
            languages=[self.language] if self.language else [], limit=self.limit)


@dataclass
class EventFilter:
    """Event filters shared by every reader of events: the REST API's read endpoints (events,
    map, graph, stats, export) and :meth:`Reader.query_events`. Values are validated by the
    caller (``tidings.api.filters``); every one reaches SQL as a bound parameter."""

    types: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    actor: str | None = None
    role: str = "any"  # which actors `actor` and `sector` look at: source, target or any
    countries: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    km: float | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    since: str | None = None
    until: str | None = None
    q: str | None = None
    modalities: list[str] = field(default_factory=list)
    min_confidence: float | None = None
    article_id: str | None = None
    languages: list[str] = field(default_factory=list)  # of the event's article ("en", "fr")
    limit: int | None = None


@dataclass
class Hints:
    """How a backend's planner wants an event filter written (see ``storage.sqlite_plan``):
    a lower bound on ``date_start`` from the longest event span, a rare actor's names (to
    collect its events through an index first), or rare countries (likewise)."""

    span_days: int | None = None
    actor_plan: tuple[list[str], int] | None = None
    country_plan: bool = False


@dataclass
class ArticleSearch:
    """The SQL of a full-text article search on one backend: the ``FROM`` clause, a snippet
    and a rank expression (lower is better) for the select list, and the ``WHERE``
    condition; :meth:`args` gives the arguments of the parts used, in text order."""

    source: str
    snippet: str
    rank: str
    condition: str
    source_args: list[Any] = field(default_factory=list)
    condition_args: list[Any] = field(default_factory=list)

    def args(self) -> list[Any]:
        """Arguments of ``SELECT <snippet>, <rank> FROM <source> WHERE <condition>``."""
        return [*self.source_args, *self.condition_args]


class Planner(Protocol):
    """Per-store facts a backend keeps to plan event filters (shared by connections)."""

    def hints(self, reader: Reader, f: EventFilter) -> Hints: ...
    def warm(self, reader: Reader) -> None: ...
    def forget(self) -> None: ...


class Reader(Protocol):
    """A read connection to a store, of either backend."""

    backend: str  # "sqlite" or "postgresql"
    name: str  # what to show users: a path, or a URL without its password

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        """Run portable SQL (``?`` placeholders); return a cursor (fetchone, fetchall, iter)."""
        ...

    def close(self) -> None: ...
    def __enter__(self) -> Reader: ...
    def __exit__(self, *exc: Any) -> None: ...
    def has_table(self, name: str) -> bool: ...
    def query_events(self, q: EventQuery | EventFilter) -> list[dict[str, Any]]: ...
    def search_articles(self, query: str, limit: int = 20,
                        language: str | None = None) -> list[dict[str, Any]]: ...
    def get_article(self, article_id: str, min_prefix: int = 1) -> dict[str, Any] | None: ...
    def article_json(self, article_id: str, min_prefix: int = 1) -> str | None: ...
    def counts(self) -> dict[str, int]: ...
    def planner(self) -> Planner: ...

    # SQL pieces that differ between backends (used by the shared queries)
    def hint(self) -> str:
        """A prefix that keeps the planner from driving a query from a column's index."""
        ...

    def language_sql(self, alias: str = "a") -> str:
        """SQL for the language of ``articles <alias>`` (``'en'`` in a store before v4)."""
        ...

    def countries_match(self, codes: list[str]) -> tuple[str, list[Any]]: ...
    def ilike(self, column: str) -> str: ...
    def within_km(self, lat: float, lon: float, km: float) -> tuple[str, list[Any]]: ...
    def fts_events(self, text: str, articles_joined: bool) -> tuple[str, list[Any]]: ...
    def fts_articles(self, text: str, strict: bool = False) -> ArticleSearch: ...
    def week_start(self, column: str) -> str: ...
    def group_concat_distinct(self, column: str) -> str: ...


class Writer(Protocol):
    """The writer of a store, of either backend. Use as a context manager."""

    backend: str
    name: str

    def __enter__(self) -> Writer: ...
    def __exit__(self, *exc: Any) -> None: ...
    def close(self) -> None: ...
    def has_article(self, article_id: str) -> bool: ...

    def upsert(self, document: Document, origin: str | None = None,
               also: Callable[[Any], None] | None = None) -> str:
        """Store one Document in one transaction; return "stored", "updated" or "skipped"."""
        ...

    def record_review(self, event_id: str, status: str, reviewer: str, expected_version: int,
                      field: str | None = None,
                      value: str | dict[str, Any] | None = None) -> int:
        """Record one review of an event (accepted, rejected, or edited: ``field`` set to
        ``value``) in one transaction; return its new version. A stale
        ``expected_version`` is refused (E210): see :mod:`tidings.storage.reviews`."""
        ...

    def reject(self, origin: str, reason: str, message: str) -> bool: ...
    def forget_reject(self, origin: str) -> None: ...

    def transaction(self) -> AbstractContextManager[Any]:
        """A transaction for the caller's own rows: yields something with ``execute`` and
        ``executemany`` (portable SQL); commits at the end of the block, or rolls back."""
        ...

    def reader(self) -> Reader: ...


# ---------------------------------------------------------------- the event row

def event_row(document: Document, e: Event) -> dict[str, Any]:
    """The columns of the ``events`` row of ``e`` (:data:`EVENT_COLUMNS`, in order):
    the one place an event row is built, for both backends and the Spark output."""
    loc = e.location
    return {
        "id": e.id, "article_id": document.id, "type": e.type, "mode": e.mode,
        "modality": e.modality, "confidence": float(e.confidence),
        "date_start": e.date.start, "date_end": e.date.end,
        "date_granularity": e.date.granularity, "date_basis": e.date.basis,
        "trigger_text": e.trigger.text, "trigger_start": e.trigger.start,
        "trigger_end": e.trigger.end, "sentence_start": e.sentence.start,
        "sentence_end": e.sentence.end,
        "evidence": document.text[e.sentence.start:e.sentence.end],
        "place_name": loc.name if loc else None, "place_country": loc.country if loc else None,
        "place_admin1": loc.admin1 if loc else None,
        "geonameid": loc.geonameid if loc else None,
        "lat": float(loc.lat) if loc and loc.lat is not None else None,
        "lon": float(loc.lon) if loc and loc.lon is not None else None,
        "place_kind": loc.kind if loc else None,
        "time_text": e.time.text if e.time else None,
        "time_value": e.time.value if e.time else None,
        "source_countries": sorted({a.country for a in e.source if a.country}),
        "target_countries": sorted({a.country for a in e.target if a.country}),
        "json": json.dumps(e.to_dict(), ensure_ascii=False),
        # migration 6: the place's division names and where the place comes from
        "place_admin1_name": loc.admin1_name if loc else None,
        "place_admin2": loc.admin2 if loc else None,
        "location_basis": e.location_basis if loc else None,
    }


def event_actor_rows(e: Event) -> list[tuple[Any, ...]]:
    """The event_actors rows of an event: (event_id, role, ord, text, name, country, sector,
    kb_id) for its sources, targets and reporters."""
    return [(e.id, role, i, a.text, a.name, a.country, a.sector, a.kb_id)
            for role, actors in (("source", e.source), ("target", e.target),
                                 ("reported_by", e.reported_by))
            for i, a in enumerate(actors)]


def time_rows(document: Document) -> list[tuple[Any, ...]]:
    """The ``times`` rows of a Document."""
    return [(document.id, i, t.text, t.start, t.end, t.type, t.value, t.mod, t.granularity)
            for i, t in enumerate(document.times)]


def place_rows(document: Document) -> list[tuple[Any, ...]]:
    """The ``places`` rows of a Document."""
    return [(document.id, i, p.text, p.start, p.end, p.name, p.geonameid, p.country, p.admin1,
             p.lat, p.lon, p.kind, p.usage) for i, p in enumerate(document.places)]


def article_values(document: Document, origin: str | None) -> tuple[Any, ...]:
    """(id, published, title, section, source, url, origin, text, language, document JSON)
    of an ``articles`` row (:data:`ARTICLE_COLUMNS`); the JSON is the byte-exact
    ``Document.to_dict()`` both backends keep (last, so ``values[-1]`` is it)."""
    payload = json.dumps(document.to_dict(), ensure_ascii=False, sort_keys=True)
    return (document.id, document.published.isoformat(), document.title, document.section,
            document.source, document.url, origin, document.text, document.language, payload)


def like_pattern(value: str) -> str:
    """Return a LIKE pattern matching ``value`` anywhere, with ``%``, ``_`` and ``\\`` taken
    literally (the condition must say ``ESCAPE '\\'``)."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

