"""Probe: can the public data we have learn "eventive vs background" for a trigger candidate?

    python benchmarks/probe_background.py

Issue 14, step 2. Builds candidate-level labels from three sets in ``../shared/data/train``
(the events stage's own trigger candidates, so the decision is the one the stage would make):

- M2E2: a candidate on an annotated trigger is eventive; an ASSAULT, PROTEST, CONSULT or
  COERCE candidate on no trigger is not (M2E2 annotates attacks, demonstrations, meetings and
  arrests);
- IndiaPoliceEvents: a candidate whose subject or agent is the police is eventive when the
  sentence's ``ANY_ACTION`` is true, else not (its hard negatives);
- ECB+: a candidate on an ``ACTION_OCCURRENCE`` (or other action) mention is eventive, on an
  ``ACTION_GENERIC`` mention not; negated mentions are left to modality.

Splits by document (ECB+ by topic): SHA-256 of "set:doc" mod 10, 0-5 train, 6-7 dev, 8-9
test. A logistic model (balanced classes) over parse features of the trigger (the factuality
features plus subject and noun determiners, frequency adverbs, a date in the clause, period
phrases, present simple, perfect progressive) is fitted on train for C in {0.03, 0.1, 0.3, 1}
and the background class scored on dev. Nothing ships from it: see BENCHMARKS.md, "Learned
components (issue 14)", step 2.
"""

from __future__ import annotations

import collections
import hashlib
import json
from pathlib import Path
from typing import Any

from tidings.stages.factuality import features as factuality_features

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "train"
#: adverbs that make a clause habitual or generic
FREQUENCY = frozenset({"often", "usually", "regularly", "frequently", "routinely", "repeatedly",
                       "always", "sometimes", "generally", "typically", "commonly", "rarely",
                       "seldom", "occasionally", "traditionally", "increasingly"})
#: prepositions whose object is a period ("since 2015", "for years", "over the past decade")
PERIOD_PREPS = frozenset({"since", "for", "over", "throughout", "during"})
TIME_ENTS = frozenset({"DATE", "TIME"})


def _np_features(prefix: str, np: Any) -> list[str]:
    """Determiner, number and kind of a noun phrase head (the subject, or the event noun)."""
    f = [f"{prefix}:tag={np.tag_}"]
    dets = [k for k in np.children if k.dep_ in ("det", "poss", "nummod", "predet")]
    if not dets:
        f.append(f"{prefix}:bare")
    for k in dets:
        f.append(f"{prefix}:{k.dep_}={k.lower_ if k.dep_ == 'det' else k.tag_}")
    if np.ent_type_:
        f.append(f"{prefix}:ent={np.ent_type_}")
    return f


def _clause_time(tok: Any) -> bool:
    """A date or time entity in the trigger's own clause (its children and their phrases)."""
    for k in tok.children:
        if k.dep_ in ("relcl", "ccomp", "xcomp", "advcl", "conj"):
            continue
        if any(t.ent_type_ in TIME_ENTS for t in k.subtree):
            return True
    return False


def features(tok: Any) -> list[str]:
    """Features of a trigger token (a verb, or an event noun)."""
    f = [x for x in factuality_features(tok) if x != "bias"]
    f += ["bias", f"pos={tok.pos_}", f"dep={tok.dep_}"]
    if tok.dep_ in ("pobj", "pcomp"):
        f.append(f"under={tok.head.lower_}")
    kids = list(tok.children)
    subj = [k for k in kids if k.dep_ in ("nsubj", "nsubjpass")]
    if subj:
        f += _np_features("subj", subj[0])
    elif tok.pos_ == "VERB":
        f.append("subj:none")
    if tok.pos_ in ("NOUN", "PROPN"):
        f += _np_features("noun", tok)
    if any(k.lower_ in FREQUENCY for k in kids) or any(
            k.lower_ in FREQUENCY for k in tok.head.children if tok.dep_ in ("xcomp", "dobj")):
        f.append("frequency")
    if _clause_time(tok):
        f.append("time")
    for k in kids:
        if k.dep_ == "prep" and k.lower_ in PERIOD_PREPS:
            f.append(f"period={k.lower_}")
    auxes = [k.lower_ for k in kids if k.dep_ in ("aux", "auxpass")]
    if tok.tag_ == "VBG" and "been" in auxes:
        f.append("perfect-progressive")  # "has been expanding"
    if tok.tag_ in ("VBZ", "VBP") and not auxes:
        f.append("present-simple")
    return sorted(set(f))


POLICE = {"police", "policemen", "policeman", "cops", "cop", "constable", "constables", "officers",
          "personnel", "forces", "force", "army", "jawans", "rpf", "srp", "rap", "crpf", "bsf",
          "commissioner", "sp", "dsp", "inspector"}
M2E2_TYPES = {"ASSAULT", "PROTEST", "CONSULT", "COERCE"}


