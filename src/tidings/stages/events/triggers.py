"""Triggers: the verbs and event nouns of the trigger lexicon (``data/triggers.json``) in a
sentence, each a candidate event with a PLOVER type and mode.

A light verb takes its type from its event-noun object ("completed their withdrawal" →
RETREAT). The coding rules of the ``light-verb``, ``verb``, ``verbs`` and ``contents`` phases
(``conventions.py``) refine the type and drop candidates that are another act's content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from collections.abc import Iterator
from typing import Any

from .draft import Candidate
from .rules import Active


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, tuple[str, str | None]]
    nouns: dict[str, tuple[str, str | None]]
    light_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    future_governors: frozenset[str]
    generic_heads: frozenset[str]
    historical_cues: tuple[str, ...]
    #: (verbs, object lemmas, type, mode): the object decides the type ("halted aid")
    object_rules: tuple[tuple[frozenset[str], frozenset[str], str, str | None], ...] = ()
    weapon_verbs: frozenset[str] = frozenset()
    weapon_objects: dict[str, str] = field(default_factory=dict)
    #: verbs learned from annotated news (``data/learned_triggers.json``), after ``verbs``
    learned: dict[str, tuple[str, str | None]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Load (once) the trigger lexicon shipped with the package."""
    raw = json.loads(resources.files("tidings.data").joinpath("triggers.json").read_text("utf-8"))
    return Lexicon(
        verbs={k: (v[0], v[1]) for k, v in raw["verbs"].items()},
        nouns={k.lower(): (v[0], v[1]) for k, v in raw["nouns"].items()},
        light_verbs=frozenset(raw["light_verbs"]),
        reporting_verbs=frozenset(raw["reporting_verbs"]),
        future_governors=frozenset(raw["future_governors"]),
        generic_heads=frozenset(raw["generic_subject_heads"]),
        historical_cues=tuple(raw["historical_cues"]),
        object_rules=tuple((frozenset(r["verbs"]), frozenset(r["objects"]), r["type"], r["mode"])
                           for r in raw.get("object_rules", ())),
        weapon_verbs=frozenset(raw.get("weapon_verbs", ())),
        weapon_objects=dict(raw.get("weapon_objects", {})),
        learned=_learned(),
    )


def _learned() -> dict[str, tuple[str, str | None]]:
    """The learned verbs (``python -m tidings.train.triggers``), or none when switched off."""
    from ... import settings

    if not settings.learned_triggers_on():
        return {}
    raw = json.loads(resources.files("tidings.data").joinpath("learned_triggers.json")
                     .read_text("utf-8"))
    return {k: (v["type"], None) for k, v in raw["verbs"].items()}


def verb_key(tok: Any, lex: Lexicon) -> tuple[str, str | None] | None:
    """The (type, mode) of a verb: its particle verb ("call off") first, then its lemma."""
    lemma = tok.lemma_.lower()
    for word in _particles(tok):
        phrase = f"{lemma} {word.lower_}"
        if phrase in lex.verbs:
            return lex.verbs[phrase]
    return lex.verbs.get(lemma) or lex.learned.get(lemma)


def _particles(tok: Any) -> Iterator[Any]:
    """The words that may make a particle verb with ``tok``: a particle ("call off"), a
    preposition right after it ("called on them"; not "fired its spokesman on Monday"), and
    the mark right after it of a clause it governs ("called for the staff to be freed")."""
    for child in tok.children:
        if (child.dep_ in ("prt", "advmod") and child.i > tok.i) or (
                child.dep_ == "prep" and child.i == tok.i + 1):
            yield child
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.dep_ == "mark" and nxt.head.head.i == tok.i:
        yield nxt


def noun_key(tok: Any, lex: Lexicon) -> tuple[str, str | None] | None:
    """The (type, mode) of an event noun, its modifiers first ("hunger strike"), then its
    of-phrase ("state of emergency")."""
    for prep in tok.rights:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                phrase = f"{tok.lower_} of {pobj.lower_}"
                if pobj.dep_ == "pobj" and phrase in lex.nouns:
                    return lex.nouns[phrase]
    left = [c for c in tok.lefts if c.dep_ in ("compound", "amod")]
    if left:
        phrase = " ".join([c.lower_ for c in left] + [tok.lower_])
        if phrase in lex.nouns:
            return lex.nouns[phrase]
        two = f"{left[-1].lower_} {tok.lower_}"
        if two in lex.nouns:
            return lex.nouns[two]
    return lex.nouns.get(tok.lower_) or lex.nouns.get(tok.lemma_.lower())


def particle_verb(tok: Any) -> str:
    """The verb with its particle ("carry out", "step up"), or "" when it has none."""
    prt = next((c for c in tok.children if c.dep_ == "prt" and c.i > tok.i), None)
    return f"{tok.lemma_.lower()} {prt.lower_}" if prt is not None else ""


#: heads of phrases that count or group acts ("a series of raids", "three days of talks")
_SERIES_HEADS = frozenset({"series", "string", "wave", "spate", "round", "flurry", "barrage",
                           "volley", "day", "week", "month", "hour", "night", "couple"})


