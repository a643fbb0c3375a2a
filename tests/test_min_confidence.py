"""``--min-confidence`` (issue 17) works the same in ``tidings events``, ``stories`` and
``export`` as ``min_confidence`` in the API: the events whose calibrated confidence is at least
the threshold; a story event when its confidence (its best mention's) is. Stores are built in
code from the API tests' hand-made Documents (no spaCy)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_api import ALL_IDS, docs
from typer.testing import CliRunner

from tidings import stories
from tidings.api import create_app
from tidings.cli import app
from tidings.errors import UsageError
from tidings.storage.sqlite import Store

CONFIDENT = {"niger1-e0", "ukr1-e0", "ukr2-e0"}  # confidence 0.9, 0.95, 0.9


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("minconf") / "s.db"
    with Store(path) as s:
        for d in docs():
            s.upsert(d, origin="test")
        stories.ensure_schema(s.conn)
        stories.merge_new(s.conn)
    return path


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def test_min_confidence_events_cli_matches_api(db):
    res = cli("events", "--db", str(db), "--format", "jsonl", "--min-confidence", "0.9")
    assert res.exit_code == 0, res.output
    got = {json.loads(x)["id"] for x in res.stdout.splitlines()}
    assert got == CONFIDENT
    with TestClient(create_app(db)) as c:
        api = {e["id"] for e in c.get("/api/events", params={"min_confidence": 0.9}
                                      ).json()["items"]}
    assert api == got
    res = cli("events", "--db", str(db), "--format", "jsonl", "--min-confidence", "0")
    assert len(res.stdout.splitlines()) == len(ALL_IDS)


def test_min_confidence_stories_cli_keeps_stories_whose_best_mention_passes(db):
    res = cli("stories", "--db", str(db), "--format", "jsonl", "--min-confidence", "0.9")
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert rows and all(r["confidence"] >= 0.9 for r in rows)
    mentions = {m["event_id"] for r in rows for m in r["mentions"]}
    assert CONFIDENT <= mentions
    everything = cli("stories", "--db", str(db), "--format", "jsonl").stdout.splitlines()
    assert len(rows) < len(everything)


def test_min_confidence_export_cli_matches_api_export(db, tmp_path):
    out = tmp_path / "m.jsonl"
    res = cli("export", "--db", str(db), "--format", "jsonl", "--mentions",
              "--min-confidence", "0.9", "--output", str(out))
    assert res.exit_code == 0, res.output
    got = {json.loads(x)["id"] for x in out.read_text().splitlines()}
    assert got == CONFIDENT
    out = tmp_path / "s.csv"
    res = cli("export", "--db", str(db), "--format", "csv", "--min-confidence", "0.9",
              "--output", str(out))
    assert res.exit_code == 0, res.output
    cli_stories = {r["id"] for r in csv.DictReader(io.StringIO(out.read_text()))}
    with TestClient(create_app(db)) as c:
        api = {r["id"] for r in csv.DictReader(io.StringIO(c.get(
            "/api/export", params={"format": "csv", "min_confidence": 0.9}).text))}
        mentions = [json.loads(x)["id"] for x in c.get("/api/export", params={
            "format": "jsonl", "mentions": "true", "min_confidence": 0.9}).text.splitlines()]
    assert cli_stories == api and cli_stories
    assert set(mentions) == CONFIDENT


COMMANDS = [["events"], ["stories"], ["export", "--format", "csv", "--output", "x.csv"]]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("value", ["-0.1", "nan"])
def test_min_confidence_out_of_range_raises_e312(db, command, value):
    res = cli(*command, "--db", str(db), "--min-confidence", value)
    assert isinstance(res.exception, UsageError) and "E312" in str(res.exception)


@pytest.mark.parametrize("command", COMMANDS)
def test_min_confidence_out_of_range_is_one_line_exit_2(db, command, tmp_path):
    res = subprocess.run([sys.executable, "-m", "tidings", *command, "--db", str(db),
                          "--min-confidence", "1.5"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert res.returncode == 2 and "E312" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "x.csv").exists()
