"""PostgreSQL store tests: same semantics as the SQLite store, on Documents built by hand.

They need a server: set ``TIDINGS_TEST_PG=postgresql://user:pass@host/db`` (CI's .ci/run does).
Each test works in a fresh schema of that database, dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from conftest import pg_schema  # tests/ is on sys.path (no __init__.py)

from tidings import storage
from tidings.errors import StoreError
from tidings.model import Actor, Document, Event, EventDate, Place, Span, Time
from tidings.storage import EventQuery
from tidings.storage import postgres as pg_store
from tidings.storage import schema
from tidings.storage.sqlite import Store

PG_URL = os.environ.get("TIDINGS_TEST_PG")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TIDINGS_TEST_PG is not set (a postgresql:// URL of a"
                       " database the tests may create schemas in)"),
]


def make_doc(aid: str = "a1", text: str = "Russia attacked Ukraine on Monday.",
             day: str = "2024-09-16", etype: str = "ASSAULT") -> Document:
    from datetime import date

    src = Actor("Russia", 0, 6, "Russia", "RUS", "GOV", "RUS")
    tgt = Actor("Ukraine", 16, 23, "Ukraine", "UKR", None, "UKR")
    t = Time("on Monday", 24, 33, "DATE", day, None, "day")
    p = Place("Ukraine", 16, 23, "Ukraine", 690791, "UKR", None, 49.0, 32.0, "country")
    ev = Event(f"{aid}-e1", etype, None, 0.9, "asserted", Span(7, 15, "attacked"),
               Span(0, len(text)), [src], [tgt], p, t, EventDate(day, day, "day", "text"))
    return Document(aid, date.fromisoformat(day), text, title="War", source="Wire",
                    times=[t], places=[p], actors=[src, tgt], events=[ev])


@pytest.fixture()
def pg_url() -> Iterator[str]:
    """A URL whose search_path is a fresh, empty schema."""
    assert PG_URL
    with pg_schema() as url:
        yield url


def test_url_selects_backend(tmp_path, pg_url):
    assert storage.is_pg_url(pg_url) and storage.is_pg_url("postgres://x/y")
    assert not storage.is_pg_url(str(tmp_path / "t.db"))
    with storage.open_store(pg_url) as s:
        assert isinstance(s, pg_store.PgStore) and s.backend == "postgresql"
    s2 = storage.open_store(tmp_path / "t.db")
    assert isinstance(s2, Store) and s2.backend == "sqlite"
    s2.close()
    with storage.connect(pg_url, readonly=True) as r:
        assert isinstance(r, pg_store.PgReader) and r.counts()["articles"] == 0


def test_migrations_are_ordered_and_idempotent(pg_url):
    found = schema.migrations("postgresql")
    assert [m.version for m in found] == sorted(m.version for m in found)
    assert found[0].version == 1
    with pg_store.PgStore(pg_url) as s:
        assert pg_store.schema_version(s.conn) == found[-1].version == schema.latest_version()
        assert pg_store.migrate(s.conn) == []  # second run: nothing to do
        n = s.conn.execute("SELECT count(*) FROM schema_version").fetchone()[0]
        assert n == len(found)


def test_upsert_is_idempotent_and_updates(pg_url):
    with pg_store.PgStore(pg_url) as s:
        assert s.upsert(make_doc(), origin="f.txt") == "stored"
        before = s.reader().counts()
        assert s.upsert(make_doc()) == "skipped"
        assert s.reader().counts() == before
        assert before["articles"] == 1 and before["events"] == 1
        assert before["event_actors"] == 2 and before["places"] == 1 and before["times"] == 1
        changed = make_doc()
        changed.title = "War, updated"
        assert s.upsert(changed) == "updated"
        assert s.reader().counts() == before
        assert s.has_article("a1") and not s.has_article("zz")


def test_failed_upsert_leaves_nothing(pg_url):
    bad = make_doc("a2")
    bad.events.append(bad.events[0])  # duplicate event id violates the primary key
    with pg_store.PgStore(pg_url) as s:
        with pytest.raises(Exception):
            s.upsert(bad)
        assert s.reader().counts()["articles"] == 0
        assert s.upsert(make_doc("a3")) == "stored"  # the connection is usable afterwards


def test_queries_match_sqlite(tmp_path, pg_url):
    docs = [make_doc("a1"), make_doc("b2", "Russia attacked Ukraine again on Friday.",
                                     "2024-10-04", "COERCE")]
    with pg_store.PgStore(pg_url) as s, Store(tmp_path / "t.db") as lite:
        for d in docs:
            s.upsert(d)
            lite.upsert(d)
        pg = storage.connect(pg_url, readonly=True)
        queries = [EventQuery(), EventQuery(type="assault"), EventQuery(country="ukr"),
                   EventQuery(actor="russ"), EventQuery(since="2024-10-01"),
                   EventQuery(until="2024-09-30", type="ASSAULT"), EventQuery(limit=1),
                   EventQuery(country="FRA"), EventQuery(min_confidence=0.95)]
        for q in queries:
            a = [(r["id"], r["type"], r["source_countries"], r["article_published"],
                  r["event"]) for r in pg.query_events(q)]
            b = [(r["id"], r["type"], r["source_countries"], r["article_published"],
                  r["event"]) for r in lite.reader().query_events(q)]
            assert a == b, q
        assert pg.get_article("b")["id"] == "b2"
        assert pg.get_article("zz") is None
        pg.close()


def test_full_text_search(pg_url):
    with pg_store.PgStore(pg_url) as s:
        s.upsert(make_doc("a1"))
        s.upsert(make_doc("b2", "Protesters marched in Dakar on Friday.", "2024-10-04"))
        r = s.reader()
        hits = r.search_articles("protesters Dakar")
        assert [h["id"] for h in hits] == ["b2"]
        assert "[" in hits[0]["snippet"] and hits[0]["events"]
        assert r.search_articles("\"attacked Ukraine\"")[0]["id"] == "a1"
        assert r.search_articles("') OR 1=1 --") == []


@pytest.mark.parametrize("evil", ["' OR 1=1 --", "\"; DROP TABLE events; --", "%", "USA') --"])
def test_filters_are_parameterised(pg_url, evil):
    with pg_store.PgStore(pg_url) as s:
        s.upsert(make_doc())
        r = s.reader()
        assert r.query_events(EventQuery(country=evil)) == []
        assert r.query_events(EventQuery(type=evil)) == []
        assert r.query_events(EventQuery(actor=evil)) == []
        assert r.counts()["events"] == 1


def test_rejects(pg_url):
    with pg_store.PgStore(pg_url) as s:
        assert s.reject("x.txt", "binary", "x.txt: binary") is True
        assert s.reject("x.txt", "binary", "x.txt: binary") is False
        s.forget_reject("x.txt")
        assert s.reader().counts()["rejects"] == 0


def test_readonly_on_empty_database_is_a_clear_error(pg_url):
    with pytest.raises(StoreError, match="E201"):
        storage.connect(pg_url, readonly=True)


def test_bad_url_is_a_store_error():
    with pytest.raises(StoreError, match="E203"):
        storage.connect("postgresql://nobody:secret@127.0.0.1:1/none")


def test_cli_run_events_search_show_on_postgres(pg_url, tmp_path):
    """`--db postgresql://...` picks the PostgreSQL backend for run, events, search and show;
    the events equal those a SQLite run stores from the same inputs."""
    import json
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    articles = Path(__file__).resolve().parent / "fixtures" / "articles"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tidings", *args], capture_output=True,
                              text=True, timeout=300)

    res = cli("run", str(articles), "--db", pg_url)
    assert res.returncode == 0, res.stderr
    assert "2 stored" in res.stdout
    password = pg_url.split("://", 1)[1].split("@", 1)[0].partition(":")[2]
    assert not password or f":{password}@" not in res.stdout  # the URL is printed redacted
    again = cli("run", str(articles), "--db", pg_url)
    assert again.returncode == 0 and "0 stored" in again.stdout and "2 already" in again.stdout
    db = tmp_path / "t.db"
    assert cli("run", str(articles), "--db", str(db)).returncode == 0
    lite = {r[0] for r in sqlite3.connect(db).execute("SELECT id FROM events")}
    res = cli("events", "--db", pg_url, "--format", "jsonl")
    assert res.returncode == 0, res.stderr
    pg_ids = {json.loads(line)["event"]["id"] for line in res.stdout.splitlines() if line}
    assert pg_ids == lite and pg_ids
    res = cli("search", "Mali", "--db", pg_url, "--format", "jsonl")
    assert res.returncode == 0, res.stderr
    hits = [json.loads(line) for line in res.stdout.splitlines() if line]
    assert hits
    res = cli("show", hits[0]["id"][:8], "--db", pg_url)
    assert res.returncode == 0, res.stderr


def _actor_doc(aid: str, name: str) -> Document:
    """An article whose one event's source actor is called ``name``."""
    doc = make_doc(aid)
    ev = doc.events[0]
    ev.id = f"{aid}-e1"
    ev.source = [Actor(name, 0, len(name), name, None, "CVL", None)]
    doc.actors = ev.source + ev.target
    return doc


