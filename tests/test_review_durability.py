"""Review durability (issue 17): a review writer killed with SIGKILL at a random moment loses
no review it acknowledged, and the audit table matches the reviews.

Two writers, each killed five times mid-stream on one store that ``tidings run`` filled from
examples/: ``tidings serve --token`` with a client posting reviews as fast as it can (an
acknowledgement is an HTTP 200), and a loop of :func:`tidings.review.review_at` (the plain
function behind ``tidings review``) printing each version it got back. After every kill the
store must hold every acknowledged review with its version, at most one more (the write in
flight, committed but not yet answered), gap-free versions per event, event rows that carry
what the reviews say, exactly one audit row per review, and pass ``PRAGMA integrity_check``;
the restarted writer then continues from the versions the queue shows. PostgreSQL too for
the server (``TIDINGS_TEST_PG``). See docs/RELIABILITY.md.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import pg_schema  # tests/ is on sys.path (no __init__.py)

from tidings.storage import connect
from tidings.storage.reviews import FIELDS

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = [ROOT / "examples" / "2024-02-14-gao-convoy-ambush.txt",
            ROOT / "examples" / "2024-03-09-borno-school-abduction.txt"]
PG_URL = os.environ.get("TIDINGS_TEST_PG")
TOKEN = "durability-token-0123456789"
KILLS = 5
SEED = 20250117
#: an acknowledged review: (event id, version, status, field, value)
Ack = tuple[str, int, str, str | None, str | None]

_EDITS = {"type": ["ASSAULT", "COERCE", "PROTEST", "ACCUSE", "AID", "MOBILIZE"],
          "modality": ["asserted", "future", "hypothetical"],
          "date_start": ["2024-02-10", "2024-02-14", "2024-03-09"],
          "place_country": ["MLI", "NGA", "NER"], "mode": ["ambush", "abduct", "raid"]}


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT / "src")}


def _fill(db: str) -> None:
    res = subprocess.run([sys.executable, "-m", "tidings", "run", *map(str, ARTICLES),
                          "--db", db, "--no-progress"], env=_env(), capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    """A SQLite store that ``tidings run`` filled from two example articles (made once)."""
    db = tmp_path_factory.mktemp("filled") / "t.db"
    _fill(str(db))
    return db


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=[
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TIDINGS_TEST_PG is not set")])])
def store(request, filled, tmp_path) -> Iterator[str]:
    """A copy of the filled SQLite store, or a new PostgreSQL schema filled the same way."""
    if request.param == "sqlite":
        db = tmp_path / "t.db"
        shutil.copy(filled, db)
        yield str(db)
        return
    with pg_schema("dur_") as url:
        _fill(url)
        yield url


def _one_review(rng: random.Random) -> tuple[str, str | None, str | None]:
    status = rng.choice(["accepted", "rejected", "edited", "edited"])
    if status != "edited":
        return status, None, None
    field = rng.choice(sorted(_EDITS))
    return status, field, rng.choice(_EDITS[field])


# ---------------------------------------------------------------- what must hold after a kill

def check_store(target: str, acked: list[Ack], kills: int) -> dict[tuple[str, int], Any]:
    """Assert the store keeps every acknowledged review and is consistent; return its reviews
    by (event id, version)."""
    if "://" not in target:
        conn = sqlite3.connect(target)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            conn.close()
    with connect(target, readonly=True) as r:
        stored = {(row[0], int(row[1])): (row[2], row[3], row[4]) for row in r.execute(
            "SELECT event_id, version, status, field, value_after FROM reviews").fetchall()}
        audit = [(row[0], row[1], json.loads(row[2])) for row in r.execute(
            "SELECT action, subject, detail FROM audit WHERE action IN"
            " ('review.accepted', 'review.rejected', 'review.edited')").fetchall()]
        cols = ", ".join(["id", "review_status", *(f.column for f in FIELDS.values())])
        rows = {row[0]: row for row in r.execute(
            f"SELECT {cols} FROM events WHERE review_status IS NOT NULL").fetchall()}  # noqa: S608
    # every acknowledged review is there, with its version and values
    missing = [a for a in acked if stored.get((a[0], a[1])) != (a[2], a[3], a[4])]
    assert not missing, f"{len(missing)} acknowledged reviews lost: {missing[:3]}"
    # at most the write in flight at each kill was committed without an acknowledgement
    extra = set(stored) - {(a[0], a[1]) for a in acked}
    assert len(extra) <= kills, f"{len(extra)} unacknowledged reviews for {kills} kills"
    # versions 1..n per event, no gap
    last: dict[str, int] = {}
    for eid, v in stored:
        last[eid] = max(last.get(eid, 0), v)
    assert sum(last.values()) == len(stored), "a gap in some event's versions"
    # exactly one audit row per review, with its values; none without a review
    keys = [(subject, int(d["version"])) for _, subject, d in audit]
    assert len(keys) == len(set(keys)), "a review audited twice"
    assert set(keys) == set(stored), (f"audit and reviews differ: {len(set(keys) - set(stored))}"
                                      f" orphan, {len(set(stored) - set(keys))} missing")
    for action, subject, d in audit:
        status, field, value = stored[(subject, int(d["version"]))]
        assert (action, d["field"], d["after"]) == (f"review.{status}", field, value)
    # each reviewed event row carries its last status and the last value of each edited field
    assert set(rows) == set(last)
    for eid, n in last.items():
        row = rows[eid]
        assert row[1] == stored[(eid, n)][0]
        edits: dict[str, str] = {}
        for v in range(1, n + 1):
            _, field, value = stored[(eid, v)]
            if field:
                edits[field] = value  # type: ignore[assignment]
        for i, name in enumerate(FIELDS, 2):
            if name in edits:
                assert row[i] == edits[name], (eid, name, row[i], edits[name])
    return stored


# ---------------------------------------------------------------- (a) tidings serve

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(target: str, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tidings", "serve", "--db", target,
                             "--port", str(port)],
                            env={**_env(), "TIDINGS_API_TOKEN": TOKEN},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _queue(client: Any, base: str, proc: subprocess.Popen[bytes]) -> dict[str, int]:
    """Wait for the server; return every event's review version from its queue."""
    import httpx

    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
        try:
            got = client.get(f"{base}/api/review/queue",
                             params={"unreviewed": "false", "limit": 500})
            assert got.status_code == 200, got.text
            return {e["id"]: e["review_version"] for e in got.json()["items"]}
        except httpx.TransportError:
            assert time.monotonic() < deadline, "the server did not start in 60 s"
            time.sleep(0.1)


