"""Review (issue 17): corrections recorded with who, when and the value before; re-applied
after re-extraction; kept and flagged when their event is gone; conflicts refused.

Store tests run on SQLite always and on PostgreSQL when ``TIDINGS_TEST_PG`` is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from conftest import pg_schema  # tests/ is on sys.path (no __init__.py)

from tidings import review, stories
from tidings.errors import StoreError
from tidings.model import Actor, Document, Event, EventDate, Place, Span, Time
from tidings.storage import EventQuery, connect, open_store
from tidings.storage.dialect import wrap

PG_URL = os.environ.get("TIDINGS_TEST_PG")
TEXT = "Russia attacked Ukraine on Monday. Protesters marched in Kyiv."


def make_doc(aid: str = "a1", etype: str = "ASSAULT", confidence: float = 0.9,
             trigger: tuple[int, int] = (7, 15), events: bool = True) -> Document:
    src = Actor("Russia", 0, 6, "Russia", "RUS", None, "RUS")
    tgt = Actor("Ukraine", 16, 23, "Ukraine", "UKR", None, "UKR")
    t = Time("on Monday", 24, 33, "DATE", "2024-09-16", None, "day")
    p = Place("Ukraine", 16, 23, "Ukraine", 690791, "UKR", None, 49.0, 32.0, "country")
    ev = Event(f"{aid}-{etype}-{trigger[0]}", etype, None, confidence, "asserted",
               Span(trigger[0], trigger[1], TEXT[trigger[0]:trigger[1]]), Span(0, 34),
               [src], [tgt], p, t, EventDate("2024-09-16", "2024-09-16", "day", "text"))
    return Document(aid, date(2024, 9, 16), TEXT, title="War", source="Wire", times=[t],
                    places=[p], actors=[src, tgt], events=[ev] if events else [])


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=[
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TIDINGS_TEST_PG is not set")])])
def target(request, tmp_path) -> Iterator[str]:
    """A fresh store of each backend: a SQLite path, or a PostgreSQL URL on a new schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "t.db")
        return
    with pg_schema() as url:
        yield url


def event(target: str, event_id: str) -> dict:
    with connect(target, readonly=True) as r:
        rows = [e for e in r.query_events(EventQuery()) if e["id"] == event_id]
    return rows[0] if rows else {}


def reviews(target: str) -> list[tuple]:
    with connect(target, readonly=True) as r:
        return [tuple(x) for x in r.execute(
            "SELECT event_id, version, field, value_before, value_after, status, reviewer,"
            " orphaned FROM reviews ORDER BY event_id, version").fetchall()]


def audit(target: str) -> list[tuple]:
    with connect(target, readonly=True) as r:
        return [tuple(x) for x in r.execute(
            "SELECT actor, action, subject FROM audit ORDER BY id").fetchall()]


def test_review_edit_is_stored_with_value_before_and_applied(target):
    with open_store(target) as s:
        s.upsert(make_doc())
        assert review.review_event(s, "a1-ASSAULT-7", "edited", "ana", 0, "type",
                                   "protest") == 1
    e = event(target, "a1-ASSAULT-7")
    assert e["type"] == "PROTEST" and e["event"]["type"] == "PROTEST"
    assert e["review_status"] == "edited"
    assert reviews(target) == [("a1-ASSAULT-7", 1, "type", "ASSAULT", "PROTEST", "edited",
                                "ana", 0)]
    assert audit(target) == [("ana", "review.edited", "a1-ASSAULT-7")]


def test_review_survives_reextraction_of_the_same_article(target):
    with open_store(target) as s:
        s.upsert(make_doc())
        s.record_review("a1-ASSAULT-7", "edited", "ana", 0, "place_country", "rus")
        s.record_review("a1-ASSAULT-7", "accepted", "ana", 1)
        # a new model: same article, same trigger, another confidence
        assert s.upsert(make_doc(confidence=0.4)) == "updated"
    e = event(target, "a1-ASSAULT-7")
    assert e["confidence"] == pytest.approx(0.4)  # the new extraction...
    assert e["place_country"] == "RUS" and e["event"]["location"]["country"] == "RUS"
    assert e["review_status"] == "accepted"  # ...with the correction applied again
    assert [r[1] for r in reviews(target)] == [1, 2]
    assert ("tidings", "review.reapplied", "a1-ASSAULT-7") in audit(target)


