"""Event location: the place syntactically attached to an event trigger.

Used by the events stage and by ``tidings eval evloc``. Not "every place in the article": the
place must be reached from the trigger through the parse.

Two layers:

* hand-written attachment rules (:func:`_rule_place`): the trigger's object or passive subject,
  its prepositional phrases and those of its event noun, place phrases inside its arguments,
  and the phrases of the verbs governing it through xcomp/advcl/conj;
* a small log-linear ranker (a conditional logit; weights in ``data/evloc_ranker.json``, no
  pickles) over NONE and every candidate place of the trigger's sentence, scored from the
  candidate's dependency path to the trigger, the prepositions on that path, distance, the kind
  of candidate, whether it modifies a person noun, whether the rules chose it, and for NONE the
  trigger's lemma and role. Trained by :func:`tidings.eval.evloc.train_ranker`.

Candidates are the places stage's literal and metonymic toponyms (resolved or not), spaCy
GPE/LOC/FAC entities it did not keep, and proper-noun names in place contexts ("the town of
Najarah", "Tellskoff district", "in Akhtreen"), which come back as unresolved places
(their surface name, ``kind="unresolved"``, no coordinates, the article's focus country).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from ..packaged import read_json
from ..model import Place
from .datelines import dateline_spans
from .places import UNRESOLVED, capitalised, implied_country, unresolved_place

_PLACE_PREPS = ("in", "at", "near", "from", "into", "across", "outside", "inside", "around",
                "throughout", "on", "to", "towards", "toward", "within", "along", "over")


def _pp_objects(tok: Any, preps: tuple[str, ...]) -> list[Any]:
    out: list[Any] = []
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            out.extend(p for p in c.children if p.dep_ == "pobj")
    return out


def _place_at(tok: Any, places: list[Place]) -> Place | None:
    for p in places:
        if p.start <= tok.idx < p.end and p.usage == "literal":
            return p
    return None


#: heads that make a place-name modifier an actor description ("U.S. soldiers")
_PEOPLE_HEADS = {"soldier", "soldiers", "troops", "forces", "force", "officials", "official",
                 "patrol", "army", "police", "embassy", "government", "authorities",
                 "militants", "leaders", "leader", "president", "minister", "people", "man",
                 "men", "woman", "women", "citizens", "nationals", "diplomats", "team"}


def _places_under(tok: Any, places: list[Place]) -> list[Place]:
    """Literal places inside the phrase headed by ``tok``, most specific first.

    "the West Bank town of Jenin" → Jenin before West Bank; "Morocco's Parliament in Rabat" →
    Rabat before Morocco; a name modifying people ("U.S. soldiers") is not a place at all.
    """
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
    doc = tok.doc
    found = []
    for p in places:
        if not (lo <= p.start and p.end <= hi and p.usage == "literal"):
            continue
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if root.dep_ in ("compound", "amod", "nmod") and root.head.lower_ in _PEOPLE_HEADS:
            continue
        modifier = root.dep_ in ("poss", "compound", "amod", "nmod")
        found.append((1 if modifier else 0, -p.start if root.head.lower_ == "of" else p.start, p))
    return [p for _, _, p in sorted(found, key=lambda x: (x[0], x[1]))]


def _first_pp_place(h: Any, places: list[Place], deep: bool) -> Place | None:
    for t in (h.subtree if deep else h.children):
        if t.dep_ == "prep" and t.lower_ in _PLACE_PREPS and (deep and t.head.i != h.i or
                                                              not deep):
            found = _places_under(t, places)
            if found:
                return found[0]
    return None


def _rule_place(trigger: Any, places: list[Place], noun: Any = None) -> Place | None:
    """Return the place the hand-written attachment rules pick, or None.

    Looks, in order, at a place that is the trigger's object or passive subject ("stormed the
    village of Mainok", "Utah Beach was captured"), at its prepositional phrases ("in Donetsk",
    "at her Reshimbagh residence") and those of its event noun, at place phrases inside its
    arguments ("attacked a base in Gao"), and last at the phrases of the verbs governing it
    through xcomp/advcl/conj ("arrived in Niger to reinforce ...", "blew himself up at a
    centre in Iraq, killing six").
    """
    if not places:
        return None
    heads = [trigger] + ([noun] if noun is not None and noun.i != trigger.i else [])
    for h in heads:
        for c in h.children:
            if c.dep_ in ("dobj", "nsubjpass") and c.i != trigger.i:
                p = _place_at(c, places)
                if p is None:
                    of = [t for t in c.children if t.dep_ == "prep" and t.lower_ == "of"]
                    p = next(iter(_places_under(of[0], places)), None) if of else None
                if p:
                    return p
    for deep in (False, True):
        for h in heads:
            p = _first_pp_place(h, places, deep)
            if p:
                return p
    cur = trigger
    while cur.dep_ in ("xcomp", "advcl", "conj", "ccomp", "acl") and cur.head.i != cur.i:
        cur = cur.head
        p = _first_pp_place(cur, places, False) or _first_pp_place(cur, places, True)
        if p:
            return p
    return None



# ---------------------------------------------------------------- candidates

#: nouns that make an adjacent proper name a place ("the town of X", "X district")
_PLACE_NOUNS = {"town", "towns", "village", "villages", "city", "cities", "district", "districts",
                "province", "provinces", "region", "area", "areas", "neighbourhood",
                "neighborhood", "suburb", "camp", "county", "state", "governorate", "valley",
                "mountain", "mountains", "hill", "hills", "island", "islands", "street", "road",
                "square", "base", "airport", "airbase", "airstrip", "checkpoint", "prison",
                "border", "countryside", "outskirts", "border", "crossing", "port", "river",
                "municipality", "quarter", "enclave", "strip", "peninsula", "capital", "farms",
                "desert", "gorge", "sea", "gulf", "highway", "market", "hospital", "mosque",
                "bridge", "lake", "refinery", "compound", "complex", "zone", "constituency",
                "locality", "hamlet", "settlement", "oasis", "plain", "plains", "heights",
                "avenue", "boulevard", "prospect", "junction", "airfield", "dam", "fort",
                "park", "stadium", "university", "school", "palace", "embassy", "station"}
#: nouns of a site in a town (a building, a facility): an unresolved name with one is no town
#: (a camp is a settlement of its own: ACLED places events at camps)
SITE_NOUNS = frozenset({"prison", "jail", "palace", "residence", "airport", "airbase", "base",
                        "barracks", "headquarters", "ministry", "embassy", "consulate",
                        "station", "market", "hospital", "university", "school", "stadium",
                        "parliament", "building", "compound", "mosque", "church", "hotel",
                        "court", "square", "bridge", "terminal", "checkpoint", "office",
                        "complex", "refinery", "academy", "garrison", "avenue", "street", "road"})


def is_site(doc: Any, p: Place) -> bool:
    """Whether a place mention names a site (a prison, a palace, a street) by a site noun in
    it, right after it or in its apposition ("Ganabhaban, the prime minister's residence")."""
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    if span is None:
        return False
    words = [t.lemma_.lower() for t in span]
    if span.end < len(doc):
        words.append(doc[span.end].lemma_.lower())
    words += [t.lemma_.lower() for c in span.root.children if c.dep_ == "appos"
              for t in c.subtree]
    return any(w in SITE_NOUNS for w in words)


_LOC_PREPS = {"in", "at", "near", "outside", "inside", "around", "into", "across", "through",
              "throughout", "from", "towards", "toward", "within", "along", "over", "on", "to",
              "of", "between", "off", "beyond", "past", "via", "by"}
_NOT_PLACE_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
#: words that make a proper name an organisation's, never a place's ("Syrian Arab Army",
#: "Jabhat Fateh Al-Sham", "Free Aceh Movement"): the English heads of armed groups, parties
#: and state bodies, and the Arabic ones armed groups keep in their names
_ORG_WORDS = frozenset({"army", "armies", "brigade", "brigades", "battalion", "regiment",
                        "division", "corps", "forces", "front", "movement", "party", "council",
                        "committee", "ministry", "police", "guard", "guards", "militia",
                        "organisation", "organization", "union", "league", "alliance",
                        "jabhat", "jaysh", "jaish", "harakat", "hizb", "liwa", "kataib"})
#: clock suffixes the tagger sometimes labels GPE ("began around 10 A.M.")
_CLOCK = frozenset({"a.m.", "p.m.", "am", "pm", "a.m", "p.m"})


def _clock_time(span: Any) -> bool:
    """Whether a span is the meridiem of a clock time ("10 A.M."), not a place."""
    return span.text.lower() in _CLOCK and span.start > 0 and span.doc[span.start - 1].like_num


def _propn_runs(sent: Any) -> list[tuple[int, int]]:
    """Maximal runs of capitalised proper-noun tokens (with inner "al-", "of" kept out)."""
    runs: list[tuple[int, int]] = []
    i, end = sent.start, sent.end
    while i < end:
        t = sent.doc[i]
        if t.pos_ == "PROPN" and t.text[:1].isupper():
            j = i + 1
            while j < end and (sent.doc[j].pos_ == "PROPN" or sent.doc[j].text in ("-", "’", "'")
                               and j + 1 < end and sent.doc[j + 1].pos_ == "PROPN"):
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _place_cue(doc: Any, ts: int, te: int) -> str | None:
    """Why the proper name doc[ts:te] looks like a place, or None."""
    k = ts - 1
    if k >= 0 and doc[k].lower_ in ("the", "a"):
        k -= 1
    if k >= 1 and doc[k].lower_ == "of" and doc[k - 1].lower_ in _PLACE_NOUNS:
        return "of"
    if te < len(doc) and doc[te].lower_ in _PLACE_NOUNS:
        return "after"
    if te - ts > 1 and doc[te - 1].lower_ in _PLACE_NOUNS:
        return "suffix"
    root = doc[ts:te].root
    if root.dep_ == "conj" and root.head.i > root.i and root.head.i + 1 < len(doc) and \
            doc[root.head.i + 1].lower_ in _PLACE_NOUNS:
        return "after"
    if root.dep_ == "pobj" and root.head.lower_ in _LOC_PREPS - {"of", "by"}:
        return "pobj"
    if ts == doc[ts].sent.start and te < len(doc) and doc[te].text in (",", "-", "—", "–"):
        return "dateline"
    if root.dep_ in ("dobj", "nsubjpass", "pobj", "appos", "conj", "npadvmod"):
        return "bare_ent" if root.ent_type_ else "bare"
    return None


def candidate_places(trigger: Any, places: list[Place]) -> list[tuple[Place, str]]:
    """Candidate event places of the trigger's sentence, each with its source.

    Sources: ``place`` (the places stage: literal or metonymic), ``ent`` (a spaCy GPE/LOC/FAC
    entity the places stage left out) and ``cue:<why>`` (a proper name in a place context).
    """
    doc = trigger.doc
    sent = trigger.sent
    lo, hi = max(sent.start_char, dateline_end(doc.text)), sent.end_char
    out: list[tuple[Place, str]] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(s < te and ts < e for ts, te in taken)

    for p in places:
        if lo <= p.start < hi and p.usage in ("literal", "metonymy") and free(p.start, p.end):
            out.append((p, "place"))
            taken.append((p.start, p.end))
    for ent in sent.ents:
        if ent.label_ in ("GPE", "LOC", "FAC") and capitalised(ent.text) and \
                free(ent.start_char, ent.end_char) and not _clock_time(ent):
            out.append((_unresolved(ent.text, ent.start_char, ent.end_char, places), "ent"))
            taken.append((ent.start_char, ent.end_char))
    for ts, te in _propn_runs(sent):
        span = doc[ts:te]
        if not free(span.start_char, span.end_char) or ts <= trigger.i < te:
            continue
        if any(t.ent_type_ in _NOT_PLACE_ENTS for t in span) or _clock_time(span):
            continue
        if any(t.lower_ in _ORG_WORDS for t in span):
            continue  # an organisation's name: who, not where
        cue = _place_cue(doc, ts, te)
        if cue is None:
            continue
        out.append((_unresolved(span.text, span.start_char, span.end_char, places),
                    "cue:" + cue))
        taken.append((span.start_char, span.end_char))
    out.sort(key=lambda x: x[0].start)
    return out


def dateline_end(text: str) -> int:
    """End offset of the dateline that opens the article ("NIAMEY, Niger — "), else 0: a
    dateline says where the story was filed, which is no part of any event's clause."""
    spans = dateline_spans(text[:400])
    if spans and not text[:spans[0][0]].strip():
        city = text[spans[0][0]:spans[0][1]].split(",")[0]
        if city.strip().isupper():
            return spans[0][1]
    return 0


def dateline_place(places: list[Place], text: str) -> Place | None:
    """The place of the article's dateline (its first literal place), or None."""
    end = dateline_end(text)
    return next((p for p in places if p.end <= end and p.usage == "literal"), None) \
        if end else None


def _unresolved(text: str, start: int, end: int, places: list[Place]) -> Place:
    return unresolved_place(text, start, end, "literal", 0.3, implied_country(places))


def _kind(p: Place) -> str:
    """The candidate's kind as the ranker learnt it (unresolved names were ``unknown``)."""
    return "unknown" if p.kind == UNRESOLVED else p.kind


def _resolved(p: Place) -> bool:
    return p.kind != UNRESOLVED


# ---------------------------------------------------------------- ranker features

def _span_root(doc: Any, p: Place) -> Any:
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def dep_walk(a: Any, b: Any) -> tuple[list[Any], list[Any]] | None:
    """The tokens from ``a`` up to (not including) the common ancestor of ``a`` and ``b``, and
    from below that ancestor down to ``b``; None when they share no ancestor."""
    up_a = [a]
    while up_a[-1].head.i != up_a[-1].i:
        up_a.append(up_a[-1].head)
    index = {t.i: n for n, t in enumerate(up_a)}
    down: list[Any] = []
    cur = b
    while cur.i not in index:
        down.append(cur)
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return up_a[:index[cur.i]], list(reversed(down))


def lexicalised(tokens: list[Any], preps: tuple[str, ...] = ("prep", "agent")) -> list[str]:
    """Dependency labels of ``tokens``, prepositions named (``prep:against``)."""
    return [f"prep:{t.lower_}" if t.dep_ in preps else t.dep_ for t in tokens]


def _path(a: Any, b: Any) -> tuple[list[str], list[str]]:
    """Dependency path from ``a`` up to the common ancestor and down to ``b``."""
    walk = dep_walk(a, b)
    if walk is None:
        up_all = [a]
        while up_all[-1].head.i != up_all[-1].i:
            up_all.append(up_all[-1].head)
        return [t.dep_ for t in up_all], ["?"]
    ups, downs = walk
    return [t.dep_ for t in ups], lexicalised(downs)


def bucket(n: int) -> str:
    for limit in (1, 2, 3, 5, 8, 12, 20):
        if n <= limit:
            return str(limit)
    return "far"


def _features(trigger: Any, noun: Any, p: Place, source: str, rank: int, n_cands: int,
              rule: Place | None, roots: set[int]) -> list[str]:
    """The ranker's features of candidate place ``p`` for the event at ``trigger``.

    Their order is part of the model: the score sums weights in this order.
    """
    doc = trigger.doc
    root = _span_root(doc, p)
    if root is None:
        return ["bias", "noroot"]
    f = ["bias", "src=" + source.split(":")[0], "srcx=" + source, "kind=" + _kind(p),
         "usage=" + p.usage, "resolved=" + str(_resolved(p)),
         "lemma=" + trigger.lemma_.lower()]
    anc = root.head
    while anc.i != anc.head.i and anc.i not in roots and anc.dep_ not in ("ROOT",):
        anc = anc.head
    if anc.i in roots and anc.i != root.i:
        f.append("under_cand")
    if any(t.i in roots and t.i != root.i for t in root.subtree):
        f.append("over_cand")
    ups, downs = _shortest_path(trigger, noun, root)
    preps = [d for d in downs if d.startswith("prep:")]
    prep0 = preps[0] if preps else "none"
    f += _path_features(ups, downs, preps)
    rel = "before" if root.i < trigger.i else "after"
    f += _syntax_features(trigger, root, p, rank, n_cands, rel, downs)
    f += _surface_features(trigger, root, p, source, roots)
    kind = p.kind if _resolved(p) else source.split(":")[0]
    f += [f"kind&prep0={kind}&{prep0}",
          f"kind&nup={kind}&{min(len(ups), 3)}", f"lemma&prep0={trigger.lemma_.lower()}&"
          f"{prep0}", f"kind&rel={kind}&{rel}"]
    if rule is not None and rule.start < p.end and p.start < rule.end:
        f += ["rule", "rule&" + source.split(":")[0], "rule&kind=" + kind]
    elif rule is not None:
        f.append("rule_other")
    else:
        f.append("rule_none")
    return f


def _shortest_path(trigger: Any, noun: Any, root: Any) -> tuple[list[str], list[str]]:
    """The shorter of the parse paths to ``root`` from the trigger and from its event noun."""
    anchors = [trigger] + ([noun] if noun is not None and noun.i != trigger.i else [])
    best = None
    for a in anchors:
        ups, downs = _path(a, root)
        if best is None or len(ups) + len(downs) < len(best[0]) + len(best[1]):
            best = (ups, downs)
    assert best is not None
    return best


def _path_features(ups: list[str], downs: list[str], preps: list[str]) -> list[str]:
    """Features of the parse path: its length, first steps, prepositions."""
    f = [f"nup={min(len(ups), 4)}", f"ndown={min(len(downs), 5)}",
         "up=" + "/".join(ups[:3]), "down=" + "/".join(downs[:4])]
    if len(ups) + len(downs) <= 4:
        f.append("path=" + "/".join(ups) + "|" + "/".join(downs))
    f.append("prep0=" + (preps[0] if preps else "none"))
    f.append("preplast=" + (preps[-1] if preps else "none"))
    f.append("lastdown=" + (downs[-1] if downs else "self"))
    f.append(f"up{min(len(ups), 3)}&prep0={preps[0] if preps else 'none'}")
    return f


def _syntax_features(trigger: Any, root: Any, p: Place, rank: int, n_cands: int, rel: str,
                     downs: list[str]) -> list[str]:
    """Features of where the place sits: distance, rank, dependency labels and heads."""
    f = ["rel=" + rel, f"dist={bucket(abs(root.i - trigger.i))}",
         f"dist{rel}={bucket(abs(root.i - trigger.i))}", f"rank={min(rank, 3)}",
         f"ncand={min(n_cands, 4)}", "rootdep=" + root.dep_, "trigdep=" + trigger.dep_,
         "trigpos=" + trigger.pos_]
    if root.dep_ in ("compound", "amod", "nmod", "poss"):
        f.append("mod_head_people=" + str(root.head.lower_ in _PEOPLE_HEADS))
        f.append("mod_head_place=" + str(root.head.lower_ in _PLACE_NOUNS))
    f.append(f"lemma&down1={trigger.lemma_.lower()}&{downs[0] if downs else 'self'}")
    f.append(f"headlemma={root.dep_}&{root.head.lemma_.lower()}")
    f.append(f"lemma&kind={trigger.lemma_.lower()}&{_kind(p)}")
    if root.dep_ == "pobj":
        f.append("pobj_of=" + root.head.lower_)
        f.append("prep_gov=" + root.head.head.lemma_.lower())
        if root.head.lower_ == "of":
            f.append("of_head_place=" + str(root.head.head.lower_ in _PLACE_NOUNS))
    if root.dep_ == "appos":
        f.append("appos")
    return f


def _surface_features(trigger: Any, root: Any, p: Place, source: str,
                      roots: set[int]) -> list[str]:
    """Features of the words around the place, other candidates between, entity type and
    sentence position (datelines)."""
    doc = trigger.doc
    f = []
    prev = doc[root.left_edge.i - 1] if root.left_edge.i > 0 else None
    first = doc[doc.char_span(p.start, p.end, alignment_mode="expand").start]
    before = doc[first.i - 1] if first.i > 0 else None
    f.append("prevword=" + (before.lower_ if before is not None else "^"))
    last = p.text.split()[-1].lower() if p.text.split() else ""
    if last in _PLACE_NOUNS:
        f.append("suffixnoun=" + last)
    after = doc[root.i + 1] if root.i + 1 < len(doc) else None
    f.append("nextword=" + (after.lower_ if after is not None else "$"))
    if before is not None and before.lower_.endswith(("ern", "ral")):
        f.append("direction_word")
    if prev is not None and prev.lower_ in ("of",) and prev.head.lower_ in _PLACE_NOUNS:
        f.append("placenoun_of=" + prev.head.lower_)
    lo, hi = sorted((root.i, trigger.i))
    between = sum(1 for r in roots if lo < r < hi)
    f.append(f"between={min(between, 2)}")
    ent = root.ent_type_ or "O"
    f.append("ent=" + ent)
    f.append(f"src={source.split(':')[0]}&ent={ent}")
    if any(t.i == root.i for t in trigger.subtree):
        f.append("in_trigger_subtree")
    if p.start == trigger.sent.start_char or (root.i - trigger.sent.start <= 2 and p.end <
                                              len(doc.text) and doc.text[p.end:p.end + 3]
                                              .lstrip()[:1] in (",", "-", "—", "–")):
        f.append("sent_start")
        if p.end < len(doc.text) and p.text.isupper():
            f.append("dateline_caps")
    return f


# ---------------------------------------------------------------- the ranker

RANKER_FILE = "evloc_ranker.json"
#: candidate sources the rules alone trust (the weak proper-name cues need the ranker)
_RULE_SOURCES = {"place", "ent", "cue:of", "cue:after", "cue:suffix"}


@lru_cache(maxsize=2)
def load_ranker(path: str | None = None) -> dict[str, Any] | None:
    """Load the ranker weights (``data/evloc_ranker.json`` by default); None if absent."""
    model: dict[str, Any] | None = read_json(RANKER_FILE, path)
    return model


def _linear(weights: dict[str, float], feats: list[str]) -> float:
    return sum(weights.get(k, 0.0) for k in feats)


def none_features(trigger: Any, cand_feats: list[list[str]]) -> list[str]:
    """Features of the NONE option ("this event has no location in the sentence").

    ``cand_feats`` are the candidates' features: how many lie in the trigger's phrase and
    whether the rules attached one change how likely "no location" is.
    """
    lemma = trigger.lemma_.lower()
    inside = min(sum("in_trigger_subtree" in f for f in cand_feats), 2)
    rule = any("rule" in f for f in cand_feats)
    return ["NONE", "NONE&lemma=" + lemma, "NONE&dep=" + trigger.dep_,
            "NONE&tag=" + trigger.tag_, f"NONE&ncand={min(len(cand_feats), 4)}",
            f"NONE&inside={inside}", f"NONE&rule={rule}", f"NONE&lemma&rule={lemma}&{rule}",
            f"NONE&inside&rule={inside}&{rule}"]


def candidate_features(trigger: Any, places: list[Place],
                       noun: Any = None) -> list[tuple[Place, list[str]]]:
    """Every candidate place of the trigger's sentence with its ranker features."""
    cands = candidate_places(trigger, places)
    if not cands:
        return []
    rule = _rule_place(trigger, [p for p, _ in cands], noun)
    roots = {r.i for r in (_span_root(trigger.doc, p) for p, _ in cands) if r is not None}
    order = sorted(range(len(cands)), key=lambda n: abs(cands[n][0].start - trigger.idx))
    ranks = {n: r for r, n in enumerate(order)}
    return [(p, _features(trigger, noun, p, src, ranks[n], len(cands), rule, roots))
            for n, (p, src) in enumerate(cands)]


def rank_places(trigger: Any, places: list[Place], noun: Any = None,
                ranker: dict[str, Any] | None = None) -> list[tuple[float, Place | None]]:
    """Probabilities of NONE (``None``) and of every candidate place, best first.

    With no ranker (``ranker={}`` or no weights file) the rules' choice gets probability 1.
    """
    model = load_ranker() if ranker is None else ranker
    if not model:
        cands = [p for p, src in candidate_places(trigger, places) if src in _RULE_SOURCES]
        return [(1.0, _rule_place(trigger, cands, noun) if cands else None)]
    scored = candidate_features(trigger, places, noun)
    if not scored:
        return [(1.0, None)]
    w = model["weights"]
    scores = [(_linear(w, none_features(trigger, [f for _, f in scored]))
               + model.get("none_bias", 0.0),
               None)] + [(_linear(w, f), p) for p, f in scored]
    top = max(z for z, _ in scores)
    exp = [(math.exp(z - top), p) for z, p in scores]
    total = sum(e for e, _ in exp)
    return sorted(((e / total, p) for e, p in exp), key=lambda x: -x[0])


#: kinds of place that can hold a site: a town or a division
_HOLDER_KINDS = frozenset({"city", "admin1", "admin2", "admin3"})


def _holder(doc: Any, site: Place, places: list[Place]) -> Place | None:
    """The town or division the text puts an unresolved site in, or None.

    "the Republican Palace in Khartoum", "Ganabhaban, the prime minister's residence in
    Dhaka": a palace, a street or a camp the gazetteer cannot place is where it happened,
    but an event needs coordinates to be mapped and counted by division (ACLED codes the
    populated place), so the site's own "in"/"near" phrase, or its apposition's, gives it."""
    root = _span_root(doc, site)
    if root is None:
        return None
    heads = [root, *(c for c in root.children if c.dep_ == "appos")]
    for h in heads:
        for o in _pp_objects(h, ("in", "near", "outside")):
            p = _place_at(o, places)
            if p is not None and p.lat is not None and p.kind in _HOLDER_KINDS and (
                    site.country is None or p.country == site.country):
                return p
    return None


def attached_place(trigger: Any, places: list[Place], noun: Any = None,
                   ranker: dict[str, Any] | None = None,
                   not_places: Sequence[tuple[int, int]] = ()) -> Place | None:
    """Return the place syntactically attached to an event trigger, or None.

    ``places`` are the places stage's output for the document; ``noun`` is the event noun of a
    light-verb trigger ("completed their withdrawal"). With the stored ranker the option with
    the best score among NONE and the candidate places wins; without one (or with
    ``ranker={}``) the hand-written rules decide. The ranker learnt from verb triggers only, so
    when it says NONE for a light verb the event noun's own prepositional phrase still counts.
    The place returned may be an unresolved toponym (``kind="unresolved"``, no coordinates)
    that the places stage did not list, but never one overlapping ``not_places`` (the spans of
    people and organisations the actors stage knows: "arrested former army commander Juan José
    Zúñiga" names who was arrested, not where); the next best option is taken instead.
    """
    if trigger is None:
        return None

    def allowed(p: Place | None) -> bool:
        return p is None or p.lat is not None or not any(
            s < p.end and p.start < e for s, e in not_places)

    best = next((p for _, p in rank_places(trigger, places, noun, ranker) if allowed(p)), None)
    if best is not None and best.lat is None:
        holder = _holder(trigger.doc, best, places)
        if holder is not None:
            # the site is what the text names as the place of the act, the holder where it
            # is: the mention keeps the site's words, the resolution is the holder's
            best = replace(holder, text=best.text, start=best.start, end=best.end)
    if best is None and noun is not None and noun.i != trigger.i:
        # The ranker learnt from verb triggers; the event noun's own phrase ("completed their
        # withdrawal from Niger") is the rules' call.
        cands = [p for p, src in candidate_places(trigger, places)
                 if src in _RULE_SOURCES and allowed(p)]
        best = _first_pp_place(noun, cands, False)
    return best
