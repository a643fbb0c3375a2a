"""The read queries of a store, written once for both backends.

:class:`ReaderBase` implements the query methods of :class:`~tidings.storage.base.Reader`
(``query_events``, ``search_articles``, ``get_article``, ``counts``) in portable SQL over
``execute``; each backend's reader subclasses it and adds its SQL pieces.
"""

from __future__ import annotations

import json
from typing import Any

from .base import MAIN_TABLES, EventFilter, EventQuery, Hints
from .filters import where_sql

#: the article fields of an event row
_ARTICLE_FIELDS = ("a.title AS article_title, a.source AS article_source,"
                   " a.published AS article_published, a.url AS article_url")


def countries_list(value: Any) -> list[str]:
    """A stored country list (SQLite ``' USA NER '``, PostgreSQL ``text[]``) as a list."""
    if not value:
        return []
    if isinstance(value, str):
        return value.split()
    return list(value)


def event_from_row(r: Any) -> dict[str, Any]:
    """The one read shape of an event row: the columns of
    :data:`~tidings.storage.base.EVENT_COLUMNS` (country lists as lists) with the article's
    title, source, publication date and url, and ``event`` (the parsed event JSON) for ``json``."""
    d = dict(r)
    d["source_countries"] = countries_list(d.get("source_countries"))
    d["target_countries"] = countries_list(d.get("target_countries"))
    d["event"] = json.loads(d.pop("json"))
    return d


class ReaderBase:
    """The shared query methods of both backends' readers."""

    backend = "?"
    name = "?"

    def execute(self, sql: str, args: Any = ()) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def language_sql(self, alias: str = "a") -> str:
        """The SQL of an article's language over ``articles <alias>``: its column, or ``'en'``
        in a store read as it is from before version 4 (every article then was English)."""
        has = self.__dict__.get("_has_language")
        if has is None:
            cur = self.execute("SELECT * FROM articles LIMIT 0")
            has = self.__dict__["_has_language"] = any(
                d[0] == "language" for d in cur.description)
        return f"{alias}.language" if has else "'en'"

    def event_hints(self, f: EventFilter) -> Hints:
        """Hints for :meth:`query_events` (the backend's cheap facts; no caches)."""
        return Hints()

    def query_events(self, q: EventQuery | EventFilter) -> list[dict[str, Any]]:
        """Return events (as dicts with article fields) matching ``q``, oldest first."""
        f = q.to_filter() if isinstance(q, EventQuery) else q
        where, args = where_sql(self, f, self.event_hints(f), articles_joined=True)  # type: ignore[arg-type]
        sql = (f"SELECT e.*, {_ARTICLE_FIELDS}, {self.language_sql()} AS language"
               " FROM events e JOIN articles a"
               f" ON a.id = e.article_id{where} ORDER BY e.date_start, e.article_id,"
               " e.trigger_start")
        if f.limit:
            sql += " LIMIT ?"
            args.append(int(f.limit))
        return [event_from_row(r) for r in self.execute(sql, args).fetchall()]

    def search_articles(self, query: str, limit: int = 20,
                        language: str | None = None) -> list[dict[str, Any]]:
        """Full-text search over article titles and text (accents ignored), of one language
        if given; each hit with a snippet and its events, best first."""
        s = self.fts_articles(query, strict=True)  # type: ignore[attr-defined]
        cond, args = s.condition, s.args()
        if language:
            cond += f" AND {self.language_sql()} = ?"
            args.append(language)
        rows = self.execute(
            f"SELECT a.id, a.title, a.published, a.source, {self.language_sql()} AS language,"
            f" {s.snippet} AS snippet,"
            f" {s.rank} AS rank FROM {s.source} WHERE {cond} ORDER BY rank, a.id"
            " LIMIT ?", [*args, limit]).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            d["events"] = self.query_events(EventQuery(article_id=d["id"]))
            out.append(d)
        return out

    def get_article(self, article_id: str, min_prefix: int = 1) -> dict[str, Any] | None:
        """Return the stored Document JSON of an article: by id, or by a unique prefix of at
        least ``min_prefix`` characters."""
        text = self.article_json(article_id, min_prefix)
        return json.loads(text) if text is not None else None

    def article_json(self, article_id: str, min_prefix: int = 1) -> str | None:
        """The stored Document JSON text of an article (see :meth:`get_article`)."""
        rows = self.execute("SELECT document FROM articles WHERE id = ?",
                            (article_id,)).fetchall()
        if not rows and len(article_id) >= max(1, min_prefix):
            rows = self.execute("SELECT document FROM articles WHERE substr(id, 1, ?) = ?"
                                " LIMIT 2", (len(article_id), article_id)).fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def counts(self) -> dict[str, int]:
        """Return row counts of the main tables."""
        return {t: int(self.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # noqa: S608
                for t in MAIN_TABLES}
