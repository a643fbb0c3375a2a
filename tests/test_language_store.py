"""Issue 16 in the store: each article's language stored, filtered by, and full-text search
that ignores accents ("securite" finds "sécurité", "Segou" finds "Ségou"), on both backends
(PostgreSQL with ``TIDINGS_TEST_PG``)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest

from tidings import storage
from tidings.model import Actor, Document, Event, EventDate, Place, Span, Time
from tidings.storage import EventQuery
from tidings.storage.base import EventFilter

PG_URL = os.environ.get("TIDINGS_TEST_PG")


def make_doc(aid: str, text: str, language: str, day: str = "2024-09-16") -> Document:
    src = Actor("Mali", 0, 4, "Mali", "MLI", "GOV", "MLI")
    p = Place("Ségou", 0, 4, "Ségou", 2451185, "MLI", None, 13.4, -6.2, "city")
    t = Time("lundi", 0, 4, "DATE", day, None, "day")
    ev = Event(f"{aid}-e1", "ASSAULT", None, 0.9, "asserted", Span(0, 4, text[:4]),
               Span(0, len(text)), [src], [], p, t, EventDate(day, day, "day", "text"))
    return Document(aid, date.fromisoformat(day), text, title="Titre", source="Wire",
                    times=[t], places=[p], actors=[src], events=[ev], language=language)


@pytest.fixture()
def pg_url() -> Iterator[str]:
    import psycopg

    if not PG_URL:
        pytest.skip("TIDINGS_TEST_PG is not set")
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "t.db")
    return str(request.getfixturevalue("pg_url"))


def _fill(url: str) -> None:
    with storage.open_store(url) as s:
        s.upsert(make_doc("fr1", "Mali : la sécurité se dégrade à Ségou depuis lundi.", "fr"))
        s.upsert(make_doc("en1", "Mali troops clashed near Segou on Monday.", "en"))


def test_language_store_keeps_and_filters_by_language(store_url):
    _fill(store_url)
    with storage.connect(store_url, readonly=True) as r:
        rows = r.execute("SELECT id, language FROM articles ORDER BY id").fetchall()
        assert [tuple(x) for x in rows] == [("en1", "en"), ("fr1", "fr")]
        events = r.query_events(EventQuery())
        assert {e["article_id"]: e["language"] for e in events} == {"en1": "en", "fr1": "fr"}
        assert [e["article_id"] for e in r.query_events(EventQuery(language="fr"))] == ["fr1"]
        assert [e["article_id"] for e in r.query_events(
            EventFilter(languages=["en"]))] == ["en1"]
        assert r.query_events(EventFilter(languages=["fr"], q="Segou"))[0]["article_id"] == "fr1"


def test_language_store_search_ignores_accents(store_url):
    _fill(store_url)
    with storage.connect(store_url, readonly=True) as r:
        assert [h["id"] for h in r.search_articles("securite")] == ["fr1"]
        assert [h["id"] for h in r.search_articles("sécurité")] == ["fr1"]
        assert sorted(h["id"] for h in r.search_articles("Segou")) == ["en1", "fr1"]
        assert sorted(h["id"] for h in r.search_articles("Ségou")) == ["en1", "fr1"]
        hits = r.search_articles("Segou", language="fr")
        assert [(h["id"], h["language"]) for h in hits] == [("fr1", "fr")]
        assert r.search_articles("degrade", language="en") == []
