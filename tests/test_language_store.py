"""Issue 16 in the store: each article's language stored, filtered by, and full-text search
that ignores accents ("securite" finds "sécurité", "Segou" finds "Ségou"), on both backends
(PostgreSQL with ``TIDINGS_TEST_PG``)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import pg_schema  # tests/ is on sys.path (no __init__.py)

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
    if not PG_URL:
        pytest.skip("TIDINGS_TEST_PG is not set")
    with pg_schema() as url:
        yield url


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


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tidings", *args], capture_output=True,
                          text=True, timeout=300)


def test_language_store_cli_lang_filters_events_search_and_export(tmp_path):
    db = str(tmp_path / "t.db")
    _fill(db)
    res = _cli("events", "--db", db, "--lang", "fr", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert res.returncode == 0 and [(r["article_id"], r["language"]) for r in rows] == [
        ("fr1", "fr")]
    res = _cli("search", "securite", "--db", db, "--lang", "fr", "--format", "jsonl")
    assert [json.loads(x)["id"] for x in res.stdout.splitlines()] == ["fr1"]
    res = _cli("search", "securite", "--db", db, "--lang", "en", "--format", "jsonl")
    assert res.returncode == 0 and res.stdout == ""
    out = tmp_path / "fr.csv"
    res = _cli("export", "--db", db, "--mentions", "--format", "csv", "-o", str(out),
               "--lang", "fr")
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["id"], r["language"]) for r in rows] == [("fr1-e1", "fr")]
    for cmd in (("events",), ("search", "x"), ("export", "--format", "csv", "-o",
                                               str(tmp_path / "x.csv"))):
        res = _cli(*cmd, "--db", db, "--lang", "de")
        assert res.returncode == 2 and "E311" in res.stderr and "en, fr" in res.stderr
        assert "Traceback" not in res.stderr


def test_language_store_export_language_column_and_property(tmp_path):
    from tidings.export import export

    db = str(tmp_path / "t.db")
    _fill(db)
    with storage.connect(db, readonly=True) as r:
        export(r, "geojson", tmp_path / "e.geojson", mentions=True)
    feats = json.loads((tmp_path / "e.geojson").read_text("utf-8"))["features"]
    assert sorted(f["properties"]["language"] for f in feats) == ["en", "fr"]


def test_language_store_story_record_lists_its_articles_languages():
    from tidings.export import native_row, story_record

    base = {k: None for k in ("id", "type", "mode", "modality", "confidence", "date_start",
                              "date_end", "date_granularity", "date_basis", "place_name",
                              "place_country", "place_admin1", "geonameid", "lat", "lon",
                              "place_kind", "evidence", "mention_count", "article_count",
                              "source_count", "first_reported", "last_reported")}
    story = {**base, "source_actors": [], "target_actors": [], "magnitudes": {},
             "sources": [], "mentions": [{"article_id": "a", "language": "fr"},
                                         {"article_id": "b", "language": "en"},
                                         {"article_id": "c", "language": "fr"}]}
    rec = story_record(story)
    assert rec["language"] == "en; fr" and native_row(rec)["language"] == "en; fr"


def test_language_store_api_filters_and_shows_language(tmp_path):
    from fastapi.testclient import TestClient

    from tidings.api import create_app

    db = tmp_path / "t.db"
    _fill(str(db))
    with TestClient(create_app(db)) as c:
        items = c.get("/api/events").json()["items"]
        assert {i["article_id"]: i["language"] for i in items} == {"en1": "en", "fr1": "fr"}
        items = c.get("/api/events", params={"language": "fr"}).json()["items"]
        assert [(i["id"], i["article"]["language"]) for i in items] == [("fr1-e1", "fr")]
        arts = c.get("/api/articles", params={"q": "securite"}).json()["items"]
        assert [(a["id"], a["language"]) for a in arts] == [("fr1", "fr")]
        arts = c.get("/api/articles", params={"q": "Segou", "language": "en"}).json()["items"]
        assert [a["id"] for a in arts] == ["en1"]
        res = c.get("/api/export", params={"language": "fr", "mentions": "true",
                                           "format": "csv"})
        rows = list(csv.DictReader(io.StringIO(res.text)))
        assert res.status_code == 200 and [(r["id"], r["language"]) for r in rows] == [
            ("fr1-e1", "fr")]
        for path in ("/api/events", "/api/articles", "/api/export", "/api/map"):
            res = c.get(path, params={"language": "de"})
            assert res.status_code == 400 and "E501" in res.text and "en, fr" in res.text
