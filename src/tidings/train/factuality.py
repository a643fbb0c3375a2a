"""Train the event factuality model (``data/factuality_model.json``).

Data (``../shared/data/train/factuality``, see its README): UW factuality (news, TempEval-3 text)
and MEANTIME (WikiNews), one factuality value per event token from -3 (did not happen) to +3
(happened). Classes: value ≥ 1.5 asserted, ≤ -1.5 negated, otherwise uncertain.

The split, fixed once and by document set (the corpora's own splits, so no sentence of a
document sits on two sides):

- train: ``uw_train.jsonl`` + MEANTIME ``split == "train"``
- dev:   ``uw_dev.jsonl`` + MEANTIME ``split == "dev"`` (model selection: C and class weights)
- test:  MEANTIME ``split == "test"`` (reported once per kept change; UW test was never read)

The rule-based modality of the events stage is scored on the same sets as the baseline (its
``asserted``/``historical`` read as asserted, ``negated`` as negated, the rest uncertain).

    python -m tidings.train.factuality [--data DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from ..eval.metrics import data_sha256, label_scores
from ..stages.factuality import CLASSES, MODEL_FILE, features

DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "train" / \
    "factuality"
DATA_FILES = ("uw_train.jsonl", "uw_dev.jsonl", "meantime.jsonl")
#: chosen on dev (macro-F1 over the three classes; 2026-12-05): C 0.1 > 0.3 > 1.0, balanced
#: class weights > none (the negated class is 2.5 % of the training events)
C = 0.1
MIN_COUNT = 2


def label(value: float) -> str:
    """The class of a factuality value in [-3, 3]."""
    if value >= 1.5:
        return "asserted"
    if value <= -1.5:
        return "negated"
    return "uncertain"


def read_split(data: Path) -> dict[str, list[dict[str, Any]]]:
    """Sentences (with their events) of train, dev and test, as documented above."""
    def rows(name: str) -> list[dict[str, Any]]:
        with open(data / name, encoding="utf-8") as fh:
            return [json.loads(x) for x in fh if x.strip()]

    mt = rows("meantime.jsonl")
    return {"train": rows("uw_train.jsonl") + [r for r in mt if r.get("split") == "train"],
            "dev": rows("uw_dev.jsonl") + [r for r in mt if r.get("split") == "dev"],
            "test": [r for r in mt if r.get("split") == "test"]}


def examples(rows: list[dict[str, Any]], nlp: Any) -> list[tuple[Any, str]]:
    """(trigger token, class) of every event whose span aligns with the parse."""
    out = []
    for r, doc in zip(rows, nlp.pipe([r["text"] for r in rows], batch_size=64)):
        for e in r["events"]:
            span = doc.char_span(e["start"], e["end"], alignment_mode="expand")
            if span is not None:
                out.append((span.root, label(e["factuality"])))
    return out


def rule_class(tok: Any) -> str:
    """The events stage's rule-based modality of ``tok``, read in the three classes."""
    from ..stages.events import load_lexicon
    from ..stages.events.draft import Candidate
    from ..stages.events.modality import modality

    m, _ = modality(Candidate(tok, "", None), load_lexicon(), tok.sent.text)
    return {"asserted": "asserted", "historical": "asserted", "negated": "negated"}.get(
        m, "uncertain")


def fit(train: list[tuple[Any, str]], c: float = C) -> dict[str, Any]:
    """Fit the logistic model; keep features seen at least MIN_COUNT times."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    feats = [features(t) for t, _ in train]
    counts = Counter(k for f in feats for k in f)
    keep = [[k for k in f if counts[k] >= MIN_COUNT] for f in feats]
    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(f, 1) for f in keep])
    y = [lab for _, lab in train]
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)
    names = vec.get_feature_names_out()
    classes = [str(k) for k in clf.classes_]
    weights = {cl: {str(n): round(float(w), 5) for n, w in zip(names, clf.coef_[i])
                    if abs(w) >= 1e-4} for i, cl in enumerate(classes)}
    bias = {cl: round(float(clf.intercept_[i]), 5) for i, cl in enumerate(classes)}
    assert set(classes) == set(CLASSES)
    return {"classes": classes, "bias": bias, "weights": weights}


def stage_class(tok: Any, model: dict[str, Any]) -> str:
    """The events stage's decision with its ``learned-factuality`` rule on: the model with the
    rule's settings (``data/event_rules.json``) and the rules' negation marks, in the three
    classes (before the rules split uncertain into future and hypothetical)."""
    from ..stages.events import RULES, load_lexicon
    from ..stages.events.draft import Candidate
    from ..stages.events.modality import decide, marks
    from ..stages.factuality import probabilities

    w = RULES["learned-factuality"].words
    m, _ = marks(Candidate(tok, "", None), load_lexicon(), tok.sent.text)
    p = probabilities(tok, model)
    return decide(p, m, w["asserted_bias"], w["min_negated"]) if p else rule_class(tok)


def evaluate(model: dict[str, Any], rows: list[tuple[Any, str]]) -> dict[str, Any]:
    """Model, rule and events-stage scores (macro-F1, per class) and false 'asserted' counts
    on ``rows``."""
    from ..stages.factuality import factuality

    gold = [lab for _, lab in rows]
    pred = [factuality(t, model) or "asserted" for t, _ in rows]
    rule = [rule_class(t) for t, _ in rows]
    stage = [stage_class(t, model) for t, _ in rows]

    def false_asserted(p: list[str]) -> int:
        return sum(1 for g, q in zip(gold, p) if g != "asserted" and q == "asserted")

    return {"n": len(gold), "not_asserted": sum(1 for g in gold if g != "asserted"),
            "model": {**label_scores(gold, pred), "false_asserted": false_asserted(pred)},
            "rules": {**label_scores(gold, rule), "false_asserted": false_asserted(rule)},
            "stage": {**label_scores(gold, stage), "false_asserted": false_asserted(stage)}}


def main(argv: list[str] | None = None) -> int:
    """Train on train, report dev and test, write the model file."""
    from ..parse import load_nlp

    ap = argparse.ArgumentParser(prog="python -m tidings.train.factuality",
                                 description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path,
                    default=Path(__file__).resolve().parents[1] / "data" / MODEL_FILE)
    args = ap.parse_args(argv)
    t0 = time.time()
    nlp = load_nlp()
    split = {k: examples(v, nlp) for k, v in read_split(args.data).items()}
    model = fit(split["train"])
    report = {k: evaluate(model, split[k]) for k in ("dev", "test")}
    model["meta"] = {
        "trained_on": {"files": list(DATA_FILES),
                       "data_sha256": data_sha256(args.data / n for n in DATA_FILES),
                       "train_events": len(split["train"]),
                       "classes": dict(Counter(lab for _, lab in split["train"]))},
        "recipe": {"C": C, "class_weight": "balanced", "min_count": MIN_COUNT},
        "scores": report,
    }
    args.out.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1), file=sys.stderr)
    print(f"wrote {args.out} in {time.time() - t0:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
