"""REST API tests: the FastAPI app in process over a store built in code from hand-made
Documents (no spaCy)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tidings.api import WEB_DIR, create_app, decode_cursor, encode_cursor
from tidings.model import Actor, Document, Event, EventDate, Place, Span, Time
from tidings.storage.sqlite import Store

NIAMEY = (13.5137, 2.1098)
KYIV = (50.4501, 30.5234)


def actor(name: str, country: str | None, sector: str | None, start: int = 0,
          text: str | None = None) -> Actor:
    """An actor mention (offsets are not checked by the API)."""
    t = text or name
    return Actor(t, start, start + len(t), name, country, sector, f"{country}-{sector}",
                 [sector] if sector else [])


def place(name: str, country: str, latlon: tuple[float, float] | None, start: int = 0,
          ) -> Place:
    lat, lon = latlon if latlon else (None, None)
    return Place(name, start, start + len(name), name, 1, country, None, lat, lon, "city")


def make_doc(aid: str, text: str, published: date, events: list[tuple], title: str = "T",
             source: str = "AP") -> Document:
    """Return a Document whose events are ``(type, mode, modality, confidence, day, src,
    tgt, place, trigger word)``; each event's sentence is the sentence holding its trigger."""
    evs = []
    for i, (typ, mode, modality, conf, day, src, tgt, plc, trig) in enumerate(events):
        t0 = text.index(trig)
        s0 = text.rfind(". ", 0, t0)
        s0 = 0 if s0 < 0 else s0 + 2
        s1 = text.find(".", t0)
        s1 = len(text) if s1 < 0 else s1 + 1
        evs.append(Event(f"{aid}-e{i}", typ, mode, conf, modality, Span(t0, t0 + len(trig), trig),
                         Span(s0, s1), src, tgt, plc, None,
                         EventDate(day, day, "day", "text")))
    return Document(aid, published, text, title=title, source=source,
                    times=[Time("on Monday", 0, 9, "DATE", published.isoformat(), None, "day")],
                    places=[e.location for e in evs if e.location],
                    actors=[a for e in evs for a in e.source + e.target], events=evs)


USA_MIL = actor("United States", "USA", "MIL", text="US troops")
NER_GOV = actor("Niger", "NER", "GOV", text="Niger's military rulers")
RUS_MIL = actor("Russia", "RUS", "MIL", text="Russian forces")
UKR = actor("Ukraine", "UKR", "GOV")
PROTESTERS = actor("protesters", "NER", "CVL")
ECOWAS = actor("ECOWAS", None, "IGO")


def docs() -> list[Document]:
    """Six articles, nine events: the fixture store of these tests."""
    return [
        make_doc("niger1", "US troops completed their withdrawal from Niger. Niger's military"
                 " rulers welcomed the move.", date(2024, 9, 16), [
                     ("RETREAT", "withdraw", "asserted", 0.9, "2024-09-15", [USA_MIL],
                      [NER_GOV], place("Niamey", "NER", NIAMEY), "completed"),
                     ("SUPPORT", None, "asserted", 0.7, "2024-09-16", [NER_GOV], [USA_MIL],
                      place("Niamey", "NER", NIAMEY), "welcomed")],
                 title="US completes Niger withdrawal"),
        make_doc("niger2", "Protesters rallied in Niamey against the French presence. Police"
                 " may arrest the organisers.", date(2024, 8, 3), [
                     ("PROTEST", "demonstrate", "asserted", 0.8, "2024-08-02", [PROTESTERS],
                      [], place("Niamey", "NER", NIAMEY), "rallied"),
                     ("COERCE", "arrest", "hypothetical", 0.4, "2024-08-03",
                      [actor("police", "NER", "POL")], [PROTESTERS], None, "arrest")],
                 title="Rally in Niamey", source="AFP"),
        make_doc("ukr1", "Russian forces attacked Kyiv overnight. Ukraine accused Russia of"
                 " war crimes.", date(2024, 9, 16), [
                     ("ASSAULT", "aerial", "asserted", 0.95, "2024-09-15", [RUS_MIL], [UKR],
                      place("Kyiv", "UKR", KYIV), "attacked"),
                     ("ACCUSE", None, "asserted", 0.85, "2024-09-16", [UKR], [RUS_MIL],
                      place("Kyiv", "UKR", KYIV), "accused")],
                 title="Strikes on Kyiv", source="Reuters"),
        make_doc("ukr2", "Russian forces attacked Kyiv again on Monday.", date(2024, 9, 17), [
            ("ASSAULT", "aerial", "asserted", 0.9, "2024-09-15", [RUS_MIL], [UKR],
             place("Kyiv", "UKR", KYIV), "attacked")], title="Kyiv hit again", source="BBC"),
        make_doc("ecowas1", "ECOWAS leaders met Niger's military rulers in Abuja.",
                 date(2023, 12, 10), [
                     ("CONSULT", None, "asserted", 0.6, "2023-12-10", [ECOWAS], [NER_GOV],
                      place("Abuja", "NGA", (9.0579, 7.4951)), "met")],
                 title="ECOWAS talks", source="AP"),
        make_doc("xss1", "<script>window.__pwned = 1</script> Protesters rallied in Niamey"
                 " <img src=x onerror=alert(1)>.", date(2024, 9, 1), [
                     ("PROTEST", None, "asserted", 0.5, "2024-09-01", [PROTESTERS], [],
                      None, "rallied")],
                 title="<b>hostile</b> title", source="Unknown"),
    ]


