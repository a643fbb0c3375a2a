"""Events stage: who did what to whom, where and when, from the one parse of the article.

Reads the spaCy parse and ``Document.times``, ``.places`` and ``.actors``; adds
``Document.events``. Steps per sentence:

1. triggers: verbs and event nouns of the trigger lexicon (``data/triggers.json``); a light
   verb takes its type from its event-noun object ("completed their withdrawal" → RETREAT);
2. roles from the dependency parse: subject / passive agent → source; object, passive subject
   or a to/against/with/from/into phrase → target; an event noun's possessor and of/by phrases;
3. modality from auxiliaries, negation and governing verbs ("would complete", "is looking to
   expand", "had been seen", "did not attack");
4. generic and background statements are dropped ("Insurgent groups operate in ...");
5. place and time attached by the parse (the trigger's clause first, then the sentence);
   an event with no temporal expression is dated by the report with ``basis="published"``;
6. mentions of the same event inside one article (same type, modality and actors) are merged.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from ...model import Actor, Document, Event, EventDate, Place, Span, Time

_ROLE_PREPS_TARGET = ("against", "to", "with", "into", "from", "on", "toward", "towards", "upon")
#: verbs that make an agreement formal (PLOVER SUPPORT; promising to sign is AGREE)
_SIGN_VERBS = {"sign", "ratify", "finalize", "finalise"}
#: types whose "at" phrase names the target ("fired at protesters"), not where it happened
_AIMED_TYPES = {"ASSAULT", "COERCE", "THREATEN"}
#: what one returns to or for when the return is a consultation
_TALK_NOUNS = {"talk", "talks", "negotiation", "negotiations", "table", "meeting", "summit",
               "dialogue", "consultation", "consultations"}
#: heads of partitive objects whose of-phrase names what is acted on ("part of the program")
_PART_HEADS = {"part", "some", "all", "most", "half", "much", "portion", "share", "rest"}
#: heads of quantity phrases whose of-phrase names the actor ("thousands of protesters")
_QUANTITY_HEADS = {"thousands", "hundreds", "dozens", "scores", "millions", "tens", "number",
                   "crowd", "crowds", "group", "groups", "band", "column", "convoy", "unit",
                   "members", "some", "many", "several", "most", "majority", "hundred",
                   "thousand", "dozen"}
#: head words of actor phrases that name a person ("he"/"she" can refer to them)
_PERSON_HEADS = {"minister", "president", "spokesman", "spokeswoman", "spokesperson", "governor",
                 "leader", "commander", "general", "king", "queen", "chief", "secretary",
                 "ambassador", "envoy", "mayor", "premier", "chancellor", "emir", "sultan",
                 "official", "officer", "prosecutor", "judge", "coordinator", "director"}
_NEG_WORDS = {"not", "n't", "never", "no"}
_HYPOTHETICAL_AUX = {"could", "might", "may", "should", "can"}
_FUTURE_AUX = {"will", "would", "shall", "'ll"}
_PRONOUNS = {"they", "them", "it", "its", "their", "he", "she", "him", "her", "his"}
#: nouns whose "of" phrase names who acts ("the withdrawal of US troops")
_INTRANSITIVE_TYPES = {"RETREAT", "PROTEST", "MOBILIZE", "CONSULT", "AGREE"}


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
    )


@dataclass
class _Candidate:
    trigger: Any  # the token the event hangs on (verb, or noun for nominal events)
    type: str
    mode: str | None
    noun: Any = None  # the event noun for light verbs and nominal events
    lexical_score: float = 0.7


# ---------------------------------------------------------------- triggers

def _verb_key(tok: Any, lex: Lexicon) -> tuple[str, str | None] | None:
    lemma = tok.lemma_.lower()
    for child in tok.children:
        # a particle ("call off"), or a preposition right after the verb ("called on them";
        # not "fired its spokesman on Monday")
        if (child.dep_ in ("prt", "advmod") and child.i > tok.i) or (
                child.dep_ == "prep" and child.i == tok.i + 1):
            phrase = f"{lemma} {child.lower_}"
            if phrase in lex.verbs:
                return lex.verbs[phrase]
    return lex.verbs.get(lemma)


def _noun_key(tok: Any, lex: Lexicon) -> tuple[str, str | None] | None:
    left = [c for c in tok.lefts if c.dep_ in ("compound", "amod")]
    if left:
        phrase = " ".join([c.lower_ for c in left] + [tok.lower_])
        if phrase in lex.nouns:
            return lex.nouns[phrase]
        two = f"{left[-1].lower_} {tok.lower_}"
        if two in lex.nouns:
            return lex.nouns[two]
    return lex.nouns.get(tok.lower_) or lex.nouns.get(tok.lemma_.lower())


def _compound_lemma(tok: Any) -> str:
    """"tear gas" for the token "gas" with the compound "tear"."""
    return " ".join([c.lower_ for c in tok.lefts if c.dep_ in ("compound", "amod")]
                    + [tok.lemma_.lower()])


def _obligation(tok: Any) -> Any:
    """The that-clause of ``tok`` whose verb takes "must"/"should" (not negated), or None."""
    for c in tok.children:
        if c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in ("must", "should")
                                     for a in c.children) and not any(
                                         a.dep_ == "neg" for a in c.children):
            return c
    return None


def _candidates(sent: Any, lex: Lexicon) -> list[_Candidate]:
    out: list[_Candidate] = []
    consumed: set[int] = set()
    for tok in sent:
        if tok.pos_ != "VERB":
            continue
        lemma = tok.lemma_.lower()
        if lemma in lex.light_verbs:
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
            key = _noun_key(obj, lex) if obj is not None and obj.pos_ == "NOUN" else None
            if key is not None and key[0] == "AGREE" and lemma in _SIGN_VERBS:
                key = ("SUPPORT", None)  # PLOVER: signing an agreement or treaty is SUPPORT
            if key is not None:
                out.append(_Candidate(tok, key[0], key[1], noun=obj, lexical_score=0.8))
                consumed.add(obj.i)
                continue
        key = _verb_key(tok, lex)
        objects = {o.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "nsubjpass")
                   for o in _with_conjuncts(c)}
        for c in tok.children:  # "suspended part of a military aid program"
            if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in _PART_HEADS:
                objects |= {o.lemma_.lower() for o in _pp_objects(c, ("of",))}
        prt = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
        phrasal = f"{lemma} {prt}" if prt else lemma  # "broke up", "cut off"
        for verbs, nouns, rtype, rmode in lex.object_rules:
            if (phrasal in verbs or lemma in verbs) and objects & nouns:
                key = (rtype, rmode)  # "halted economic aid", "accepted the demands"
                break
        if lemma in lex.weapon_verbs:
            # "fired missiles at the port", "dropped bombs on the town": an attack
            weapon = next((lex.weapon_objects[w]
                           for c in tok.children if c.dep_ in ("dobj", "nsubjpass")
                           for o in _with_conjuncts(c)
                           for w in (_compound_lemma(o), o.lemma_.lower())
                           if w in lex.weapon_objects), None)
            if weapon is not None:
                key = ("ASSAULT", weapon)
        if lemma == "return" and key is not None and not any(
                c.dep_ in ("dobj", "nsubjpass") for c in tok.children):
            # intransitive "return": going back somewhere is no retreat; going back "for talks"
            # or "to the negotiating table" is a consultation
            goals = {o.lemma_.lower() for o in _pp_objects(tok, ("for", "to"))}
            key = ("CONSULT", None) if goals & _TALK_NOUNS else None
        if key is None and lemma in lex.reporting_verbs and _obligation(tok):
            # "declared that China must drop barriers": a demand in reported form
            key = ("REQUEST", None)
        if key is not None:
            out.append(_Candidate(tok, key[0], key[1], lexical_score=0.75))
    verbs = {c.trigger.i for c in out}
    # "threatened to deliver blows", "agreed to withdraw": the governing verb is the event
    out = [c for c in out if not (c.trigger.dep_ in ("xcomp", "ccomp") and c.trigger.head.i in
                                  verbs and c.noun is None)]
    for tok in sent:
        if tok.pos_ != "NOUN" or tok.i in consumed or tok.dep_ == "compound":
            continue
        if tok.dep_ == "pobj" and tok.head.head.i in verbs or tok.dep_ == "dobj" and \
                tok.head.i in verbs:
            continue  # "invested in military assistance": the verb carries the event
        key = _noun_key(tok, lex)
        if key is not None and tok.dep_ == "nsubj" and any(
                c.trigger.i == tok.head.i and c.type == key[0] for c in out):
            continue  # "an attack by militants wounded five": one ASSAULT, told by the verb
        if key is not None:
            out.append(_Candidate(tok, key[0], key[1], noun=tok, lexical_score=0.6))
    return _drop_contents(out)


#: types whose object or complement is the *content* of the act (what is demanded, rejected,
#: alleged, agreed to, threatened or protested), not a second event that happened
_SPEECH_ACTS = {"REQUEST", "REJECT", "ACCUSE", "AGREE", "THREATEN", "PROTEST"}
#: acts whose content usually did happen ("condemned Burkina Faso's decision to expel its
#: diplomats"): only an allegation's content ("accused the US of sending weapons", "charged
#: with supporting dissidents") is dropped
_FACTIVE_ACTS = {"ACCUSE", "PROTEST"}
#: acts whose for-phrase gives the reason ("sanctioned X for its support of Y", "arrested for
#: attacking police"): the reason is what the act is about, not a second event to code
_PUNISHMENTS = {"SANCTION", "COERCE", "ACCUSE"}
#: dependency labels that lead from a speech act into its content
_CONTENT_DEPS = {"dobj", "ccomp", "xcomp", "prep", "pobj", "acomp", "attr", "dative", "acl",
                 "relcl", "pcomp", "oprd"}


def _drop_contents(cands: list[_Candidate]) -> list[_Candidate]:
    """Drop candidates inside the content of a speech act: "rejected an Indian proposal for
    signing a trade agreement" is one REJECT, not also an AGREE; "accused the US of sending
    weapons" is one ACCUSE. PLOVER codes the act, not what it is about; what is condemned or
    protested against stays an event of its own (it happened)."""
    acts = {c.trigger.i: c for c in cands if c.type in _SPEECH_ACTS}
    for c in list(acts.values()):
        # "reiterated its demand that Israel ease restrictions": the clause hangs on the verb
        # that governs the act's noun, and is still the act's content
        if c.noun is not None and c.noun.i == c.trigger.i and c.trigger.dep_ == "dobj":
            acts.setdefault(c.trigger.head.i, c)
    punishments = {c.trigger.i: c for c in cands if c.type in _PUNISHMENTS}
    if not acts and not punishments:
        return cands
    kept = []
    for c in cands:
        tok, inside = c.trigger, False
        for _ in range(12):
            head = tok.head
            if head.i == tok.i:
                break
            act = acts.get(head.i)
            # "offered its troops to Lebanon to help him": an offer's purpose is what it offers
            purpose = tok.dep_ == "advcl" and act is not None and act.type == "AGREE" and any(
                k.dep_ == "aux" and k.lower_ == "to" for k in tok.children)
            if act is not None and act is not c and (tok.dep_ in _CONTENT_DEPS or purpose) and (
                    act.noun is None or act.noun.i != c.trigger.i) and (
                    act.type not in _FACTIVE_ACTS or tok.lower_ in ("of", "with")):
                inside = True
                break
            pun = punishments.get(head.i)
            if pun is not None and pun is not c and tok.dep_ == "prep" and \
                    tok.lower_ == "for":
                inside = True  # "sanctioned the Taliban for its support of bin Laden"
                break
            tok = head
        if not inside:
            kept.append(c)
    return kept


# ---------------------------------------------------------------- roles

class _ActorIndex:
    """Find the actor mention that covers a token (actors are spans of char offsets)."""

    def __init__(self, actors: list[Actor], doc: Any = None):
        self.actors = sorted(actors, key=lambda a: a.start)
        #: actors that are the subject of their clause (the most salient antecedents)
        self.subjects: set[int] = set()
        #: actors that name a person ("the minister", "President Putin")
        self.people: set[int] = set()
        #: actors that are plural descriptions ("officials", "troops"): never "it"
        self.plurals: set[int] = set()
        if doc is not None:
            for a in self.actors:
                span = doc.char_span(a.start, a.end, alignment_mode="expand")
                if span is None:
                    continue
                head = span.root
                if head.dep_ in ("nsubj", "nsubjpass"):
                    self.subjects.add(id(a))
                named = a.kb_id is not None and a.kb_id != a.country  # a KB organisation
                if head.tag_ in ("NNS", "NNPS") and not named and a.sector is not None:
                    self.plurals.add(id(a))
                if "-PER-" in (a.kb_id or "") or not named and (
                        head.lower_ in _PERSON_HEADS or head.ent_type_ == "PERSON"):
                    self.people.add(id(a))

    def same_span(self, a: Actor) -> list[Actor]:
        """The other mentions over exactly the span of ``a`` (a compound actor)."""
        return [b for b in self.actors if b is not a and b.start == a.start and b.end == a.end]

    def at(self, tok: Any) -> Actor | None:
        for a in self.actors:
            if a.start <= tok.idx < a.end:
                return a
        if tok.pos_ in ("PROPN", "NOUN"):
            # "Russian President Boris Yeltsin": the actor is a modifier of the head
            lo = tok.left_edge.idx
            inside = [a for a in self.actors if lo <= a.start and a.end <= tok.idx + len(tok)]
            if inside:
                return inside[-1]
        return None

    def before(self, char: int, exclude: list[Actor], plural: bool = False,
               pronoun: str = "") -> Actor | None:
        """The antecedent of a pronoun at ``char``: the latest fitting actor before it, a
        clause subject preferred within the last three hundred characters ("he" wants a
        person, "it" a country or an organisation)."""
        fitting = []
        for a in self.actors:
            if a.end > char or not (a.country or a.kb_id):
                continue
            if plural and a.sector is None and a.kb_id == a.country:
                continue  # "they"/"them" are people, not a country's name
            if any(a.start < x.end and x.start < a.end for x in exclude):
                continue  # inside the other role's phrase ("the nation's rulers ordered them")
            person = id(a) in self.people
            if pronoun in ("he", "she", "him", "his", "her") and not person:
                continue
            if pronoun in ("it", "its") and (person or id(a) in self.plurals):
                continue
            fitting.append(a)
        if not fitting:
            return None
        near = [a for a in fitting if id(a) in self.subjects and char - a.end < 300]
        return near[-1] if near else fitting[-1]

    def in_subtree(self, tok: Any) -> list[Actor]:
        lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
        return [a for a in self.actors if lo <= a.start and a.end <= hi]


def _through_appos(tok: Any, index: _ActorIndex, depth: int = 0) -> Actor | None:
    """Find the actor named by an apposition or an of-phrase ("one of the groups, JNIM")."""
    for c in tok.children:
        if c.dep_ == "appos":
            a = index.at(c)
            if a is not None:
                return a
    if depth < 2:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ == "pobj":
                        a = index.at(p) if depth else None
                        a = a or _through_appos(p, index, depth + 1)
                        if a is not None:
                            return a
    return None


def _with_conjuncts(tok: Any) -> list[Any]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_with_conjuncts(c))
    return out


def _resolve(toks: list[Any], index: _ActorIndex, exclude: list[Actor]) -> list[Actor]:
    found: list[Actor] = []
    for t in toks:
        a = index.at(t)
        if a is None and t.lower_ in _PRONOUNS:
            a = index.before(t.idx, exclude + found,
                             plural=t.lower_ in ("they", "them", "their"), pronoun=t.lower_)
        if a is None and t.lower_ in _QUANTITY_HEADS:
            # "Thousands of Kenyan protesters", "dozens of soldiers": the of-phrase acts
            a = next((index.at(p) for p in _pp_objects(t, ("of",)) if index.at(p)), None)
        if a is None:  # "One of those groups, JNIM, ..." → the apposition
            a = _through_appos(t, index)
        if a is None and t.pos_ == "VERB":
            # a mis-parsed subject: "The Red Cross operating in Iraq said" has "operating" as
            # the subject; the actor is its own subject
            a = next((index.at(k) for k in t.children
                      if k.dep_ == "nsubj" and index.at(k) is not None), None)
        if a is None and t.dep_ == "prep":
            continue
        if a is not None and a not in found:
            found.append(a)
            # a compound actor: the other countries named over the same span
            found.extend(b for b in index.same_span(a) if b not in found)
    return found


def _subject(verb: Any) -> list[Any]:
    """Return the subject tokens of ``verb``, inherited through xcomp/conj/advcl chains."""
    cur = verb
    via_conj = False
    for _ in range(6):
        subj = [c for c in cur.children if c.dep_ in ("nsubj", "csubj")]
        if not subj and via_conj:
            # "the minister has been indicted by the court and will resign": the conjunct's
            # subject is the passive subject, not the agent
            subj = [c for c in cur.children if c.dep_ == "nsubjpass"]
        if subj:
            # the subject nearest the verb: a dateline parsed as a second subject
            # ("BAMAKO, Mali — Militants ambushed ...") comes first
            before = [c for c in subj if c.i < cur.i]
            return _with_conjuncts(before[-1] if before else subj[0])
        agent = [c for c in cur.children if c.dep_ == "agent"]
        if agent:
            pobj = [c for c in agent[0].children if c.dep_ == "pobj"]
            if pobj:
                return _with_conjuncts(pobj[0])
        if cur.dep_ == "acomp" and cur.head.i != cur.i:  # "it is willing to withdraw"
            cur = cur.head
            continue
        if cur.dep_ in ("xcomp", "conj", "advcl") and cur.head.i != cur.i:
            via_conj = cur.dep_ == "conj"
            if cur.dep_ == "xcomp":  # object control: "allowed US troops to operate"
                obj = [c for c in cur.head.children if c.dep_ == "dobj"]
                if obj:
                    return _with_conjuncts(obj[0])
            cur = cur.head
            continue
        if cur.dep_ == "relcl":  # "troops that attacked": the modified noun
            return [cur.head]
        if cur.dep_ == "acl" and cur.head.dep_ == "dobj" and cur.tag_ == "VBG":
            # "issued a declaration demanding that ...": whoever issued it demands
            cur = cur.head.head
            continue
        break
    return []


def _pp_objects(tok: Any, preps: tuple[str, ...]) -> list[Any]:
    out: list[Any] = []
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(_with_conjuncts(p))
    return out


def _roles(c: _Candidate, index: _ActorIndex) -> tuple[list[Actor], list[Actor]]:
    tok = c.trigger
    if c.noun is not None and c.noun.i == tok.i:  # a nominal event
        poss = [x for x in tok.children if x.dep_ == "poss"]
        of = _pp_objects(tok, ("of",))
        by = _pp_objects(tok, ("by",))
        src_toks = poss + by
        tgt_toks = _pp_objects(tok, _ROLE_PREPS_TARGET)
        if of:
            if not src_toks and c.type in _INTRANSITIVE_TYPES:
                src_toks = of
            else:
                tgt_toks = of + tgt_toks
        src_toks += [x for x in tok.lefts if x.dep_ in ("compound", "amod") and index.at(x)]
        source = _resolve(src_toks, index, [])
        target = _resolve(tgt_toks, index, source)
        if not source and tok.dep_ == "pobj" and tok.head.head.pos_ == "VERB":
            # "officials said in a joint statement": the speaker issues the statement
            source = _resolve(_subject(tok.head.head), index, target)
        if not target and c.type == "REQUEST" and tok.dep_ == "dobj":
            # "reiterated its demand that Israel ease restrictions": whom the demand addresses
            for x in list(tok.children) + list(tok.head.children):
                if x.dep_ in ("ccomp", "acl") and x.i > tok.i:
                    subj = [o for o in x.children if o.dep_ in ("nsubj", "nsubjpass")]
                    if subj:
                        target = _resolve(_with_conjuncts(subj[0]), index, source)
                        break
        return source, target
    subj = _subject(tok)
    passive_subj = [x for x in tok.children if x.dep_ == "nsubjpass"]
    if passive_subj:
        target_toks = _with_conjuncts(passive_subj[0])
        agent = [x for x in tok.children if x.dep_ == "agent"]
        subj = [p for a in agent for p in a.children if p.dep_ == "pobj"]
    else:
        objs = [x for x in tok.children if x.dep_ in ("dobj", "dative", "attr")]
        if c.noun is not None:  # light verb: "completed their withdrawal from Niger"
            objs = [x for x in objs if x.i != c.noun.i]
            objs += _pp_objects(c.noun, _ROLE_PREPS_TARGET + ("of",))
        target_toks = [t for o in objs for t in _with_conjuncts(o)]
        preps = _ROLE_PREPS_TARGET + (("at",) if c.type in _AIMED_TYPES else ())
        target_toks += _pp_objects(tok, preps)  # "fired tear gas at protesters"
    source = _resolve(subj, index, [])
    if not source and subj and not passive_subj:
        # "Shelling by the RSF killed 20", "an attack by militants wounded five": the
        # subject is an event noun and its by-phrase names who acted
        source = _resolve(_pp_objects(subj[0], ("by",)), index, [])
    target = _resolve(target_toks, index, source)
    if not target:
        # "offered to hand over to Great Britain": the complement verb's object or phrase
        for x in tok.children:
            if x.dep_ == "xcomp" and x.pos_ in ("VERB", "AUX"):
                t_toks = [t for o in x.children if o.dep_ in ("dobj", "dative")
                          for t in _with_conjuncts(o)]
                target = _resolve(t_toks + _pp_objects(x, _ROLE_PREPS_TARGET), index, source)
                if target:
                    break
    if not target:
        # the object is not an actor itself: the first actor inside it ("ended an agreement
        # that allowed US troops to ...", "a camp for Congolese refugees was attacked",
        # "denounced Serbia's suppression"), then inside the complement verb's object
        # ("refused to commit to assistance to the US-led war") and the subject of a that-
        # clause ("demanded that the US cancel plans")
        holders = [x for x in tok.children if x.dep_ in ("dobj", "nsubjpass")]
        holders += _pp_objects(tok, _ROLE_PREPS_TARGET)
        for x in tok.children:
            if x.dep_ == "xcomp":
                holders += [o for o in x.children if o.dep_ == "dobj"]
                holders += _pp_objects(x, _ROLE_PREPS_TARGET)
            elif x.dep_ == "ccomp":
                subj = [o for o in x.children if o.dep_ in ("nsubj", "nsubjpass")]
                if subj and c.type == "REQUEST":  # "said US and British forces must ensure"
                    target = _resolve(_with_conjuncts(subj[0]), index, source)
                    if target:
                        return source, target
                holders += subj
        for o in holders:
            target = [a for a in index.in_subtree(o)
                      if not any(a.start < b.end and b.start < a.end for b in source)][:1]
            if target:
                break
    return source, target


# ---------------------------------------------------------------- modality

_PERIOD_UNITS = {"year", "years", "decade", "decades", "month", "months", "week", "weeks",
                 "day", "days", "century"}


def _over_a_period(verb: Any) -> bool:
    """A present perfect summed over a period ("has killed thousands since 2015", "has carried
    out abductions for a decade") is background, not one event."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "since":
            return True
        if c.dep_ == "prep" and c.lower_ in ("for", "over") and any(
                p.dep_ == "pobj" and p.lower_ in _PERIOD_UNITS and (
                    p.lower_.endswith("s") or any(d.lower_ in ("a", "the", "past", "last")
                                                  for d in p.children))
                for p in c.children):
            return True
    return False


def _modality(c: _Candidate, lex: Lexicon, sent_text: str) -> tuple[str, Any]:
    """Return (modality, reporting token or None) for a candidate."""
    tok = c.trigger
    reporter = None
    chain = [tok]
    cur = tok
    while cur.head.i != cur.i and len(chain) < 8:
        if cur.dep_ in ("ccomp", "parataxis") and cur.head.lemma_.lower() in lex.reporting_verbs:
            reporter = cur.head
            break
        cur = cur.head
        chain.append(cur)
    negated = future = hypothetical = historical = False
    for i, node in enumerate(chain):
        kids = list(node.children)
        auxes = [k.lower_ for k in kids if k.dep_ in ("aux", "auxpass")]
        if any(k.dep_ == "neg" or k.lower_ in _NEG_WORDS and k.dep_ in ("neg", "det")
               for k in kids):
            if i == 0 or node.pos_ == "VERB":
                negated = True
        if any(a in _FUTURE_AUX for a in auxes):
            future = True
        if any(a in _HYPOTHETICAL_AUX for a in auxes):
            hypothetical = True
        if any(k.dep_ == "mark" and k.lower_ in ("if", "unless") for k in kids):
            hypothetical = True
        if "had" in auxes and node.tag_ == "VBN":
            historical = True
        if i == 0 and node.tag_ == "VBN" and any(a in ("has", "have", "'ve") for a in auxes) \
                and (_over_a_period(node) or node.dep_ == "relcl" and
                     node.head.head.pos_ in ("VERB", "AUX") and _over_a_period(node.head.head)):
            historical = True  # "an insurgency that has killed thousands since 2015"
        if i > 0 and node.lemma_.lower() in lex.future_governors and (
                node.pos_ == "VERB" or node.pos_ == "ADJ" and chain[i - 1].dep_ == "xcomp"):
            future = True  # "plans to withdraw", "is willing to withdraw"
        if node.tag_ in ("VBG",) and any(a in ("is", "are", "'s", "'re") for a in auxes) \
                and node.lemma_.lower() in ("go",):
            future = True
    low = sent_text.lower()
    if any(cue in low for cue in lex.historical_cues[:3]):
        historical = True
    if negated:
        return "negated", reporter
    if hypothetical and not future:
        return "hypothetical", reporter
    if future:
        return "future", reporter
    if historical:
        return "historical", reporter
    return "asserted", reporter


def _is_generic(c: _Candidate, lex: Lexicon, source: list[Actor], has_time: bool) -> bool:
    """A present-simple statement about kinds of actors is background, not an event."""
    tok = c.trigger
    if (c.noun is not None and c.noun.i == tok.i) or has_time:
        return False
    aux = [k for k in tok.children if k.dep_ in ("aux", "auxpass")]
    if tok.tag_ in ("VBZ", "VBP") and not aux:
        return True
    subj = [k for k in tok.children if k.dep_ == "nsubj"]
    if subj and subj[0].lower_ in lex.generic_heads and not any(
            k.dep_ == "det" for k in subj[0].children) and not source:
        return True
    return False


# ---------------------------------------------------------------- place and time

def _location(c: _Candidate, sent: Any, places: list[Place]) -> Place | None:
    from ..location import attached_place

    return attached_place(c.trigger, places, c.noun)


_CLAUSAL = {"ccomp", "xcomp", "advcl", "relcl", "acl", "parataxis", "csubj"}
_NOMINAL = {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "npadvmod_noun"}


def _ancestors(tok: Any) -> list[Any]:
    out = [tok]
    while out[-1].head.i != out[-1].i:
        out.append(out[-1].head)
    return out


def _time_score(trigger: Any, anchor: Any, noun: Any = None) -> tuple[int, int] | None:
    """Score how directly a temporal expression (its head token ``anchor``) dates a trigger.

    Returns (crossings on the time's side, crossings on the trigger's side) up to their lowest
    common ancestor, or None when they are in different sentences. A time that reaches the
    common ancestor through another clause ("said ... that troops would complete it by
    September") or through a noun argument ("the ouster following a coup last year") dates
    something else.
    """
    up_trigger = _ancestors(trigger)
    on_path = {t.i: n for n, t in enumerate(up_trigger)}
    cur, time_cross = anchor, 0
    while cur.i not in on_path:
        if cur.dep_ in _CLAUSAL or (cur.dep_ == "conj" and cur.pos_ in ("VERB", "AUX")):
            time_cross += 1
        elif cur.dep_ in _NOMINAL and cur.i != anchor.i and cur.pos_ in ("NOUN", "PROPN") \
                and (noun is None or cur.i != noun.i):
            time_cross += 1  # the time modifies a noun inside an argument
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    lca = on_path[cur.i]
    trig_cross = sum(1 for t in up_trigger[:lca] if t.dep_ in _CLAUSAL)
    return time_cross, trig_cross


def _event_time(c: _Candidate, sent: Any, times: list[Time]) -> Time | None:
    """Return the temporal expression that dates a candidate: the one attached to it by the
    parse (its clause or a governing verb), else None (the report's date is used)."""
    doc = sent.doc
    best: tuple[tuple[int, int, int], Time] | None = None
    for t in times:
        if t.type not in ("DATE", "TIME") or not (sent.start_char <= t.start < sent.end_char):
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            continue
        score = _time_score(c.trigger, span.root, c.noun)
        if score is None or score[0] > 0:
            continue
        key = (score[1], abs(t.start - c.trigger.idx), 0)
        if best is None or key < best[0]:
            best = (key, t)
    return best[1] if best else None


def _event_date(time: Time | None, published: date, modality: str = "asserted",
                ) -> tuple[EventDate, Time | None]:
    if time is not None:
        from ..times import value_range

        mod = time.mod
        if time.granularity == "year" and mod in ("START", "END"):
            mod = None  # "earlier this year" is any time this year before the report
        rng = value_range(time.value, mod)
        if rng is not None:
            start, end, gran = rng
            if modality in ("asserted", "negated", "historical") and end > published >= start:
                end = published  # what happened was reported: it ended by the report's date
            return EventDate(start.isoformat(), end.isoformat(), gran, "text"), time
    iso = published.isoformat()
    return EventDate(iso, iso, "day", "published"), None


def event_id(article_id: str, trigger_start: int, type_: str) -> str:
    """Return the stable id of an event mention."""
    return hashlib.sha256(f"{article_id}:{trigger_start}:{type_}".encode()).hexdigest()[:16]


def _confidence(c: _Candidate, source: list[Actor], target: list[Actor], modality: str) -> float:
    score = c.lexical_score
    score += 0.12 if source else -0.15
    score += 0.08 if target else 0.0
    if modality != "asserted":
        score -= 0.05
    return max(0.05, min(0.98, score))


def _key(e: Event) -> tuple[Any, ...]:
    return (e.type, e.modality, tuple(sorted({a.country or a.kb_id or a.name for a in e.source})),
            tuple(sorted({a.country or a.kb_id or a.name for a in e.target})))


def _partial_twin(k: Event, e: Event) -> bool:
    """Two mentions in one sentence of the same type, modality and source where one names no
    target ("offered its troops to Lebanon ... to help"): one event, told twice."""
    return (k.sentence.start == e.sentence.start and k.type == e.type
            and k.modality == e.modality
            and _key(k)[2] == _key(e)[2] and bool(_key(k)[2])
            and (_uncoded(e.target) or _uncoded(k.target)))


def _uncoded(actors: list[Actor]) -> bool:
    """No actor of the list is coded (no country, no knowledge-base entry)."""
    return not any(a.country or a.kb_id for a in actors)


def _merge_duplicates(events: list[Event]) -> list[Event]:
    """Merge mentions of one event in an article: same type, modality and actors, and dates
    that overlap (a mention dated by the report merges with a text-dated one on that day);
    in one sentence, a mention without a target merges into its twin that names one."""
    kept: list[Event] = []
    for e in events:
        twin = next((k for k in kept if _key(k) == _key(e) and k.date.start <= e.date.end
                     and e.date.start <= k.date.end), None)
        if twin is None:
            twin = next((k for k in kept if _partial_twin(k, e)), None)
            if twin is not None and _uncoded(twin.target) and not _uncoded(e.target):
                kept[kept.index(twin)] = e  # keep the fuller mention, fold the other in
                e, twin = twin, e
        if twin is None:
            kept.append(e)
            continue
        better = (e.date.basis == "text" and twin.date.basis != "text") or (
            e.date.basis == twin.date.basis and e.confidence > twin.confidence)
        if better:
            twin.date, twin.time = e.date, e.time
        if twin.location is None:
            twin.location = e.location
        twin.confidence = max(twin.confidence, e.confidence)
    return kept


_COOPERATIVE = {"CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE"}
_MATERIAL_CONFLICT = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE"}


def _plover_intent(c: _Candidate, modality: str) -> tuple[str, str | None]:
    """Apply PLOVER's rule for intentions (manual, AGREE): cooperative actions reported in the
    future are AGREE; a conditional or future use of force or sanctions is THREATEN."""
    conditional = any(k.dep_ == "mark" and k.lower_ in ("if", "unless")
                      for t in (c.trigger, *c.trigger.subtree) for k in t.children) or any(
        t.lower_ == "unless" for t in c.trigger.sent)
    if modality in ("future", "hypothetical"):
        if c.type in _COOPERATIVE and not conditional:
            return "AGREE", None
        if c.type in _MATERIAL_CONFLICT or (conditional and c.type in _COOPERATIVE | {"REJECT"}):
            return "THREATEN", None
    return c.type, c.mode


#: a refused cooperative act is PLOVER REJECT (CAMEO 12: reject material cooperation, decline
#: to yield, reject a proposal to meet or a plan), with the REJECT mode of what was refused
_REFUSED_MODE = {"AID": "assist", "COOPERATE": "assist", "SUPPORT": "assist",
                 "CONCEDE": "yield", "RETREAT": "yield", "CONSULT": "meet", "AGREE": "meet"}


def _refusal(c: _Candidate, modality: str) -> tuple[str, str | None, str] | None:
    """(REJECT, mode, "asserted") when ``c`` is a negated cooperative act ("Syria will not
    accept more refugees", "refused to withdraw"): the refusal is the event. "has not yet
    agreed" is a delay, not a refusal."""
    if modality != "negated" or c.type not in _REFUSED_MODE:
        return None
    if any(t.lower_ in ("yet", "still") for t in c.trigger.children):
        return None
    return "REJECT", _REFUSED_MODE[c.type], "asserted"


def _is_heading(sent: Any) -> bool:
    """A short line without final punctuation is a sub-heading, told in headline grammar."""
    text = sent.text.strip()
    return len(sent) < 9 and not text.endswith((".", "!", "?", '"', "”", "'", ":"))


def _marked(sent: Any, source: list[Actor], target: list[Actor]) -> str:
    """The sentence with PLV-style ``<s>..</s>``/``<t>..</t>`` marks around the first source
    and first target mention (the input the dyad classifier was trained on)."""
    base, text = sent.start_char, sent.text
    marks = []
    for actors, tag in ((source, "s"), (target, "t")):
        if actors:
            a = actors[0]
            lo, hi = a.start - base, a.end - base
            if 0 <= lo < hi <= len(text):
                marks.append((lo, hi, tag))
    if len(marks) == 2 and marks[0][0] < marks[1][1] and marks[1][0] < marks[0][1]:
        marks = marks[:1]  # one mention in both roles: mark the source only
    for lo, hi, tag in sorted(marks, reverse=True):
        text = f"{text[:lo]}<{tag}>{text[lo:hi]}</{tag}>{text[hi:]}"
    return text


#: with the classifier on, its top type replaces the lexicon's when it has at least this
#: probability (measured on the PLOVER gold records with a model trained without them: 0.5
#: costs 0.045 tuple F1, 0.9 is neutral, 0.97 adds 0.004; see docs/ARCHITECTURE.md, decision 8)
RETYPE_MIN = 0.9


def classifier_enabled() -> bool:
    """Whether the dyad classifier re-types lexicon candidates: ``TIDINGS_CLASSIFIER=on``.

    Off by default: on held-out gold records it changes tuple F1 by less than 0.005 and makes
    the events stage about 13 times slower (docs/ARCHITECTURE.md, decision 8)."""
    return os.environ.get("TIDINGS_CLASSIFIER", "off").strip().lower() in (
        "on", "1", "true", "yes")


def _retype(pending: list[tuple[_Candidate, Any, list[Actor], list[Actor]]]) -> None:
    """Score every candidate with the dyad classifier in one batch (one embedding pass per
    article); take its type when confident and blend its probability into the confidence."""
    if not pending or not classifier_enabled():
        return
    from ...classifier import classify_batch, mode_for

    marked = [_marked(sent, src, tgt) for _, sent, src, tgt in pending]
    ranked = classify_batch([(m, None, None) for m in marked])
    for (c, _, _, _), m, r in zip(pending, marked, ranked):
        top, p_top = r[0]
        if top != c.type and p_top >= RETYPE_MIN:
            c.type, c.mode = top, mode_for(top, m)
        c.lexical_score = 0.5 * c.lexical_score + 0.5 * dict(r).get(c.type, 0.0)


#: blocking passage is PROTEST (CAMEO 144); imposing a blockade stays COERCE (CAMEO 191)
_OBSTRUCT_VERBS = {"block", "barricade", "occupy"}
_STATE_SECTORS = {"GOV", "MIL", "POL", "JUD", "LEG"}


def _is_state(a: Actor) -> bool:
    """A state actor: a government, military or police sector, or a country named as such
    (not a demonym for its people)."""
    if a.sector in _STATE_SECTORS or _STATE_SECTORS & set(a.sectors):
        return True
    if a.sector is None and a.country:
        from ..actors import load_kb

        entry = load_kb().names.get(a.text)
        return entry is not None and entry.kind in ("country", "capital")
    return False


#: event types whose missing target is the country where the event happens (PLOVER codes a
#: curfew lifted in Montenegro or an attack in Basra as aimed at that country); None = all
TARGET_FROM_PLACE: frozenset[str] | None = None


def _place_as_actor(place: Place) -> Actor:
    """The country of the event's place as its target, with the place mention as evidence."""
    from ..actors import load_kb

    entry = load_kb().countries.get(place.country or "")
    return Actor(text=place.text, start=place.start, end=place.end,
                 name=entry.name if entry else place.country or place.text,
                 country=place.country,
                 sector=None, kb_id=place.country)


#: sectors of actors that do not act for one country (they keep no country when none is named)
_TRANSNATIONAL = frozenset({"IGO", "NGO", "BUS"})


def _unidentified(country: str, evidence: Place | Actor, basis: str) -> Actor:
    """An unnamed actor of ``country`` ("a roadside bomb near Samarra": someone in Iraq), with
    the mention that gives the country as evidence."""
    from ..actors import load_kb

    entry = load_kb().countries.get(country)
    return Actor(text=evidence.text, start=evidence.start, end=evidence.end,
                 name=f"unidentified ({entry.name if entry else country})", country=country,
                 sector="UNK", kb_id=None, country_basis=basis)


def _sentence_place(sent: Any, places: list[Place]) -> Place | None:
    """The first place the sentence names in a country (literal use), or None. A name that
    modifies a noun ("US troops", "Niger's junta") says whose, not where."""
    lo, hi = sent.start_char, sent.end_char
    heads = {t.idx: t for t in sent}
    for p in places:
        if lo <= p.start < hi and p.country and p.usage == "literal":
            tok = heads.get(p.start)
            if tok is not None:
                last = tok
                while last.i + 1 < sent.end and last.idx + len(last.text) < p.end:
                    last = last.doc[last.i + 1]
                if last.dep_ in ("compound", "amod", "poss", "nmod"):
                    continue
            return p
    return None


def _local_countries(actors: list[Actor], country: str | None, basis: str) -> list[Actor]:
    """Local actors with no country of their own ("three ethnic Albanians", "villagers") take
    ``country``, marked with ``basis``; knowledge-base entities and transnational actors (and
    a list where any actor is coded) stay as they are."""
    if not country or not actors:
        return actors
    if any(a.country or a.kb_id or a.sector in _TRANSNATIONAL
           or _TRANSNATIONAL & set(a.sectors) for a in actors):
        return actors
    return [replace(a, country=country, country_basis=basis) for a in actors]


def _source_countries(source: list[Actor], target: list[Actor],
                      location: Place | None) -> list[Actor]:
    """PLOVER's coding convention for a source the text leaves without a country.

    An event with no source at all (an attack by unknown perpetrators) is coded as done by an
    unidentified actor of the country where it happened (its attached place, else the first
    place its sentence names), else of the target's country (a domestic event). A local
    source with no country of its own ("leaders of the opposition coalition") takes the same
    country; knowledge-base entities keep their own coding (JNIM is
    transnational, not of the country it attacks), and so do IGOs, NGOs and companies.
    The inferred country is marked by ``country_basis`` ("place" or "target").
    """
    where = location.country if location is not None and location.country else None
    basis = "place"
    tgt = next((a for a in target if a.country), None)
    if not source:
        if where:
            assert location is not None
            return [_unidentified(where, location, "place")]
        return [_unidentified(tgt.country, tgt, "target")] if tgt and tgt.country else []
    if where is None and tgt is not None:
        where, basis = tgt.country, "target"
    return _local_countries(source, where, basis)


_PEACEKEEPING = "peacekeep"
#: types whose missing target is the source's own country ("lifted the state of emergency",
#: "staged a hunger strike", "banned the opposition party", "opened fire, killing one")
_DOMESTIC_TYPES = frozenset({"CONCEDE", "PROTEST", "COERCE", "ASSAULT"})
#: acts that move, offer or send the source's own forces: forces of no country are its own
_MOVES_FORCES = frozenset({"MOBILIZE", "AID", "AGREE"})
_OWNER_WORDS = ("its ", "their ", "his ", "her ", "our ")


def _without_own_forces(etype: str, source: list[Actor], target: list[Actor]) -> list[Actor]:
    """Drop the source's own forces from the target: "withdraw its troops from Lebanon",
    "strengthened its forces", "deployed additional troops" move the source's forces; the
    target is whom the act is aimed at (Lebanon). Forces count as the source's own when a
    possessive says so or they share its country; for a mobilisation, an offer or aid also
    when they have no country at all ("deployed additional troops", "ready to contribute 4,000
    troops to a force in Liberia"). Hostile acts keep forces as targets."""
    if etype not in _COOPERATIVE | {"AGREE", "MOBILIZE"}:
        return target  # "rebels attacked their positions": hostile acts aim at forces
    own = {a.country for a in source if a.country}

    def owned(a: Actor) -> bool:
        if not {a.sector, *a.sectors} & {"MIL", "POL"}:
            return False
        if a.text.lower().startswith(_OWNER_WORDS) or (a.country and a.country in own):
            return True
        return etype in _MOVES_FORCES and a.country is None

    return [a for a in target if not owned(a)]


def _subordinate(tok: Any) -> bool:
    """Whether ``tok`` heads a background clause or phrase: a relative or adverbial clause
    ("where 28 people have been killed", "as fighting spread") or the object of a temporal or
    causal preposition ("after clashes", "amid riots"). A complement ("the decision to expel")
    is not background: it is what the main act is about."""
    if tok.dep_ in ("relcl", "advcl"):
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ in _BACKGROUND_PREPS


_BACKGROUND_PREPS = {"after", "before", "following", "during", "amid", "amidst", "since",
                     "despite", "over"}


def _protest_demands(
    pending: list[tuple[_Candidate, Any, list[Actor], list[Actor]]],
) -> list[tuple[_Candidate, Any, list[Actor], list[Actor]]]:
    """A demand that is the purpose of a protest is the protest's content, not a second event
    ("staged demonstrations to demand reforms", "rallied, saying he must resign"): PLOVER codes
    one PROTEST, aimed at whom the demand addresses."""
    protests = {c.trigger.i: k for k, (c, _, _, _) in enumerate(pending) if c.type == "PROTEST"}
    if not protests:
        return pending
    drop: set[int] = set()
    for k, (c, _, _, target) in enumerate(pending):
        if c.type != "REQUEST":
            continue
        tok, j = c.trigger, None
        for _ in range(4):  # "saying he must", "joining demonstrators in demanding"
            if tok.dep_ not in ("advcl", "xcomp", "acl", "ccomp", "pcomp", "prep") or \
                    tok.head.i == tok.i:
                break
            tok = tok.head
            j = protests.get(tok.i)
            if j is not None:
                break
        if j is None:
            continue
        drop.add(k)
        pc, psent, psrc, ptgt = pending[j]
        if not ptgt and target:
            pending[j] = (pc, psent, psrc, target)
    return [p for k, p in enumerate(pending) if k not in drop]


def find_events(document: Document) -> list[Event]:
    """Return the events of a document whose times, places and actors are already found."""
    lex = load_lexicon()
    doc = document.doc
    index = _ActorIndex(document.actors, doc)
    pending: list[tuple[_Candidate, Any, list[Actor], list[Actor]]] = []
    for sent in doc.sents:
        if _is_heading(sent):
            continue
        cands = _candidates(sent, lex)
        for c in cands:
            source, target = _roles(c, index)
            if not source and not target:
                continue  # PLOVER events need an actor
            if c.noun is not None and c.noun.i == c.trigger.i and not source:
                continue  # a bare event noun ("related to the withdrawal") is a reference
            if not source and _uncoded(target) and len(cands) > 1 and _subordinate(c.trigger):
                # "lifted a curfew in Montenegro, where 28 people have been killed": an
                # unattributed act in a subordinate clause of another event is background
                continue
            pending.append((c, sent, source, target))
    _retype(pending)
    for c, _, source, _ in pending:
        if c.type == "COERCE" and c.mode == "restrict" and c.trigger.lemma_.lower() in \
                _OBSTRUCT_VERBS and source and not any(_is_state(a) for a in source):
            # civilians or rebels blocking roads protest (PLOVER PROTEST, mode obstruct);
            # a state blocking them coerces
            c.type, c.mode = "PROTEST", "obstruct"
    pending = _protest_demands(pending)
    events: list[Event] = []
    for c, sent, source, target in pending:
        time = _event_time(c, sent, document.times)
        if _is_generic(c, lex, source, time is not None):
            continue
        modality, reporter = _modality(c, lex, sent.text)
        c.type, c.mode = _plover_intent(c, modality)
        refusal = _refusal(c, modality)
        if refusal is not None:
            c.type, c.mode, modality = refusal
        date_, time = _event_date(time, document.published, modality)
        trig = c.trigger
        reported_by = _resolve(_subject(reporter), index, []) if reporter is not None else []
        location = _location(c, sent, document.places)
        peacekeeping = c.type == "MOBILIZE" and any(_PEACEKEEPING in a.text.lower()
                                                    for a in source + target)
        if target:
            target = _without_own_forces(c.type, source, target)
        if peacekeeping:
            # deploying peacekeepers is providing military protection (CAMEO 0743): AID
            c.type, c.mode = "AID", None
        if not target and location is not None and location.country and (
                TARGET_FROM_PLACE is None or c.type in TARGET_FROM_PLACE):
            target = [_place_as_actor(location)]
        sp = _sentence_place(sent, document.places)
        if not target:
            # an act abroad is aimed at the country where it happens ("strengthened its
            # forces in Lebanon"); a place in the source's own country, or a source of no
            # known country, says nothing of a target
            if sp is not None and any(a.country for a in source) and \
                    not any(a.country == sp.country for a in source):
                target = [_place_as_actor(sp)]
        where = location or sp
        source = _source_countries(source, target, where)
        if not target and c.type in _DOMESTIC_TYPES:
            # conceding, repressing, protesting and attacking with no named target (and no
            # place to take it from) are domestic acts
            # (PLOVER codes the target as the source's own country)
            home = next((a for a in source if a.country), None)
            if home is not None and home.country:
                target = [_unidentified(home.country, home, "source")]
        target = _local_countries(target, where.country if where else None, "place")
        if target and _uncoded(target):
            # "Egyptian police opened fire on demonstrators", "the government ordered the
            # opposition newspaper closed": local people a state acts on, with no place
            # named, are that state's
            home = next((a for a in source if a.country and _is_state(a)), None)
            if home is not None:
                target = _local_countries(target, home.country, "source")
        events.append(Event(
            id=event_id(document.id, trig.idx, c.type),
            type=c.type,
            mode=c.mode,
            confidence=_confidence(c, source, target, modality),
            modality=modality,
            trigger=Span(trig.idx, trig.idx + len(trig.text), trig.text),
            sentence=Span(sent.start_char, sent.start_char + len(sent.text.rstrip())),
            source=source,
            target=target,
            location=location,
            time=time,
            date=date_,
            reported_by=reported_by,
        ))
    return _merge_duplicates(events)
