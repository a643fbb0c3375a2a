"""Factuality of an event mention: did it happen, not happen, or is it uncertain?

A multinomial logistic model over parse features of the trigger and the chain of its heads
(auxiliaries, negation, subordinating marks, governing verbs, tense tags), trained on the UW and
MEANTIME factuality corpora (``python -m tidings.train.factuality``; model card
docs/MODEL_CARD_factuality.md). Its three classes map onto the events stage's modality:
``asserted`` (happened), ``negated`` (did not happen) and ``uncertain`` (future, hypothetical,
reported as possible), which the rules split into future and hypothetical.

Inference is a dot product over the features that fire, in pure Python (as the event-location
ranker), so it costs microseconds per trigger and no numpy at run time.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from ..packaged import read_json

MODEL_FILE = "factuality_model.json"
CLASSES = ("asserted", "negated", "uncertain")
#: negation words that negate their head as a child (beyond the parser's ``neg`` relation);
#: "without" negates its object, not its head ("accused them without naming any country"
#: accuses), so it is read as the preposition governing a level (``L1:prep=without``)
NEG_WORDS = frozenset({"not", "n't", "never", "no", "neither", "nor", "nothing", "none"})
#: adverbs that hedge or confirm a clause
HEDGES = frozenset({"reportedly", "allegedly", "possibly", "perhaps", "likely", "probably",
                    "already", "still", "yet"})
LEVELS = 4


def _child_features(level: int, kids: list[Any]) -> list[str]:
    f = []
    for k in kids:
        if k.dep_ in ("aux", "auxpass"):
            f.append(f"L{level}:aux={k.lower_}")
        if k.dep_ == "neg" or (k.lower_ in NEG_WORDS and k.dep_ in ("det", "advmod", "prep",
                                                                     "neg")):
            f += [f"L{level}:neg", "anyneg"]
        if k.dep_ == "mark":
            f.append(f"L{level}:mark={k.lower_}")
        if k.dep_ == "advmod" and k.lower_ in HEDGES:
            f.append(f"L{level}:adv={k.lower_}")
    return f


def features(tok: Any) -> list[str]:
    """Features of a trigger token: itself and up to three heads above it."""
    f = ["bias"]
    cur = tok
    for i in range(LEVELS):
        f += [f"L{i}:tag={cur.tag_}", f"L{i}:dep={cur.dep_}"]
        if i > 0:
            f.append(f"L{i}:lemma={cur.lemma_.lower()}")
        f += _child_features(i, list(cur.children))
        if cur.dep_ in ("pobj", "pcomp") and cur.head.i != cur.i:
            f.append(f"L{i}:prep={cur.head.lower_}")  # "without naming", "after talks"
        if cur.head.i == cur.i:
            f.append(f"L{i}:root")
            break
        f.append(f"L{i}>{cur.dep_}")
        cur = cur.head
    sent = tok.sent
    if sent.text.rstrip().endswith("?"):
        f.append("question")
    if any(t.lower_ in ("if", "unless", "whether") for t in sent):
        f.append("sent:if")
    return sorted(set(f))


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> dict[str, Any] | None:
    """The model's weights (``data/factuality_model.json`` by default); None if absent."""
    model: dict[str, Any] | None = read_json(MODEL_FILE, path)
    return model


def probabilities(tok: Any, model: dict[str, Any] | None = None) -> dict[str, float] | None:
    """P(asserted), P(negated), P(uncertain) of the event at ``tok``; None without a model."""
    m = load_model() if model is None else model
    if not m:
        return None
    feats = features(tok)
    scores = {}
    for c in m["classes"]:
        w = m["weights"][c]
        scores[c] = m["bias"][c] + sum(w.get(k, 0.0) for k in feats)
    top = max(scores.values())
    exp = {c: math.exp(s - top) for c, s in scores.items()}
    z = sum(exp.values())
    return {c: v / z for c, v in exp.items()}


def factuality(tok: Any, model: dict[str, Any] | None = None) -> str | None:
    """The most probable class of the event at ``tok``; None without a model."""
    p = probabilities(tok, model)
    return max(p, key=lambda c: p[c]) if p else None
