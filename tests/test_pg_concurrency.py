"""Concurrent writers on PostgreSQL (issue 18, part 2): two ``tidings run`` processes ingesting
overlapping inputs into one database at once store every article once, every event once,
and build the stories one writer builds; copies and stories on PostgreSQL equal SQLite's.

They need a server: ``TIDINGS_TEST_PG`` (CI's .ci/run sets it). Each test works in fresh
schemas of that database, dropped afterwards.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import pg_schema  # tests/ is on sys.path (no __init__.py)
from conftest import FIXTURES
from test_crash_safety import _env

ROOT = Path(__file__).resolve().parents[1]
COPIES = FIXTURES / "copies"
PG_URL = os.environ.get("TIDINGS_TEST_PG")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TIDINGS_TEST_PG is not set (a postgresql:// URL of a"
                       " database the tests may create schemas in)"),
]


@contextmanager
def _schema() -> Iterator[str]:
    """A URL whose search_path is a fresh, empty schema (dropped afterwards)."""
    assert PG_URL
    with pg_schema() as url:
        yield url


# ---------------------------------------------------------------- canonical dumps

_VOLATILE = {"stored_at", "seen_at", "updated_at", "joined_at", "first_seen", "fts"}
_TABLES = ["articles", "events", "event_actors", "places", "times", "rejects",
           "article_fingerprints", "fingerprint_bands", "article_sources", "article_copies"]


def _norm(v: Any) -> Any:
    if isinstance(v, (dict, list)):
        return json.dumps(v, sort_keys=True)
    if isinstance(v, memoryview):
        return bytes(v)
    if isinstance(v, float):
        return round(v, 6)
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    return v


def _rows(conn: Any, table: str, pg: bool) -> list[tuple[Any, ...]]:
    if pg:
        cols = [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
            " AND table_schema = current_schema() ORDER BY ordinal_position", (table,))]
    else:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]  # noqa: S608
    # articles.origin is the file an article was first stored from: with two writers, the
    # first to store it (article_sources keeps every file it was read from)
    keep = [c for c in cols if c not in _VOLATILE and (table, c) != ("articles", "origin")]
    sql = f"SELECT {', '.join(chr(34) + c + chr(34) for c in keep)} FROM {table}"  # noqa: S608
    rows = [tuple(_norm(v) for v in r) for r in conn.execute(sql).fetchall()]
    if table == "events":  # PostgreSQL keeps country lists as arrays, SQLite as ' A B '
        i, j = keep.index("source_countries"), keep.index("target_countries")
        js = keep.index("json")  # jsonb in PostgreSQL: compare parsed
        rows = [tuple(" ".join(json.loads(v)) if k in (i, j) and str(v).startswith("[")
                      else " ".join(str(v).split()) if k in (i, j)
                      else json.dumps(json.loads(v), sort_keys=True) if k == js and v[:1] == "{"
                      else v for k, v in enumerate(r)) for r in rows]
    return sorted(rows, key=repr)


def dump(conn: Any, pg: bool) -> dict[str, Any]:
    """Every table of a store (volatile timestamps out), stories named by their mentions
    (a story id is a hash of its founding mention, which depends on arrival order) and
    without the pair score each mention joined with."""
    out = {t: _rows(conn, t, pg) for t in _TABLES}
    members: dict[str, tuple[str, ...]] = {}
    for eid, sid in sorted(conn.execute("SELECT event_id, story_id FROM story_mentions")
                           .fetchall()):
        members[sid] = (*members.get(sid, ()), eid)
    stories = conn.execute(
        "SELECT id, type, mode, modality, date_start, date_end, place_name, source_countries,"
        " target_countries, mention_count, event_count, article_count, source_count, sources,"
        " first_reported, last_reported, magnitudes FROM story_events").fetchall()
    out["stories"] = sorted((members[r[0]], *(_norm(v) for v in r[1:])) for r in stories)
    out["story_magnitudes"] = sorted((members[r[0]], *r[1:]) for r in conn.execute(
        "SELECT story_id, kind, value, event_id, article_id, published"
        " FROM story_magnitudes").fetchall())
    return out


def _pg_dump(url: str) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return dump(conn, pg=True)


def _duplicates(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return {t: conn.execute(f"SELECT count(*) - count(DISTINCT {k}) FROM {t}")  # noqa: S608
                .fetchone()[0]
                for t, k in (("articles", "id"), ("events", "id"), ("story_mentions", "event_id"),
                             ("story_events", "id"), ("article_copies",
                                                      "(article_id, copy_of)"))}


def _tidings(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tidings", *args, "--no-progress"],
                            env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


# ---------------------------------------------------------------- tests

def test_pg_copies_and_stories_match_sqlite(tmp_path):
    """The copies fixtures stored in PostgreSQL and in SQLite: the same tables."""
    from tidings.ingest import ingest

    files = sorted(COPIES.glob("*.txt"))
    db = tmp_path / "t.db"
    ingest(files, db)
    with _schema() as url:
        s = ingest(files[::-1], url)  # and in the other order
        assert (s.near_duplicates, s.retrofitted) == (1, 2)  # two copies came first
        got = _pg_dump(url)
    want = dump(sqlite3.connect(db), pg=False)
    assert {t for t in want if got[t] != want[t]} == set()
    assert want["article_copies"] and want["stories"] and want["story_magnitudes"]


def test_pg_stale_copy_plan_is_planned_again(monkeypatch):
    """Another writer stores the original between the planning and the write of its copy:
    the write sees it under the shared-rows lock, rolls back and plans again."""
    from tidings import copies
    from tidings.ingest import ingest

    original = COPIES / "2024-05-06-mopti-ambush.txt"
    update = COPIES / "2024-05-07-mopti-ambush-toll-rises.txt"
    real_plan = copies.plan
    calls: list[str] = []

    with _schema() as url:
        def racing_plan(conn: Any, article: Any, fp: Any) -> copies.Plan:
            planned = real_plan(conn, article, fp)
            calls.append(article.id)
            if len(calls) == 2:  # the copy's write: the other writer stores the original now
                monkeypatch.setattr(copies, "plan", real_plan)
                ingest([original], url)
                monkeypatch.setattr(copies, "plan", racing_plan)
            return planned

        monkeypatch.setattr(copies, "plan", racing_plan)
        s = ingest([update], url)
        assert len(calls) == 3  # planned while reading, for the write, and again
        assert s.near_duplicates == 1 and s.copy_sentences_new == 2
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            n = conn.execute("SELECT count(*) FROM events e JOIN articles a ON a.id ="
                             " e.article_id WHERE a.source = 'Bamako Courier'").fetchone()[0]
            assert n == 2  # only the update's new sentences


@pytest.mark.slow
def test_pg_two_writers_store_what_one_writer_stores(tmp_path):
    """Two `tidings run` processes at once, on overlapping inputs (12 examples and the copies
    fixtures in both, read in opposite orders), against one writer given both inputs."""
    examples = sorted((ROOT / "examples").glob("*.txt"))
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        d.mkdir()
    for p in examples[:18]:
        shutil.copy(p, a)
    for p in sorted(COPIES.glob("*.txt")):
        shutil.copy(p, a)
    # writer b reads its files in the opposite order (names prefixed by their reverse rank)
    shared = examples[6:] + sorted(COPIES.glob("*.txt"))
    for i, p in enumerate(reversed(shared)):
        shutil.copy(p, b / f"{i:03d}-{p.name}")
    with _schema() as one, _schema() as two:
        ref = _tidings("run", str(a), str(b), "--db", one)
        out, err = ref.communicate(timeout=600)
        assert ref.returncode == 0, err[-2000:]
        writers = [_tidings("run", str(d), "--db", two) for d in (a, b)]
        results = [w.communicate(timeout=600) for w in writers]
        stored = []
        for w, (out, err) in zip(writers, results):
            assert w.returncode == 0, err[-2000:]
            stored.append(int(re.search(r"articles: (\d+) stored", out).group(1)))
        # both wrote, and between them stored each article once
        assert min(stored) > 0 and sum(stored) == len(examples) + 7, stored
        assert _duplicates(two) == dict.fromkeys(
            ("articles", "events", "story_mentions", "story_events", "article_copies"), 0)
        want, got = _pg_dump(one), _pg_dump(two)
    assert len(want["articles"]) == len(examples) + 7
    differ = {t for t in want if got[t] != want[t]}
    for t in sorted(differ):  # shown when the test fails
        print("differs:", t)
        for who, a, b in (("two writers", got, want), ("one writer", want, got)):
            for r in sorted(set(a[t]) - set(b[t]), key=repr)[:3]:
                print(f"  only {who}:", [str(x)[:80] for x in r])
    assert differ == set()
