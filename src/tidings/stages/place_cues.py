"""Gazetteer-aware recognition: names that the NER labels missed or mislabelled.

The rules of :func:`tidings.stages.places.find_mentions` trust a GPE/LOC label and hold
PERSON/ORG/NORP-labelled names that the gazetteer knows as *weak* (kept only where they agree
with the article's other places). Many real places fall through: "visited Niamey" (PERSON),
"the town of Djibo" (ORG), "The attack in Kidal" (NORP), "Diapaga, a town in Burkina Faso"
(PERSON), or names in no entity at all ("in Seno province").

This module scores such candidates with a small logistic model (weights in
``data/place_recognizer.json``, trained by :mod:`tidings.eval.geo` ``--train-recognizer`` on the
dev split of LGL and GeoVirus) over features of

- how the candidate was found (weak/loose rule mention, entity label, bare proper noun);
- gazetteer evidence: kinds and population of its candidates, capital, country, whether a
  candidate lies in a country the article's other places name;
- context cues: the words around it ("the town of X", "X province", "X, a village in", "near
  X", a title before a person's name), its dependency role, its shape.

A candidate scored at least :data:`THRESHOLD` becomes a mention of source ``cue`` (resolved as
a place, no longer weak); weak mentions scored below :data:`DROP_BELOW` are removed. Inference
is a dot product in Python.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from ..gazetteer import KIND_CODE, KINDS, Gazetteer, normalize
from ..packaged import read_json

RECOGNIZER_FILE = "place_recognizer.json"

#: nouns that make an adjacent proper name a place ("the town of X", "X district")
PLACE_NOUNS = frozenset("""
town towns village villages city cities district districts province provinces region regions
area areas neighbourhood neighborhood suburb camp county state governorate valley mountain
mountains hill hills island islands commune communes municipality quarter enclave locality
hamlet settlement oasis capital department prefecture circle cercle territory canton
township borough parish emirate oblast raion
""".split())
#: prepositions of place before a name
LOC_PREPS = frozenset("""in at near outside inside around into across through throughout from
towards toward within along over to between off beyond past via""".split())
#: words before a name that make it a person's
TITLES = frozenset("""mr mrs ms dr president minister general gen col colonel sen senator rep
governor gov mayor judge king prince queen sheikh imam pope lt capt captain sgt officer
spokesman spokeswoman spokesperson chief commander coach""".split())
_SKIP_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL",
                          "ORDINAL", "LAW", "LANGUAGE"})


@lru_cache(maxsize=2)
def load_recognizer(path: str | None = None) -> dict[str, Any] | None:
    """Load the recognizer weights (``data/place_recognizer.json`` by default); None if absent."""
    model: dict[str, Any] | None = read_json(RECOGNIZER_FILE, path)
    return model


def candidates(doc: Any, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Token spans (start, end, origin) of names no mention covers: entities of labels the
    rules do not read as places, and capitalised proper-noun runs in no entity."""
    used = bytearray(len(doc) + 1)
    for s, e in taken:
        for k in range(s, e):
            used[k] = 1
    out: list[tuple[int, int, str]] = []
    in_ent = bytearray(len(doc) + 1)
    for ent in doc.ents:
        for k in range(ent.start, ent.end):
            in_ent[k] = 1
        if ent.label_ in _SKIP_LABELS or any(used[ent.start:ent.end]):
            continue
        s = ent.start + (1 if doc[ent.start].lower_ == "the" else 0)
        if s < ent.end and doc[s].text[:1].isupper() and ent.end - s <= 4:
            out.append((s, ent.end, "ent:" + ent.label_))
    i, n = 0, len(doc)
    while i < n:
        t = doc[i]
        if used[i] or in_ent[i] or t.pos_ != "PROPN" or not t.text[:1].isupper():
            i += 1
            continue
        j = i + 1
        while j < n and j - i < 4 and not used[j] and not in_ent[j] and \
                doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper():
            j += 1
        out.append((i, j, "propn"))
        i = j
    return out


def _bucket_pop(pop: int) -> str:
    return str(min(int(math.log10(pop + 1)), 7))