def test_review_follows_an_event_whose_id_changed(target):
    with open_store(target) as s:
        s.upsert(make_doc())
        s.record_review("a1-ASSAULT-7", "edited", "ana", 0, "type", "COERCE")
        s.upsert(make_doc(etype="PROTEST"))  # the model now types it otherwise: a new id
    e = event(target, "a1-PROTEST-7")
    assert e["type"] == "COERCE" and e["review_status"] == "edited"
    assert [r[0] for r in reviews(target)] == ["a1-PROTEST-7"]


def test_review_orphaned_is_kept_and_flagged_then_matched_again(target):
    with open_store(target) as s:
        s.upsert(make_doc())
        s.record_review("a1-ASSAULT-7", "rejected", "ana", 0)
        s.upsert(make_doc(events=False))  # re-extraction finds no event any more
        assert reviews(target) == [("a1-ASSAULT-7", 1, None, None, None, "rejected", "ana", 1)]
        assert ("tidings", "review.orphaned", "a1-ASSAULT-7") in audit(target)
        s.upsert(make_doc(confidence=0.5))  # and back
    assert reviews(target)[0][-1] == 0
    assert event(target, "a1-ASSAULT-7")["review_status"] == "rejected"


def test_review_sentence_span_and_type_match_when_the_trigger_moved(target):
    with open_store(target) as s:
        s.upsert(make_doc())
        s.record_review("a1-ASSAULT-7", "edited", "ana", 0, "date_start", "2024-09-15")
        s.upsert(make_doc(trigger=(0, 15)))  # a wider trigger: same sentence, same type
    e = event(target, "a1-ASSAULT-0")
    assert e["date_start"] == "2024-09-15" and e["event"]["date"]["start"] == "2024-09-15"


def test_review_two_reviewers_second_gets_a_conflict(target):
    with open_store(target) as s:
        s.upsert(make_doc())
        s.record_review("a1-ASSAULT-7", "edited", "ana", 0, "type", "PROTEST")
        with pytest.raises(StoreError, match="E210"):  # bo saw version 0 too
            s.record_review("a1-ASSAULT-7", "edited", "bo", 0, "type", "AID")
    assert event(target, "a1-ASSAULT-7")["type"] == "PROTEST"  # nothing overwritten
    assert [r[6] for r in reviews(target)] == ["ana"]
    assert [a[0] for a in audit(target)] == ["ana"]


@pytest.mark.parametrize(("args", "code"), [
    (("nope", "accepted", "ana", 0), "E211"),
    (("a1-ASSAULT-7", "maybe", "ana", 0), "E212"),
    (("a1-ASSAULT-7", "edited", "ana", 0, "confidence", "1"), "E212"),
    (("a1-ASSAULT-7", "edited", "ana", 0, "type", "PARTY"), "E212"),
    (("a1-ASSAULT-7", "edited", "ana", 0, "date_end", "2024-02-30"), "E212"),
    (("a1-ASSAULT-7", "edited", "ana", 0, "place_country", "Niger"), "E212"),
    (("a1-ASSAULT-7", "accepted", " ", 0), "E212"),
    (("a1-ASSAULT-7", "accepted", "ana", 3), "E210"),
])
def test_review_bad_writes_are_coded_errors_and_store_nothing(tmp_path, args, code):
    with open_store(tmp_path / "t.db") as s:
        s.upsert(make_doc())
        with pytest.raises(StoreError, match=code):
            s.record_review(*args)
    assert reviews(str(tmp_path / "t.db")) == [] and audit(str(tmp_path / "t.db")) == []


def test_review_stories_see_corrections_and_drop_rejected_events(target):
    with open_store(target) as s:
        s.upsert(make_doc())
        stories.merge_new(wrap(s.conn))
        review.review_event(s, "a1-ASSAULT-7", "edited", "ana", 0, "type", "PROTEST")
    with connect(target, readonly=True) as r:
        assert [tuple(x) for x in r.execute("SELECT type FROM story_events")] == [("PROTEST",)]
    with open_store(target) as s:
        review.review_event(s, "a1-ASSAULT-7", "rejected", "ana", 1)
    with connect(target, readonly=True) as r:
        assert r.execute("SELECT count(*) FROM story_events").fetchone()[0] == 0
        assert r.execute("SELECT count(*) FROM story_mentions").fetchone()[0] == 0


