"""Train the role model (``data/role_model.json``): (trigger, mention) → source / target / neither.

Data (``../shared/data/train``, see its README; none of it is in this repository):

- ConfliBERT ``conflibert_cameo/roles.jsonl``: sentences with source and target spans of their
  event (no trigger: the trigger is the lowest verb governing both spans, else the verb over
  the one span). Sentences with ``reciprocal`` spans are left out (both sides act).
- ZSP ``zsp_aw/pairs.jsonl``: WikiEvents sentences with a trigger word and one marked argument
  pair; rows with ``label`` 1 give the marked source and target, and the sentence's other
  arguments (places, instruments) are neither.
- M2E2 ``m2e2/events.jsonl``: ACE events with argument roles mapped to sides
  (:data:`M2E2_ROLES`: attacker, arresting agent, killer, transporter, giver → source; target,
  victim, arrested person, destination, recipient → target; places, instruments, vehicles and
  transported artifacts → neither). Meetings and calls (reciprocal) are left out.

Mentions: M2E2's entity mentions; for ConfliBERT and ZSP, spaCy's named entities and noun
chunks, plus every gold span. A mention whose head lies in a gold span takes its role, every
other mention is neither.

The split, fixed once, by document (ConfliBERT and ZSP rows by sentence text or ZSP doc id,
M2E2 by article): SHA-256 of "set:document" mod 10, 0-5 train, 6-7 dev (model selection), 8-9
test (reported once). The parse rules of the events stage (``roles.roles`` over the same
mentions) are scored on the same pairs as the baseline.

    python -m tidings.train.roles [--data DIR] [--out FILE]

No model file ships (see ``stages/events/role_model.py``): without ``--out`` it only reports.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from ..eval.metrics import data_sha256, label_scores
from ..stages.events.role_model import CLASSES, MODEL_FILE, features

DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "train"
DATA_FILES = ("conflibert_cameo/roles.jsonl", "zsp_aw/pairs.jsonl", "m2e2/events.jsonl")
#: (M2E2 event type, role) → side; roles not listed are neither
M2E2_ROLES = {
    ("Conflict:Attack", "Attacker"): "source", ("Conflict:Attack", "Target"): "target",
    ("Conflict:Demonstrate", "Entity"): "source",
    ("Justice:Arrest-Jail", "Agent"): "source", ("Justice:Arrest-Jail", "Person"): "target",
    ("Life:Die", "Agent"): "source", ("Life:Die", "Victim"): "target",
    ("Movement:Transport", "Agent"): "source", ("Movement:Transport", "Destination"): "target",
    ("Transaction:Transfer-Money", "Giver"): "source",
    ("Transaction:Transfer-Money", "Recipient"): "target",
}
M2E2_SKIP = ("Contact:Meet", "Contact:Phone-Write")
MENTION_ENTS = ("PERSON", "NORP", "ORG", "GPE", "LOC", "FAC")
#: chosen on dev (macro-F1 over the three classes, 2026-12-05): see the model card
C = 0.3
MIN_COUNT = 2


def part(dataset: str, document: str) -> str:
    """train / dev / test of a document: SHA-256 of "set:document" mod 10, 0-5 / 6-7 / 8-9."""
    h = int(hashlib.sha256(f"{dataset}:{document}".encode()).hexdigest(), 16) % 10
    return "train" if h < 6 else "dev" if h < 8 else "test"


def _rows(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(x) for x in fh if x.strip()]


def _mentions(doc: Any) -> list[tuple[int, int]]:
    """Character spans of spaCy's named entities and noun chunks."""
    spans = {(e.start_char, e.end_char) for e in doc.ents if e.label_ in MENTION_ENTS}
    spans |= {(c.start_char, c.end_char) for c in doc.noun_chunks}
    return sorted(spans)


def _root(doc: Any, start: int, end: int) -> Any:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _lowest_verb(tok: Any) -> Any:
    cur = tok
    for _ in range(10):
        if cur.pos_ == "VERB" and cur.i != tok.i:
            return cur
        if cur.head.i == cur.i:
            return cur if cur.pos_ in ("VERB", "AUX") else None
        cur = cur.head
    return None


def _governor(heads: list[Any]) -> Any:
    """The lowest verb governing every token of ``heads``."""
    chains = []
    for h in heads:
        chain = [h]
        while chain[-1].head.i != chain[-1].i:
            chain.append(chain[-1].head)
        chains.append(chain)
    common = [t for t in chains[0] if all(t.i in {x.i for x in c} for c in chains[1:])]
    for t in common:
        if t.pos_ == "VERB" and all(t.i != h.i for h in heads):
            return t
    return _lowest_verb(heads[0]) if len(heads) == 1 else None