def features(doc: Any, ts: int, te: int, origin: str, g: Gazetteer, key: str,
             doc_countries: set[str], person_names: set[str]) -> list[str]:
    """The recognizer's features of the candidate name ``doc[ts:te]``.

    Their order is that of the trained model: gazetteer evidence, the name itself, the words
    before and after it, its parse.
    """
    span = doc[ts:te]
    f = ["bias", "origin=" + origin.split(":")[0], "originx=" + origin, f"ntok={min(te - ts, 3)}"]
    f += _gazetteer_features(g, key, doc_countries)
    if key in person_names:
        f.append("person_name_part")
    if span.text.isupper():
        f.append("allcaps")
    if doc[ts].is_sent_start:
        f.append("sent_start")
    f += _before_features(doc, ts)
    f += _after_features(doc, te, g)
    root = span.root
    f.append("dep=" + root.dep_)
    if root.dep_ == "pobj":
        f.append("pobj_of=" + (root.head.lower_ if root.head.lower_ in LOC_PREPS or
                               root.head.lower_ in ("of", "by", "for", "with") else "other"))
    f.append("pos=" + root.pos_)
    if any(c.isdigit() for c in span.text):
        f.append("digit")
    return f


def _gazetteer_features(g: Gazetteer, key: str, doc_countries: set[str]) -> list[str]:
    """What the gazetteer knows of ``key``: kinds, population, capital, strong, local."""
    ids = [j if j >= 0 else ~j for j in g.raw_ids(key)]
    if not ids:
        return ["gaz=none"]
    f = ["gazkind=" + k for k in sorted({KINDS[g.kinds[i]] for i in ids})]
    top = max(ids, key=lambda i: g.pops[i])
    f.append("gazpop=" + _bucket_pop(g.pops[top]))
    f.append("gaztopkind=" + KINDS[g.kinds[top]])
    if all(j < 0 for j in g.raw_ids(key)):
        f.append("gaz=alt_only")
    if key in g.capitals:
        f.append("capital")
    if key in g.strong:
        f.append("strong")
    local = [i for i in ids if g.countries[g.cc[i]] in doc_countries]
    if local:
        f.append("in_doc_country")
        best = max(local, key=lambda i: g.pops[i])
        f.append("in_doc_country_pop=" + _bucket_pop(g.pops[best]))
        f.append("in_doc_country_kind=" + KINDS[g.kinds[best]])
    f.append(f"ncand={min(len(ids), 5)}")
    return f


def _before_features(doc: Any, ts: int) -> list[str]:
    """The words before the name: a preposition, a title, 'the town of'."""
    f: list[str] = []
    prev = doc[ts - 1] if ts > 0 else None
    prev2 = doc[ts - 2] if ts > 1 else None
    pw = prev.lower_ if prev is not None else "^"
    if prev is not None and pw == "the" and prev2 is not None:
        pw, prev = "the", prev2
        pw2 = prev2.lower_
    else:
        pw2 = prev2.lower_ if prev2 is not None else "^"
    f.append("prev=" + (pw if pw in LOC_PREPS or pw in TITLES or pw in ("of", "the", ",", "'s")
                        else "other"))
    if pw == "of" and pw2 in PLACE_NOUNS:
        f.append("noun_of")
    if pw in TITLES or pw.rstrip(".") in TITLES:
        f.append("title_before")
    return f


def _after_features(doc: Any, te: int, g: Gazetteer) -> list[str]:
    """The words after the name: 'X province', 'X, a village in', a verb."""
    f: list[str] = []
    nxt = doc[te] if te < len(doc) else None
    nxt2 = doc[te + 1] if te + 1 < len(doc) else None
    nw = nxt.lower_ if nxt is not None else "$"
    if nw in PLACE_NOUNS:
        f.append("next_place_noun")
    elif nw in (",", "'s", "’s", "-", "(", "police", "residents", "officials", "native"):
        f.append("next=" + nw)
    elif nxt is not None and nxt.pos_ == "VERB":
        f.append("next=verb")
    if nw == "," and nxt2 is not None:
        k = te + 1
        if doc[k].lower_ in ("a", "an", "the") and k + 1 < len(doc):
            k += 1
        if doc[k].lower_ in PLACE_NOUNS or doc[k].lower_ in ("small", "remote", "border",
                                                             "northern", "southern", "eastern",
                                                             "western", "central"):
            f.append("appos_place_noun")
        elif doc[k].text[:1].isupper() and g.raw_ids(normalize(doc[k].text)):
            f.append("comma_gazetteer")
    return f


def score(feats: list[str], model: dict[str, Any]) -> float:
    """Probability that the candidate is a place name."""
    w = model["weights"]
    z = sum(w.get(k, 0.0) for k in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def doc_countries(g: Gazetteer, keys: list[str]) -> set[str]:
    """Countries named by the article's confident mentions (their most populous candidate)."""
    out: set[str] = set()
    for key in keys:
        ids = [j if j >= 0 else ~j for j in g.raw_ids(key)]
        if ids:
            top = max(ids, key=lambda i: (g.kinds[i] == KIND_CODE["country"], g.pops[i]))
            if g.countries[g.cc[top]]:
                out.add(g.countries[g.cc[top]])
    return out
