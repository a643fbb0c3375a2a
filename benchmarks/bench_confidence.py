"""Calibrated event confidence on the held-out test split (issue 17).

    python benchmarks/bench_confidence.py [--data DIR] [--split test|dev]

Runs the whole pipeline (the shipped ``data/confidence_model.json``, classifier off) over the
sentences and articles of one split of ``tidings.train.confidence`` (test: ConfliBERT's test
split and the PLOVER gold records' test half; the held-out article sets ``unseen_en8`` ..
``unseen_en24``), labels every emitted event right when its type and source actor are right
(an article event the gold says nothing about is left out), and prints, pooled and for the
sentences and the articles apart, the expected calibration error (15 bins; with its noise floor, the
ECE a perfectly calibrated model shows on as many events), the precision/coverage curve
(events sorted by confidence, most confident 10..100 %), the type+actor precision at 50 %
coverage and the confidence threshold that keeps half the events, and the per-field ECE of
``confidences.type`` / ``confidences.source``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from tidings.eval.metrics import calibration_error
from tidings.model import Article
from tidings.pipeline import extract_many
from tidings.readers import article_id
from tidings.train.confidence import (
    DEFAULT_DATA,
    event_fields,
    is_article,
    labels_of,
    read_articles,
    read_sets,
    scores,
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--split", choices=("dev", "test"), default="test")
    args = ap.parse_args()
    records = [r for r in read_sets(args.data) + read_articles() if r["split"] == args.split]
    arts = [r.get("article") or Article(text=r["text"], published=r["date"],
                                        id=article_id(r["text"])) for r in records]
    t0 = time.perf_counter()
    conf, right, p_type, ok_type, p_src, ok_src, group = [], [], [], [], [], [], []
    for rec, doc in zip(records, extract_many(arts)):
        for e in doc.events:
            lab = labels_of(event_fields(e), rec)
            if lab is None:
                continue
            group.append("articles" if is_article(rec) else "sentences")
            conf.append(e.confidence)
            right.append(float(lab["event"]))
            p_type.append(e.confidences.get("type", e.confidence))
            ok_type.append(float(lab["type"]))
            if e.source and e.confidences.get("source") is not None:
                p_src.append(e.confidences["source"])
                ok_src.append(float(lab["source"]))
    secs = time.perf_counter() - t0
    c, y = np.array(conf), np.array(right)
    s = scores(c, y)
    half = float(np.sort(c)[::-1][max(0, len(c) // 2 - 1)]) if len(c) else 0.0
    print(f"{args.split} split: {len(records)} sentences and articles, {s['n']} events, "
          f"{s['right']:.3f} right (type and source), {secs:.1f} s")
    print(f"ECE (15 bins)              {s['ece']:.4f}   (noise floor {s['ece_floor']:.4f})")
    print(f"log loss                   {s['log_loss']:.4f}")
    print(f"mean confidence            {float(c.mean()) if len(c) else 0.0:.4f}   "
          f"(right: {s['right']:.4f})")
    print("coverage %  " + "  ".join(f"{k:>5}" for k in s["curve"]))
    print("precision   " + "  ".join(f"{v:5.3f}" for v in s["curve"].values()))
    print(f"type+actor precision at 50 % coverage: {s['precision_at_50']:.3f} "
          f"(confidence >= {half:.3f})")
    for g in ("sentences", "articles"):
        sel = np.array(group) == g
        if sel.any():
            sg = scores(c[sel], y[sel])
            print(f"  {g:9s} {sg['n']:5d} events, {sg['right']:.3f} right: ECE {sg['ece']:.4f} "
                  f"(noise floor {sg['ece_floor']:.4f}), precision at 50 % coverage "
                  f"{sg['precision_at_50']:.3f}")
    print(f"confidences.type   ECE {calibration_error(np.array(p_type), np.array(ok_type)):.4f}"
          f"  ({np.mean(ok_type):.3f} right)")
    print(f"confidences.source ECE {calibration_error(np.array(p_src), np.array(ok_src)):.4f}"
          f"  ({np.mean(ok_src):.3f} right, {len(p_src)} events with a source)")


if __name__ == "__main__":
    main()