ALL_IDS = {"niger1-e0", "niger1-e1", "niger2-e0", "niger2-e1", "ukr1-e0", "ukr1-e1",
           "ukr2-e0", "ecowas1-e0", "xss1-e0"}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("api") / "api.db"
    with Store(path) as s:
        for d in docs():
            s.upsert(d, origin="test")
    return path


@pytest.fixture(scope="module")
def client(db: Path):
    with TestClient(create_app(db)) as c:
        yield c


def ids(resp) -> set[str]:
    assert resp.status_code == 200, resp.text
    return {e["id"] for e in resp.json()["items"]}


# ---------------------------------------------------------------- events

def test_api_events_lists_all_newest_first(client):
    r = client.get("/api/events", params={"count": "true"})
    body = r.json()
    assert {e["id"] for e in body["items"]} == ALL_IDS
    assert body["count"] == len(ALL_IDS) and body["next_cursor"] is None
    dates = [e["date_start"] for e in body["items"]]
    assert dates == sorted(dates, reverse=True)
    first = body["items"][0]
    assert {"evidence", "trigger", "sentence", "source", "target", "article", "quad"} <= set(first)


@pytest.mark.parametrize("params, expected", [
    ({"type": "ASSAULT"}, {"ukr1-e0", "ukr2-e0"}),
    ({"type": "assault,accuse"}, {"ukr1-e0", "ukr2-e0", "ukr1-e1"}),
    ({"quad": "1"}, {"niger1-e1", "ecowas1-e0"}),
    ({"quad": "4", "country": "NER"}, {"niger2-e0", "niger2-e1", "xss1-e0"}),
    ({"mode": "withdraw"}, {"niger1-e0"}),
    ({"actor": "Russia"}, {"ukr1-e0", "ukr2-e0", "ukr1-e1"}),
    ({"actor": "Russia", "role": "source"}, {"ukr1-e0", "ukr2-e0"}),
    ({"actor": "US troops"}, {"niger1-e0", "niger1-e1"}),
    ({"actor": "usa"}, {"niger1-e0", "niger1-e1"}),
    ({"country": "UKR"}, {"ukr1-e0", "ukr2-e0", "ukr1-e1"}),
    ({"country": "nga"}, {"ecowas1-e0"}),
    ({"country": "UKR,NGA"}, {"ukr1-e0", "ukr2-e0", "ukr1-e1", "ecowas1-e0"}),
    ({"sector": "POL"}, {"niger2-e1"}),
    ({"sector": "IGO", "role": "target"}, set()),
    ({"lat": NIAMEY[0], "lon": NIAMEY[1], "km": 50}, {"niger1-e0", "niger1-e1", "niger2-e0"}),
    ({"lat": 12.0, "lon": 5.0, "km": 900}, {"niger1-e0", "niger1-e1", "niger2-e0",
                                            "ecowas1-e0"}),
    ({"bbox": "20,40,40,60"}, {"ukr1-e0", "ukr2-e0", "ukr1-e1"}),
    ({"bbox": "170,-10,10,20"}, {"niger1-e0", "niger1-e1", "niger2-e0", "ecowas1-e0"}),
    ({"since": "2024-09-15", "until": "2024-09-15"}, {"niger1-e0", "ukr1-e0", "ukr2-e0"}),
    ({"since": "2024-09"}, {"niger1-e0", "niger1-e1", "ukr1-e0", "ukr1-e1", "ukr2-e0",
                            "xss1-e0"}),
    ({"until": "2023"}, {"ecowas1-e0"}),
    ({"q": "Kyiv"}, {"ukr1-e0", "ukr1-e1", "ukr2-e0"}),
    ({"q": "\"war crimes\""}, {"ukr1-e0", "ukr1-e1"}),
    ({"q": "withdrawal AND Niger"}, {"niger1-e0", "niger1-e1"}),
    ({"q": "O'Brien \"unbalanced"}, set()),
    ({"modality": "hypothetical"}, {"niger2-e1"}),
    ({"min_confidence": 0.9}, {"niger1-e0", "ukr1-e0", "ukr2-e0"}),
    ({"article_id": "niger2"}, {"niger2-e0", "niger2-e1"}),
    ({"type": "ASSAULT", "country": "UKR", "since": "2024-09-01"}, {"ukr1-e0", "ukr2-e0"}),
])
def test_api_events_filters(client, params, expected):
    assert ids(client.get("/api/events", params=params)) == expected