def test_review_survives_run_force_on_the_same_article(tmp_path):
    from conftest import FIXTURES

    from tidings.ingest import ingest

    article = sorted((FIXTURES / "articles").glob("*.txt"))[0]
    db = str(tmp_path / "t.db")
    ingest([article], db)
    with connect(db, readonly=True) as r:
        first = r.query_events(EventQuery())[0]
    with open_store(db) as s:
        review.review_event(s, first["id"], "edited", "ana", 0, "place_country", "XYZ")
    summary = ingest([article], db, force=True)
    assert summary.skipped + summary.updated == 1
    e = event(db, first["id"])
    assert (e["place_country"], e["review_status"]) == ("XYZ", "edited")
    assert len(reviews(db)) == 1 and reviews(db)[0][-1] == 0


# ---------------------------------------------------------------- exports and corrections

def two_events(aid: str = "a2") -> Document:
    """An article with a confident ASSAULT and an uncertain PROTEST."""
    d = make_doc(aid)
    s, e = TEXT.index("marched"), TEXT.index("marched") + len("marched")
    kyiv = Place("Kyiv", 57, 61, "Kyiv", 703448, "UKR", None, 50.45, 30.52, "city")
    d.events.append(Event(f"{aid}-PROTEST-{s}", "PROTEST", None, 0.3, "asserted",
                          Span(s, e, "marched"), Span(35, len(TEXT)), [], [], kyiv, None,
                          EventDate("2024-09-16", "2024-09-16", "day", "published")))
    return d


def stored_two(tmp_path) -> str:
    db = str(tmp_path / "t.db")
    with open_store(db) as s:
        s.upsert(two_events())
        stories.merge_new(wrap(s.conn))
    return db


def test_review_export_carries_state_and_reviewed_only_keeps_confirmed(tmp_path):
    import csv
    import json

    import pyarrow.parquet as pq

    from tidings.export import export

    db = stored_two(tmp_path)
    with open_store(db) as s:
        review.review_event(s, "a2-ASSAULT-7", "edited", "ana", 0, "type", "COERCE")
        review.review_event(s, "a2-PROTEST-46", "rejected", "ana", 0)
    for mentions in (True, False):
        with connect(db, readonly=True) as r:
            export(r, "csv", tmp_path / "all.csv", mentions=mentions)
            export(r, "csv", tmp_path / "mine.csv", mentions=mentions, reviewed_only=True)
        rows = list(csv.DictReader((tmp_path / "all.csv").open()))
        # the rejected event is left out; the corrected one exported with its correction
        assert [(x["type"], x["reviewed"], x["review_status"]) for x in rows] == \
            [("COERCE", "True", "edited")]
        assert len(list(csv.DictReader((tmp_path / "mine.csv").open()))) == 1
    with open_store(db) as s:  # a confirmed and an unreviewed event
        s.upsert(two_events("a3"))
        stories.merge_new(wrap(s.conn))
    with connect(db, readonly=True) as r:
        for profile in ("native", "acled", "plover"):
            n = export(r, "jsonl", tmp_path / "m.jsonl", profile=profile, mentions=True,
                       reviewed_only=True)
            recs = [json.loads(x) for x in (tmp_path / "m.jsonl").open()]
            assert n["rows"] == len(recs) <= 1
            assert all(x["reviewed"] is True for x in recs)
        export(r, "parquet", tmp_path / "m.parquet", mentions=True)
        export(r, "geojson", tmp_path / "m.geojson", mentions=True)
    table = pq.read_table(tmp_path / "m.parquet").to_pylist()
    assert sorted((x["id"], x["reviewed"], x["review_status"]) for x in table) == [
        ("a2-ASSAULT-7", True, "edited"), ("a3-ASSAULT-7", False, None),
        ("a3-PROTEST-46", False, None)]
    feats = json.loads((tmp_path / "m.geojson").read_text())["features"]
    assert {f["properties"]["review_status"] for f in feats} == {"edited", None}


