"""Negation in the events stage on the factuality dev split (UW dev + MEANTIME dev).

Two numbers the sixth round of issue 14 kept changes on (BENCHMARKS.md):

- the stage's decision (the factuality model with the rule learned-factuality's settings and
  the rules' marks) with and without the guard that a negation the rules do not mark needs a
  word of negation in the sentence;
- the rules alone (``modality``), negated precision and recall.

    python benchmarks/bench_negation.py [--data ../shared/data/train/factuality]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from tidings.parse import load_nlp
from tidings.stages.events import RULES, load_lexicon
from tidings.stages.events.conventions import negation_word
from tidings.stages.events.draft import Candidate
from tidings.stages.events.modality import decide, marks
from tidings.stages.factuality import probabilities
from tidings.train.factuality import examples, label_scores, read_split, rule_class

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "train" / "factuality"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    rows = examples(read_split(ap.parse_args().data)["dev"], load_nlp())
    gold = [lab for _, lab in rows]
    w = RULES["learned-factuality"].words
    unguarded, guarded = [], []
    for tok, _ in rows:
        m, _ = marks(Candidate(tok, "", None), load_lexicon(), tok.sent.text)
        p = probabilities(tok)
        if not p:
            unguarded.append("asserted")
            guarded.append("asserted")
            continue
        unguarded.append(decide(p, m, w["asserted_bias"], w["min_negated"]))
        guarded.append(decide(p, m, w["asserted_bias"],
                              w["min_negated"] if negation_word(tok.sent, w) else 2.0))
    print(f"factuality dev: {len(rows)} events, {Counter(gold)['negated']} negated")
    for name, pred in (("stage, no guard", unguarded), ("stage, guard", guarded),
                       ("rules alone", [rule_class(t) for t, _ in rows])):
        neg = label_scores(gold, pred)["per_type"]["negated"]
        false = sum(1 for g, q in zip(gold, pred) if q == "negated" and g != "negated")
        print(f"{name:16s} negated P {neg['precision']:.4f} R {neg['recall']:.4f} "
              f"F1 {neg['f1']:.4f}, false negations {false}")


if __name__ == "__main__":
    main()