def _pairs(doc: Any, trigger: Any, gold: list[tuple[int, int, str]],
           mentions: list[tuple[int, int]], set_name: str,
           document: str) -> list[dict[str, Any]]:
    """One example per mention head of the sentence (not the trigger itself)."""
    out: list[dict[str, Any]] = []
    seen: set[int] = set()
    for start, end in [(s, e) for s, e, _ in gold] + mentions:
        head = _root(doc, start, end)
        if head is None or head.i in seen or head.i == trigger.i:
            continue
        seen.add(head.i)
        role = next((r for s, e, r in gold if s <= head.idx < e), "neither")
        out.append({"set": set_name, "doc": document, "trigger": trigger, "head": head,
                    "label": role})
    return out


def examples(data: Path, nlp: Any) -> list[dict[str, Any]]:
    """Every (trigger, mention) example of the three sets, with its set and document."""
    out: list[dict[str, Any]] = []
    rows = [r for r in _rows(data / DATA_FILES[0])
            if not any(s["role"] == "reciprocal" for s in r["spans"])]
    for r, doc in zip(rows, nlp.pipe([r["text"] for r in rows], batch_size=64)):
        gold = [(s["start"], s["end"], s["role"]) for s in r["spans"]]
        heads = [h for s, e, _ in gold if (h := _root(doc, s, e)) is not None]
        trigger = _governor(heads) if heads else None
        if trigger is not None:
            out += _pairs(doc, trigger, gold, _mentions(doc), "conflibert", r["text"])
    rows = [r for r in _rows(data / DATA_FILES[1]) if r.get("label") == 1 and r.get("source_span")
            and r.get("target_span")]
    for r, doc in zip(rows, nlp.pipe([r["sentence"] for r in rows], batch_size=64)):
        gold = [(r["source_span"]["start"], r["source_span"]["end"], "source"),
                (r["target_span"]["start"], r["target_span"]["end"], "target")]
        trig = [t for t in doc if t.text == r["trigger"]]
        if not trig:
            continue
        trigger = min(trig, key=lambda t: abs(t.idx - gold[0][0]))
        out += _pairs(doc, trigger, gold, _mentions(doc), "zsp", str(r["doc_id"]))
    rows = [r for r in _rows(data / DATA_FILES[2]) if r["events"]]
    for r, doc in zip(rows, nlp.pipe([r["text"] for r in rows], batch_size=64)):
        mentions = [(e["start"], e["end"]) for e in r["entities"]]
        for ev in r["events"]:
            if ev["type"] in M2E2_SKIP:
                continue
            trigger = _root(doc, ev["trigger"]["start"], ev["trigger"]["end"])
            if trigger is None:
                continue
            gold = [(a["start"], a["end"], M2E2_ROLES.get((ev["type"], a["role"]), "neither"))
                    for a in ev["arguments"]]
            out += _pairs(doc, trigger, gold, mentions, "m2e2", r["doc_id"])
    from ..stages.events import load_lexicon

    lex = load_lexicon()
    for x in out:
        x["split"] = part(x["set"], x["doc"])
        x["features"] = features(x["trigger"], x["head"], kind=lexicon_type(x["trigger"], lex))
    return out


def lexicon_type(tok: Any, lex: Any) -> str | None:
    """The PLOVER type the trigger lexicon gives ``tok`` (a verb or an event noun), if any."""
    from ..stages.events.triggers import noun_key, verb_key

    key = noun_key(tok, lex) if tok.pos_ in ("NOUN", "PROPN") else verb_key(tok, lex)
    return key[0] if key else None


