"""End-to-end CLI tests: run, bad input, idempotence, extract, events, search, show."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

ARTICLES = FIXTURES / "articles"


def tidings(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tidings", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Good articles plus one of each kind of bad input."""
    d = tmp_path_factory.mktemp("corpus")
    for f in ARTICLES.glob("*.txt"):
        shutil.copy(f, d / f.name)
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "empty.txt").write_text("")
    (d / "utf16.txt").write_bytes("date 2024-05-01 WORLD\nTitle\nLead.\n".encode("utf-16-le"))
    (d / "impossible.txt").write_text(
        "date 2024-02-30 WORLD\nA title\nA lead sentence.\nFebruary 30, 2024\n\nBody text.\n")
    return d


@pytest.fixture(scope="module")
def stored(corpus, tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "t.db"
    first = tidings("run", str(corpus), "--db", str(db))
    return db, first


def test_cli_run_stores_good_and_reports_bad(stored):
    db, res = stored
    assert res.returncode == 3, res.stderr
    assert "2 stored" in res.stdout
    assert "4 rejected" in res.stdout
    for reason in ("binary", "empty", "encoding", "bad-date"):
        assert reason in res.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from articles").fetchone()[0] == 2
    reasons = {r[0] for r in conn.execute("select reason from rejects")}
    assert reasons == {"binary", "empty", "encoding", "bad-date"}
    assert conn.execute("select count(*) from events").fetchone()[0] > 0


def test_cli_run_again_adds_nothing(stored, corpus):
    db, _ = stored
    conn = sqlite3.connect(db)
    before = [conn.execute(f"select * from {t} order by 1").fetchall()
              for t in ("articles", "events", "event_actors", "rejects")]
    res = tidings("run", str(corpus), "--db", str(db))
    assert res.returncode == 3
    assert "0 stored" in res.stdout and "2 already stored" in res.stdout
    after = [conn.execute(f"select * from {t} order by 1").fetchall()
             for t in ("articles", "events", "event_actors", "rejects")]
    assert before == after


def test_cli_events_formats(stored):
    db, _ = stored
    res = tidings("events", "--db", str(db), "--format", "csv")
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and {"date", "type", "source", "target", "evidence"} <= set(rows[0])
    res = tidings("events", "--db", str(db), "--format", "jsonl", "--type", "SANCTION")
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert lines and all(x["type"] == "SANCTION" for x in lines)
    assert any(x["event"]["source"][0]["country"] == "MLI" for x in lines)


def test_cli_search_and_show(stored):
    db, _ = stored
    res = tidings("search", "refugees", "--db", str(db), "--format", "jsonl")
    hits = [json.loads(x) for x in res.stdout.splitlines()]
    assert hits and "Chad" in hits[0]["title"]
    res = tidings("show", hits[0]["id"][:8], "--db", str(db))
    assert res.returncode == 0 and "N'Djamena" in res.stdout


def test_cli_user_errors_are_one_line(tmp_path):
    res = tidings("events", "--db", str(tmp_path / "missing.db"))
    assert res.returncode == 1
    assert "E201" in res.stderr and "Traceback" not in res.stderr
    res = tidings("events", "--db", str(tmp_path / "missing.db"), "--type", "PARTY")
    assert res.returncode == 2 and "E306" in res.stderr and "ASSAULT" in res.stderr
    res = tidings("run", str(tmp_path / "nope"))
    assert res.returncode == 2 and "E304" in res.stderr


def test_cli_extract_jsonl_plain_text(tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text("Kenyan police arrested 40 protesters in Nairobi yesterday.")
    res = tidings("extract", str(f), "--published", "2024-06-26")
    assert res.returncode == 0, res.stderr
    d = json.loads(res.stdout)
    assert d["published"] == "2024-06-26"
    assert any(t["value"] == "2024-06-25" for t in d["times"])
    res = tidings("extract", str(f))
    assert res.returncode == 3 and "missing-date" in res.stderr


def test_cli_run_workers_store_the_same_as_one_process(corpus, stored, tmp_path):
    """`run --workers 2` extracts in two processes; the one writer stores exactly what a single
    process stores (same articles, events and rejects)."""
    db1, _ = stored
    db2 = tmp_path / "w2.db"
    res = tidings("run", str(corpus), "--db", str(db2), "--workers", "2")
    assert res.returncode == 3, res.stderr
    assert "2 stored" in res.stdout and "4 rejected" in res.stdout

    def dump(db: Path) -> tuple:
        c = sqlite3.connect(db)
        return (sorted(c.execute("select id, document from articles")),
                sorted(c.execute("select id, type, date_start from events")),
                sorted(c.execute("select reason from rejects")))

    assert dump(db1) == dump(db2)


def test_cli_run_negative_workers_is_a_usage_error(tmp_path):
    res = tidings("run", str(ARTICLES), "--db", str(tmp_path / "x.db"), "--workers", "-1")
    assert res.returncode == 2
    assert "E309" in res.stderr and "--workers" in res.stderr
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("argv", [["events", "--bogus"], ["rules", "a-rule", "extra"]])
def test_cli_bad_usage_is_one_line_not_a_traceback(argv):
    # Typer vendors click from 0.2x on: its usage errors must still be one line, exit code 2
    res = tidings(*argv)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and "Error:" in res.stderr
    assert len(res.stderr.strip().splitlines()) <= 4  # usage, help hint, blank, error
