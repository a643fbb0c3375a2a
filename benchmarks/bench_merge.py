"""Story merge: quality on the labelled set, and speed of merge_new on synthetic mentions.

    python benchmarks/bench_merge.py [--events 20000]

Quality: ingests tests/fixtures/stories/articles into a temporary database and scores the
merge against tests/fixtures/stories/gold.tsv (pairwise and B-cubed P/R/F1). Speed: inserts
synthetic event mentions (random type, country, town, day over a year; each "event" reported
by 1-4 articles) straight into the store's tables and times ``merge_new`` over them.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from tidings.storage.sqlite import connect
from tidings.eval.stories import evaluate_folder, format_report
from tidings.stories import merge_new

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "stories"


def synthetic(db: Path, n: int, seed: int = 7) -> int:
    """Insert about ``n`` event mentions; return the number of true events."""
    rng = random.Random(seed)
    conn = connect(db)
    types = ["ASSAULT", "PROTEST", "COERCE", "CONSULT", "SANCTION"]
    countries = [f"C{i:02d}" for i in range(40)]
    k = 0
    events = 0
    with conn:
        while k < n:
            events += 1
            t, c = rng.choice(types), rng.choice(countries)
            lat, lon = rng.uniform(-30, 30), rng.uniform(-20, 50)
            day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            for r in range(rng.randint(1, 4)):
                aid, eid = f"a{k}", f"e{k}"
                conn.execute("INSERT INTO articles (id, published, source, text, document,"
                             " stored_at) VALUES (?,?,?,?,?,?)",
                             (aid, day, f"S{r}", "x", "{}", day))
                ev = {"source": [{"country": c, "name": c}], "target": [], "magnitudes": {}}
                conn.execute(
                    "INSERT INTO events (id, article_id, type, modality, confidence, date_start,"
                    " date_end, date_granularity, date_basis, trigger_start, evidence,"
                    " place_name, place_country, lat, lon, place_kind, json)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (eid, aid, t, "asserted", 0.8, day, day, "day", "text", 0,
                     f"{c} {t.lower()} event near town {events}", f"T{events}", c, lat, lon,
                     "city", json.dumps(ev)))
                k += 1
    conn.close()
    return events


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    res = evaluate_folder(FIX / "articles", FIX / "gold.tsv")
    print(format_report(res))
    print(f"  ({time.perf_counter() - t0:.1f} s including extraction)")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        true_events = synthetic(db, args.events)
        conn = connect(db)
        t0 = time.perf_counter()
        stats = merge_new(conn)
        dt = time.perf_counter() - t0
        stories = conn.execute("SELECT count(*) FROM story_events").fetchone()[0]
        print(f"merge_new: {stats['new_mentions']} mentions in {dt:.1f} s "
              f"({stats['new_mentions'] / dt:.0f} mentions/s); {stories} stories for "
              f"{true_events} synthetic events")
        t0 = time.perf_counter()
        merge_new(conn)
        print(f"merge_new again (nothing new): {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