def test_review_api_export_reviewed_only(tmp_path):
    import json

    from fastapi.testclient import TestClient

    from tidings.api import create_app

    db = stored_two(tmp_path)
    with open_store(db) as s:
        review.review_event(s, "a2-PROTEST-46", "accepted", "ana", 0)
    with TestClient(create_app(db)) as c:
        got = c.get("/api/export", params={"format": "jsonl", "mentions": "true",
                                           "reviewed_only": "true"})
        assert got.status_code == 200
        assert [json.loads(x)["id"] for x in got.text.splitlines()] == ["a2-PROTEST-46"]
        every = c.get("/api/export", params={"format": "jsonl", "mentions": "true"})
        assert len(every.text.splitlines()) == 2


def test_review_corrections_are_training_examples(tmp_path):
    from tidings.train.classifier import load_corrections

    db = stored_two(tmp_path)
    with open_store(db) as s:
        review.review_event(s, "a2-ASSAULT-7", "edited", "ana", 0, "type", "coerce")
        review.review_event(s, "a2-PROTEST-46", "rejected", "ana", 0)
    with connect(db, readonly=True) as r:
        assert review.write_corrections(r, tmp_path / "c.jsonl") == 1
        (ex,) = list(review.corrections(r))
    assert ex["marked_sentence"] == "<s>Russia</s> attacked <t>Ukraine</t> on Monday."
    assert (ex["label"], ex["machine_type"], ex["reviewer"]) == ("COERCE", "ASSAULT", "ana")
    (loaded,) = load_corrections(tmp_path / "c.jsonl")
    assert (loaded.sentence, loaded.label, loaded.domain) == (ex["marked_sentence"], "COERCE",
                                                              "review")
    (tmp_path / "bad.jsonl").write_text("{not json\n")
    from tidings.errors import UsageError

    with pytest.raises(UsageError, match="E328"):
        load_corrections(tmp_path / "bad.jsonl")


# ---------------------------------------------------------------- tidings review

def run_review(db: str, keys: str, *args: str):
    from typer.testing import CliRunner

    from tidings.cli import app

    return CliRunner().invoke(app, ["review", "--db", db, "--reviewer", "ana", *args],
                              input=keys)


def test_review_cli_walks_the_queue_least_confident_first(tmp_path):
    db = stored_two(tmp_path)
    res = run_review(db, "x\ne\ntype\nCOERCE\na\nr\n")
    assert res.exit_code == 0, res.output
    first = res.output.index("[[marched]]")
    assert first < res.output.index("[[attacked]]")  # 0.3 before 0.9
    assert "unknown key 'x'" in res.output
    assert [(r[0], r[1], r[4], r[5]) for r in reviews(db)] == [
        ("a2-ASSAULT-7", 1, None, "rejected"), ("a2-PROTEST-46", 1, "COERCE", "edited"),
        ("a2-PROTEST-46", 2, None, "accepted")]
    assert event(db, "a2-PROTEST-46")["type"] == "COERCE"
    assert "nothing to review" in run_review(db, "q\n").output  # --unreviewed by default
    assert run_review(db, "s\nq\n", "--all", "--type", "coerce").output.count("[1/1]") == 1


def test_review_cli_quit_bad_value_and_bad_options(tmp_path):
    db = stored_two(tmp_path)
    res = run_review(db, "e\ndate_start\nyesterday\nq\n")
    assert "E212" in res.output and res.exit_code == 0
    assert reviews(db) == []
    assert run_review(db, "").exit_code == 0 and reviews(db) == []  # end of input: quit
    res = run_review(db, "", "--type", "PARTY")
    assert res.exit_code != 0 and "E362" in str(res.exception)


# ---------------------------------------------------------------- the API

TOKEN = "t" * 24


