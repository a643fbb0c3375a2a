"""One ``WHERE`` clause for event filters, on either backend.

:func:`where_sql` writes an :class:`~tidings.storage.base.EventFilter` as SQL over
``events e`` (every value a bound parameter); the few pieces that differ between SQLite and
PostgreSQL (country lists, case-insensitive ``LIKE``, distance, full text) come from the
:class:`~tidings.storage.base.Reader`, and the backend's planner may ask for an index-friendly
form (:class:`~tidings.storage.base.Hints`). :meth:`Reader.query_events`, the REST API's
pages and aggregates, and its exports all filter through here.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from .base import EventFilter, Hints, Reader, like_pattern


def _in(column: str, values: list[Any]) -> str:
    return f"{column} IN ({','.join('?' * len(values))})"


def where_sql(reader: Reader, f: EventFilter, hints: Hints | None = None,
              articles_joined: bool = False) -> tuple[str, list[Any]]:
    """Return ``(" WHERE ...", args)`` over ``events e`` for ``f``; values are all bound.

    ``hints.span_days`` (the longest ``date_end - date_start`` in the store) adds a redundant
    lower bound on ``date_start`` to ``since``, so the overlap test ``date_end >= since AND
    date_start <= until`` becomes an index range. ``hints.actor_plan``: ``(names, rowid)`` of
    a rare actor (collect its events first). ``hints.country_plan``: the countries are rare:
    collect their events through the country indexes and keep the type and date indexes out.
    ``articles_joined``: the query joins ``articles a`` (full text can test it directly).
    """
    h = hints or Hints()
    where: list[str] = []
    args: list[Any] = []
    # the hint ("+" in SQLite) stops the planner from driving the query from that index
    plus = reader.hint() if h.country_plan else ""
    for column, values in ((f"{plus}e.type", f.types), ("e.mode", f.modes),
                           ("e.modality", f.modalities)):
        if values:
            where.append(_in(column, values))
            args += values
    if f.countries:
        _countries(reader, f, h, where, args)
    roles = ("'source', 'target'" if f.role == "any" else f"'{f.role}'")  # fixed literals
    if f.actor:
        _actor(reader, f.actor, roles, h, where, args)
    if f.sectors:
        where.append("EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.id"
                     f" AND x.role IN ({roles}) AND {_in('x.sector', f.sectors)})")
        args += f.sectors
    _geo(reader, f, where, args)
    _dates(f, h, plus, where, args)
    if f.min_confidence is not None:
        where.append("e.confidence >= ?")
        args.append(f.min_confidence)
    if f.article_id:
        where.append("e.article_id = ?")
        args.append(f.article_id)
    if f.languages:
        if articles_joined:
            where.append(_in(reader.language_sql("a"), f.languages))
        else:
            where.append("e.article_id IN (SELECT la.id FROM articles la WHERE"
                         f" {_in(reader.language_sql('la'), f.languages)})")
        args += f.languages
    if f.q:
        cond, fts_args = reader.fts_events(f.q, articles_joined)
        where.append(cond)
        args += fts_args
    return (" WHERE " + " AND ".join(where) if where else ""), args


def _countries(reader: Reader, f: EventFilter, h: Hints, where: list[str],
               args: list[Any]) -> None:
    if h.country_plan:
        where.append("e.id IN (SELECT x.event_id FROM event_actors x WHERE"
                     f" x.role IN ('source', 'target') AND {_in('x.country', f.countries)}"
                     " UNION SELECT p.id FROM events p WHERE"
                     f" {_in('p.place_country', f.countries)})")
        args += [*f.countries, *f.countries]
    else:
        cond, cargs = reader.countries_match(f.countries)
        where.append(cond)
        args += cargs


def _actor(reader: Reader, actor: str, roles: str, h: Hints, where: list[str],
           args: list[Any]) -> None:
    pat = like_pattern(actor)
    match = (f"x.role IN ({roles}) AND ({reader.ilike('x.name')} OR {reader.ilike('x.text')}"
             " OR x.kb_id = ? OR x.country = ?)")
    if h.actor_plan is not None:
        # a rare actor: collect its events first (index on event_actors.name), then test
        # membership; rows newer than the planner's dictionary are checked in full
        names, seen_rowid = h.actor_plan
        where.append("e.id IN (SELECT x.event_id FROM event_actors x WHERE"
                     f" ({_in('x.name', names)} OR x.rowid > ?) AND {match})")
        args += [*names, seen_rowid, pat, pat, actor, actor.upper()]
    else:
        where.append("EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.id"
                     f" AND {match})")
        args += [pat, pat, actor, actor.upper()]


_EARTH_KM = 6371.0088


def _geo(reader: Reader, f: EventFilter, where: list[str], args: list[Any]) -> None:
    if f.km is not None and f.lat is not None and f.lon is not None:
        # a bounding box the index can use first, then the exact great-circle distance
        dlat = math.degrees(f.km / _EARTH_KM)
        where.append("e.lat BETWEEN ? AND ?")
        args += [f.lat - dlat, f.lat + dlat]
        coslat = math.cos(math.radians(f.lat))
        if coslat > 1e-6 and dlat / coslat < 180:
            dlon = dlat / coslat
            lo, hi = f.lon - dlon, f.lon + dlon
            if lo >= -180 and hi <= 180:
                where.append("e.lon BETWEEN ? AND ?")
                args += [lo, hi]
        cond, kargs = reader.within_km(f.lat, f.lon, f.km)
        where.append(cond)
        args += kargs
    if f.bbox:
        w, s, e, n = f.bbox
        where.append("e.lat BETWEEN ? AND ?")
        args += [s, n]
        if w <= e:
            where.append("e.lon BETWEEN ? AND ?")
            args += [w, e]
        else:
            where.append("(e.lon >= ? OR e.lon <= ?)")
            args += [w, e]


def _dates(f: EventFilter, h: Hints, plus: str, where: list[str], args: list[Any]) -> None:
    if f.since:
        where.append("e.date_end >= ?")
        args.append(f.since)
        if h.span_days is not None:
            try:
                lower = date.fromisoformat(f.since[:10]) - timedelta(days=h.span_days + 1)
                where.append(f"{plus}e.date_start >= ?")
                args.append(lower.isoformat())
            except (ValueError, OverflowError):
                pass  # a since this cannot read, or before year 1 plus a long span: no bound
    if f.until:
        where.append(f"{plus}e.date_start <= ?")
        args.append(f.until)


def haversine_km(lat1: float | None, lon1: float | None, lat2: float, lon2: float,
                 ) -> float | None:
    """Great-circle distance in km (None when the first point is unknown)."""
    if lat1 is None or lon1 is None:
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(a)))
