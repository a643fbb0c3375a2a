"""The REST API and the dashboard over PostgreSQL (`tidings serve --db postgresql://...`):
the same articles loaded into PostgreSQL and into SQLite give the same answers.

Needs a server: ``TIDINGS_TEST_PG`` (see ``test_pg_store.py``, whose ``pg_url`` fixture gives
each test a fresh schema).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_api import ALL_IDS, docs
from test_pg_store import PG_URL, pg_url  # noqa: F401  (the fixture)

from tidings.api import create_app
from tidings.storage.postgres import PgStore
from tidings.storage.sqlite import Store

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TIDINGS_TEST_PG is not set (a postgresql:// URL of a"
                       " database the tests may create schemas in)"),
]

#: filters of /api/events, map, graph, stats and actors, with the events each must give
FILTERS: list[dict[str, Any]] = [
    {}, {"type": "ASSAULT,PROTEST"}, {"quad": "4"}, {"country": "UKR"}, {"country": "NER,NGA"},
    {"actor": "Russia"}, {"actor": "usa", "role": "target"}, {"actor": "%"},
    {"actor": "rulers"}, {"sector": "MIL"}, {"since": "2024-09"}, {"until": "2024-08"},
    {"since": "2024-09-15", "until": "2024-09-15"}, {"q": "Kyiv"}, {"q": "O'Brien \"x"},
    {"lat": 13.5, "lon": 2.1, "km": 50}, {"bbox": "0,0,40,60"}, {"modality": "hypothetical"},
    {"min_confidence": 0.85}, {"article_id": "niger1"}, {"type": "ASSAULT", "country": "UKR"},
]


@pytest.fixture()
def clients(pg_url, tmp_path):  # noqa: F811  (the imported fixture)
    """Test clients of the same store in SQLite and in PostgreSQL."""
    with PgStore(pg_url) as pg, Store(tmp_path / "same.db") as lite:
        for d in docs():
            pg.upsert(d, origin="test")
            lite.upsert(d, origin="test")
    with TestClient(create_app(tmp_path / "same.db")) as a, TestClient(create_app(pg_url)) as b:
        yield a, b


def ids(resp) -> list[str]:
    assert resp.status_code == 200, resp.text
    return sorted(e["id"] for e in resp.json()["items"])


def test_api_postgres_serves_events_and_the_dashboard(clients):
    lite, pg = clients
    assert ids(pg.get("/api/events")) == sorted(ALL_IDS)
    page = pg.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert page.headers["content-security-policy"]
    for path in ("/docs", "/openapi.json"):
        assert pg.get(path).status_code == 200
    seen, cursor = [], None
    while True:  # keyset pages on PostgreSQL
        body = pg.get("/api/events", params={"limit": 2, **({"cursor": cursor} if cursor
                                                            else {})}).json()
        seen += [e["id"] for e in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(ALL_IDS) and len(seen) == len(ALL_IDS)


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: ",".join(p) or "none")
def test_api_postgres_filters_match_sqlite(clients, params):
    lite, pg = clients
    assert ids(pg.get("/api/events", params=params)) == ids(
        lite.get("/api/events", params=params))
    for path in ("/api/stats", "/api/graph", "/api/actors"):
        assert pg.get(path, params=params).json() == lite.get(path, params=params).json(), path
    a, b = (c.get("/api/map", params=params).json() for c in (lite, pg))
    assert sorted(map(str, a.pop("cells"))) == sorted(map(str, b.pop("cells"))) and a == b


@pytest.mark.parametrize("interval", ["day", "week", "month", "year", "all"])
@pytest.mark.parametrize("by", ["type", "quad", "country", "actor", "modality", "none"])
def test_api_postgres_stats_match_sqlite(clients, interval, by):
    lite, pg = clients
    params = {"interval": interval, "by": by}
    assert pg.get("/api/stats", params=params).json() == \
        lite.get("/api/stats", params=params).json()


def test_api_postgres_articles_details_meta_export(clients):
    lite, pg = clients
    for params in ({}, {"q": "Kyiv"}, {"source": "AFP"}, {"until": "2023"}, {"limit": 2}):
        assert ids(pg.get("/api/articles", params=params)) == ids(
            lite.get("/api/articles", params=params))
    assert "[" in pg.get("/api/articles", params={"q": "Kyiv"}).json()["items"][0]["snippet"]
    for path in ("/api/articles/niger1", "/api/articles/ecowas", "/api/events/ukr1-e0",
                 "/api/events/nope", "/api/articles/nope"):
        a, b = lite.get(path), pg.get(path)
        assert (a.status_code, a.json()) == (b.status_code, b.json()), path
    meta = pg.get("/api/meta").json()
    assert meta == lite.get("/api/meta").json() and meta["events"] == len(ALL_IDS)

    def rows(client: TestClient, fmt: str, **extra: Any) -> list[str]:
        """Exported rows, JSON values parsed (PostgreSQL's jsonb keeps keys in its own
        order: the same objects, other bytes)."""
        text = client.get("/api/export", params={"format": fmt, "mentions": "true",
                                                 **extra}).text
        recs = list(csv.DictReader(io.StringIO(text))) if fmt == "csv" else \
            [json.loads(line) for line in text.splitlines()]
        for r in recs:
            for k, v in r.items():
                if isinstance(v, str) and v.startswith(("[", "{")):
                    r[k] = json.loads(v)
        return sorted(json.dumps(r, sort_keys=True) for r in recs)

    for fmt in ("csv", "jsonl"):
        assert rows(pg, fmt) == rows(lite, fmt)
    confident = rows(pg, "jsonl", min_confidence=0.85)
    assert confident == rows(lite, "jsonl", min_confidence=0.85)
    assert 0 < len(confident) < len(ALL_IDS)
    assert pg.get("/api/export", params={"format": "geojson"}).json()["type"] == \
        "FeatureCollection"
