"""How often actors a rule inferred agree with the gold (issue 14, sixth round).

For each asserted event whose target (or source) carries ``country_basis`` BASIS, find the gold
event of the same type whose evidence holds the trigger and count: right (the gold side names
the inferred actor), wrong (it names someone else), gold-empty (the gold side is empty),
unmatched (no gold event there). Counts only; nothing is printed about single events.

    python benchmarks/bench_fills.py focus tests/fixtures/unseen_en5 [--side source]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from tidings.eval.articles import _codes, _inside, _known_as, _spans, read_set
from tidings.pipeline import extract_many
from tidings.readers import Rejected, read


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("basis")
    ap.add_argument("sets", nargs="+", type=Path)
    ap.add_argument("--side", choices=("source", "target"), default="target")
    args = ap.parse_args()
    for folder in args.sets:
        gold, neg = read_set(folder)
        files = sorted({g["file"] for g in gold} | {x["file"] for x in neg})
        arts = [(n, a) for n in files for a in read(folder / n) if not isinstance(a, Rejected)]
        docs = {n: d.to_dict() for (n, _), d in zip(arts, extract_many(a for _, a in arts))}
        counts: Counter[str] = Counter()
        for name, d in docs.items():
            for e in d["events"]:
                side = e[args.side]
                if e["modality"] != "asserted" or not any(
                        a.get("country_basis") == args.basis for a in side):
                    continue
                here = [g for g in gold if g["file"] == name and g["type"] == e["type"] and
                        _inside(e, _spans(d["text"], [g["evidence"], *g.get("alt_evidence", [])]))]
                if not here:
                    counts["unmatched"] += 1
                elif any(_known_as(c) & _codes(side) for g in here for c in g.get(args.side, [])):
                    counts["right"] += 1
                elif not here[0].get(args.side):
                    counts["gold-empty"] += 1
                else:
                    counts["wrong"] += 1
        print(f"{folder.name}: " + ", ".join(f"{k} {counts[k]}" for k in
                                              ("right", "wrong", "gold-empty", "unmatched")))


if __name__ == "__main__":
    main()
