"""Aggregates for the dashboard: ``/api/meta``, ``/api/stats`` (timeline), ``/api/map``
(grid cells), ``/api/graph`` (who acts on whom) and ``/api/actors``."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from ...model import MODALITIES, PLOVER_TYPES, SECTORS
from ...storage.base import like_pattern
from ..errors import bad
from ..filters import MAX_PAGE, FiltersDep, page_limit
from ..pool import PoolDep
from ..records import QUAD_OF, QUADS

router = APIRouter()


@router.get("/api/meta", tags=["meta"])
def meta(request: Request, pool: PoolDep) -> dict[str, Any]:
    """Describe the store: counts, date range, story tables, whether ingest is on."""
    with pool.connection() as conn:
        # min/max over the date_start index (max(date_end) would scan the table)
        n_events, first, last = conn.execute(
            "SELECT count(*), min(date_start), max(date_start) FROM events").fetchone()
        n_articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        n_stories = conn.execute("SELECT count(*) FROM story_events").fetchone()[0] \
            if conn.has_table("story_events") else None
    app = request.app
    return {"version": app.version, "articles": n_articles, "events": n_events,
            "stories": n_stories, "first_date": first, "last_date": last,
            "ingest": app.state.settings.token is not None,
            "types": list(PLOVER_TYPES), "modalities": list(MODALITIES),
            "sectors": list(SECTORS),
            "quads": {str(k): {"name": n, "types": list(t)} for k, (n, t) in QUADS.items()}}


@router.get("/api/actors", tags=["actors"])
def list_actors(
    pool: PoolDep,
    f: FiltersDep,
    name: Annotated[str | None, Query(description="Substring of the actor name",
                                      max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """List actors (name, country) with their event counts as source and as target."""
    with pool.connection() as conn:
        where, args = pool.where(conn, f)
        extra = ""
        if name:
            extra = f" AND ({conn.ilike('x.name')} OR {conn.ilike('x.text')})"
            args += [like_pattern(name), like_pattern(name)]
        rows = conn.execute(
            f"SELECT x.name, x.country, {conn.group_concat_distinct('x.sector')} AS sectors,"
            " min(x.kb_id) AS kb_id, count(DISTINCT x.event_id) AS events,"
            " sum(CASE WHEN x.role = 'source' THEN 1 ELSE 0 END) AS as_source,"
            " sum(CASE WHEN x.role = 'target' THEN 1 ELSE 0 END) AS as_target"
            " FROM event_actors x WHERE x.role IN ('source', 'target')"
            f" AND x.event_id IN (SELECT e.id FROM events e{where}){extra}"
            " GROUP BY x.name, x.country ORDER BY events DESC, x.name LIMIT ? OFFSET ?",
            [*args, page_limit(limit), offset]).fetchall()
    items = []
    for r in rows:
        d = dict(r)
        d["sectors"] = sorted(set((d["sectors"] or "").split(","))) if d["sectors"] else []
        items.append(d)
    return {"items": items, "offset": offset,
            "next_offset": offset + len(items) if len(items) == page_limit(limit) else None}


_PERIODS = ("day", "week", "month", "year", "all")
_KEYS = {"type": "e.type", "quad": "e.type", "country": "e.place_country",
         "actor": "x.name", "modality": "e.modality", "none": "'all'"}


def _period(conn: Any, interval: str) -> str:
    return {"day": "e.date_start", "week": conn.week_start("e.date_start"),
            "month": "substr(e.date_start, 1, 7)", "year": "substr(e.date_start, 1, 4)",
            "all": "'all'"}[interval]


def _fold_top(counts: dict[tuple[str, Any], int], top: int) -> dict[tuple[str, Any], int]:
    """Keep the ``top`` keys by total; fold the others into "other" (None stays None)."""
    totals: dict[Any, int] = defaultdict(int)
    for (_, key), n in counts.items():
        totals[key] += n
    keep = {k for k, _ in sorted(totals.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top]}
    folded: dict[tuple[str, Any], int] = defaultdict(int)
    for (period, key), n in counts.items():
        folded[(period, key if key in keep or key is None else "other")] += n
    return folded


@router.get("/api/stats", tags=["stats"])
def stats(
    pool: PoolDep,
    f: FiltersDep,
    interval: Annotated[str, Query(description="day, week (ISO, from Monday), month, year"
                                   " or all")] = "month",
    by: Annotated[str, Query(description="type, quad, country (of the place), actor"
                             " (source actors), modality or none")] = "type",
    top: Annotated[int, Query(ge=1, le=200, description="country/actor: keep the top N"
                              " keys, fold the rest into 'other' (null: none known)")] = 20,
) -> dict[str, Any]:
    """Count events by period × key (the timeline and the summary tables)."""
    if interval not in _PERIODS:
        raise bad(f"unknown interval {interval!r}. Available: {', '.join(_PERIODS)}")
    if by not in _KEYS:
        raise bad(f"unknown by {by!r}. Available: {', '.join(_KEYS)}")
    join = (" JOIN event_actors x ON x.event_id = e.id AND x.role = 'source'"
            if by == "actor" else "")
    with pool.connection() as conn:
        where, args = pool.where(conn, f)
        rows = conn.execute(
            f"SELECT {_period(conn, interval)} AS period, {_KEYS[by]} AS key,"
            f" {'count(DISTINCT e.id)' if join else 'count(*)'} AS n"
            f" FROM events e{join}{where}"
            " GROUP BY period, key ORDER BY period, key", args).fetchall()
    counts: dict[tuple[str, Any], int] = defaultdict(int)
    for period, key, n in rows:
        if by == "quad":
            key = QUAD_OF.get(key)
        counts[(period, key)] += n
    if by in ("country", "actor"):
        counts = _fold_top(counts, top)
    ordered = sorted(counts.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))
    buckets = [{"period": p, "key": k, "count": n} for (p, k), n in ordered]
    return {"interval": interval, "by": by, "total": sum(counts.values()), "buckets": buckets}


@router.get("/api/map", tags=["stats"])
def map_points(
    pool: PoolDep,
    f: FiltersDep,
    cell: Annotated[float, Query(gt=0, le=10, description="Grid cell in degrees")] = 0.25,
) -> dict[str, Any]:
    """Aggregate located events on a grid: ``[lat, lon, count, [q1, q2, q3, q4]]`` per cell
    (mean position of the cell's events; counts per quad class) plus counts by country."""
    with pool.connection() as conn:
        where, args = pool.where(conn, f)
        located = (" AND " if where else " WHERE ") + "e.lat IS NOT NULL AND e.lon IS NOT NULL"
        rows = conn.execute(
            "SELECT CAST(round(e.lat / ?) AS INTEGER) AS gy,"
            " CAST(round(e.lon / ?) AS INTEGER) AS gx, e.type, count(*) AS n,"
            " avg(e.lat) AS la, avg(e.lon) AS lo"
            f" FROM events e{where}{located} GROUP BY gy, gx, e.type",
            [cell, cell, *args]).fetchall()
        by_country = conn.execute(
            f"SELECT e.place_country, count(*) FROM events e{where}"
            + (" AND " if where else " WHERE ") + "e.place_country IS NOT NULL"
            " GROUP BY e.place_country", args).fetchall()
    cells: dict[tuple[int, int], list[Any]] = {}
    for gy, gx, typ, n, la, lo in rows:
        c = cells.setdefault((gy, gx), [0.0, 0.0, 0, [0, 0, 0, 0]])
        c[0] += la * n
        c[1] += lo * n
        c[2] += n
        c[3][QUAD_OF.get(typ, 4) - 1] += n
    out = [[round(c[0] / c[2], 4), round(c[1] / c[2], 4), c[2], c[3]] for c in cells.values()]
    return {"cell": cell, "cells": out, "countries": {k: v for k, v in by_country},
            "located": sum(c[2] for c in out)}


@router.get("/api/graph", tags=["stats"])
def graph(
    pool: PoolDep,
    f: FiltersDep,
    level: Annotated[str, Query(description="actor (name) or country")] = "actor",
    limit: Annotated[int, Query(ge=1, le=500, description="Strongest edges kept")] = 60,
) -> dict[str, Any]:
    """Who acts on whom: source → target edges with cooperation / conflict counts."""
    if level not in ("actor", "country"):
        raise bad(f"unknown level {level!r}. Available: actor, country")
    key = "coalesce(s.name, s.country)" if level == "actor" else "s.country"
    tkey = "coalesce(t.name, t.country)" if level == "actor" else "t.country"
    with pool.connection() as conn:
        where, args = pool.where(conn, f)
        rows = conn.execute(
            f"SELECT {key} AS src, s.country, {tkey} AS tgt, t.country, e.type,"
            " count(DISTINCT e.id) FROM events e"
            " JOIN event_actors s ON s.event_id = e.id AND s.role = 'source'"
            " JOIN event_actors t ON t.event_id = e.id AND t.role = 'target'"
            f"{where} GROUP BY src, s.country, tgt, t.country, e.type", args).fetchall()
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    nodes: dict[str, dict[str, Any]] = {}
    for src, scty, tgt, tcty, typ, n in rows:
        if not src or not tgt or src == tgt:
            continue
        e = edges.setdefault((src, tgt), {"source": src, "target": tgt, "count": 0,
                                          "cooperation": 0, "conflict": 0, "types": {}})
        e["count"] += n
        e["cooperation" if QUAD_OF.get(typ, 4) <= 2 else "conflict"] += n
        e["types"][typ] = e["types"].get(typ, 0) + n
        for name, cty in ((src, scty), (tgt, tcty)):
            nd = nodes.setdefault(name, {"id": name, "country": cty, "count": 0})
            nd["count"] += n
    kept = sorted(edges.values(), key=lambda e: (-e["count"], e["source"], e["target"]))
    kept = kept[:limit]
    used = {x for e in kept for x in (e["source"], e["target"])}
    return {"level": level, "nodes": [nodes[n] for n in sorted(used)], "edges": kept}
