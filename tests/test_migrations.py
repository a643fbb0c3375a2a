"""Schema versions (issue 18, part 3): a store written by the previous version opens in this
one, is migrated on open and keeps every row.

``fixtures/store_v1.db.gz`` is a SQLite store written by main at commit acbcb5b (schema
version 1, before ``schema_version`` existed): ``tidings run`` over
``fixtures/articles/`` plus one binary file (a reject), checkpointed and vacuumed. The same
upgrade path on PostgreSQL is tested in ``test_pg_store.py``.
"""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest
from conftest import FIXTURES

from tidings.errors import StoreError
from tidings.storage import EventQuery, connect, schema
from tidings.storage.base import EVENT_COLUMNS
from tidings.storage.sqlite import Store, migrate, schema_version

V1 = FIXTURES / "store_v1.db.gz"
TABLES = ("articles", "events", "event_actors", "places", "times", "rejects", "meta",
          "story_events", "story_mentions", "article_sources", "article_fingerprints",
          "fingerprint_bands")


#: the columns of version 1's tables that later versions added to
V1_COLUMNS = {"articles": "id, published, title, section, source, url, origin, text, document,"
                          " stored_at",
              # version 5 adds review_status, version 6 the place columns (NULL on old rows)
              "events": ", ".join(c for c in EVENT_COLUMNS if c not in (
                  "place_admin1_name", "place_admin2", "location_basis"))}


def v1_store(tmp_path: Path) -> Path:
    path = tmp_path / "v1.db"
    path.write_bytes(gzip.decompress(V1.read_bytes()))
    return path


def snapshot(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: sorted(map(tuple, conn.execute(f"SELECT {V1_COLUMNS.get(t, '*')} FROM {t}")))
                for t in TABLES}
    finally:
        conn.close()


def test_migrations_same_versions_for_both_backends():
    lite, pg = schema.migrations("sqlite"), schema.migrations("postgresql")
    assert [m.version for m in lite] == [m.version for m in pg] == list(
        range(1, len(lite) + 1))
    assert schema.latest_version() == lite[-1].version >= 2
    with pytest.raises(ValueError):
        schema.migrations("oracle")


def test_migrations_v1_store_opens_migrated_and_keeps_its_rows(tmp_path):
    path = v1_store(tmp_path)
    before = snapshot(path)
    assert all(before[t] for t in ("articles", "events", "event_actors", "rejects",
                                   "story_events"))
    conn = sqlite3.connect(path)
    assert schema_version(conn) == 1
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_version'"
                        ).fetchone() is None
    conn.close()
    with Store(path) as s:  # opening for writing migrates
        versions = [r[0] for r in s.conn.execute("SELECT version FROM schema_version")]
        assert versions == list(range(1, schema.latest_version() + 1))
        assert migrate(s.conn) == []  # nothing left to do
    assert snapshot(path) == before  # every row kept, none added
    conn = sqlite3.connect(path)  # version 4: every v1 article was read in English
    assert conn.execute("SELECT DISTINCT language FROM articles").fetchall() == [("en",)]
    conn.close()
    conn = sqlite3.connect(path)  # version 6: the place columns, NULL for v1's events
    assert conn.execute("SELECT DISTINCT place_admin1_name, place_admin2, location_basis"
                        " FROM events").fetchall() == [(None, None, None)]
    conn.close()
    with connect(path, readonly=True) as r:
        events = r.query_events(EventQuery())
        assert {e["id"] for e in events} == {row[0] for row in before["events"]}
        assert r.search_articles("Chad") and r.get_article(before["articles"][0][0][:6])


def test_migrations_v1_store_served_by_the_api(tmp_path):
    from fastapi.testclient import TestClient

    from tidings.api import create_app

    path = v1_store(tmp_path)
    rows = snapshot(path)
    n_events = len(rows["events"])
    with TestClient(create_app(path)) as c:  # read-only: served as it is, not migrated
        assert len(c.get("/api/events").json()["items"]) == n_events
        assert c.get("/api/meta").json()["stories"] == len(rows["story_events"])
    with Store(path):
        pass
    with TestClient(create_app(path)) as c:
        assert len(c.get("/api/events").json()["items"]) == n_events


def test_migrations_new_store_gets_every_version_once(tmp_path):
    with Store(tmp_path / "new.db") as s:
        assert [r[0] for r in s.conn.execute("SELECT version FROM schema_version")] == \
            list(range(1, schema.latest_version() + 1))
        names = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master")}
        assert {"story_events", "article_fingerprints", "watch_seen"} <= names
    with Store(tmp_path / "new.db") as s:  # reopening applies nothing twice
        assert s.conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] == \
            schema.latest_version()


def test_migrations_refuse_a_store_from_a_newer_version(tmp_path):
    path = tmp_path / "future.db"
    with Store(path) as s:
        s.conn.execute("INSERT INTO schema_version VALUES (999, '0999_future.sqlite.sql', 'x')")
        s.conn.commit()
    with pytest.raises(StoreError, match="E207"):
        Store(path)


def test_migrations_a_failed_migration_changes_nothing(tmp_path, monkeypatch):
    path = v1_store(tmp_path)
    before = snapshot(path)
    real = schema.migrations

    def broken(backend: str) -> list[schema.Migration]:
        found = real(backend)
        bad = schema.Migration(99, "0099_broken.sqlite.sql",
                               "CREATE TABLE half_done (x);\nSELECT no_such_function();")
        return [*found, bad]

    monkeypatch.setattr(schema, "migrations", broken)
    with pytest.raises(StoreError, match="E203"):
        Store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name IN ('schema_version',"
                        " 'half_done', 'watch_seen')").fetchone() is None
    conn.close()
    assert snapshot(path) == before


def test_migrations_language_back_filled_from_the_document_json(tmp_path):
    path = v1_store(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE articles SET document = json_set(document, '$.language', 'fr'),"
                 " text = text || ' La sécurité à Ségou.'"
                 " WHERE id = (SELECT min(id) FROM articles)")
    conn.commit()
    french = conn.execute("SELECT min(id) FROM articles").fetchone()[0]
    conn.close()
    with Store(path) as s:  # migrated on open, version 4 included
        rows = dict(s.conn.execute("SELECT id, language FROM articles").fetchall())
        assert rows.pop(french) == "fr" and set(rows.values()) == {"en"}
        # the FTS index was rebuilt over the stored text, accents folded
        hits = [r[0] for r in s.conn.execute(
            "SELECT a.id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            " WHERE articles_fts MATCH 'securite AND segou'")]
        assert hits == [french]
        s.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_migrations_v1_store_gets_the_place_columns_and_exports_from_json(tmp_path):
    """Migration 6: events gain place_admin1_name, place_admin2 and location_basis; the
    export reads the division names of older rows from their event JSON."""
    from tidings.export import records

    path = v1_store(tmp_path)
    with Store(path) as s:
        cols = {r[1] for r in s.conn.execute("PRAGMA table_info(events)")}
        assert {"place_admin1_name", "place_admin2", "location_basis"} <= cols
    with connect(path, readonly=True) as r:
        recs = records(r, mentions=True)
    assert recs and all("place_admin1_name" in rec and "place_admin2" in rec for rec in recs)
