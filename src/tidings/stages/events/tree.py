"""Small walks over the dependency parse shared by the triggers, roles and rules."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any


def with_conjuncts(tok: Any) -> list[Any]:
    """``tok`` and the tokens conjoined to it ("Mali and Niger")."""
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(with_conjuncts(c))
    return out


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
