"""Small walks over the dependency parse shared by the triggers, roles and rules."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any


def with_conjuncts(tok: Any) -> list[Any]:
    """``tok`` and the tokens conjoined to it ("Mali and Niger"), including a list the parser
    took for an apposition ("Mali, Burkina Faso and Niger, which form the AES, recalled":
    "Faso" an apposition of "Mali", "Niger" its conjunct)."""
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" or _listed_as_appos(tok, c):
            out.extend(with_conjuncts(c))
    return out


def _listed_as_appos(head: Any, c: Any) -> bool:
    """Whether ``c``, an apposition of the name ``head``, is the second name of a list: a name
    itself with a conjunct name of its own after "and"/"or"."""
    return (c.dep_ == "appos" and head.pos_ == "PROPN" and c.pos_ == "PROPN"
            and any(k.dep_ == "cc" for k in c.children)
            and any(k.dep_ == "conj" and k.pos_ == "PROPN" for k in c.children))


def pp_objects(tok: Any, preps: Collection[str]) -> list[Any]:
    """The objects (with their conjuncts) of ``tok``'s prepositional phrases headed by ``preps``."""
    out: list[Any] = []
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(with_conjuncts(p))
    return out


def ancestors(tok: Any) -> list[Any]:
    """``tok`` and its heads up to the root of the sentence."""
    out = [tok]
    while out[-1].head.i != out[-1].i:
        out.append(out[-1].head)
    return out


#: the key under which the events stage leaves, on the parse (``Doc.user_data``), the token
#: positions of the places the gazetteer resolved: the verb rules see tokens only
PLACE_TOKENS = "tidings.place_tokens"


def mark_places(doc: Any, places: Iterable[Any]) -> None:
    """Leave on ``doc`` the positions of the tokens of the resolved literal places."""
    marked: set[int] = set()
    for p in places:
        if p.lat is None or p.usage != "literal":
            continue
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is not None:
            marked.update(t.i for t in span)
    doc.user_data[PLACE_TOKENS] = frozenset(marked)


def is_place(tok: Any) -> bool:
    """Whether the token is part of a place the gazetteer resolved (see :func:`mark_places`),
    whatever label the NER gave it ("captured Knin", Knin a PERSON to the NER)."""
    return tok.i in tok.doc.user_data.get(PLACE_TOKENS, ())