def _post_until_killed(client: Any, base: str, proc: subprocess.Popen[bytes],
                       versions: dict[str, int], rng: random.Random,
                       acked: list[Ack]) -> int:
    """Post reviews as fast as the server answers until it dies (killed at a random moment
    after the first acknowledgement); return this round's acknowledgements."""
    import httpx

    auth = {"Authorization": f"Bearer {TOKEN}"}
    ids = sorted(versions)
    n = 0
    timer = None
    try:
        while True:
            eid = rng.choice(ids)
            status, field, value = _one_review(rng)
            body = {"status": status, "reviewer": f"r{n % 3}",
                    "expected_version": versions[eid], "field": field, "value": value}
            try:
                got = client.post(f"{base}/api/events/{eid}/review", json=body, headers=auth)
            except httpx.TransportError:
                assert proc.wait(timeout=30) == -signal.SIGKILL, "the server died by itself"
                return n
            assert got.status_code == 200, got.text  # one client: never a conflict
            version = got.json()["version"]
            assert version == versions[eid] + 1
            versions[eid] = version
            acked.append((eid, version, status, field, value))
            n += 1
            if timer is None:
                timer = threading.Timer(rng.uniform(0.0, 1.5), proc.kill)
                timer.start()
    finally:
        if timer is not None:
            timer.cancel()