@pytest.mark.parametrize("sort", ["date", "-date", "confidence", "-confidence"])
def test_api_events_cursor_pagination_is_stable_and_complete(client, sort):
    full = [e["id"] for e in client.get("/api/events", params={"sort": sort}).json()["items"]]
    seen: list[str] = []
    cursor = None
    for _ in range(20):
        params = {"sort": sort, "limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/events", params=params).json()
        seen += [e["id"] for e in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == full and len(set(seen)) == len(ALL_IDS)
    key = "date_start" if "date" in sort else "confidence"
    items = client.get("/api/events", params={"sort": sort}).json()["items"]
    vals = [(e[key], e["id"]) for e in items]
    assert vals == sorted(vals, reverse=sort.startswith("-"))


def test_api_events_cursor_with_filters(client):
    first = client.get("/api/events", params={"country": "NER", "limit": 1}).json()
    second = client.get("/api/events", params={"country": "NER", "limit": 10,
                                               "cursor": first["next_cursor"]}).json()
    got = {e["id"] for e in first["items"] + second["items"]}
    assert got == {"niger1-e0", "niger1-e1", "niger2-e0", "niger2-e1", "ecowas1-e0", "xss1-e0"}


def test_api_cursor_round_trip_and_rejects():
    c = encode_cursor("-date", "2024-09-16", "a-e1")
    assert decode_cursor(c, "-date") == ("2024-09-16", "a-e1")
    assert "2024" not in c  # opaque


@pytest.mark.parametrize("cursor", ["garbage!!", "e30", encode_cursor("date", "2024", "x"),
                                    "W1tdLHt9LDFd"])
def test_api_events_bad_cursor_is_400(client, cursor):
    r = client.get("/api/events", params={"cursor": cursor})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "E502"


@pytest.mark.parametrize("params, code", [
    ({"type": "BOMB"}, 400), ({"quad": "5"}, 400), ({"country": "Niger"}, 400),
    ({"sector": "XXX"}, 400), ({"modality": "maybe"}, 400), ({"role": "victim"}, 400),
    ({"since": "2024-13-01"}, 400), ({"until": "yesterday"}, 400), ({"bbox": "1,2,3"}, 400),
    ({"bbox": "0,50,10,40"}, 400), ({"lat": 10, "lon": 10}, 400), ({"km": 5}, 400),
    ({"lat": 100, "lon": 0, "km": 1}, 422), ({"limit": 0}, 422), ({"limit": 5000}, 422),
    ({"min_confidence": 2}, 422), ({"sort": "random"}, 400),
])
def test_api_events_bad_values_are_json_errors(client, params, code):
    r = client.get("/api/events", params=params)
    assert r.status_code == code, r.text
    err = r.json()["error"]
    assert err["code"] == "E501" and err["message"].startswith("E501")


# ---------------------------------------------------------------- one event

def test_api_event_detail_has_evidence_article_and_mention(client):
    r = client.get("/api/events/niger1-e0")
    assert r.status_code == 200
    d = r.json()
    assert d["kind"] == "mention" and d["type"] == "RETREAT" and d["mode"] == "withdraw"
    assert d["evidence"] == "US troops completed their withdrawal from Niger."
    assert d["trigger"]["text"] == "completed"
    assert d["article"]["title"] == "US completes Niger withdrawal"
    assert d["event"]["date"]["basis"] == "text"
    assert d["story"] is None
    assert [m["event_id"] for m in d["mentions"]] == ["niger1-e0"]
    assert d["mentions"][0]["evidence"] == d["evidence"]


def test_api_event_detail_404(client):
    r = client.get("/api/events/nope")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "E504"


def test_api_event_detail_includes_story_mentions(tmp_path):
    from tidings import stories

    path = tmp_path / "s.db"
    with Store(path) as s:
        for d in docs():
            s.upsert(d)
        stories.ensure_schema(s.conn)
        stories.merge_new(s.conn)
        sid = stories.story_of_event(s.conn, "ukr1-e0")
        members = [r[0] for r in s.conn.execute(
            "SELECT event_id FROM story_mentions WHERE story_id=?", (sid,))]
    with TestClient(create_app(path)) as c:
        d = c.get("/api/events/ukr1-e0").json()
        assert d["story"] is not None and d["story"]["id"] == sid
        assert sorted(m["event_id"] for m in d["mentions"]) == sorted(members)
        assert all(m["evidence"] for m in d["mentions"])
        story = c.get(f"/api/events/{sid}").json()
        assert story["kind"] == "story" and len(story["mentions"]) == len(members)
        meta = c.get("/api/meta").json()
        assert meta["stories"] >= 1
        # export defaults to story events when the store has them
        rows = list(csv.DictReader(io.StringIO(c.get("/api/export?format=csv").text)))
        assert rows and all(r["story_id"] for r in rows)
        mentions = list(csv.DictReader(io.StringIO(
            c.get("/api/export?format=csv&mentions=true").text)))
        assert len(mentions) == len(ALL_IDS)


# ---------------------------------------------------------------- articles

def test_api_articles_list_and_search(client):
    body = client.get("/api/articles").json()
    pubs = [a["published"] for a in body["items"]]
    assert len(pubs) == 6 and pubs == sorted(pubs, reverse=True)
    by_id = {a["id"]: a for a in body["items"]}
    assert by_id["niger1"]["event_count"] == 2
    hits = client.get("/api/articles", params={"q": "Kyiv"}).json()["items"]
    assert {a["id"] for a in hits} == {"ukr1", "ukr2"}
    assert all("[Kyiv]" in a["snippet"] for a in hits)
    assert client.get("/api/articles", params={"source": "AFP"}).json()["items"][0]["id"] == \
        "niger2"
    assert {a["id"] for a in client.get("/api/articles", params={"until": "2023"}).json()
            ["items"]} == {"ecowas1"}


def test_api_articles_pagination(client):
    seen, cursor = [], None
    while True:
        body = client.get("/api/articles", params={"limit": 4, **(
            {"cursor": cursor} if cursor else {})}).json()
        seen += [a["id"] for a in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 6 == len(set(seen))


def test_api_article_document_json(client):
    r = client.get("/api/articles/niger1")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    d = r.json()
    assert d["id"] == "niger1" and d["text"].startswith("US troops")
    assert {"times", "places", "actors", "events"} <= set(d)
    assert client.get("/api/articles/ukr").status_code == 404  # too short a prefix
    assert client.get("/api/articles/ecowa").status_code == 404
    assert client.get("/api/articles/ecowas").json()["id"] == "ecowas1"  # unique prefix
    assert client.get("/api/articles/missing-article").status_code == 404


# ---------------------------------------------------------------- aggregates

def test_api_actors_counts(client):
    items = client.get("/api/actors").json()["items"]
    by = {(a["name"], a["country"]): a for a in items}
    russia = by[("Russia", "RUS")]
    assert russia["events"] == 3 and russia["as_source"] == 2 and russia["as_target"] == 1
    assert russia["sectors"] == ["MIL"]
    assert items[0]["events"] >= items[-1]["events"]
    ner = client.get("/api/actors", params={"country": "UKR"}).json()["items"]
    assert {a["name"] for a in ner} == {"Russia", "Ukraine"}
    assert [a["name"] for a in client.get("/api/actors", params={"name": "ECO"}).json()
            ["items"]] == ["ECOWAS"]


def test_api_stats_by_type_month(client):
    body = client.get("/api/stats", params={"interval": "month", "by": "type"}).json()
    assert body["total"] == len(ALL_IDS)
    got = {(b["period"], b["key"]): b["count"] for b in body["buckets"]}
    assert got[("2024-09", "ASSAULT")] == 2 and got[("2023-12", "CONSULT")] == 1


def test_api_stats_week_quad_and_filters(client):
    body = client.get("/api/stats", params={"interval": "week", "by": "quad",
                                            "country": "UKR"}).json()
    # 2024-09-15 is a Sunday: its ISO week starts on Monday 2024-09-09
    got = {(b["period"], b["key"]): b["count"] for b in body["buckets"]}
    assert got == {("2024-09-09", 4): 2, ("2024-09-16", 3): 1}


def test_api_stats_country_actor_top_and_day(client):
    body = client.get("/api/stats", params={"interval": "all", "by": "country",
                                            "top": 1}).json()
    got = {b["key"]: b["count"] for b in body["buckets"]}
    assert got == {"NER": 3, "other": 4, None: 2}  # two events have no place
    actors = client.get("/api/stats", params={"interval": "day", "by": "actor"}).json()
    assert {"period": "2024-09-15", "key": "Russia", "count": 2} in actors["buckets"]
    assert client.get("/api/stats", params={"interval": "hour"}).status_code == 400
    assert client.get("/api/stats", params={"by": "colour"}).status_code == 400


def test_api_map_cells_and_countries(client):
    body = client.get("/api/map").json()
    assert body["located"] == 7
    kyiv = [c for c in body["cells"] if abs(c[0] - KYIV[0]) < 0.01]
    assert kyiv and kyiv[0][2] == 3 and kyiv[0][3] == [0, 0, 1, 2]
    assert body["countries"]["UKR"] == 3


def test_api_graph_edges(client):
    body = client.get("/api/graph").json()
    edge = {(e["source"], e["target"]): e for e in body["edges"]}
    assert edge[("Russia", "Ukraine")]["conflict"] == 2
    assert edge[("Niger", "United States")]["cooperation"] == 1
    assert {n["id"] for n in body["nodes"]} >= {"Russia", "Ukraine", "Niger"}
    countries = client.get("/api/graph", params={"level": "country"}).json()
    assert ("RUS", "UKR") in {(e["source"], e["target"]) for e in countries["edges"]}


# ---------------------------------------------------------------- export

def test_api_export_csv_jsonl_geojson(client):
    r = client.get("/api/export", params={"format": "csv", "country": "UKR"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {x["id"] for x in rows} == {"ukr1-e0", "ukr1-e1", "ukr2-e0"}
    lines = client.get("/api/export", params={"format": "jsonl"}).text.splitlines()
    assert len(lines) == len(ALL_IDS) and json.loads(lines[0])["id"]
    gj = client.get("/api/export", params={"format": "geojson"}).json()
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == len(ALL_IDS)
    located = [f for f in gj["features"] if f["geometry"]]
    assert located[0]["geometry"]["type"] == "Point" and len(located) == 7
    acled = list(csv.DictReader(io.StringIO(client.get(
        "/api/export", params={"format": "csv", "profile": "acled"}).text)))
    assert acled and "event_type" in acled[0]
    assert client.get("/api/export", params={"format": "xlsx"}).status_code == 400
    assert client.get("/api/export", params={"profile": "gdelt"}).status_code == 400


def test_api_min_confidence_is_the_same_on_every_surface(client):
    """``min_confidence`` keeps the same events in events, map, stats, graph and export
    (issue 17: one definition, the event's confidence at least the threshold)."""
    want = {"niger1-e0", "ukr1-e0", "ukr2-e0"}  # confidence 0.9, 0.95, 0.9
    q = {"min_confidence": 0.9}
    assert ids(client.get("/api/events", params=q)) == want
    assert client.get("/api/stats", params={**q, "interval": "all"}).json()["total"] == 3
    assert client.get("/api/map", params=q).json()["located"] == 3
    edges = client.get("/api/graph", params=q).json()["edges"]
    assert sum(e["cooperation"] + e["conflict"] for e in edges) <= 3
    lines = client.get("/api/export", params={**q, "format": "jsonl", "mentions": "true"}
                       ).text.splitlines()
    assert {json.loads(x)["id"] for x in lines} == want
    assert client.get("/api/export", params={"min_confidence": 1.5}).status_code == 422
    assert ids(client.get("/api/events", params={"min_confidence": 0})) == ALL_IDS


# ---------------------------------------------------------------- plumbing

def test_api_meta(client):
    m = client.get("/api/meta").json()
    assert m["events"] == len(ALL_IDS) and m["articles"] == 6
    assert m["first_date"] == "2023-12-10" and m["ingest"] is False
    assert m["quads"]["4"]["types"][-1] == "ASSAULT"


def test_api_unknown_route_is_json_404(client):
    r = client.get("/api/nothing")
    assert r.status_code == 404 and r.json()["error"]["code"] == "E504"


def test_api_docs_served_from_local_assets(client):
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assert client.get("/openapi.json").json()["paths"]["/api/events"]
    if not (WEB_DIR / "vendor").is_dir():
        pytest.skip("front-end assets not built (npm run build in frontend/)")
    for asset in ("/assets/vendor/swagger-ui/swagger-ui-bundle.js",
                  "/assets/vendor/swagger-ui/swagger-ui.css",
                  "/assets/vendor/redoc/redoc.standalone.js", "/assets/docs-init.js",
                  "/assets/app.js", "/assets/countries-110m.json"):
        assert client.get(asset).status_code == 200, asset


def test_api_dashboard_page(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    if (WEB_DIR / "index.html").exists():
        assert "<script src=\"/assets/app.js\">" in r.text
        assert "http://" not in r.text and "https://" not in r.text


def test_api_reads_with_read_only_connections(client):
    pool = client.app.state.pool
    with pool.connection() as conn:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("DELETE FROM events")


def test_api_reads_while_a_writer_holds_a_transaction(tmp_path):
    path = tmp_path / "w.db"
    with Store(path) as s:
        s.upsert(docs()[0])
        with TestClient(create_app(path)) as c:
            s.conn.execute("BEGIN IMMEDIATE")
            s.conn.execute("DELETE FROM events")
            try:
                assert len(c.get("/api/events").json()["items"]) == 2  # WAL: last commit
            finally:
                s.conn.execute("ROLLBACK")


def test_api_missing_database_is_503(tmp_path):
    with TestClient(create_app(tmp_path / "absent.db")) as c:
        r = c.get("/api/events")
        assert r.status_code == 503 and r.json()["error"]["code"] == "E503"


def test_api_actor_filter_same_with_name_index(db, tmp_path):
    """With event_actors(name) indexed (the store creates the index), rare actors take the
    collect-first plan; the answers must equal those of a database without the index."""
    import shutil

    from tidings.storage.sqlite_plan import ActorNames

    unindexed = tmp_path / "unindexed.db"
    shutil.copy(db, unindexed)
    with sqlite3.connect(unindexed) as conn:
        conn.execute("DROP INDEX IF EXISTS event_actors_name")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT 1 FROM sqlite_master WHERE type='index' AND "
                            "name='event_actors_name'").fetchone()
    plain = TestClient(create_app(unindexed))
    fast = TestClient(create_app(db))
    with plain, fast:
        for params in ({"actor": "Russia"}, {"actor": "ECOWAS"}, {"actor": "rulers"},
                       {"actor": "usa", "role": "target"}, {"actor": "UKR-GOV"},
                       {"actor": "police", "type": "COERCE"}, {"actor": "nobody"},
                       {"actor": "%"}, {"actor": "R_ssia"}):
            assert ids(plain.get("/api/events", params=params)) == \
                ids(fast.get("/api/events", params=params)), params
        with fast.app.state.pool.connection() as conn:
            names = ActorNames(every=0)
            assert names.plan(conn, "ecowas", "any", 0.5) is not None
            assert names.plan(conn, "ecowas", "target", 0.5) is None  # never a target
            assert names.plan(conn, "rulers", "any", 0.5)[0] == ["Niger"]
            assert names.plan(conn, "e", "any", 0.01) is None  # too common


def test_api_response_cache_serves_repeats_and_never_a_changed_store(db, tmp_path):
    """Repeated reads are answered from the cache; a commit by another connection (here a
    second writer, as `tidings run` would be) invalidates it at once."""
    import shutil

    path = tmp_path / "cache.db"
    shutil.copy(db, path)
    app = create_app(path)
    with TestClient(app) as c:
        first = c.get("/api/events", params={"count": "true"}).json()
        cache = app.state.registry["cache"]
        for _ in range(20):  # start-up may still create the WAL file: not cached meanwhile
            again = c.get("/api/events", params={"count": "true"})
            assert again.json() == first
            if cache.hits:
                break
        assert again.headers["cache-control"] == "no-store"  # headers still applied on hits
        assert "content-security-policy" in again.headers
        assert cache.hits >= 1
        extra = docs()[0]
        extra.id = "cache-test-article"
        for e in extra.events:
            e.id = "cache-" + e.id
        with Store(path) as s:
            s.upsert(extra, origin="other-writer")
        after = c.get("/api/events", params={"count": "true"}).json()
        assert after["count"] == first["count"] + len(extra.events)
        # errors are not cached
        bad = c.get("/api/events", params={"sort": "nonsense"})
        assert bad.status_code == 400
        assert c.get("/api/events", params={"sort": "nonsense"}).status_code == 400


def test_api_rare_country_plan_gives_the_same_events(db):
    """The collect-first plan for rare countries (country indexes, "+" on type and date) must
    return exactly what the row-by-row country test returns."""
    from tidings.storage.base import EventFilter as Filters, Hints
    from tidings.storage.filters import where_sql
    from tidings.storage.sqlite import SqliteReader

    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    reader = SqliteReader(conn)
    countries = [r[0] for r in conn.execute(
        "SELECT DISTINCT country FROM event_actors WHERE country IS NOT NULL")]
    countries += [r[0] for r in conn.execute(
        "SELECT DISTINCT place_country FROM events WHERE place_country IS NOT NULL")]
    assert countries
    for c in sorted(set(countries)) + ["XXX"]:
        for f in (Filters(countries=[c]), Filters(countries=[c], types=["ASSAULT"]),
                  Filters(countries=[c, "NER"], since="2024-01-01", until="2024-12-31")):
            got = []
            for plan in (False, True):
                w, a = where_sql(reader, f, Hints(span_days=400, country_plan=plan))
                got.append([r[0] for r in conn.execute(
                    f"SELECT e.id FROM events e{w} ORDER BY e.date_start DESC, e.id DESC", a)])
            assert got[0] == got[1], (c, f)
