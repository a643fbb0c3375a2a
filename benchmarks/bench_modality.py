"""Negation on data no modality code was trained or tuned on: ECB+ action mentions.

    python benchmarks/bench_modality.py [PATH]

PATH defaults to ../shared/data/train/ecbplus/docs.jsonl. ECB+ (Cybulska and Vossen 2014)
marks action mentions, negated ones as ``NEG_ACTION_*`` (only its ``annotated_sentences``
mark every mention, but a mention's class holds wherever it is marked, so every sentence with
an action mention is used). Each sentence is parsed alone; each action mention's head token
is read by the events stage's modality with the rules alone and with the
``learned-factuality`` rule (the model decides, the rules' marks split), and negation
precision, recall and F1 are printed for both.
Neither the factuality model nor its settings saw ECB+.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tidings.eval.metrics import prf
from tidings.parse import load_nlp
from tidings.stages.events import RULES, load_lexicon
from tidings.stages.events.draft import Candidate
from tidings.stages.events.modality import combine, from_marks, marks
from tidings.stages.factuality import probabilities

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "data" / "train" / "ecbplus" / "docs.jsonl"


def action_mentions(path: Path) -> tuple[list[str], list[list[tuple[int, int, bool]]]]:
    """The sentences with action mentions and, per sentence, (start, end, negated) of each."""
    sents: list[str] = []
    spans: list[list[tuple[int, int, bool]]] = []
    for line in path.read_text("utf-8").splitlines():
        d = json.loads(line)
        lines = d["text"].split("\n")
        starts = [0]
        for x in lines[:-1]:
            starts.append(starts[-1] + len(x) + 1)
        for k in sorted({m["sentence"] for m in d["mentions"] if "ACTION" in m["class"]}):
            ms = [(m["start"] - starts[k], m["end"] - starts[k], m["class"].startswith("NEG_"))
                  for m in d["mentions"] if m.get("sentence") == k
                  and "ACTION" in m["class"]]
            if ms:
                sents.append(lines[k])
                spans.append(ms)
    return sents, spans


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("path", nargs="?", type=Path, default=ECB)
    args = ap.parse_args(argv)
    nlp, lex = load_nlp(), load_lexicon()
    w = RULES["learned-factuality"].words
    sents, spans = action_mentions(args.path)
    counts = {"rules": [0, 0, 0], "rules + model": [0, 0, 0]}
    n = 0
    for doc, ms in zip(nlp.pipe(sents, batch_size=64), spans):
        for start, end, gold in ms:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            n += 1
            tok = span.root
            m, _ = marks(Candidate(tok, "", None), lex, doc.text)
            p = probabilities(tok)
            preds = {"rules": from_marks(m) == "negated",
                     "rules + model": (combine(p, m, w["asserted_bias"], w["min_negated"])
                                       if p else from_marks(m)) == "negated"}
            for k, pred in preds.items():
                c = counts[k]
                c[0] += pred and gold
                c[1] += pred and not gold
                c[2] += gold and not pred
    gold_n = counts["rules"][0] + counts["rules"][2]
    print(f"ECB+ action mentions: {n} in {len(sents)} sentences, {gold_n} negated")
    for k, (tp, fp, fn) in counts.items():
        s = prf(tp, fp, fn)
        print(f"  {k:14s} negation P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
              f"  (false negations {fp}, missed {fn})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