def test_actor_percent_is_literal_on_both_backends(tmp_path, pg_url):
    """`--actor %` (and `_`) match those characters, not everything, on SQLite and
    PostgreSQL alike (SQLite used to pass them to LIKE as wildcards)."""
    docs = [_actor_doc("p1", "Russia"), _actor_doc("p2", "the 99% movement"),
            _actor_doc("p3", "R_ssia watchers")]
    with pg_store.PgStore(pg_url) as s, Store(tmp_path / "t.db") as lite:
        for d in docs:
            s.upsert(d)
            lite.upsert(d)
        for reader in (s.reader(), lite.reader()):
            def ids(actor: str) -> set[str]:
                return {r["article_id"] for r in reader.query_events(EventQuery(actor=actor))}

            assert ids("%") == {"p2"}, reader.backend
            assert ids("_") == {"p3"}, reader.backend
            assert ids("R_ssia") == {"p3"}, reader.backend
            assert ids("russia") == {"p1"}, reader.backend
            assert ids("\\") == set(), reader.backend


def _copy_v1_fixture_into(url: str) -> dict[str, int]:
    """Load the rows of the version-1 SQLite fixture into a PostgreSQL database at schema
    version 1, as version 1's writer stored them; return the row counts."""
    import gzip
    import sqlite3
    import tempfile
    from pathlib import Path

    import psycopg
    from conftest import FIXTURES

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "v1.db"
        path.write_bytes(gzip.decompress((FIXTURES / "store_v1.db.gz").read_bytes()))
        lite = sqlite3.connect(path)
        lite.row_factory = sqlite3.Row
        tables = {t: [dict(r) for r in lite.execute(f"SELECT * FROM {t}")]
                  for t in ("articles", "events", "event_actors", "places", "times", "rejects")}
        lite.close()
    with psycopg.connect(url, autocommit=True) as conn:
        assert pg_store.migrate(conn, target=1) == [1]
        for t, rows in tables.items():
            for r in rows:
                if t == "events":
                    r["source_countries"] = (r["source_countries"] or "").split()
                    r["target_countries"] = (r["target_countries"] or "").split()
                cols = ", ".join(f'"{c}"' for c in r)
                conn.execute(f"INSERT INTO {t} ({cols}) VALUES ({', '.join(['%s'] * len(r))})",
                             list(r.values()))
    return {t: len(rows) for t, rows in tables.items()}


def test_v1_database_migrates_on_open_and_keeps_its_rows(pg_url):
    counts = _copy_v1_fixture_into(pg_url)
    with storage.connect(pg_url, readonly=True) as r:  # readable as it is
        assert not r.has_table("story_events")
        before = {e["id"] for e in r.query_events(EventQuery())}
    assert len(before) == counts["events"] > 0
    with storage.open_store(pg_url) as s:  # opening for writing migrates
        assert pg_store.schema_version(s.conn) == schema.latest_version()
        r = s.reader()
        assert r.counts() == counts
        assert {e["id"] for e in r.query_events(EventQuery())} == before
        assert r.has_table("story_events") and r.has_table("watch_seen")
        assert r.search_articles("Chad")
    with storage.open_store(pg_url) as s:
        assert pg_store.migrate(s.conn) == []