@pytest.mark.slow
def test_review_durability_server_sigkill_loses_no_acknowledged_review(store):
    import httpx

    rng = random.Random(SEED)
    acked: list[Ack] = []
    per_round = []
    with httpx.Client(timeout=30) as client:
        for kill in range(KILLS + 1):
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            proc = _serve(store, port)
            try:
                versions = _queue(client, base, proc)
                assert len(versions) >= 4
                if kill:  # the restarted server continues from what the store holds
                    stored = check_store(store, acked, kill)
                    for eid, v in versions.items():
                        assert v == max((k[1] for k in stored if k[0] == eid), default=0)
                if kill == KILLS:  # last round: review a few more, then stop cleanly
                    for eid in sorted(versions)[:3]:
                        got = client.post(f"{base}/api/events/{eid}/review",
                                          json={"status": "accepted", "reviewer": "last",
                                                "expected_version": versions[eid]},
                                          headers={"Authorization": f"Bearer {TOKEN}"})
                        assert got.status_code == 200, got.text
                        acked.append((eid, versions[eid] + 1, "accepted", None, None))
                    break
                per_round.append(_post_until_killed(client, base, proc, versions, rng, acked))
            finally:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(timeout=30)
    assert all(per_round), f"a round acknowledged nothing: {per_round}"
    check_store(store, acked, KILLS)


# ---------------------------------------------------------------- (b) the plain function

_LOOP = """
import json, random, sys
from tidings.review import queue, review_at
from tidings.storage import connect
db, seed, edits = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
with connect(db, readonly=True) as r:
    versions = {e["id"]: e["review_version"] for e in queue(r, unreviewed=False, limit=None)}
rng = random.Random(seed)
ids = sorted(versions)
print(json.dumps(versions), flush=True)
sys.stdin.readline()  # the test checks the store first
n = 0
while True:
    eid = rng.choice(ids)
    status = rng.choice(["accepted", "rejected", "edited", "edited"])
    field = value = None
    if status == "edited":
        field = rng.choice(sorted(edits))
        value = rng.choice(edits[field])
    v = review_at(db, eid, status, f"r{n % 3}", versions[eid], field, value)
    versions[eid] = v
    print(json.dumps([eid, v, status, field, value]), flush=True)
    n += 1
"""


@pytest.mark.slow
def test_review_durability_review_at_sigkill_loses_no_acknowledged_review(filled, tmp_path):
    db = tmp_path / "t.db"
    shutil.copy(filled, db)
    rng = random.Random(SEED + 1)
    acked: list[Ack] = []
    per_round = []
    for kill in range(KILLS):
        proc = subprocess.Popen([sys.executable, "-c", _LOOP, str(db), str(rng.randrange(10**9)),
                                 json.dumps(_EDITS)], env=_env(), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdin is not None and proc.stdout is not None
        start = proc.stdout.readline()
        assert start, proc.stderr.read()[-2000:]  # type: ignore[union-attr]
        versions = json.loads(start)
        if kill:  # the restarted loop starts from what the store holds
            stored = check_store(str(db), acked, kill)
            assert versions == {eid: max((k[1] for k in stored if k[0] == eid), default=0)
                                for eid in versions}
        proc.stdin.write("go\n")
        proc.stdin.flush()
        timer = None
        n = 0
        for line in proc.stdout:
            try:
                eid, v, status, field, value = json.loads(line)
            except ValueError:  # the last line, cut by the kill
                break
            acked.append((eid, v, status, field, value))
            n += 1
            if timer is None:
                timer = threading.Timer(rng.uniform(0.0, 1.5), proc.kill)
                timer.start()
        assert proc.wait(timeout=30) == -signal.SIGKILL, proc.stderr.read()[-2000:]  # type: ignore[union-attr]
        per_round.append(n)
    assert all(per_round), f"a round acknowledged nothing: {per_round}"
    stored = check_store(str(db), acked, KILLS)
    assert len(stored) >= len(acked) > KILLS
    # and reviewing continues after the last kill
    from tidings.review import review_at

    eid = acked[-1][0]
    last = max(k[1] for k in stored if k[0] == eid)
    assert review_at(db, eid, "accepted", "last", last) == last + 1
    check_store(str(db), [*acked, (eid, last + 1, "accepted", None, None)], KILLS)
