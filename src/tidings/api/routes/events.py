"""``GET /api/events`` (a filtered page, keyset cursors) and ``GET /api/events/{id}``."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path as PathParam, Query
from fastapi.responses import Response

from ..errors import ApiError, bad
from ..cursors import decode_cursor, encode_cursor
from ..filters import MAX_PAGE, FiltersDep, page_limit
from ..pool import PoolDep
from ..records import event_item, event_select, fast_json, mention_of
from .stories import story_detail, story_of_mention

router = APIRouter(tags=["events"])

SORTS = ("date", "-date", "confidence", "-confidence")
_SORT_COLUMN = {"date": "e.date_start", "confidence": "e.confidence"}


@router.get("/api/events")
def list_events(
    pool: PoolDep,
    f: FiltersDep,
    sort: Annotated[str, Query(description="date, -date, confidence or -confidence")
                    ] = "-date",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page",
                                        max_length=2000)] = None,
    count: Annotated[bool, Query(description="Also count every matching event")] = False,
) -> Response:
    """List events matching the filters, in a stable order, a page at a time.

    Answers ``{"items": [...], "next_cursor": str | null, "count": int | null}``; pass
    ``next_cursor`` back (with the same filters and sort) for the next page."""
    if sort not in SORTS:
        raise bad(f"unknown sort {sort!r}. Available: {', '.join(SORTS)}")
    desc = sort.startswith("-")
    col = _SORT_COLUMN[sort.lstrip("-")]
    with pool.connection() as conn:
        where, args = pool.where(conn, f, articles_joined=True)
        total = None
        if count:
            total = conn.execute("SELECT count(*) FROM events e JOIN articles a"
                                 f" ON a.id = e.article_id{where}", args).fetchone()[0]
        page_where, page_args = where, list(args)
        if cursor:
            value, last_id = decode_cursor(cursor, sort)
            op = "<" if desc else ">"
            page_where += (" AND " if where else " WHERE ") + f"({col}, e.id) {op} (?, ?)"
            page_args += [value, last_id]
        order = "DESC" if desc else "ASC"
        n = page_limit(limit)
        rows = conn.execute(
            f"SELECT {event_select(conn)}, {col} AS sort_value FROM events e"
            f" JOIN articles a ON a.id = e.article_id{page_where}"
            f" ORDER BY {col} {order}, e.id {order} LIMIT ?", [*page_args, n + 1]).fetchall()
    items = [event_item(r) for r in rows[:n]]
    nxt = encode_cursor(sort, rows[n - 1]["sort_value"], rows[n - 1]["id"]) \
        if len(rows) > n else None
    return fast_json({"items": items, "next_cursor": nxt, "count": total, "sort": sort})


@router.get("/api/events/{event_id}")
def get_event(pool: PoolDep, event_id: Annotated[str, PathParam(max_length=200)],
              ) -> dict[str, Any]:
    """Return one event mention with its evidence, its article and every mention of the
    story it belongs to (when the store has story tables); a story id returns the story."""
    with pool.connection() as conn:
        row = conn.execute(f"SELECT {event_select(conn)} FROM events e JOIN articles a"
                           " ON a.id = e.article_id WHERE e.id = ?", (event_id,)).fetchone()
        stories_here = conn.has_table("story_events") and conn.has_table("story_mentions")
        if row is None:
            story = story_detail(conn, event_id) if stories_here else None
            if story is None:
                raise ApiError(404, "E504", f"E504 no event {event_id!r}")
            return story
        item = event_item(row)
        event = json.loads(row["json"])
        story, mentions = story_of_mention(conn, event_id) if stories_here else (None, [])
    if not mentions:
        mentions = [mention_of(item, event)]
    return {"kind": "mention", **item, "event": event, "story": story, "mentions": mentions}
