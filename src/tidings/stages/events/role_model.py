"""A learned scorer of (trigger, actor mention) pairs: source, target or neither.

A multinomial logistic model over the dependency path from the trigger (or its event noun) to
the mention's head, the prepositions on it, the trigger's voice and part of speech, the
mention's side and distance, trained by ``python -m tidings.train.roles`` on ConfliBERT's
source/target spans, ZSP's argument pairs and M2E2's argument roles. Inference is a dot
product over the features that fire, in pure Python, as for the event-location ranker.

Not in the pipeline yet (issue 14, step 3): on held-out pairs of its own data it beats the
parse rules (macro-F1 0.715 against 0.574), but filling the sides the parse rules leave empty
did not raise tuple F1 on the gold records' test half (BENCHMARKS.md, "Learned components").
No model file ships; ``python -m tidings.train.roles --out FILE`` writes one and
``benchmarks/bench_learned_roles.py`` measures it in the events stage.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from ...packaged import read_json
from ..location import bucket, dep_walk, lexicalised

MODEL_FILE = "role_model.json"
CLASSES = ("neither", "source", "target")


def _path(a: Any, b: Any) -> tuple[list[str], list[str]] | None:
    """Dependency labels from ``a`` up to the common ancestor and down to ``b`` (prepositions,
    agents and datives lexicalised: ``prep:against``); None when they share no ancestor."""
    walk = dep_walk(a, b)
    if walk is None:
        return None
    ups, downs = walk
    return [t.dep_ for t in ups], lexicalised(downs, ("prep", "agent", "dative"))


def _passive(tok: Any) -> bool:
    return any(k.dep_ in ("nsubjpass", "auxpass") for k in tok.children)


def features(trigger: Any, head: Any, noun: Any = None, kind: str | None = None) -> list[str]:
    """Features of the pair (trigger token, mention head token); ``noun`` is the event noun of
    a light verb ("completed their withdrawal"), whose phrases also carry roles; ``kind`` is
    the trigger's PLOVER type in the lexicon, if any."""
    anchors = [trigger] + ([noun] if noun is not None and noun.i != trigger.i else [])
    best: tuple[list[str], list[str]] | None = None
    for a in anchors:
        p = _path(a, head)
        if p is not None and (best is None or len(p[0]) + len(p[1]) < len(best[0]) + len(best[1])):
            best = p
    voice = "passive" if _passive(trigger) else "active"
    tpos = "noun" if trigger.pos_ in ("NOUN", "PROPN") else "verb"
    f = ["bias", f"tpos={tpos}", f"voice={voice}",
         "dir=" + ("before" if head.i < trigger.i else "after"),
         f"dist={bucket(abs(head.i - trigger.i))}", f"hdep={head.dep_}",
         f"hkind={head.ent_type_ or head.pos_}"]
    if noun is not None and noun.i != trigger.i:
        f.append("light")
    if best is None:
        return f + ["nopath"]
    ups, downs = best
    path = "/".join(ups) + "|" + "/".join(downs)
    preps = [d for d in downs if d.startswith("prep:")]
    f += [f"nup={min(len(ups), 4)}", f"ndown={min(len(downs), 5)}",
          "up=" + "/".join(ups[:3]), "down=" + "/".join(downs[:3]),
          "prep0=" + (preps[0] if preps else "none"),
          "lastdown=" + (downs[-1] if downs else "self")]
    if len(ups) + len(downs) <= 4:
        f += ["path=" + path, f"{voice}&path={path}", f"{tpos}&path={path}"]
    f += [f"{voice}&down={'/'.join(downs[:2])}", f"{tpos}&down={'/'.join(downs[:2])}",
          f"{voice}&prep0={preps[0] if preps else 'none'}"]
    if ups:
        f.append(f"up1={ups[0]}&down={'/'.join(downs[:2])}")
    f.append(f"{voice}&hdep={head.dep_}&dir={'before' if head.i < trigger.i else 'after'}")
    if kind:
        f += [f"type={kind}", f"type={kind}&down={'/'.join(downs[:2])}",
              f"type={kind}&lastdown={downs[-1] if downs else 'self'}"]
    return sorted(set(f))


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> dict[str, Any] | None:
    """The model's weights (``data/role_model.json`` by default); None if absent."""
    model: dict[str, Any] | None = read_json(MODEL_FILE, path)
    return model


def probabilities(trigger: Any, head: Any, noun: Any = None, kind: str | None = None,
                  model: dict[str, Any] | None = None) -> dict[str, float] | None:
    """P(neither), P(source), P(target) of the mention headed by ``head`` for ``trigger``."""
    m = load_model() if model is None else model
    if not m:
        return None
    feats = features(trigger, head, noun, kind)
    scores = {c: m["bias"][c] + sum(m["weights"][c].get(k, 0.0) for k in feats)
              for c in m["classes"]}
    top = max(scores.values())
    exp = {c: math.exp(s - top) for c, s in scores.items()}
    z = sum(exp.values())
    return {c: v / z for c, v in exp.items()}