def rule_labels(rows: list[dict[str, Any]]) -> list[str]:
    """The events stage's parse rules (``roles.roles``) on the same pairs: every mention of a
    sentence is an actor, and the trigger a candidate of its lexicon type."""
    from ..model import Actor
    from ..stages.events import load_lexicon
    from ..stages.events.draft import Candidate
    from ..stages.events.roles import ActorIndex, roles
    from ..stages.events.triggers import noun_key, verb_key

    lex = load_lexicon()
    by_trigger: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for x in rows:
        by_trigger.setdefault((id(x["trigger"].doc), x["trigger"].i), []).append(x)
    pred: dict[int, str] = {}
    for group in by_trigger.values():
        tok = group[0]["trigger"]
        doc = tok.doc
        actors = []
        for x in group:
            h = x["head"]
            lo, hi = h.left_edge.idx, h.right_edge.idx + len(h.right_edge.text)
            actors.append(Actor(text=doc.text[lo:hi], start=lo, end=hi, name=h.text,
                                country="XXX", sector=None, kb_id="XXX"))
        key = (noun_key(tok, lex) if tok.pos_ == "NOUN" else verb_key(tok, lex)) or ("", None)
        cand = Candidate(tok, key[0], key[1], noun=tok if tok.pos_ == "NOUN" else None)
        source, target = roles(cand, ActorIndex(actors, doc))
        src = {(a.start, a.end) for a in source}
        tgt = {(a.start, a.end) for a in target}
        for x, a in zip(group, actors):
            pred[id(x)] = "source" if (a.start, a.end) in src else (
                "target" if (a.start, a.end) in tgt else "neither")
    return [pred[id(x)] for x in rows]


def fit(train: list[dict[str, Any]], c: float = C) -> dict[str, Any]:
    """Fit the multinomial logistic model; keep features seen at least MIN_COUNT times."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(k for x in train for k in x["features"])
    keep = [[k for k in x["features"] if counts[k] >= MIN_COUNT] for x in train]
    vec = DictVectorizer()
    xs = vec.fit_transform([dict.fromkeys(f, 1) for f in keep])
    clf = LogisticRegression(C=c, max_iter=5000).fit(xs, [x["label"] for x in train])
    names = vec.get_feature_names_out()
    classes = [str(k) for k in clf.classes_]
    assert set(classes) == set(CLASSES)
    weights = {cl: {str(n): round(float(w), 5) for n, w in zip(names, clf.coef_[i])
                    if abs(w) >= 1e-4} for i, cl in enumerate(classes)}
    bias = {cl: round(float(clf.intercept_[i]), 5) for i, cl in enumerate(classes)}
    return {"classes": classes, "bias": bias, "weights": weights}


def predict(model: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    """The most probable side of each pair."""
    import math

    out = []
    for x in rows:
        s = {c: model["bias"][c] + sum(model["weights"][c].get(k, 0.0) for k in x["features"])
             for c in model["classes"]}
        top = max(s.values())
        out.append(max(s, key=lambda c: math.exp(s[c] - top)))
    return out


def evaluate(model: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Model and rule scores on ``rows``, over all sets and per set."""
    res: dict[str, Any] = {}
    for name in (None, "conflibert", "zsp", "m2e2"):
        sel = [x for x in rows if name is None or x["set"] == name]
        if not sel:
            continue
        gold = [x["label"] for x in sel]
        res[name or "all"] = {"pairs": len(sel),
                              "model": label_scores(gold, predict(model, sel)),
                              "rules": label_scores(gold, rule_labels(sel))}
    return res


def main(argv: list[str] | None = None) -> int:
    """Train on train, report dev and test, write the model file."""
    from ..parse import load_nlp

    ap = argparse.ArgumentParser(prog="python -m tidings.train.roles",
                                 description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=None,
                    help=f"write the model here (the package would read data/{MODEL_FILE})")
    ap.add_argument("--c", type=float, default=C, help="inverse regularisation (dev: 0.3)")
    args = ap.parse_args(argv)
    t0 = time.time()
    rows = examples(args.data, load_nlp())
    split = {k: [x for x in rows if x["split"] == k] for k in ("train", "dev", "test")}
    model = fit(split["train"], args.c)
    report = {k: evaluate(model, split[k]) for k in ("dev", "test")}
    model["meta"] = {
        "trained_on": {"files": list(DATA_FILES),
                       "data_sha256": data_sha256(args.data / n for n in DATA_FILES),
                       "pairs": {k: dict(Counter(x["label"] for x in v)) for k, v in split.items()},
                       "sets": dict(Counter(x["set"] for x in split["train"]))},
        "recipe": {"C": args.c, "min_count": MIN_COUNT},
        "scores": report,
    }
    if args.out is not None:
        args.out.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    short = {k: {s: {"pairs": v["pairs"], "model": v["model"]["macro_f1"],
                     "rules": v["rules"]["macro_f1"]} for s, v in r.items()}
             for k, r in report.items()}
    print(json.dumps(short, indent=1), file=sys.stderr)
    done = f"wrote {args.out}" if args.out is not None else "reported (no --out)"
    print(f"{done} in {time.time() - t0:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