def _after_hyphen(tok: Any) -> bool:
    """Whether ``tok`` ends a hyphenated word the tokenizer split ("counter - offensive")."""
    return tok.i >= 2 and tok.doc[tok.i - 1].text == "-" and tok.doc[tok.i - 1].whitespace_ == ""


def _object(tok: Any) -> Any:
    """The object (or passive subject) of a verb; of a hyphenated noun the parser split into
    several objects ("launched a counter - offensive"), its last part, the head of the word."""
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    if len(objs) > 1 and _after_hyphen(objs[-1]):
        return objs[-1]
    return objs[0] if objs else None


def _light_verb(tok: Any, lex: Lexicon, on: Active) -> Candidate | None:
    """A light verb whose event-noun object gives the type ("completed their withdrawal")."""
    if tok.lemma_.lower() not in lex.light_verbs and particle_verb(tok) not in lex.light_verbs:
        return None
    obj = _object(tok)
    key = noun_key(obj, lex) if obj is not None and (
        obj.pos_ == "NOUN" or _after_hyphen(obj)) else None
    if key is None and obj is not None and obj.lemma_.lower() in _SERIES_HEADS:
        # "launched a string of attacks", "began two days of exercises": the of-phrase's noun
        inner = next((p for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"
                      for p in c.children if p.dep_ == "pobj" and p.pos_ == "NOUN"), None)
        if inner is not None:
            obj, key = inner, noun_key(inner, lex)
    if key is None:
        return None
    for r in on["light-verb"]:
        key = r(tok, obj, key)
        if key is None:
            return None
    return Candidate(tok, key[0], key[1], noun=obj, lexical_score=0.8)


def _noun_candidates(sent: Any, lex: Lexicon, out: list[Candidate], verbs: set[int],
                     consumed: set[int]) -> None:
    """Add the sentence's event nouns that no verb candidate already tells to ``out``."""
    for tok in sent:
        # a capitalised first word is often tagged a proper noun ("Gunfire was heard ...")
        first = tok.i == sent.start and tok.pos_ == "PROPN" and tok.lower_ in lex.nouns
        if (tok.pos_ != "NOUN" and not first) or tok.i in consumed or tok.dep_ == "compound":
            continue
        if tok.dep_ == "pobj" and tok.head.head.i in verbs or tok.dep_ == "dobj" and \
                tok.head.i in verbs:
            continue  # "invested in military assistance": the verb carries the event
        key = noun_key(tok, lex)
        if key is not None and tok.dep_ == "nsubj" and any(
                c.trigger.i == tok.head.i and c.type == key[0] for c in out):
            continue  # "an attack by militants wounded five": one ASSAULT, told by the verb
        if key is not None and tok.dep_ in ("nsubj", "nsubjpass") and _occurrence(tok.head) and \
                tok.head.i not in verbs:
            # "the attack occurred at Siinaay junction": the verb carries the noun's event,
            # and its phrases say where and when
            out.append(Candidate(tok.head, key[0], key[1], noun=tok, lexical_score=0.6))
        elif key is not None:
            out.append(Candidate(tok, key[0], key[1], noun=tok, lexical_score=0.6))


#: verbs that only say their subject happened or set in ("the attack occurred", "clashes broke
#: out", "the protests began on Sunday in Zhanaozen", "fighting resumed"); a sound of
#: fighting that "rang out" or "was heard" near a place tells the fighting
_OCCURRENCE = frozenset({"occur", "happen", "take place", "break out", "erupt", "unfold", "begin",
                         "start", "resume", "ring out", "hear"})


def _occurrence(tok: Any) -> bool:
    """Whether ``tok`` is a verb that says its subject event happened."""
    if tok.pos_ != "VERB":
        return False
    lemma = tok.lemma_.lower()
    with_word = {f"{lemma} {c.lower_}" for c in tok.children if c.dep_ in ("prt", "dobj")}
    return lemma in _OCCURRENCE or bool(with_word & _OCCURRENCE)


def candidates(sent: Any, lex: Lexicon, on: Active) -> list[Candidate]:
    """Return the candidate events of a sentence: verbs, light verbs and event nouns."""
    out: list[Candidate] = []
    consumed: set[int] = set()
    for tok in sent:
        if tok.pos_ != "VERB":
            continue
        light = _light_verb(tok, lex, on)
        if light is not None:
            out.append(light)
            consumed.add(light.noun.i)
            continue
        key = verb_key(tok, lex)
        for r in on["verb"]:
            key = r(tok, key, lex)
        if key is not None:
            out.append(Candidate(tok, key[0], key[1], lexical_score=0.75))
    verbs = {c.trigger.i for c in out}
    for r in on["verbs"]:
        out = r(out)
    _noun_candidates(sent, lex, out, verbs, consumed)
    drop: set[int] = set()
    for r in on["contents"]:
        drop |= r(out)
    return [c for k, c in enumerate(out) if k not in drop]


def is_heading(sent: Any) -> bool:
    """A short line without final punctuation is a sub-heading, told in headline grammar."""
    text = sent.text.strip()
    return len(sent) < 9 and not text.endswith((".", "!", "?", '"', "”", "'", ":"))
