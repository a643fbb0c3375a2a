"""Event location: the place syntactically attached to an event trigger.

Used by the events stage and by ``tidings eval evloc``. Not "every place in the article": the
place must be reached from the trigger through the parse (its prepositional phrases, its
object, its arguments' phrases, or a governing verb's phrases).
"""

from __future__ import annotations

from typing import Any

from .model import Place

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


def attached_place(trigger: Any, places: list[Place], noun: Any = None) -> Place | None:
    """Return the place syntactically attached to an event trigger, or None.

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


