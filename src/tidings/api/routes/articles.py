"""``GET /api/articles`` (newest first, full text) and ``GET /api/articles/{id}``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path as PathParam, Query
from fastapi.responses import Response

from ..errors import ApiError
from ..cursors import decode_cursor, encode_cursor
from ..filters import MAX_PAGE, languages, norm_date, page_limit
from ..pool import PoolDep

router = APIRouter(tags=["articles"])


@router.get("/api/articles")
def list_articles(
    pool: PoolDep,
    q: Annotated[str | None, Query(description="Full-text query (FTS5 on SQLite, web-search"
                                   " syntax on PostgreSQL)", max_length=500)] = None,
    since: Annotated[str | None, Query(description="Published on or after")] = None,
    until: Annotated[str | None, Query(description="Published on or before")] = None,
    source: Annotated[str | None, Query(description="Outlet (exact)", max_length=200)] = None,
    language: Annotated[list[str] | None, Query(description="Language(s): en, fr")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> dict[str, Any]:
    """List articles, newest first, with their event counts (and a snippet with ``q``)."""
    lo = norm_date(since, "since", end=False)
    hi = norm_date(until, "until", end=True)
    langs = languages(language)
    where: list[str] = []
    args: list[Any] = []
    with pool.connection() as conn:
        lang_sql = conn.language_sql("a")
        frm, snippet = "articles a", "NULL"
        if q and q.strip():
            search = conn.fts_articles(q.strip())
            frm, snippet = search.source, search.snippet
            where.append(search.condition)
            args += search.args()
        for cond, value in (("a.published >= ?", lo), ("a.published <= ?", hi),
                            ("a.source = ?", source)):
            if value:
                where.append(cond)
                args.append(value)
        if langs:
            where.append(f"{lang_sql} IN ({','.join('?' * len(langs))})")
            args += langs
        if cursor:
            value, last_id = decode_cursor(cursor, "-published")
            where.append("(a.published, a.id) < (?, ?)")
            args += [value, last_id]
        n = page_limit(limit)
        sql = (f"SELECT a.id, a.published, a.title, a.section, a.source, a.url,"
               f" {lang_sql} AS language, {snippet} AS snippet,"
               " (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS event_count"
               f" FROM {frm}" + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY a.published DESC, a.id DESC LIMIT ?")
        rows = conn.execute(sql, [*args, n + 1]).fetchall()
    items = [dict(r) for r in rows[:n]]
    nxt = encode_cursor("-published", rows[n - 1]["published"], rows[n - 1]["id"]) \
        if len(rows) > n else None
    return {"items": items, "next_cursor": nxt}


@router.get("/api/articles/{article_id}",
            responses={200: {"description": "The Document JSON (DESIGN section 3)"}})
def get_article(pool: PoolDep, article_id: Annotated[str, PathParam(max_length=200)],
                ) -> Response:
    """Return an article's Document JSON (by id, or by a unique prefix of 6+ characters)."""
    with pool.connection() as conn:
        text = conn.article_json(article_id, min_prefix=6)
        ambiguous = text is None and len(article_id) >= 6 and conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM articles WHERE substr(id, 1, ?) = ? LIMIT 2)"
            " x", (len(article_id), article_id)).fetchone()[0] > 1
    if text is None:
        raise ApiError(404, "E504", f"E504 no article {article_id!r}"
                       + (" (the prefix is ambiguous)" if ambiguous else ""))
    return Response(text, media_type="application/json")