def test_review_api_queue_and_review_with_token_audit_and_conflict(tmp_path):
    from fastapi.testclient import TestClient

    from tidings.api import create_app

    db = stored_two(tmp_path)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(create_app(db, token=TOKEN)) as c:
        q = c.get("/api/review/queue").json()["items"]
        assert [(e["id"], e["review_version"]) for e in q] == [("a2-PROTEST-46", 0),
                                                              ("a2-ASSAULT-7", 0)]
        assert "[[marched]]" in q[0]["marked_sentence"]
        body = {"status": "edited", "reviewer": "ana", "expected_version": 0,
                "field": "type", "value": "COERCE"}
        url = "/api/events/a2-PROTEST-46/review"
        assert c.post(url, json=body).status_code == 401  # no token
        assert c.post(url, json=body, headers={"Authorization": "Bearer wrong"}
                      ).status_code == 401
        c.cookies.set("token", TOKEN)  # a cookie is never a token (CSRF)
        assert c.post(url, json=body).status_code == 401
        c.cookies.clear()
        ok = c.post(url, json=body, headers=auth)
        assert ok.status_code == 200 and ok.json()["version"] == 1
        stale = c.post(url, json={**body, "reviewer": "bo", "value": "AID"}, headers=auth)
        assert stale.status_code == 409 and stale.json()["error"]["code"] == "E520"
        bad = c.post(url, json={**body, "expected_version": 1, "value": "PARTY"},
                     headers=auth)
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "E521"
        assert c.post("/api/events/nope/review", json=body, headers=auth).status_code == 404
        assert c.post(url, content=b"{", headers={**auth, "Content-Type": "application/json"}
                      ).status_code == 400
        assert c.post(url, content=b"{}", headers=auth).status_code == 415
        assert c.post(url, json={"status": "accepted"}, headers=auth).status_code == 422
        got = c.get("/api/events", params={"type": "COERCE"}).json()["items"]
        assert [e["id"] for e in got] == ["a2-PROTEST-46"]  # the read side sees it
        assert [e["id"] for e in c.get("/api/review/queue").json()["items"]] == \
            ["a2-ASSAULT-7"]
    assert audit(db) == [("ana", "review.edited", "a2-PROTEST-46")]
    assert event(db, "a2-PROTEST-46")["type"] == "COERCE"
    with TestClient(create_app(db)) as c:  # no token configured: read-only
        r = c.post("/api/events/a2-ASSAULT-7/review", headers=auth,
                   json={"status": "accepted", "reviewer": "ana", "expected_version": 0})
        assert r.status_code == 403 and r.json()["error"]["code"] == "E510"
        assert c.get("/api/review/queue", params={"type": "PARTY"}).status_code == 400


def test_review_api_queue_on_a_store_older_than_reviews(tmp_path):
    import gzip

    from conftest import FIXTURES
    from fastapi.testclient import TestClient

    from tidings.api import create_app

    path = tmp_path / "v1.db"
    path.write_bytes(gzip.decompress((FIXTURES / "store_v1.db.gz").read_bytes()))
    with TestClient(create_app(path)) as c:  # read-only: served as it is, not migrated
        items = c.get("/api/review/queue", params={"limit": 500}).json()["items"]
        assert items and {e["review_version"] for e in items} == {0}
        confidences = [e["confidence"] for e in items]
        assert confidences == sorted(confidences)
        assert c.get("/api/export", params={"mentions": "true"}).status_code == 200
        stories_csv = c.get("/api/export")
        assert stories_csv.status_code == 200 and "review_status" in stories_csv.text


# ---------------------------------------------------------------- actor and place edits

KYIV = {"name": "Kyiv", "country": "ukr", "admin1": "12", "admin1_name": "Kyiv City",
        "lat": 50.45466, "lon": 30.5238, "geonameid": 703448, "kind": "city"}


def actor_rows(target: str, event_id: str) -> list[tuple]:
    with connect(target, readonly=True) as r:
        return [tuple(x) for x in r.execute(
            "SELECT role, ord, name, country, sector FROM event_actors WHERE event_id = ?"
            " ORDER BY role, ord", (event_id,)).fetchall()]


def ids(target: str, **query) -> list[str]:
    with connect(target, readonly=True) as r:
        return [e["id"] for e in r.query_events(EventQuery(**query))]


