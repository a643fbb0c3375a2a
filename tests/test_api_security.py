"""API security: ingest auth and limits, one writer, injection through every parameter,
CORS, Host checking, headers, static paths, and ``tidings serve`` guards."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from test_api import ALL_IDS, docs  # tests/ is on sys.path (no __init__.py)

from tidings.api import create_app
from tidings.storage.sqlite import Store

TOKEN = "s3cret-token-for-tests-only"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = {"text": "US troops completed their withdrawal from Niger on Monday.",
           "published": "2024-09-16", "title": "Withdrawal", "source": "AP"}


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "sec.db"
    with Store(path) as s:
        for d in docs():
            s.upsert(d)
    return path


class FakeIngest:
    """Records calls (and overlaps) instead of running spaCy."""

    def __init__(self, delay: float = 0.0) -> None:
        self.calls: list[Any] = []
        self.threads: set[str] = set()
        self.active = 0
        self.max_active = 0
        self.delay = delay
        self._lock = threading.Lock()

    def __call__(self, db: Path, article: Any) -> dict[str, Any]:
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        self.threads.add(threading.current_thread().name)
        time.sleep(self.delay)
        status = "skipped" if any(a.id == article.id for a in self.calls) else "stored"
        self.calls.append(article)
        with self._lock:
            self.active -= 1
        return {"id": article.id, "status": status, "events": 0}


# ---------------------------------------------------------------- ingest auth

def test_api_post_is_disabled_without_a_token(db):
    fake = FakeIngest()
    with TestClient(create_app(db, ingest=fake)) as c:
        r = c.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "E510" and not fake.calls


def test_api_token_must_be_long_enough(db):
    with pytest.raises(ValueError, match="E514"):
        create_app(db, token="short")


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer"}, {"Authorization": "Bearer "},
    {"Authorization": f"Basic {TOKEN}"}, {"Authorization": TOKEN},
    {"Authorization": "Bearer wrong-token-of-some-length"},
    {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": f"Bearer {TOKEN[:-1]}"},
    {"Authorization": "Bearer ' OR 1=1 --"},
])
def test_api_post_rejects_missing_or_wrong_tokens(db, headers):
    fake = FakeIngest()
    with TestClient(create_app(db, token=TOKEN, ingest=fake)) as c:
        r = c.post("/api/articles", json=ARTICLE, headers=headers)
    assert r.status_code == 401, r.text
    assert r.json()["error"]["code"] == "E511"
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert not fake.calls


def test_api_post_accepts_the_token_and_is_idempotent(db):
    fake = FakeIngest()
    with TestClient(create_app(db, token=TOKEN, ingest=fake)) as c:
        r = c.post("/api/articles", json=ARTICLE, headers=AUTH)
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["status"] == "stored" and body["url"] == f"/api/articles/{body['id']}"
        again = c.post("/api/articles", json=ARTICLE, headers=AUTH)
        assert again.status_code == 200 and again.json()["status"] == "skipped"
    art = fake.calls[0]
    assert art.text == ARTICLE["text"] and art.source == "AP" and art.published.isoformat() == \
        "2024-09-16"


def test_api_post_runs_on_one_writer_thread(db):
    fake = FakeIngest(delay=0.05)
    app = create_app(db, token=TOKEN, ingest=fake)
    with TestClient(app) as c:
        def post(i: int) -> None:
            body = dict(ARTICLE, text=f"{ARTICLE['text']} Report {i}.")
            assert c.post("/api/articles", json=body, headers=AUTH).status_code == 201

        threads = [threading.Thread(target=post, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(fake.calls) == 6 and fake.max_active == 1
    assert len(fake.threads) == 1 and next(iter(fake.threads)).startswith("tidings-writer")


# ---------------------------------------------------------------- ingest body

def test_api_post_body_over_the_limit_is_413(db):
    fake = FakeIngest()
    with TestClient(create_app(db, token=TOKEN, max_body=200, ingest=fake)) as c:
        big = dict(ARTICLE, text="word " * 100)
        r = c.post("/api/articles", json=big, headers=AUTH)
        assert r.status_code == 413 and r.json()["error"]["code"] == "E512"

        def chunks():  # no Content-Length: the limit applies while reading
            for _ in range(10):
                yield b"x" * 100

        r = c.post("/api/articles", content=chunks(),
                   headers={**AUTH, "Content-Type": "application/json"})
        assert r.status_code == 413
    assert not fake.calls


def test_api_post_auth_is_checked_before_the_body_is_read(db):
    with TestClient(create_app(db, token=TOKEN, max_body=10)) as c:
        r = c.post("/api/articles", content=b"x" * 1000)
    assert r.status_code == 401


@pytest.mark.parametrize("body, status", [
    (b"not json", 400), (b"\xff\xfe", 400), (b"[]", 422), (b"{}", 422),
    (b'{"text": "x"}', 422), (b'{"text": "", "published": "2024-01-01"}', 422),
    (b'{"text": "Some text.", "published": "2024-02-30"}', 400),
    (b'{"text": "Some text.", "published": "soon"}', 400),
    (b'{"text": "   ", "published": "2024-01-01"}', 400),
    (b'{"text": 5, "published": "2024-01-01"}', 422),
])
def test_api_post_bad_bodies(db, body, status):
    fake = FakeIngest()
    with TestClient(create_app(db, token=TOKEN, ingest=fake)) as c:
        r = c.post("/api/articles", content=body, headers={**AUTH,
                                                            "Content-Type": "application/json"})
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == "E513" and not fake.calls


def test_api_post_text_over_the_character_limit_is_413(db, monkeypatch):
    monkeypatch.setenv("TIDINGS_MAX_TEXT_CHARS", "50")
    with TestClient(create_app(db, token=TOKEN, ingest=FakeIngest())) as c:
        r = c.post("/api/articles", json=dict(ARTICLE, text="word " * 20), headers=AUTH)
    assert r.status_code == 413


@pytest.mark.slow
def test_api_post_ingests_through_the_real_pipeline(db):
    with TestClient(create_app(db, token=TOKEN)) as c:
        r = c.post("/api/articles", json=ARTICLE, headers=AUTH)
        assert r.status_code == 201, r.text
        aid = r.json()["id"]
        assert r.json()["status"] == "stored"
        doc = c.get(f"/api/articles/{aid}").json()
        assert doc["text"] == ARTICLE["text"]
        evs = c.get("/api/events", params={"article_id": aid}).json()["items"]
        assert [e["type"] for e in evs] == ["RETREAT"]
        again = c.post("/api/articles", json=ARTICLE, headers=AUTH)
        assert again.status_code == 200 and again.json()["status"] == "skipped"


# ---------------------------------------------------------------- injection

EVIL = ["' OR 1=1 --", "\"; DROP TABLE events; --", "%", "_", "\\", "USA') --",
        "1; SELECT * FROM sqlite_master", "*", "NEAR(", "\x00", "é' UNION SELECT 1 --",
        "<script>alert(1)</script>", "../../etc/passwd", "a" * 300]
PARAMS = ["type", "quad", "mode", "actor", "role", "country", "sector", "lat", "lon", "km",
          "bbox", "since", "until", "q", "modality", "min_confidence", "article_id", "sort",
          "limit", "cursor", "count"]


@pytest.mark.parametrize("evil", EVIL)
def test_api_injection_through_every_filter(db, evil):
    with TestClient(create_app(db)) as c:
        for endpoint in ("/api/events", "/api/stats", "/api/map", "/api/graph", "/api/actors",
                         "/api/export"):
            for p in PARAMS:
                r = c.get(endpoint, params={p: evil})
                assert r.status_code in (200, 400, 422), (endpoint, p, r.status_code, r.text)
                if r.status_code == 200 and endpoint == "/api/events" and p in (
                        "actor", "mode", "article_id", "q"):
                    assert len(r.json()["items"]) <= len(ALL_IDS)
                if r.status_code != 200:
                    assert "error" in r.json()
        for p in ("q", "since", "until", "source", "cursor", "limit"):
            r = c.get("/api/articles", params={p: evil})
            assert r.status_code in (200, 400, 422), (p, r.text)
        quoted = quote(evil, safe="")
        for path in (f"/api/events/{quoted}", f"/api/articles/{quoted}"):
            r = c.get(path)
            assert r.status_code in (404, 422), (path, r.status_code)
        assert c.get("/api/actors", params={"name": evil}).status_code in (200, 422)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == len(ALL_IDS)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_api_like_wildcards_are_literal(db):
    with TestClient(create_app(db)) as c:
        for evil in ("%", "_", "%%", "R_ssia"):
            assert c.get("/api/events", params={"actor": evil}).json()["items"] == []


# ---------------------------------------------------------------- transport

def test_api_cors_is_off_by_default(db):
    with TestClient(create_app(db)) as c:
        r = c.get("/api/events", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in r.headers
        pre = c.options("/api/articles", headers={"Origin": "http://evil.example",
                                                  "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in pre.headers


def test_api_cors_when_configured(db):
    with TestClient(create_app(db, cors_origins=["http://localhost:3000"])) as c:
        ok = c.get("/api/events", headers={"Origin": "http://localhost:3000"})
        assert ok.headers["access-control-allow-origin"] == "http://localhost:3000"
        other = c.get("/api/events", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_api_rejects_foreign_host_headers(db):
    app = create_app(db, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/meta").status_code == 200
    with TestClient(app, base_url="http://attacker.example") as c:
        assert c.get("/api/meta").status_code == 400


def test_api_security_headers(db):
    with TestClient(create_app(db)) as c:
        for path in ("/", "/api/events", "/docs"):
            h = c.get(path).headers
            assert "default-src 'self'" in h["content-security-policy"]
            assert h["x-content-type-options"] == "nosniff"
            assert h["x-frame-options"] == "DENY"
            assert h["referrer-policy"] == "no-referrer"
        assert c.get("/api/events").headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/assets/../api.py", "/assets/%2e%2e/api.py",
                                  "/assets/..%2fapi.py",
                                  "/assets/%2e%2e%2f%2e%2e%2fpyproject.toml"])
def test_api_static_paths_cannot_escape(db, path):
    with TestClient(create_app(db)) as c:
        r = c.get(path)
    assert r.status_code == 404 or "def create_app" not in r.text


# ---------------------------------------------------------------- tidings serve

def test_cli_serve_guards(tmp_path, monkeypatch, capsys):
    import sys

    import tidings.cli.web as cli_web
    from tidings.cli import main

    assert cli_web.is_loopback("127.0.0.1") and cli_web.is_loopback("::1")
    assert cli_web.is_loopback("localhost") and not cli_web.is_loopback("0.0.0.0")
    for argv, needle in ((["serve", "--db", str(tmp_path / "none.db")], "E306"),
                         (["serve", "--db", str(tmp_path / "x.db"), "--token", "short"],
                          "E307")):
        monkeypatch.setattr(sys, "argv", ["tidings", *argv])
        with pytest.raises(SystemExit) as exc:
            main()
        assert exc.value.code == 2
        assert needle in capsys.readouterr().err


def test_cli_serve_runs_uvicorn_on_loopback(tmp_path, monkeypatch, db):
    import sys

    import uvicorn

    import tidings.cli.web  # noqa: F401  (registers the command)
    from tidings.cli import main

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    monkeypatch.setattr(sys, "argv", ["tidings", "serve", "--db", str(db), "--port", "8123"])
    monkeypatch.delenv("TIDINGS_API_TOKEN", raising=False)
    main()
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["app"].state.settings.token is None
    assert "localhost" in seen["app"].state.settings.allowed_hosts


# ---------------------------------------------------------------- crafted input (issue 19)

def _b64(raw: str) -> str:
    import base64

    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def assert_security_headers(r: Any) -> None:
    assert "default-src 'self'" in r.headers["content-security-policy"], r.headers
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


CRAFTED_CURSORS = [
    ("/api/events", "-date", '["-date",' + str(10**30) + ',"x"]'),
    ("/api/events", "-date", '["-date",' + str(-10**30) + ',"x"]'),
    ("/api/events", "-confidence", '["-confidence",' + str(10**30) + ',"x"]'),
    ("/api/events", "confidence", '["confidence",NaN,"x"]'),
    ("/api/events", "confidence", '["confidence",1e400,"x"]'),
    ("/api/events", "confidence", '["confidence",true,"x"]'),
    ("/api/events", "-confidence", '["-confidence","2024-01-01","x"]'),
    ("/api/events", "-date", '["-date","2024-01-01",' + str(10**30) + ']'),
    ("/api/events", "-date", '["-date",{"a":1},"x"]'),
    ("/api/events", "-date", "[" * 1500),
    ("/api/events", "-confidence", "[" * 1500),
    ("/api/events", "-date", '["-date","2024",' * 300 + "1" + "]" * 300),
    ("/api/articles", None, '["-published",' + str(10**30) + ',"x"]'),
    ("/api/articles", None, '["-published",3.5,"x"]'),
    ("/api/articles", None, "[" * 1500),
]


@pytest.mark.parametrize("endpoint, sort, raw", CRAFTED_CURSORS)
def test_api_crafted_cursors_are_400_with_headers(db, endpoint, sort, raw):
    params = {"cursor": _b64(raw)[:2000], **({"sort": sort} if sort else {})}
    with TestClient(create_app(db)) as c:
        r = c.get(endpoint, params=params)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "E502" and "cursor" in r.json()["error"]["message"]
    assert_security_headers(r)


def test_api_cursor_numbers_inside_sqlite_range_still_page(db):
    from tidings.api import decode_cursor

    assert decode_cursor(_b64('["-confidence",0.75,"x"]'), "-confidence") == (0.75, "x")
    assert decode_cursor(_b64('["-confidence",1,"x"]'), "-confidence") == (1, "x")
    with TestClient(create_app(db)) as c:
        first = c.get("/api/events", params={"sort": "-confidence", "limit": 2}).json()
        nxt = c.get("/api/events", params={"sort": "-confidence", "limit": 2,
                                           "cursor": first["next_cursor"]})
        assert nxt.status_code == 200 and nxt.json()["items"]


@pytest.mark.parametrize("body", [
    b"[" * 100_000,
    b'{"text": ' + b"[" * 1500 + b"1" + b"]" * 1500 + b', "published": "2024-09-16"}',
    b'{"text": "x", "published": "2024-09-16", "title": ' + b'{"a":' * 1500 + b"1"
    + b"}" * 1500 + b"}",
    b'{"text": "' + b"[" * 5000 + b'", "published": "2024-09-16", "x": ' + b"[" * 30 + b"]" * 30
    + b"}",
])
def test_api_post_deeply_nested_json_is_400(db, body):
    fake = FakeIngest()
    with TestClient(create_app(db, token=TOKEN, ingest=fake)) as c:
        r = c.post("/api/articles", content=body,
                   headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "E513" and "deep" in r.json()["error"]["message"]
    assert_security_headers(r)
    assert not fake.calls


def test_api_post_brackets_inside_strings_are_not_nesting(db):
    fake = FakeIngest()
    with TestClient(create_app(db, token=TOKEN, ingest=fake)) as c:
        body = dict(ARTICLE, text=ARTICLE["text"] + " [" * 50 + ' \\" {' * 50)
        r = c.post("/api/articles", json=body, headers=AUTH)
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("content_type, status", [
    (None, 415), ("text/plain", 415), ("application/x-www-form-urlencoded", 415),
    ("multipart/form-data; boundary=x", 415), ("application/jsonp", 415),
    ("application/json", 201), ("Application/JSON; charset=utf-8", 201),
])
def test_api_post_checks_the_content_type(db, content_type, status):
    import json as jsonlib

    fake = FakeIngest()
    headers = dict(AUTH, **({"Content-Type": content_type} if content_type else {}))
    with TestClient(create_app(db, token=TOKEN, ingest=fake)) as c:
        r = c.post("/api/articles", content=jsonlib.dumps(ARTICLE).encode(), headers=headers)
    assert r.status_code == status, r.text
    if status == 415:
        assert r.json()["error"]["code"] == "E515" and not fake.calls
        assert_security_headers(r)


@pytest.mark.parametrize("endpoint, param", [
    ("/api/events", "type"), ("/api/events", "since"), ("/api/events", "country"),
    ("/api/events", "sort"), ("/api/stats", "by"), ("/api/export", "format"),
    ("/api/articles", "until"),
])
def test_api_error_messages_cut_long_values(db, endpoint, param):
    with TestClient(create_app(db)) as c:
        r = c.get(endpoint, params={param: "A" * 60_000})  # near httpx's longest query
    assert r.status_code == 400, r.text[:300]
    message = r.json()["error"]["message"]
    assert len(r.content) < 1000 and "60000 characters" in message, message
    assert message.startswith("E501")


def test_api_500_is_json_with_security_headers(db):
    def broken(db: Path, article: Any) -> dict[str, Any]:
        raise RuntimeError("boom: secret detail")

    app = create_app(db, token=TOKEN, ingest=broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert r.status_code == 500
    assert r.json()["error"]["code"] == "E500" and "secret" not in r.text
    assert_security_headers(r)
    assert r.headers["cache-control"] == "no-store"


def test_api_refused_hosts_carry_security_headers(db):
    app = create_app(db, allowed_hosts=["127.0.0.1"])
    with TestClient(app, base_url="http://attacker.example") as c:
        r = c.get("/api/meta")
    assert r.status_code == 400
    assert_security_headers(r)


def test_api_redoc_bundle_loads_nothing_from_a_cdn():
    """ReDoc's sidebar logo came from cdn.redoc.ly (blocked by the CSP); the shipped bundle
    names no CDN (frontend/build.mjs drops the logo)."""
    from tidings.api import WEB_DIR

    bundle = WEB_DIR / "vendor" / "redoc" / "redoc.standalone.js"
    text = bundle.read_text(encoding="utf-8")
    assert "cdn.redoc.ly" not in text and "https://cdn." not in text
    assert 'alt:"redocly logo"' in text  # the component is still there, its image is local
