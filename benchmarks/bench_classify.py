"""Benchmark: ``tidings.classify`` throughput on the PLV sentences, batched and one at a time.

    python benchmarks/bench_classify.py [../shared/data/plover/PLV_train.tsv] [--json out.json]

Scores every ``marked_sentence`` of the file with :func:`tidings.classifier.classify_batch` (one
embedding pass per batch of 64) after a warm-up, then the first 100 one call each (what
``tidings.classify()`` costs per call). Reports sentences/s for both.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import time
from pathlib import Path

from tidings.classifier import classify_batch

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "plover" / "PLV_train.tsv"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tsv", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if not args.tsv.exists():
        print(f"bench_classify: skipped: {args.tsv} is absent")
        return 0
    with open(args.tsv, encoding="utf-8", newline="") as fh:
        items = [(r["marked_sentence"], None, None) for r in csv.DictReader(fh, delimiter="\t")]
    classify_batch(items[:32])  # load the model and warm up
    t0 = time.perf_counter()
    classify_batch(items)
    batched = len(items) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for it in items[:100]:
        classify_batch([it])
    single = min(100, len(items)) / (time.perf_counter() - t0)
    result = {"sentences": len(items), "batched_per_s": round(batched, 1),
              "one_at_a_time_per_s": round(single, 1),
              "machine": f"{platform.machine()} python {platform.python_version()}"}
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