def test_review_actor_edit_changes_json_rows_and_what_filters_see(target):
    with open_store(target) as s:
        s.upsert(make_doc())
        assert review.review_event(s, "a1-ASSAULT-7", "edited", "ana", 0, "source",
                                   {"name": "Wagner Group", "country": "rus",
                                    "sector": "reb"}) == 1
        s.record_review("a1-ASSAULT-7", "edited", "ana", 1, "target", "Kharkiv residents")
    e = event(target, "a1-ASSAULT-7")
    assert [(a["name"], a["country"], a["sector"]) for a in e["event"]["source"]] == \
        [("Wagner Group", "RUS", "REB")]
    assert [(a["name"], a["country"]) for a in e["event"]["target"]] == \
        [("Kharkiv residents", None)]
    assert e["source_countries"] == ["RUS"] and e["target_countries"] == []
    assert actor_rows(target, "a1-ASSAULT-7") == [
        ("source", 0, "Wagner Group", "RUS", "REB"), ("target", 0, "Kharkiv residents", None,
                                                      None)]
    assert ids(target, actor="Wagner") == ["a1-ASSAULT-7"]
    assert ids(target, actor="Ukraine") == []  # the machine's target is gone everywhere
    r = reviews(target)
    assert r[0][2:5] == ("source", '{"country": "RUS", "name": "Russia", "sector": null}',
                         '{"country": "RUS", "name": "Wagner Group", "sector": "REB"}')
    assert len(audit(target)) == 2


def test_review_place_edit_sets_every_place_column_in_one_review(target):
    with open_store(target) as s:
        s.upsert(make_doc())
        assert s.record_review("a1-ASSAULT-7", "edited", "ana", 0, "place", KYIV) == 1
    e = event(target, "a1-ASSAULT-7")
    assert (e["place_name"], e["place_country"], e["place_admin1"], e["geonameid"],
            e["place_kind"], e["place_admin1_name"]) == ("Kyiv", "UKR", "12", 703448, "city",
                                                         "Kyiv City")
    assert (e["lat"], e["lon"]) == pytest.approx((50.45466, 30.5238))
    loc = e["event"]["location"]
    assert (loc["name"], loc["country"], loc["geonameid"], loc["start"]) == \
        ("Kyiv", "UKR", 703448, None)
    assert e["event"]["location_basis"] == "review"
    assert len(reviews(target)) == 1 and len(audit(target)) == 1  # one version, one audit row
    assert '"geonameid": 690791' in reviews(target)[0][3]  # the machine's place, kept
    with open_store(target) as s:  # a later place_name edit wins over the place's name...
        s.record_review("a1-ASSAULT-7", "edited", "ana", 1, "place_name", "Kiev")
        s.record_review("a1-ASSAULT-7", "edited", "ana", 2, "place", {**KYIV, "name": "Kyjiw"})
        s.upsert(make_doc(confidence=0.5))  # ...and the order holds across re-extraction
    e = event(target, "a1-ASSAULT-7")
    assert (e["place_name"], e["event"]["location"]["name"], e["geonameid"]) == \
        ("Kyjiw", "Kyjiw", 703448)
    assert e["confidence"] == pytest.approx(0.5) and e["review_status"] == "edited"


@pytest.mark.parametrize(("field", "value", "code"), [
    ("place", "Kyiv", "E213"),
    ("place", {"name": "Kyiv"}, "E213"),
    ("place", {**KYIV, "lat": 91}, "E213"),
    ("place", {**KYIV, "lon": "30"}, "E213"),
    ("place", {**KYIV, "country": "Ukraine"}, "E213"),
    ("place", {**KYIV, "geonameid": -1}, "E213"),
    ("place", {**KYIV, "kind": "planet"}, "E213"),
    ("place", {**KYIV, "population": 3}, "E213"),
    ("place", {**KYIV, "name": " "}, "E213"),
    ("source", "", "E214"),
    ("source", {"name": "x", "country": "Russia"}, "E214"),
    ("target", {"name": "x", "sector": "ARMY"}, "E214"),
    ("target", {"country": "RUS"}, "E214"),
    ("target", "{not json", "E214"),
    ("target", ["Russia"], "E214"),
])
def test_review_bad_actor_and_place_edits_are_coded_and_store_nothing(tmp_path, field, value,
                                                                      code):
    db = str(tmp_path / "t.db")
    with open_store(db) as s:
        s.upsert(make_doc())
        with pytest.raises(StoreError, match=code):
            s.record_review("a1-ASSAULT-7", "edited", "ana", 0, field, value)
    assert reviews(db) == [] and audit(db) == []
    assert event(db, "a1-ASSAULT-7")["place_name"] == "Ukraine"


