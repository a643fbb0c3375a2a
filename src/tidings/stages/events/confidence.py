"""Calibrated confidence of an event: the probability that its type and source actor are right.

A logistic model (``data/confidence_model.json``, trained by ``python -m
tidings.train.confidence``; docs/MODEL_CARD_confidence.md) reads what the events stage already
knows about each event: the lexicon's score of the trigger, whether the trigger is a verb or an
event noun, which sides have an actor and whether those are coded or inferred, the modality and
the factuality model's probability, how many candidates the sentence has, whether a coding rule
re-typed the lexicon's type, the type itself. Three weight vectors over the same features give
``confidence`` (type and source both right) and the per-field ``type`` and ``source``
probabilities of ``Event.confidences``; ``place`` is the place's detection score and ``date``
the measured value precision of the temporal expression that dates it (``published``: null,
not measured).

The within-article merge still picks the better-dated mention by the lexicon score (the hand
score the stage has always used, :func:`lexical_confidence`), and the calibrated values are
set after it (:func:`calibrate`), so the model never changes which events are emitted.

Inference is a dot product in pure Python, as for the factuality model and the
event-location ranker.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from ...model import Actor, Event
from ...packaged import read_json

MODEL_FILE = "confidence_model.json"
#: Confidence fields of ``Event.confidences``, in the order the JSON writes them.
FIELDS = ("type", "source", "place", "date")
#: Value precision of the temporal expressions that date events (``date.basis == "text"``):
#: the times stage's value F1 on all of TBAQ-cleaned (BENCHMARKS.md, "Time"). A date taken
#: from the publication day is not measured: null.
DATE_TEXT_PRECISION = 0.805


def lexical_confidence(lexical_score: float, source: list[Actor], target: list[Actor],
                       modality: str) -> float:
    """The hand score the within-article merge compares (the confidence before issue 17)."""
    score = lexical_score
    score += 0.12 if source else -0.15
    score += 0.08 if target else 0.0
    if modality != "asserted":
        score -= 0.05
    return max(0.05, min(0.98, score))


def _coded(actors: list[Actor]) -> bool:
    return any(a.country or a.kb_id for a in actors)


def features(cand: Any, sent: Any, source: list[Actor], target: list[Actor], modality: str,
             type_: str, first_type: str, n_in_sentence: int,
             p_asserted: float | None) -> dict[str, float]:
    """The calibrator's features of one event (names as in ``confidence_model.json``)."""
    trig = cand.trigger
    f: dict[str, float] = {
        "bias": 1.0,
        "lexical": float(cand.lexical_score),
        "noun_trigger": float(trig.pos_ in ("NOUN", "PROPN")),
        "light_verb": float(cand.noun is not None and cand.noun.i != trig.i),
        "trigger_root": float(trig.dep_ == "ROOT"),
        "has_source": float(bool(source)),
        "has_target": float(bool(target)),
        "source_coded": float(_coded(source)),
        "target_coded": float(_coded(target)),
        "source_inferred": float(any(a.country_basis for a in source)),
        "source_compound": float(len(source) > 1),
        "retyped": float(type_ != first_type),
        "sentence_events_2": float(n_in_sentence == 2),
        "sentence_events_3+": float(n_in_sentence >= 3),
        "sentence_length": math.log(max(len(sent), 1)) / 4.0,
    }
    if modality != "asserted":
        f[f"modality={modality}"] = 1.0
    if p_asserted is None:
        f["no_factuality"] = 1.0
    else:
        f["p_asserted"] = float(p_asserted)
    f[f"type={type_}"] = 1.0
    # the trigger word (how reliable its lexicon type is) and who the source is (a sector, a
    # knowledge-base entry, a country inferred from the place or the article): learned per
    # value, and an event with no source by its type (a REQUEST with nobody asking is rarely
    # right; an ASSAULT whose perpetrator is unnamed often is)
    f[f"lemma={trig.lemma_.lower()}"] = 1.0
    first = source[0] if source else None
    f[f"source_sector={first.sector if first is not None else 'none'}"] = 1.0
    f[f"source_basis={first.country_basis if first is not None else 'none'}"] = 1.0
    f["source_kb"] = float(any(a.kb_id for a in source))
    if first is None:
        f[f"type={type_}&no_source"] = 1.0
    else:
        f.update(_source_position(trig, sent, first))
    return f


def _source_position(trig: Any, sent: Any, a: Actor) -> dict[str, float]:
    """Where the source stands to the trigger: inside the trigger's subject (or passive
    agent), outside its sentence (a pronoun's antecedent, the article's focus), far from it."""
    subj = [t for c in trig.children if c.dep_ in ("nsubj", "nsubjpass", "agent", "csubj")
            for t in c.subtree]
    in_subject = any(t.idx < a.end and a.start < t.idx + len(t.text) for t in subj)
    outside = not (sent.start_char <= a.start < sent.end_char)
    doc = trig.doc
    span = doc.char_span(a.start, a.end, alignment_mode="expand") if not outside else None
    far = span is not None and min(abs(t.i - trig.i) for t in span) > 8
    return {"source_in_subject": float(in_subject), "source_outside_sentence": float(outside),
            "source_far": float(far)}


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> dict[str, Any] | None:
    """The calibrator's weights (``data/confidence_model.json`` by default); None if absent."""
    model: dict[str, Any] | None = read_json(MODEL_FILE, path)
    return model


def predict(f: dict[str, float], weights: dict[str, float]) -> float:
    """P(right) of a feature dict under one weight vector."""
    z = sum(weights.get(k, 0.0) * v for k, v in f.items())
    z = max(-30.0, min(30.0, z))
    return 1.0 / (1.0 + math.exp(-z))


def calibrate(events: list[Event], model: dict[str, Any] | None = None) -> None:
    """Set each event's ``confidence`` and ``confidences`` from its features (left as they are
    for an event without features or without a model)."""
    m = load_model() if model is None else model
    for e in events:
        if not e.features or not m:
            continue
        w = m["weights"]
        e.confidence = predict(e.features, w["event"])
        date = DATE_TEXT_PRECISION if e.date.basis == "text" else None
        e.confidences = {
            "type": predict(e.features, w["type"]),
            "source": predict(e.features, w["source"]) if e.source else None,
            "place": e.location.score if e.location is not None else None,
            "date": date,
        }
