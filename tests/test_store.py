"""Store tests on Documents built by hand (no spaCy)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from tidings.errors import StoreError
from tidings.model import Actor, Document, Event, EventDate, Place, Span, Time
from tidings.storage import EventQuery, connect
from tidings.storage.sqlite import Store


def make_doc(aid: str = "a1", text: str = "Russia attacked Ukraine on Monday.") -> Document:
    src = Actor("Russia", 0, 6, "Russia", "RUS", None, "RUS")
    tgt = Actor("Ukraine", 16, 23, "Ukraine", "UKR", None, "UKR")
    t = Time("on Monday", 24, 33, "DATE", "2024-09-16", None, "day")
    p = Place("Ukraine", 16, 23, "Ukraine", 690791, "UKR", None, 49.0, 32.0, "country")
    ev = Event(f"{aid}-e1", "ASSAULT", None, 0.9, "asserted", Span(7, 15, "attacked"),
               Span(0, len(text)), [src], [tgt], p, t,
               EventDate("2024-09-16", "2024-09-16", "day", "text"))
    return Document(aid, date(2024, 9, 16), text, title="War", times=[t], places=[p],
                    actors=[src, tgt], events=[ev])


def test_store_upsert_is_idempotent(tmp_path):
    db = tmp_path / "t.db"
    with Store(db) as s:
        assert s.upsert(make_doc()) == "stored"
        assert s.upsert(make_doc()) == "skipped"
        before = s.reader().counts()
        assert s.upsert(make_doc()) == "skipped"
        assert s.reader().counts() == before
        assert before["articles"] == 1 and before["events"] == 1 and before["event_actors"] == 2


def test_store_update_replaces_children(tmp_path):
    with Store(tmp_path / "t.db") as s:
        s.upsert(make_doc())
        d = make_doc()
        d.events = []
        assert s.upsert(d) == "updated"
        assert s.reader().counts()["events"] == 0
        assert s.reader().counts()["event_actors"] == 0


def test_store_wal_and_integrity(tmp_path):
    with Store(tmp_path / "t.db") as s:
        s.upsert(make_doc())
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_store_rejects_recorded_once(tmp_path):
    with Store(tmp_path / "t.db") as s:
        assert s.reject("x.bin", "binary", "looks binary")
        assert not s.reject("x.bin", "binary", "looks binary")
        assert s.reader().counts()["rejects"] == 1


def test_store_query_filters(tmp_path):
    db = tmp_path / "t.db"
    with Store(db) as s:
        s.upsert(make_doc("a1"))
        s.upsert(make_doc("a2", "Russia attacked Ukraine on Monday!"))
    conn = connect(db, readonly=True)
    assert len(conn.query_events(EventQuery())) == 2
    assert len(conn.query_events(EventQuery(type="assault", country="ukr"))) == 2
    assert len(conn.query_events(EventQuery(type="AGREE"))) == 0
    assert len(conn.query_events(EventQuery(actor="Russia", since="2024-09-01"))) == 2
    assert len(conn.query_events(EventQuery(until="2024-01-01"))) == 0
    assert len(conn.query_events(EventQuery(limit=1))) == 1


@pytest.mark.parametrize("evil", ["' OR 1=1 --", "\"; DROP TABLE events; --", "%", "USA') --"])
def test_store_filters_are_parameterised(tmp_path, evil):
    db = tmp_path / "t.db"
    with Store(db) as s:
        s.upsert(make_doc())
    conn = connect(db, readonly=True)
    assert conn.query_events(EventQuery(type=evil, country=evil, actor=evil)) == []
    assert conn.query_events(EventQuery(country=evil)) == []
    assert conn.query_events(EventQuery(actor=evil)) == []
    assert conn.counts()["events"] == 1


def test_store_search_fts(tmp_path):
    db = tmp_path / "t.db"
    with Store(db) as s:
        s.upsert(make_doc())
    conn = connect(db, readonly=True)
    hits = conn.search_articles("attacked")
    assert [h["id"] for h in hits] == ["a1"]
    assert hits[0]["events"][0]["type"] == "ASSAULT"
    with pytest.raises(StoreError):
        conn.search_articles("\"unbalanced")


def test_store_missing_db_readonly(tmp_path):
    with pytest.raises(StoreError, match="E201"):
        connect(tmp_path / "nope.db", readonly=True)


def test_store_transaction_rolls_back(tmp_path):
    with Store(tmp_path / "t.db") as s:
        d = make_doc()
        d.events.append(d.events[0])  # same id twice → the actor rows collide
        with pytest.raises(sqlite3.IntegrityError):
            s.upsert(d)
        assert s.reader().counts()["articles"] == 0  # nothing half-written


def test_store_since_filter_with_the_span_bound_misses_nothing(tmp_path):
    """query_events bounds date_start from below with the longest event span; an event whose
    long span reaches into the period must still be found, also in a store written before the
    span was kept."""
    import sqlite3
    from datetime import date

    from tidings.model import Document, Event, EventDate, Span
    from tidings.storage import EventQuery, as_reader
    from tidings.storage.sqlite import Store, max_span_days

    def query_events(conn, q):
        return as_reader(conn).query_events(q)

    def doc(aid: str, start: str, end: str, gran: str) -> Document:
        text = "Rebels attacked the town."
        ev = Event(f"{aid}-e", "ASSAULT", None, 0.9, "asserted", Span(7, 15, "attacked"),
                   Span(0, len(text)), [], [], None, None, EventDate(start, end, gran, "text"))
        return Document(aid, date(2024, 9, 1), text, events=[ev])

    db = tmp_path / "s.db"
    with Store(db) as s:
        s.upsert(doc("a1", "2020-01-01", "2029-12-31", "decade"))
        s.upsert(doc("a2", "2024-08-01", "2024-08-31", "month"))
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    assert max_span_days(conn) >= 3652
    ids = {r["id"] for r in query_events(conn, EventQuery(since="2024-08-15"))}
    assert ids == {"a1-e", "a2-e"}
    assert {r["id"] for r in query_events(conn, EventQuery(since="2030-01-01"))} == set()
    # a store from before the key: opening it for writing derives the span from its rows
    conn.execute("DELETE FROM meta WHERE key = 'max_span_days'")
    conn.commit()
    conn.close()
    with Store(db):
        pass
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    assert max_span_days(conn) >= 3652
    assert {r["id"] for r in query_events(conn, EventQuery(since="2024-08-15"))} == {
        "a1-e", "a2-e"}