def test_review_corrections_skip_actors_without_a_span(tmp_path):
    db = stored_two(tmp_path)
    with open_store(db) as s:
        s.record_review("a2-ASSAULT-7", "edited", "ana", 0, "source", "Wagner Group")
    with connect(db, readonly=True) as r:
        ex = list(review.corrections(r))
    assert ex[0]["marked_sentence"].startswith("Russia attacked <t>Ukraine</t>")


def test_review_api_place_and_actor_edits_item_and_queue_pages(target):
    from fastapi.testclient import TestClient

    from tidings.api import create_app

    with open_store(target) as s:
        s.upsert(two_events())
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(create_app(target, token=TOKEN)) as c:
        first = c.get("/api/review/queue", params={"limit": 1}).json()["items"]
        assert [e["id"] for e in first] == ["a2-PROTEST-46"]
        rest = c.get("/api/review/queue", params={"after": first[0]["id"]}).json()["items"]
        assert [e["id"] for e in rest] == ["a2-ASSAULT-7"]
        assert c.get("/api/review/queue", params={"country": "Ukraine"}).status_code == 400
        url = "/api/events/a2-ASSAULT-7/review"
        body = {"status": "edited", "reviewer": "ana", "expected_version": 0,
                "field": "place", "value": KYIV}
        r = c.post(url, json=body, headers=auth)
        assert r.status_code == 200 and r.json()["version"] == 1
        bad = c.post(url, json={**body, "expected_version": 1, "value": {"name": "Kyiv"}},
                     headers=auth)
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "E521"
        assert "E213" in bad.json()["error"]["message"]
        r = c.post(url, json={**body, "expected_version": 1, "field": "target",
                              "value": {"name": "Kyiv residents", "country": "UKR"}},
                   headers=auth)
        assert r.status_code == 200 and r.json()["version"] == 2
        it = c.get("/api/review/events/a2-ASSAULT-7").json()
        assert (it["place_name"], it["geonameid"], it["review_version"]) == ("Kyiv", 703448, 2)
        assert [h["field"] for h in it["history"]] == ["place", "target"]
        assert "[[attacked]]" in it["marked_sentence"]
        assert c.get("/api/review/events/nope").status_code == 404
        got = c.get("/api/events", params={"actor": "Kyiv residents"}).json()["items"]
        assert [e["id"] for e in got] == ["a2-ASSAULT-7"]
        assert got[0]["place"]["name"] == "Kyiv"
        csv_text = c.get("/api/export", params={"format": "csv", "mentions": "true"}).text
        assert "Kyiv residents" in csv_text and ",Kyiv," in csv_text
    assert [a[1] for a in audit(target)] == ["review.edited", "review.edited"]


def test_review_api_gazetteer_search(tmp_path):
    from fastapi.testclient import TestClient

    from tidings.api import create_app

    db = stored_two(tmp_path)
    with TestClient(create_app(db)) as c:  # read-only: no token needed
        items = c.get("/api/gazetteer", params={"q": "niam"}).json()["items"]
        assert items[0]["name"] == "Niamey" and items[0]["country"] == "NER"
        assert {"lat", "lon", "geonameid", "kind", "admin1", "population"} <= set(items[0])
        pops = [i["population"] for i in items if i["name"].lower().startswith("niam")]
        assert pops == sorted(pops, reverse=True)
        only = c.get("/api/gazetteer", params={"q": "paris", "country": "usa", "limit": 3})
        assert [i["country"] for i in only.json()["items"]] == ["USA"] * 3
        assert c.get("/api/gazetteer", params={"q": "zzzzqx"}).json() == {"items": []}
        for params in ({"q": ""}, {"q": "a", "country": "France"}, {"q": "a", "limit": 0}):
            r = c.get("/api/gazetteer", params=params)
            assert r.status_code in (400, 422) and r.json()["error"]["code"].startswith("E5")
