"""Story events: merge evaluation gate, incremental/idempotent merging, syndicated copies."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURES

from tidings.eval.metrics import cluster_scores
from tidings.stories import (
    Mention,
    content_words,
    date_score,
    merge_new,
    pair_score,
    query_story_events,
    story_id,
)

STORIES = FIXTURES / "stories"
ARTICLES = STORIES / "articles"
GOLD = STORIES / "gold.tsv"
#: measured 2026-11-28: B-cubed F1 0.926, pairwise F1 0.811 (41 of 47 gold mentions extracted);
#: 2026-11-29: B-cubed 0.949, pairwise 0.898 (45 of 47)
FLOORS = {"bcubed_f1": 0.90, "pairwise_f1": 0.79, "bcubed_precision": 0.95}
FIXTURE_SHA256 = "cb7d74cdbe774108b6e6db60779e162c43cc9a5f1c46ca574d167fbbe72dd1f0"


def fixture_hash() -> str:
    """sha256 over the labelled articles and the gold file (names and bytes)."""
    h = hashlib.sha256()
    for p in sorted(ARTICLES.glob("*.txt")) + [GOLD]:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    from tidings.eval.stories import evaluate_folder

    db = tmp_path_factory.mktemp("stories") / "eval.db"
    return db, evaluate_folder(ARTICLES, GOLD, db)


def test_fixture_set_is_large_enough():
    assert len(list(ARTICLES.glob("*.txt"))) >= 40
    gold = [x for x in GOLD.read_text().splitlines() if x and not x.startswith("#")]
    assert len(gold) >= 40


def test_merge_quality_gate(evaluated):
    if fixture_hash() != FIXTURE_SHA256 and not os.environ.get("TIDINGS_ALLOW_FLOOR_CHANGE"):
        pytest.fail(f"the story fixtures changed (sha256 {fixture_hash()}): re-measure, update"
                    " FLOORS and FIXTURE_SHA256, or set TIDINGS_ALLOW_FLOOR_CHANGE=1")
    _, res = evaluated
    assert res["not_extracted"] <= 8, res["missing"]
    for k, floor in FLOORS.items():
        assert res[k] >= floor, f"{k} {res[k]:.3f} < floor {floor}"


def test_merge_is_idempotent(evaluated):
    db, _ = evaluated
    conn = sqlite3.connect(db)
    before = [conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
              for t in ("story_mentions", "story_events")]
    stats = merge_new(conn)
    assert stats["new_mentions"] == 0 and stats["founded"] == 0
    after = [conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
             for t in ("story_mentions", "story_events")]
    strip = [[r[:-1] for r in before[1]], [r[:-1] for r in after[1]]]  # updated_at
    assert before[0] == after[0] and strip[0] == strip[1]


def test_story_query_and_evidence(evaluated):
    db, _ = evaluated
    conn = sqlite3.connect(db)
    rows = query_story_events(conn)
    assert rows and all(r["mention_count"] >= 1 for r in rows)
    multi = [r for r in rows if r["source_count"] >= 2]
    assert multi, "some story events must be reported by two outlets"
    for r in multi:
        assert len(r["mentions"]) >= 2 and all(m["evidence"] for m in r["mentions"])
        assert r["first_reported"] <= r["last_reported"]
    kenya = query_story_events(conn, type("Q", (), {"type": "PROTEST", "country": "KEN"})())
    assert {r["date_start"] for r in kenya} >= {"2024-06-18", "2024-06-25"}


def _m(**kw) -> Mention:
    base = {"id": "e1", "article_id": "a1", "published": "2024-04-10", "type": "ASSAULT",
            "mode": None, "modality": "asserted", "confidence": 0.8,
            "date_start": "2024-04-09", "date_end": "2024-04-09", "granularity": "day",
            "basis": "text", "place_name": "Gao", "place_country": "MLI",
            "place_admin1": "Gao", "geonameid": 2457163, "lat": 16.27, "lon": -0.04,
            "place_kind": "city", "evidence": "Militants attacked a convoy near Gao.",
            "trigger_start": 0, "event": {}}
    base.update(kw)
    m = Mention(**base)
    m.actors = frozenset(kw.get("actors", {"MLI"}))
    m.words = content_words(m.evidence)
    return m


def test_pair_gates():
    a = _m()
    assert pair_score(a, _m(id="e2", article_id="a2")) > 0.8
    assert pair_score(a, _m(id="e2", date_start="2024-04-16", date_end="2024-04-16")) is None
    assert pair_score(a, _m(id="e2", type="PROTEST")) is None
    assert pair_score(a, _m(id="e2", modality="negated")) is None
    assert pair_score(a, _m(id="e2", place_country="NER", place_name="Niamey")) is None
    far = _m(id="e2", place_name="Timbuktu", lat=16.77, lon=-3.0)  # ~320 km from Gao
    assert pair_score(a, far) is None
    month = _m(id="e2", date_start="2024-04-01", date_end="2024-04-30", granularity="month")
    assert pair_score(a, month) is not None  # "last month" overlaps a day inside it
    assert pair_score(_m(type="RETREAT"), _m(id="e2", type="CONCEDE")) is not None


def test_date_score_published_window():
    text = (date(2024, 4, 8), date(2024, 4, 10), "day", "text")
    pub = (date(2024, 4, 5), date(2024, 4, 12), "day", "published")
    assert date_score(text, pub) == 0.5
    assert date_score(text, (date(2024, 4, 20), date(2024, 4, 22), "day", "text")) is None


def test_cluster_scores():
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert cluster_scores(gold, gold)["bcubed_f1"] == 1.0
    split = cluster_scores(gold, {"a": 1, "b": 2, "c": 3, "d": 4})
    assert split["pairwise_recall"] == 0.0 and split["bcubed_precision"] == 1.0
    assert story_id("x") == story_id("x") != story_id("y")


# ---------------------------------------------------------------- end to end (tidings run)

SOURCE_ARTICLE = ARTICLES / "2024-05-13-omdurman-market-shelling.txt"


def tidings(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tidings", *args], capture_output=True,
                          text=True, timeout=300, check=False)


def _stories_of(db: Path) -> list[dict]:
    conn = sqlite3.connect(db)
    return [r for r in query_story_events(conn) if "Omdurman" in (r["place_name"] or "")]


def test_same_story_two_outlets_end_to_end(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    text = SOURCE_ARTICLE.read_text()
    (d / "a.txt").write_text(text)
    (d / "b.txt").write_text(text.replace("SOURCE:Nile Courier", "SOURCE:Sudan Tribune"))
    db = tmp_path / "t.db"
    res = tidings("run", str(d), "--db", str(db))
    assert res.returncode == 0, res.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    story = next(s for s in _stories_of(db) if s["type"] == "ASSAULT")
    assert story["mention_count"] == 2 and story["source_count"] == 2
    assert story["sources"] == ["Nile Courier", "Sudan Tribune"]
    before = conn.execute("SELECT * FROM article_sources ORDER BY 1, 2").fetchall()
    res = tidings("run", str(d), "--db", str(db))  # exact re-ingest: a no-op
    assert "0 stored" in res.stdout
    assert conn.execute("SELECT * FROM article_sources ORDER BY 1, 2").fetchall() == before


def test_re_edited_syndicated_copy_end_to_end(tmp_path):
    text = SOURCE_ARTICLE.read_text()
    edited = (text.replace("RSF shelling of Omdurman market kills 15",
                           "At least 15 killed as RSF shells market in Sudan's Omdurman")
              .replace("medics said.", "medics told reporters.")
              .replace("SOURCE:Nile Courier", "SOURCE:Africa Wire Service"))
    edited = edited.rstrip("\n").rsplit("\n", 1)
    edited = edited[0] + "\n\nThe war between the army and the RSF began in April 2023.\n\n" \
        + edited[1] + "\n"
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(text)
    b.write_text(edited)
    db = tmp_path / "t.db"
    assert tidings("run", str(a), "--db", str(db)).returncode == 0
    res = tidings("run", str(b), "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "copies:   1 near-duplicates" in res.stdout
    conn = sqlite3.connect(db)
    # the copy is stored, linked to what it copies, with only its new sentences' events: the
    # re-worded attack sentence ("medics told reporters") is new, so its event joins the story
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM article_copies").fetchone()[0] == 1
    copy_id = conn.execute("SELECT article_id FROM article_copies").fetchone()[0]
    copy_events = [r[0] for r in conn.execute("SELECT evidence FROM events WHERE article_id=?",
                                               (copy_id,))]
    assert copy_events and all("medics told reporters" in e for e in copy_events)
    srcs = {r[0] for r in conn.execute("SELECT source FROM article_sources")}
    assert srcs == {"Nile Courier", "Africa Wire Service"}
    story = next(s for s in _stories_of(db) if s["type"] == "ASSAULT")
    assert story["mention_count"] == 2 and story["source_count"] == 2
    assert story["event_count"] == 2 and story["article_count"] == 2


def test_incremental_follow_up_joins(tmp_path):
    db = tmp_path / "t.db"
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(SOURCE_ARTICLE, d)
    from tidings.ingest import ingest

    ingest([d / SOURCE_ARTICLE.name], db)
    first = {s["id"] for s in _stories_of(db)}
    follow = ARTICLES / "2024-05-14-omdurman-toll.txt"
    s = ingest([follow], db)
    assert s.stories["new_mentions"] >= 1
    after = _stories_of(db)
    assert {x["id"] for x in after} >= first  # ids are stable as stories grow
    assert any(x["article_count"] == 2 for x in after)


def test_blocked_in_memory_merge_agrees_with_sqlite_merge(evaluated):
    """The Spark stage's merge (blocks of compatible types + place country, merged in memory)
    gives the SQLite merge's stories on the labelled fixtures."""
    from collections import defaultdict

    from tidings.stories import _MENTION_SQL, _mention, blocking_key, cluster_mentions

    db, _ = evaluated
    conn = sqlite3.connect(db)
    mentions = [_mention(r) for r in conn.execute(_MENTION_SQL)]
    blocks = defaultdict(list)
    for m in mentions:
        blocks[blocking_key(m)].append(m)
    blocked = {eid: sid for ms in blocks.values() for eid, sid, _ in cluster_mentions(ms)}
    sqlite = dict(conn.execute("SELECT event_id, story_id FROM story_mentions"))
    assert set(blocked) == set(sqlite) == {m.id for m in mentions}
    agreement = cluster_scores(sqlite, blocked)
    assert agreement["bcubed_f1"] >= 0.96, agreement  # measured 0.985
    # one block, no blocking: exactly the SQLite merge's decisions
    whole = {eid: sid for eid, sid, _ in cluster_mentions(mentions)}
    assert cluster_scores(sqlite, whole)["bcubed_f1"] >= 0.99
