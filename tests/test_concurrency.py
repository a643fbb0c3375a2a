"""Concurrency: a reader polling the store while ``tidings run`` writes sees whole articles only.

Each article is written in one transaction (WAL, one writer), so a read-only connection must
never see an article row without all of its events, event actors, places and times, nor an
event without its article. The reader takes many snapshots during the run, each in one read
transaction, and every article it saw must carry exactly the rows it has in the final store.
"""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from test_crash_safety import _env, make_corpus, run_cmd

_PER_ARTICLE = """
SELECT a.id,
  (SELECT count(*) FROM events e WHERE e.article_id = a.id),
  (SELECT count(*) FROM event_actors x JOIN events e ON e.id = x.event_id
    WHERE e.article_id = a.id),
  (SELECT count(*) FROM places p WHERE p.article_id = a.id),
  (SELECT count(*) FROM times t WHERE t.article_id = a.id)
FROM articles a
"""
_ORPHANS = """
SELECT (SELECT count(*) FROM events e WHERE NOT EXISTS
          (SELECT 1 FROM articles a WHERE a.id = e.article_id))
     + (SELECT count(*) FROM event_actors x WHERE NOT EXISTS
          (SELECT 1 FROM events e WHERE e.id = x.event_id))
"""

Snapshot = dict[str, tuple[int, int, int, int]]


def _read_snapshot(conn: sqlite3.Connection) -> tuple[Snapshot, int]:
    """Per-article row counts and orphan rows, read in one transaction."""
    conn.execute("BEGIN")
    try:
        rows = {r[0]: (r[1], r[2], r[3], r[4]) for r in conn.execute(_PER_ARTICLE)}
        orphans = int(conn.execute(_ORPHANS).fetchone()[0])
    finally:
        conn.execute("COMMIT")
    return rows, orphans


@pytest.mark.slow
def test_reader_never_sees_an_article_without_its_events(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    db = tmp_path / "live.db"
    snapshots: list[tuple[Snapshot, int]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def poll() -> None:
        conn: sqlite3.Connection | None = None
        try:
            while not done.is_set():
                if conn is None:
                    try:  # read-only, as `tidings events` and the API open it
                        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10,
                                               isolation_level=None)
                        conn.execute("SELECT 1 FROM events LIMIT 1")
                    except sqlite3.Error:
                        conn = None
                        time.sleep(0.02)
                        continue
                snapshots.append(_read_snapshot(conn))
                time.sleep(0.002)
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)
        finally:
            if conn is not None:
                conn.close()

    reader = threading.Thread(target=poll, daemon=True)
    reader.start()
    proc = subprocess.run(run_cmd(corpus, db), env=_env(), capture_output=True, text=True,
                          timeout=150)
    done.set()
    reader.join(timeout=30)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert not errors, errors
    final, orphans = _read_snapshot(sqlite3.connect(db, isolation_level=None))
    assert orphans == 0 and final
    growing = [s for s, _ in snapshots if 0 < len(s) < len(final)]
    assert len(growing) >= 5, f"the reader saw only {len(growing)} partial stores"
    for seen, orphan_rows in snapshots:
        assert orphan_rows == 0, "a reader saw events or actors without their article"
        for article_id, rows in seen.items():
            assert rows == final[article_id], (
                f"article {article_id} seen with (events, actors, places, times) {rows}, "
                f"stored with {final[article_id]}")