def build() -> list[dict[str, Any]]:
    """Candidate-level examples of the three sets: set, doc, features, label (1 eventive)."""
    from tidings.parse import load_nlp
    from tidings.stages.events import load_lexicon
    from tidings.stages.events.roles import subject
    from tidings.stages.events.rules import active
    from tidings.stages.events.triggers import candidates

    nlp, lex, on = load_nlp(), load_lexicon(), active(())
    out: list[dict[str, Any]] = []

    def cands(doc: Any) -> Any:
        for sent in doc.sents:
            yield from candidates(sent, lex, on)

    def add(ds: str, doc_id: Any, c: Any, label: int) -> None:
        out.append({"ds": ds, "doc": str(doc_id), "f": features(c.trigger), "y": label})

    rows = [json.loads(x) for x in open(DATA / "m2e2" / "events.jsonl", encoding="utf-8")]
    for r, doc in zip(rows, nlp.pipe([r["text"] for r in rows], batch_size=64)):
        trig = [(e["trigger"]["start"], e["trigger"]["end"]) for e in r["events"]]
        for c in cands(doc):
            spans = [(c.trigger.idx, c.trigger.idx + len(c.trigger.text))]
            if c.noun is not None:
                spans.append((c.noun.idx, c.noun.idx + len(c.noun.text)))
            if any(a < hi and lo < b for a, b in trig for lo, hi in spans):
                add("m2e2", r["doc_id"], c, 1)
            elif c.type in M2E2_TYPES:
                add("m2e2", r["doc_id"], c, 0)

    rows = [json.loads(x) for x in open(DATA / "india_police" / "sents.jsonl", encoding="utf-8")]
    rows = [r for r in rows if any(w in r["text"].lower() for w in (
        "police", "cop", "constable", "officer", "force", "army", "jawan", "personnel", "crpf",
        "rpf", "inspector"))]
    for r, doc in zip(rows, nlp.pipe([r["text"] for r in rows], batch_size=64)):
        for c in cands(doc):
            t = c.trigger
            if c.noun is not None and c.noun.i == t.i:
                agents = [k for k in t.children if k.dep_ in ("poss", "compound")] + [
                    p for k in t.children if k.lower_ == "by" for p in k.children]
            else:
                agents = subject(t) + [p for k in t.children if k.dep_ == "agent"
                                       for p in k.children]
            if any(x.lower_ in POLICE for w in agents for x in w.subtree):
                add("india", r["doc_id"], c, int(r["labels"]["ANY_ACTION"]))

    sents: list[str] = []
    meta: list[tuple[Any, list[tuple[int, int, str]]]] = []
    for line in open(DATA / "ecbplus" / "docs.jsonl", encoding="utf-8"):
        d = json.loads(line)
        lines = d["text"].split("\n")
        st = [0]
        for x in lines[:-1]:
            st.append(st[-1] + len(x) + 1)
        for k in sorted({m["sentence"] for m in d["mentions"] if "ACTION" in m["class"]}):
            ms = [(m["start"] - st[k], m["end"] - st[k], m["class"]) for m in d["mentions"]
                  if m["sentence"] == k and "ACTION" in m["class"]]
            sents.append(lines[k])
            meta.append((d["topic"], ms))
    for (topic, ms), doc in zip(meta, nlp.pipe(sents, batch_size=64)):
        for c in cands(doc):
            lo, hi = c.trigger.idx, c.trigger.idx + len(c.trigger.text)
            cls = [m for a, b, m in ms if a < hi and lo < b]
            if cls and not cls[0].startswith("NEG_"):
                add("ecb", f"topic{topic}", c, 0 if cls[0] == "ACTION_GENERIC" else 1)
    return out


def part(x: dict[str, Any]) -> str:
    """train / dev / test by a hash of the set and document."""
    h = int(hashlib.sha256(f"{x['ds']}:{x['doc']}".encode()).hexdigest(), 16) % 10
    return "train" if h < 6 else "dev" if h < 8 else "test"


def main() -> int:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import precision_recall_fscore_support, roc_auc_score

    examples = build()
    split: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for x in examples:
        split[part(x)].append(x)
    for ds in ("m2e2", "india", "ecb"):
        xs = [x for x in examples if x["ds"] == ds]
        print(f"{ds}: {len(xs)} candidates, {sum(1 - x['y'] for x in xs)} background")
    vec = DictVectorizer()
    x_train = vec.fit_transform([dict.fromkeys(x["f"], 1) for x in split["train"]])
    for c in (0.03, 0.1, 0.3, 1.0):
        clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(
            x_train, [x["y"] for x in split["train"]])
        for ds in ("m2e2", "india", "ecb", None):
            xs = [x for x in split["dev"] if ds is None or x["ds"] == ds]
            y = [x["y"] for x in xs]
            p = clf.predict_proba(vec.transform([dict.fromkeys(x["f"], 1) for x in xs]))[:, 1]
            pr, rc, f1, _ = precision_recall_fscore_support(y, [int(q >= 0.5) for q in p],
                                                            labels=[0], zero_division=0)
            auc = roc_auc_score(y, p) if len(set(y)) > 1 else float("nan")
            print(f"C {c} dev {ds or 'all'} ({len(y)}): background P {pr[0]:.3f} R {rc[0]:.3f}"
                  f" F1 {f1[0]:.3f}, AUC {auc:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
