"""The event coding conventions, from the PLOVER manual and its CAMEO table, as named rules.

Each rule is registered with :func:`~.rules.rule` under a name and the phase where it runs; it
gets its word lists (``data/event_rules.json``, same name) as its last argument. The rules run
in the order of this file, which is the order of the data file; ``tidings rules`` lists them,
``tidings rules NAME`` shows one, and ``tidings eval plover --without-rule NAME`` measures one.
Each was measured on the PLOVER gold records before it was kept (BENCHMARKS.md, Events).

To add a rule: write a function here, at the point of the order where it should run, decorate
it with ``@rule("name", "phase")`` (the phases are listed in ``rules.py``), give it a one-line
docstring, and add ``"name": {...its word lists...}`` at the same place in the data file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from ...model import Actor, Event, Place
from ..factuality import probabilities
from .draft import Candidate, Draft, Marks
from .roles import ActorIndex, subject
from .merge import same_event, targetless_twin, uncoded
from .modality import (
    combine,
    denied_object,
    is_generic,
    nobody_did,
    predicate,
    subordinate,
    unsaid,
)
from .rules import RULES, Words, rule, shared_words
from .tree import is_place, pp_objects, with_conjuncts
from .triggers import Lexicon, load_lexicon, particle_verb

Key = tuple[str, str | None]

# ---------------------------------------------------------------- typing a trigger


@rule("sign-is-support", "light-verb")
def sign_is_support(verb: Any, obj: Any, key: Key, w: Words) -> Key:
    """Code signing or ratifying an agreement as SUPPORT, not AGREE (PLOVER manual)."""
    if key[0] == "AGREE" and verb.lemma_.lower() in w["verbs"]:
        return ("SUPPORT", None)
    return key


@rule("labour-strike", "light-verb")
def labour_strike(verb: Any, obj: Any, key: Key, w: Words) -> Key:
    """Code a strike that workers stage, call or begin as PROTEST strike, not an air strike."""
    if obj.lemma_.lower() != "strike" or key[0] != "ASSAULT":
        return key
    mods = {c.lower_ for c in obj.children if c.dep_ in ("amod", "compound", "nmod")}
    if mods & w["military"]:
        return key
    subj = {c.lemma_.lower() for c in verb.children if c.dep_ == "nsubj"}
    if verb.lemma_.lower() in w["verbs"] or mods & w["labour"] or subj & w["workers"]:
        return ("PROTEST", "strike")
    return key


@rule("going-on-strike", "verb")
def going_on_strike(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code going on strike ("workers went on strike") as PROTEST strike."""
    if tok.lemma_.lower() == "go" and any(
            o.lemma_.lower() == "strike" for o in pp_objects(tok, ("on",))):
        return ("PROTEST", "strike")
    return key


@rule("placed-under-arrest", "verb")
def placed_under_arrest(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code placing someone under arrest ("placed Bongo under house arrest") as COERCE arrest."""
    if tok.lemma_.lower() in w["verbs"] and any(
            o.lemma_.lower() in w["custody"] for o in pp_objects(tok, ("under", "in", "into"))):
        return ("COERCE", "arrest")
    return key


@rule("declared-status", "verb")
def declared_status(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code declaring a status ("declared the ambassador persona non grata") by the status.

    A diplomat declared persona non grata is expelled (SANCTION expel, CAMEO 1663); a state
    of emergency, of siege or of internal commotion is COERCE martial-law (CAMEO 1724)."""
    if tok.lemma_.lower() not in w["verbs"]:
        return key
    said = " ".join(t.lower_ for c in tok.children if c.dep_ in ("dobj", "oprd", "ccomp", "xcomp")
                    for t in c.subtree).replace(" - ", "-")
    for phrase, key_text in w["statuses"].items():  # "SANCTION expel"
        if phrase in said:
            etype, *mode = key_text.split()  # "REJECT" has no mode
            return (etype, mode[0] if mode else None)
    return key


@rule("forced-entry", "verb")
def forced_entry(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code forcing one's way into a place ("forced their way into the embassy") as COERCE."""
    lemma = tok.lemma_.lower()
    way = lemma == "force" and any(c.dep_ == "dobj" and c.lower_ == "way" for c in tok.children)
    broke = lemma == "break" and any(c.dep_ == "prep" and c.lower_ in ("into", "through")
                                     for c in tok.children)
    if key is None and (way or broke):
        return ("COERCE", None)
    return key


@rule("object-decides-type", "verb")
def object_decides_type(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Let the object decide the type: halting aid is SANCTION, accepting demands CONCEDE.

    The object rules are in ``data/triggers.json``; a partitive object ("suspended part of a
    military aid program") is read through its of-phrase, and a particle verb ("broke up",
    "cut off") matches as a phrase."""
    lemma = tok.lemma_.lower()
    objects = {o.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "nsubjpass")
               for o in with_conjuncts(c)}
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in w["partitive_heads"]:
            objects |= {o.lemma_.lower() for o in pp_objects(c, ("of",))}
        if c.dep_ in ("dobj", "nsubjpass"):  # "suspended internet services"
            objects |= {m.lemma_.lower() for m in c.children if m.dep_ == "compound"}
    prt = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
    phrasal = f"{lemma} {prt}" if prt else lemma
    for verbs, nouns, rtype, rmode in lex.object_rules:
        if (phrasal in verbs or lemma in verbs) and objects & nouns:
            return (rtype, rmode)
    return key


@rule("own-borders-closed", "verb")
def own_borders_closed(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code a state closing its own borders ("closed the country's borders") as COERCE.

    PLOVER's COERCE restrict covers restrictions on movement; closing a border *with* another
    state ("closed its border with Belarus") stays the lexicon's SANCTION against it. Only the
    borders as a whole count (plural or "all"): one crossing or checkpoint is a measure
    against the neighbour the story is about."""
    if tok.lemma_.lower() not in w["verbs"] and particle_verb(tok) not in w["verbs"]:
        return key
    objects = [o for c in tok.children if c.dep_ in ("dobj", "nsubjpass")
               for o in with_conjuncts(c)]
    whole = [o for o in objects if o.lemma_.lower() in w["borders"] and (
        o.tag_ in ("NNS", "NNPS") or any(c.lower_ == "all" for c in o.children))]
    if not whole:
        return key
    if any(p.lower_ in w["with_preps"] for o in whole for p in o.children if p.dep_ == "prep") \
            or any(p.lower_ in w["with_preps"] for p in tok.children if p.dep_ == "prep"):
        return key  # "closed its land borders with Iraq": a measure against Iraq
    return ("COERCE", "restrict")


def _compound_lemma(tok: Any) -> str:
    """"tear gas" for the token "gas" with the compound "tear"."""
    return " ".join([c.lower_ for c in tok.lefts if c.dep_ in ("compound", "amod")]
                    + [tok.lemma_.lower()])


@rule("weapon-is-assault", "verb")
def weapon_is_assault(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code firing or dropping a weapon ("fired missiles at") as ASSAULT, mode the weapon.

    "Used" or "sprayed" counts for crowd-control weapons only ("used water cannon on
    protesters"; "used drones to monitor the border" is no attack)."""
    lemma = tok.lemma_.lower()
    using = lemma in w["use_verbs"]
    if lemma not in lex.weapon_verbs and not using:
        return key
    objects = [o for c in tok.children if c.dep_ in ("dobj", "nsubjpass")
               for o in with_conjuncts(c)]
    objects += [o for c in objects if c.lemma_.lower() in w["counts"]
                for o in pp_objects(c, ("of",))]  # "launched hundreds of drones"
    weapon = next((lex.weapon_objects[x] for o in objects
                   for x in (_compound_lemma(o), o.lemma_.lower())
                   if x in lex.weapon_objects), None)
    if using and weapon not in w["use_modes"]:
        return key
    return ("ASSAULT", weapon) if weapon is not None else key


def _armed_subject(tok: Any, w: Words) -> bool:
    """Whether the subject of ``tok`` is armed men ("fighters", "government troops", "armed
    men", "masked men": gates full +1) or a named group ("Hayat Tahrir al-Sham entered the
    capital"); a conjoined verb has its first verb's subject ("crossed the border and entered
    Syria") and a group or a convoy is what its of-phrase says ("a large group of militants",
    "a convoy of army tanks")."""
    subjects = [s for t in subject(tok) if t.dep_ != "pobj" or t.head.dep_ != "agent"
                for s in with_conjuncts(t)]
    groups = shared_words()["collective_heads"]
    subjects += [o for s in subjects if s.lemma_.lower() in groups
                 for o in pp_objects(s, ("of",)) for o in with_conjuncts(o)]
    return any(s.lemma_.lower() in w["armed_heads"] or s.ent_type_ in w["group_labels"]
               or any(a.dep_ == "amod" and a.lower_ in w["armed_modifiers"]
                      for a in s.children)
               for s in subjects)


@rule("taking-ground-is-assault", "verb")
def taking_ground_is_assault(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code taking a place by force ("seized Damascus", "took control of the base") as ASSAULT.

    Entering a place is taking it only for armed men or a named group ("rebels entered the
    capital"; not "the aid convoy entered Darfur").

    It is fighting, not COERCE's raid or confiscation: the PLOVER gold records code capturing
    territory as FIGHT and the PLV sentences as ASSAULT, though CAMEO 192 maps to COERCE.

    Armed men seizing, capturing or taking people ("gunmen seized them at a home", "taking its
    25 crew members hostage") abduct them: the PLOVER manual codes people captured in conflict
    as ASSAULT abduct, not COERCE arrest (police are no armed men here: their seizing is an
    arrest). Gates en8-22 full 737 -> 740, spurious same; combatant objects as well ("troops
    captured 20 rebels") type -1, full same, so not added."""
    lemma = tok.lemma_.lower()
    if lemma not in w["verbs"] and particle_verb(tok) not in w["verbs"]:
        return key
    if lemma in w["armed_only"] and not _armed_subject(tok, w):
        return key  # "the aid convoy entered Darfur" is no attack
    objects = [o for c in tok.children if c.dep_ in ("dobj", "nsubjpass")
               for o in with_conjuncts(c)]
    objects += [o for c in objects if c.lemma_.lower() == "control"
                for o in pp_objects(c, ("of", "over"))]
    if _place_object(objects, w):
        return ("ASSAULT", None)
    if lemma in w["person_verbs"] and _armed_subject(tok, w) and any(
            o.ent_type_ == "PERSON" or o.lower_ in w["people_pronouns"]
            or o.lemma_.lower() in w["people_nouns"] for o in objects):
        return ("ASSAULT", "abduct")  # "armed men seized them", "took 25 crew members hostage"
    return key


def _place_object(objects: list[Any], w: Words) -> bool:
    """Whether one of a verb's objects is a place: a place entity, a place noun ("the base") or
    a name the gazetteer resolved, whatever its NER label."""
    return any(o.ent_type_ in w["entity_labels"] or o.lemma_.lower() in w["place_nouns"]
               or is_place(o) for o in objects)


@rule("armed-leaving-is-retreat", "verb")
def armed_leaving_is_retreat(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code armed men leaving a place ("Wagner fighters left Rostov") as RETREAT withdraw.

    The mirror of ``taking-ground-is-assault``'s "enter": only armed men or a named group
    leaving a named place, a town or a base withdraw; "thousands left their homes" and "the
    president left for Paris" do not."""
    if key is not None or tok.lemma_.lower() not in w["verbs"] or not _armed_subject(tok, w):
        return key
    objects = [o for c in tok.children if c.dep_ == "dobj" for o in with_conjuncts(c)]
    return ("RETREAT", "withdraw") if _place_object(objects, w) else key


@rule("armed-moving-is-mobilize", "verb")
def armed_moving_is_mobilize(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code armed men surrounding a place or moving into one as MOBILIZE troops.

    "U.S. troops surrounded the building", "Tanks and armoured personnel carriers moved into
    the square", "Army troops began moving into the zone": a show or positioning of force
    (PLOVER MOBILIZE), not yet an attack. Only armed men or a named group, and a move only
    towards a place ("into", "towards", "on"); a verb the lexicon codes keeps its type. With
    ``governing-verb`` keeping a material act's clause of its own: gates en8-22 full 743 ->
    746, tuning type +5, full same."""
    if key is not None or tok.pos_ != "VERB" or not _armed_subject(tok, w):
        return key
    lemma = tok.lemma_.lower()
    if lemma in w["verbs"] or lemma in w["move_verbs"] and pp_objects(tok, w["move_preps"]):
        return ("MOBILIZE", "troops")
    return key


@rule("return-to-talks", "verb")
def return_to_talks(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code an intransitive "return" as no retreat, and returning "for talks" as CONSULT."""
    if tok.lemma_.lower() != "return" or key is None or any(
            c.dep_ in ("dobj", "nsubjpass") for c in tok.children):
        return key
    goals = {o.lemma_.lower() for o in pp_objects(tok, ("for", "to"))}
    return ("CONSULT", None) if goals & w["goals"] else None


def _obligation(tok: Any, modals: frozenset[str]) -> Any:
    """The that-clause of ``tok`` whose verb takes "must"/"should" (not negated), or None."""
    for c in tok.children:
        if c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in modals
                                     for a in c.children) and not any(
                                         a.dep_ == "neg" for a in c.children):
            return c
    return None


@rule("obligation-is-request", "verb")
def obligation_is_request(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code a reported obligation ("declared that China must drop barriers") as REQUEST."""
    if key is None and tok.lemma_.lower() in lex.reporting_verbs and _obligation(
            tok, w["modals"]):
        return ("REQUEST", None)
    return key


def _complement(tok: Any, as_verbs: frozenset[str]) -> list[Any] | None:
    """The words an appraisal gives its object: "called the raid [a flagrant violation]",
    "described the storming as ["treasonous"]", "called the uprising ["treason"]"."""
    objs = [c for c in tok.children if c.dep_ == "dobj"]
    if not objs or objs[0].lower_ == "what":
        return None  # "launched what it called anti-terrorist measures": a distancing quote
    for c in tok.children:
        if c.dep_ == "oprd":
            return list(c.subtree)
    obj = objs[0]
    if tok.lemma_.lower() in as_verbs:
        after = [t for t in tok.subtree if t.i > obj.i]
        k = next((n for n, t in enumerate(after) if t.lower_ == "as"), None)
        return after[k + 1:] if k is not None else None
    if obj.i > 0 and obj.doc[obj.i - 1].lower_ in ('"', "\u201c") and any(
            c.dep_ in ("nmod", "compound", "amod") and c.i < obj.i - 1 for c in obj.children):
        return [obj]  # a quoted name whose noun the parse took for its modifier
    return _next_phrase(tok, obj)


_QUOTES = ('"', "\u201c", "\u201d", "'", "\u2018", "\u2019")


def _next_phrase(tok: Any, obj: Any) -> list[Any] | None:
    """The noun or adjective phrase right after the object when the parse attached it
    elsewhere: 'called the strikes an "act of war", and ...' (the parse made "act" the subject
    of the next clause). It starts with "a"/"an", an adjective or a noun (or anything quoted)
    and ends at a comma, a verb or the sentence's end; none starts with a preposition or an
    adverb ("called the president on Monday")."""
    doc, k, end = obj.doc, obj.right_edge.i + 1, tok.sent.end
    quoted = k < end and doc[k].text in _QUOTES
    while k < end and doc[k].text in _QUOTES:
        k += 1
    if k >= end or not (doc[k].lower_ in ("a", "an") or doc[k].pos_ in ("ADJ", "NOUN") or (
            quoted and doc[k].pos_ in ("PROPN", "DET"))):
        return None
    out = []
    while k < end and doc[k].text not in (",", ";", ":", ".", "(") and doc[k].pos_ not in (
            "VERB", "AUX", "CCONJ", "SCONJ"):
        out.append(doc[k])
        k += 1
    return out if any(t.pos_ in ("NOUN", "ADJ", "PROPN") for t in out) else None


@rule("appraisal-is-accusation", "verb")
def appraisal_is_accusation(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code calling an act or actor names ("called the raid a violation") as ACCUSE, praise SUPPORT.

    CAMEO 111 (criticize or denounce) and 051 (praise): the complement's words decide which;
    calling a claim false ("called the charge baseless") rejects it (CAMEO 1313); a name given
    to an operation ("called the operation Iron Shield") is no complement."""
    if tok.lemma_.lower() not in w["verbs"] or tok.pos_ != "VERB" or tok.tag_ in (
            "VBP", "VBZ") or any(c.dep_ == "prt" for c in tok.children):
        return key  # "critics call the law repressive": a standing view, not an act
    words = _complement(tok, w["as_verbs"])
    if not words or all(t.pos_ in ("PROPN", "PUNCT", "DET") for t in words):
        return key
    lemmas = {t.lemma_.lower() for t in words}
    if lemmas & w["false"] and any(c.dep_ == "dobj" and c.lemma_.lower() in w["claims"]
                                   for c in tok.children):
        return ("REJECT", None)  # "called the charge baseless": CAMEO 1313, not criticism
    if lemmas & w["praise"]:
        return ("SUPPORT", None)
    return ("ACCUSE", "disapprove")


@rule("order-to-leave-is-expel", "verb")
def order_to_leave_is_expel(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code ordering someone out of the country as SANCTION expel, not as a request.

    "ordered the French ambassador to leave within 48 hours": PLOVER SANCTION expel covers
    expelling diplomats, peacekeepers, NGOs or any entity from a country. Not when the one
    ordered out is the speaker's own ("ordered its troops to withdraw" is a retreat)."""
    if tok.lemma_.lower() not in w["verbs"]:
        return key
    objs = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
    goes = [c for c in tok.children if c.dep_ in ("xcomp", "ccomp")
            and c.lemma_.lower() in w["leave_verbs"]]
    if not objs or not goes or any(
            d.dep_ == "poss" and d.lower_ in w["own"] for o in objs for d in o.children):
        return key
    return ("SANCTION", "expel")


@rule("ordered-detention", "verb")
def ordered_detention(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code ordering someone held or detained as the detention itself (COERCE arrest).

    "a court in Yerevan ordered him held for two months", "ordered that Khan be held for eight
    days": the court's order is the act that keeps the person in custody, not a request of
    anyone (PLOVER COERCE arrest covers detention); the held person is its target."""
    if tok.lemma_.lower() not in w["verbs"]:
        return key
    if any(c.dep_ in ("ccomp", "xcomp", "oprd") and c.lemma_.lower() in w["held"] and
           c.tag_ in ("VBN", "VBD") and any(k.dep_ in ("nsubj", "nsubjpass") for k in c.children)
           for c in tok.children):
        return ("COERCE", "arrest")
    return key


#: verbs of being troubled, shocked or alarmed (rules dismay-is-accusation and dismay-roles)
_DISMAY_VERBS: frozenset[str] = shared_words()["dismay_verbs"]


@rule("dismay-is-accusation", "verb")
def dismay_is_accusation(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code saying one is troubled, shocked or alarmed by an act, or voicing concern, as ACCUSE.

    "said it was deeply troubled by the arrest", "was shocked by the killings", "expressed
    concern over the crackdown": public dismay at what someone did disapproves of it (PLOVER
    ACCUSE disapprove, CAMEO 111). Only the passive or adjectival form ("the attack shocked
    the nation" is not a statement) and only nouns of dismay after the voicing verbs."""
    lemma = tok.lemma_.lower()
    if lemma in _DISMAY_VERBS and tok.tag_ == "VBN" and any(
            c.dep_ in ("aux", "auxpass") and c.lemma_.lower() == "be" for c in tok.children):
        return ("ACCUSE", "disapprove")
    if lemma in w["voicing_verbs"] and any(c.dep_ == "dobj" and c.lemma_.lower() in
                                           w["dismay_nouns"] for c in tok.children):
        return ("ACCUSE", "disapprove")
    return key


def _retaliation(v: Any, w: Words, future: bool = False) -> bool:
    """Whether the clause at ``v`` promises retaliation: "would be punished", "will pay a heavy
    price", "will not go unanswered", "would be held accountable", "to respond forcefully",
    "reserved the right to respond"."""
    lemma = v.lemma_.lower()
    objects = {o.lemma_.lower() for c in v.children if c.dep_ == "dobj" for o in with_conjuncts(c)}
    if lemma == "reserve" and "right" in objects:
        # "reserved the right to respond": the right's infinitive is the promised act
        return any(a.dep_ in ("acl", "xcomp") and _retaliation(a, w, True)
                   for c in v.children if c.dep_ == "dobj" for a in c.children)
    future = future or v.dep_ == "xcomp" or any(
        c.dep_ == "aux" and c.lower_ in w["future_aux"] for c in v.children)
    if not future:
        return False
    kids = {c.lemma_.lower() for c in v.children}
    negated = any(c.dep_ == "neg" for c in v.children)
    if lemma == "go" and kids & w["unanswered"]:
        return True  # "will not go unanswered", "would not go unpunished"
    if negated:
        return False
    if lemma == "hold" and kids & w["accountable"]:
        return True  # "would be held accountable"
    if lemma in w["retaliation_verbs"]:
        aims = {o.lemma_.lower() for o in pp_objects(v, ("to",))}
        return not aims or bool(aims & w["aggression_nouns"])
    if lemma in w["penalty_verbs"] and objects & w["penalty_nouns"]:
        return True  # "pay a heavy price", "face the full force of the law"
    return any(c.dep_ == "xcomp" and _retaliation(c, w, True) for c in v.children)


@rule("retaliation-is-threat", "verb")
def retaliation_is_threat(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code a vow or warning of retaliation ("those responsible would be punished") as THREATEN.

    CAMEO 138 (threaten with military force) and 13 (threaten): the speaker promises force or
    punishment in answer to what happened; "will respond to the proposal" is no threat."""
    if tok.lemma_.lower() not in w["speech_verbs"]:
        return key
    if any(c.dep_ in ("ccomp", "xcomp") and _retaliation(c, w) for c in tok.children):
        return ("THREATEN", None)
    if tok.lemma_.lower() in w["vow_verbs"] and any(
            c.dep_ == "dobj" and c.lemma_.lower() in w["penalty_nouns"] for c in tok.children):
        return ("THREATEN", None)  # "vowed revenge": the vow's object is the retaliation
    return key


@rule("responsibility-is-accusation", "verb")
def responsibility_is_accusation(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code holding someone responsible ("said the army was behind the killings") as ACCUSE.

    CAMEO 112 (accuse): "held the junta responsible", "said Israel was responsible for the
    attack"; a group saying it was itself responsible claims an act, it accuses no one."""
    lemma = tok.lemma_.lower()
    objs = [c for c in tok.children if c.dep_ == "dobj"]
    if lemma == "hold" and objs and any(
            c.lower_ in w["blame_words"] for c in (*tok.children, *objs[0].children)
            if c.dep_ in ("oprd", "acomp", "xcomp", "advmod", "ccomp", "amod")):
        return ("ACCUSE", "allege")  # "held the junta responsible for their lives"
    if key is not None or lemma not in w["speech_verbs"]:
        return key
    for x in tok.children:
        if x.dep_ != "ccomp" or any(c.dep_ == "neg" for c in x.children):
            continue
        subj = [c for c in x.children if c.dep_ == "nsubj"]
        if x.lemma_ == "be" and subj and subj[0].lower_ not in w["self_words"] and any(
                c.lower_ in w["blame_words"] for c in x.children
                if c.dep_ in ("acomp", "attr", "prep")):
            return ("ACCUSE", "allege")  # "said the army was responsible for the killings"
        if x.lemma_ in w["amount_verbs"] and any(
                t.lemma_.lower() in w["crime_nouns"] for t in x.subtree if t.i > x.i):
            return ("ACCUSE", "allege")  # "said the executions amounted to war crimes"
    return key


@rule("call-is-consult", "verb")
def call_is_consult(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code speaking with a leader or a government ("spoke by phone with Aliyev") as CONSULT.

    CAMEO 040 (consult), mode phone when a telephone or a call is said; speaking to reporters
    or to the press is no consultation."""
    if tok.lemma_.lower() not in w["verbs"] or key is not None:
        return key
    partners = pp_objects(tok, ("with", "to"))
    if not partners or any(o.lemma_.lower() in w["audience"] for o in partners):
        return key
    if not any(o.ent_type_ in w["partner_labels"] or o.lemma_.lower() in w["partner_nouns"]
               for o in partners):
        return key
    phone = any(t.lemma_.lower() in w["phone_words"] for t in tok.subtree)
    return ("CONSULT", "phone" if phone else None)


@rule("crowd-protest", "verb")
def crowd_protest(tok: Any, key: Key | None, lex: Lexicon, w: Words) -> Key | None:
    """Code a crowd protesting or people protesting in the street as PROTEST demo, not ACCUSE.

    "Hundreds of demonstrators protested Putin's visit", "400 Serbians protested outside the
    embassy", "Thousands protested in Nairobi". PLOVER's ACCUSE disapprove is a statement of
    disapproval, a demonstration is PROTEST; the verb alone does not tell them apart: a counted
    or crowd subject, or a street-side phrase ("outside", "in front of", "along"), does. Coded
    when the trigger is found, so that a crowd no actor names is a demonstration kept by its
    place (``needs-actor``), not a statement by nobody."""
    if key is None or key[0] != "ACCUSE" or tok.pos_ != "VERB" or \
            tok.lemma_.lower() not in w["verbs"]:
        return key
    subj = next((k for k in tok.children if k.dep_ == "nsubj"), None)
    if subj is not None:
        kids = list(subj.children)
        counted = any(k.dep_ in ("nummod", "quantmod") for k in kids)  # "400 Serbians"
        # "Hundreds of demonstrators", "Thousands protested", "about 40,000 protested"
        quantity = subj.lower_ in w["quantities"] or subj.like_num
        if subj.lower_ in w["crowd_heads"] or counted or quantity:
            return ("PROTEST", "demo")
    for k in tok.children:  # "protested outside the embassy", "in front of parliament"
        if k.dep_ == "prep" and (k.lower_ in w["street_preps"] or k.lower_ == "in" and any(
                g.lower_ == "front" for g in k.children)):
            return ("PROTEST", "demo")
    return key


# ---------------------------------------------------------------- one act, not its content


@rule("governing-verb", "verbs")
def governing_verb(cands: list[Candidate], w: Words) -> list[Candidate]:
    """Code the governing verb only: "threatened to attack", "agreed to withdraw" are one event.

    A clause with its own subject under a material act of another type is no content of it
    but a second act the parser hung there ("troops surrounded government buildings and an
    armoured vehicle rammed the door of the palace"); of the same type it is the same act."""
    verbs = {c.trigger.i for c in cands}
    material = {c.trigger.i: c.type for c in cands if c.type in w["material_types"]}
    return [c for c in cands if not (
        c.trigger.dep_ in ("xcomp", "ccomp") and c.trigger.head.i in verbs and c.noun is None
        and not (material.get(c.trigger.head.i, c.type) != c.type and any(
            k.dep_ in ("nsubj", "nsubjpass") for k in c.trigger.children)))]


#: dependency labels that lead from a speech act into its content
_CONTENT_DEPS = {"dobj", "ccomp", "xcomp", "prep", "pobj", "acomp", "attr", "dative", "acl",
                 "relcl", "pcomp", "oprd"}


def _inside(c: Candidate, anchors: dict[int, Candidate],
            test: Callable[[Any, Candidate], bool]) -> bool:
    """Whether a head of ``c``'s trigger (up to twelve steps) is an anchor other than ``c``
    reached through a token ``tok`` with ``test(tok, anchor)``."""
    tok = c.trigger
    for _ in range(12):
        head = tok.head
        if head.i == tok.i:
            return False
        anchor = anchors.get(head.i)
        if anchor is not None and anchor is not c and test(tok, anchor):
            return True
        tok = head
    return False


def _through_prep(tok: Any, obj: Any, preps: frozenset[str]) -> bool:
    """Whether ``tok`` hangs on ``obj`` through one of ``preps`` ("accuse the army of killing
    civilians": "killing" reaches "army" through "of")."""
    return any(a.dep_ == "prep" and a.lower_ in preps and a.head.i == obj.i
               for a in tok.ancestors)


@rule("speech-act-content", "contents")
def speech_act_content(cands: list[Candidate], w: Words) -> set[int]:
    """Code a demand, rejection, agreement, threat or allegation, not its content as an event.

    "rejected an Indian proposal for signing a trade agreement" is one REJECT; "accused the US
    of sending weapons" one ACCUSE. What is condemned or protested against (factive acts)
    stays an event of its own unless it is an allegation's of/with-phrase, because it
    happened; an offer's purpose ("offered its troops to Lebanon to help him") is content."""
    acts = {c.trigger.i: c for c in cands if c.type in w["acts"]}
    for c in list(acts.values()):
        # "reiterated its demand that Israel ease restrictions": the clause hangs on the verb
        # that governs the act's noun, and is still the act's content
        if c.noun is not None and c.noun.i == c.trigger.i and c.trigger.dep_ == "dobj":
            acts.setdefault(c.trigger.head.i, c)
    if not acts:
        return set()

    def content(c: Candidate) -> Callable[[Any, Candidate], bool]:
        def test(tok: Any, act: Candidate) -> bool:
            to = tok.dep_ == "advcl" and any(k.dep_ == "aux" and k.lower_ == "to"
                                             for k in tok.children)
            # "calls for the forces to leave": a for-to clause is the call's content
            purpose = to and (act.type in w["purpose_acts"] or any(
                k.dep_ == "mark" and k.lower_ == "for" for k in tok.children))
            return (tok.dep_ in _CONTENT_DEPS or purpose) and (
                act.noun is None or act.noun.i != c.trigger.i) and (
                act.type not in w["factive_acts"] or tok.lower_ in w["factive_content_preps"]
                or _through_prep(c.trigger, tok, w["factive_content_preps"]))
        return test

    return {k for k, c in enumerate(cands) if _inside(c, acts, content(c))}


@rule("punishment-reason", "contents")
def punishment_reason(cands: list[Candidate], w: Words) -> set[int]:
    """Code the for-phrase of a sanction, arrest or accusation as its reason, not an event."""
    punishments = {c.trigger.i: c for c in cands if c.type in w["types"]}
    if not punishments:
        return set()

    def reason(tok: Any, _: Candidate) -> bool:
        return tok.dep_ == "prep" and tok.lower_ in w["reason_preps"]

    return {k for k, c in enumerate(cands) if _inside(c, punishments, reason)}


# ---------------------------------------------------------------- what is an event


@rule("dismay-roles", "mention")
def dismay_roles(d: Draft, cands: list[Candidate], w: Words) -> bool:
    """Read "X was shocked by Y" actively: X is the source of the disapproval, Y its object.

    The parse makes X the passive subject (a target) and Y the agent (a source); for the
    statements of :func:`dismay_is_accusation` the one who is shocked speaks."""
    tok = d.cand.trigger
    if d.cand.type == "ACCUSE" and tok.lemma_.lower() in _DISMAY_VERBS and any(
            c.dep_ == "nsubjpass" for c in tok.children):
        d.source, d.target = d.target, d.source
    return False


@rule("needs-actor", "mention")
def needs_actor(d: Draft, cands: list[Candidate], w: Words) -> bool:
    """Drop a trigger with no source and no target unless it is a violent act with a place.

    A PLOVER event needs an actor. "A man was shot dead in Lagos" names none, but ICEWS and
    PLOVER code it as done by an unidentified actor of the place (``unidentified-source``):
    a hand-lexicon verb of ``placed_types`` is kept when the event stage attaches a place of its
    own to it (resolved or not) and finds it happened (``Draft.placed_only``), else dropped;
    so is an event noun whose verb only says it happened ("clashes erupted in Tripoli")."""
    if d.source or d.target:
        return False
    c = d.cand
    tok = c.trigger
    told = c.noun is None and tok.pos_ == "VERB" and not any(
        k.dep_ == "det" for k in tok.children) and _hand_verb(tok)
    if c.type in w["placed_types"] and (told or c.happened):
        # "a man was shot dead in Lagos", "clashes erupted in Tripoli"
        d.placed_only = True
        return False
    return True


def _hand_verb(tok: Any) -> bool:
    """Whether the hand lexicon (not the learned table) has the verb at ``tok``: a verb of its
    own or one that fires a weapon ("missiles were fired at an airliner")."""
    lex, lemma = load_lexicon(), tok.lemma_.lower()
    return lemma in lex.verbs or lemma in lex.weapon_verbs or particle_verb(tok) in lex.verbs


@rule("natural-cause", "mention")
def natural_cause(d: Draft, cands: list[Candidate], w: Words) -> bool:
    """Drop a killing or destruction done by a storm, a disease or an accident: no one acted.

    PLOVER's ASSAULT is deliberate: "a storm killed 12 people", "cholera killed 40", "a road
    accident killed three" are no events between actors."""
    c = d.cand
    if c.type != "ASSAULT" or c.noun is not None:
        return False
    causes = [k for k in c.trigger.children if k.dep_ == "nsubj"]
    causes += [p for k in c.trigger.children if k.dep_ == "agent"
               for p in k.children if p.dep_ == "pobj"]
    return any(k.lemma_.lower() in w["causes"] for k in causes)


@rule("declined-comment", "mention")
def declined_comment(d: Draft, cands: list[Candidate], w: Words) -> bool:
    """Drop a refusal to comment ("Israel's military declined to comment"): no event.

    CAMEO 011 (decline comment) is a statement, which PLOVER does not code; refusing an act
    ("refused to withdraw") stays a REJECT."""
    tok = d.cand.trigger
    return tok.lemma_.lower() in w["verbs"] and any(
        k.dep_ == "xcomp" and k.lemma_.lower() in w["speech"] for k in tok.children)


def _construct(tok: Any, w: Words) -> bool:
    """Whether a noun phrase (its head ``tok``) names a regional or global construct, not an
    actor: "the international community", "the West", "Western countries", "member states"."""
    lemma = tok.lemma_.lower()
    mods = {k.lower_ for k in tok.children if k.dep_ in ("amod", "compound", "nmod")}
    if lemma in w["groups"]:
        # a possessor names whose they are ("the EU's member states")
        return bool(mods & w["qualifiers"]) and not any(k.dep_ == "poss" for k in tok.children)
    need = w["constructs"].get(lemma)
    if need is None:
        return False
    if need:
        return bool(mods & need)
    # "the West", "the region", not "Russia's Kursk region" or "the Sahel region"
    return not any(k.dep_ in ("poss", "compound") or k.pos_ == "PROPN" for k in tok.children)


def _recipients(tok: Any, w: Words) -> list[Any]:
    """The heads a trigger's act is aimed at: its objects and on/to/against phrases, with
    their conjuncts."""
    heads = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
    heads += pp_objects(tok, w["preps"])
    return [t for h in heads for t in with_conjuncts(h)]


@rule("global-construct", "mention")
def global_construct(d: Draft, cands: list[Candidate], w: Words) -> bool:
    """Drop an act by or aimed only at a regional or global construct ("the West").

    The PLOVER manual: actors or recipients a report only implies to be a regional or global
    construct ("The West", "Latin America", "The Developing World") get no country, and the
    events involving them are not coded: "urged the international community to act",
    "accused Western countries of meddling". A named member keeps the act ("Western countries
    and Japan")."""
    tok = d.cand.trigger
    subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subj and all(_construct(t, w) for t in with_conjuncts(subj[0])):
        return True
    aimed = _recipients(tok, w)
    return bool(aimed) and all(_construct(t, w) for t in aimed)


@rule("bare-noun-reference", "mention")
def bare_noun_reference(d: Draft, cands: list[Candidate], w: Words) -> bool:
    """Drop an event noun with no source ("related to the withdrawal"): it is a reference."""
    c = d.cand
    return c.noun is not None and c.noun.i == c.trigger.i and not d.source


@rule("background-clause", "mention")
def background_clause(d: Draft, cands: list[Candidate], w: Words) -> bool:
    """Drop an unattributed act in a subordinate clause of another event: it is background.

    "lifted a curfew in Montenegro, where 28 people have been killed"."""
    return not d.source and uncoded(d.target) and len(cands) > 1 and subordinate(
        d.cand.trigger, w["preps"])


_STATE_SECTORS: frozenset[str] = shared_words()["state_sectors"]
_TRANSNATIONAL: frozenset[str] = shared_words()["transnational_sectors"]


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


@rule("civilian-blockade", "pending")
def civilian_blockade(drafts: list[Draft], w: Words) -> list[Draft]:
    """Code non-state actors blocking roads as PROTEST (obstruct); a state blocking them coerces."""
    for d in drafts:
        c = d.cand
        if c.type == "COERCE" and c.mode == "restrict" and c.trigger.lemma_.lower() in \
                w["verbs"] and d.source and not any(_is_state(a) for a in d.source):
            c.type, c.mode = "PROTEST", "obstruct"
    return drafts


@rule("solo-drill-is-mobilize", "pending")
def solo_drill_is_mobilize(drafts: list[Draft], w: Words) -> list[Draft]:
    """Code one country's military drills as MOBILIZE; joint ones stay COOPERATE (PLOVER)."""
    for d in drafts:
        c = d.cand
        noun = c.noun
        if c.type != "COOPERATE" or noun is None or noun.lemma_.lower() not in w["drills"]:
            continue
        joint = any(k.lower_ in w["joint_words"] for k in noun.subtree) or any(
            k.dep_ == "prep" and k.lower_ == "with" for t in (c.trigger, noun) for k in t.children)
        if not joint and len({a.country or a.kb_id for a in d.source}) <= 1:
            c.type, c.mode = "MOBILIZE", "troops"
    return drafts


@rule("protest-demand", "pending")
def protest_demand(drafts: list[Draft], w: Words) -> list[Draft]:
    """Fold a demand that is a protest's purpose into the PROTEST, aimed at whom it addresses.

    "staged demonstrations to demand reforms", "rallied, saying he must resign": one PROTEST."""
    protests = {d.cand.trigger.i: k for k, d in enumerate(drafts) if d.cand.type == "PROTEST"}
    if not protests:
        return drafts
    drop: set[int] = set()
    for k, d in enumerate(drafts):
        if d.cand.type != "REQUEST":
            continue
        tok, j = d.cand.trigger, None
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
        if not drafts[j].target and d.target:
            drafts[j].target = d.target
    return [d for k, d in enumerate(drafts) if k not in drop]


@rule("generic-statement", "generic")
def generic_statement(d: Draft, w: Words) -> bool:
    """Drop an undated present-simple statement about kinds of actors: it is background."""
    return is_generic(d.cand, load_lexicon(), d.source, d.time is not None)


# ---------------------------------------------------------------- modality


@rule("learned-factuality", "modality")
def learned_factuality(d: Draft, w: Words) -> None:
    """Let the factuality model decide asserted, negated or uncertain; the rules split the rest.

    The model (``stages/factuality.py``, docs/MODEL_CARD_factuality.md) reads the trigger and
    its heads; the rules' marks say future or hypothetical and keep background over a period
    (historical), which factuality data does not annotate (:func:`~.modality.combine`).
    ``asserted_bias`` and ``min_negated`` were chosen on the factuality dev split (UW dev +
    MEANTIME dev), not on PLOVER records. Off, the rules alone decide, as before issue 14."""
    if nobody_did(list(d.cand.trigger.children)) or denied_object(d.cand):
        d.modality = "negated"  # "No one was arrested", "made no arrests": the model misses it
        return
    if unsaid(d.cand.trigger, load_lexicon()):
        d.modality = "hypothetical"  # "did not say whether it carried out the strike"
        return
    p = probabilities(predicate(d.cand))
    if p is not None:
        # a negation the rules do not mark needs a word of negation in the sentence ("had
        # begun sending reinforcements" is not denied, whatever the model reads into "begun")
        d.modality = combine(p, d.marks or Marks(), w["asserted_bias"],
                             w["min_negated"] if negation_word(d.sent, w) else 2.0)


def negation_word(sent: Any, w: Words) -> bool:
    """Whether the sentence has a word of negation (``negation_cues`` of learned-factuality,
    by form or lemma: "not", "never", "denied", "refused", "without"...)."""
    return any(t.lower_ in w["negation_cues"] or t.lemma_.lower() in w["negation_cues"]
               for t in sent)


@rule("aside-clause", "modality")
def aside_clause(d: Draft, w: Words) -> None:
    """Code an undated act told in a relative clause that describes its noun as background.

    "Russia, which deployed about 2,000 peacekeepers to the region under that deal, is
    Armenia's formal ally": a non-restrictive who/which clause describes the actor it follows;
    what it tells is history unless it carries its own date (then the date decides). A
    restrictive clause does so when it is in the present or present perfect ("a force that
    has helped the government"); in a past tense it may tell the news ("the convoy that
    militants ambushed")."""
    tok = d.cand.trigger
    if d.modality != "asserted" or d.time is not None or tok.dep_ != "relcl":
        return
    rel = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")
           and c.lower_ in w["relativizers"]]
    left = tok.left_edge.i
    if rel and left > 0 and tok.doc[left - 1].text == ",":
        d.modality = "historical"
    elif _present_or_perfect(tok):
        # a restrictive clause in the present or present perfect describes its noun: "an
        # African Union force that has helped the government fight al-Shabaab"
        d.modality = "historical"


@rule("undated-perfect", "modality")
def undated_perfect(d: Draft, w: Words) -> None:
    """Code an undated present perfect outside the lead as background.

    "Maduro has accused the opposition of plotting a coup", "have detained thousands of
    women": with no time of its own the present perfect tells a standing claim or a tally, not an
    act of the news day; a reported one ("said police have arrested 20 suspects") and one
    with a date keep the news reading. A conjunct with no auxiliary or subject of its own
    shares its head's perfect ("has praised Putin and called for an end to military aid",
    where the parser may tag "called" a past tense): gates spurious 97 -> 96, the rest same."""
    tok = d.cand.trigger
    if tok.dep_ == "conj" and tok.tag_ in ("VBN", "VBD") and tok.head.tag_ == "VBN" and not any(
            c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in tok.children):
        tok = tok.head
    if d.modality != "asserted" or d.time is not None or tok.tag_ != "VBN":
        return
    auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    if not auxes & {"has", "have", "'ve"}:
        return
    if tok.dep_ in ("ccomp", "conj") and tok.head.lemma_.lower() in w["reporting"]:
        return
    if _in_lead(d.sent):
        return  # "US troops have completed their withdrawal": the news, told in the lead
    d.modality = "historical"


@rule("since-tally", "modality")
def since_tally(d: Draft, w: Words) -> None:
    """Code a count of acts in a perfect tense since a time as background.

    "Rights groups said police had arrested hundreds of protesters since Monday", "more than
    350 people had been killed since Sunday": a tally running from a past day sums up many
    acts, none of them told; reported or not, dated or not. "Hundreds have since fled" (no
    time named) and a count with no "since" keep the news reading."""
    tok = d.cand.trigger
    if d.modality != "asserted" or tok.tag_ != "VBN" or not any(
            c.dep_ in ("aux", "auxpass") and c.lower_ in w["perfect_aux"] for c in tok.children):
        return
    since = any(c.dep_ == "prep" and c.lower_ == "since" and any(
        p.dep_ in ("pobj", "pcomp") for p in c.children) for c in tok.children) or any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "since" for m in c.children)
        for c in tok.children)
    if not since:
        return
    sides = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if any(_counted(s, w) for s in sides):
        d.modality = "historical"


def _counted(np: Any, w: Words) -> bool:
    """Whether a noun phrase is a count of people or things ("hundreds of protesters", "more
    than 350 people", "dozens")."""
    if np.lemma_.lower() in w["count_words"]:
        return True
    return any(c.dep_ == "nummod" or c.lemma_.lower() in w["count_words"]
               for c in np.children)


def _in_lead(sent: Any) -> bool:
    """Whether a sentence is in the article's lead: the standfirst block before the first
    blank line, or the first paragraph after it."""
    text = sent.doc.text
    first = text.find("\n\n")
    if first < 0 or sent.start_char < first:
        return True
    second = text.find("\n\n", first + 2)
    return second < 0 or sent.start_char < second


def _present_or_perfect(tok: Any) -> bool:
    """Whether the verb is in the present or the present perfect (not a past tense)."""
    aux = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    return tok.tag_ in ("VBZ", "VBP") or bool(aux & {"has", "have", "does", "do"})


# ---------------------------------------------------------------- type from modality


@rule("intention", "type")
def intention(d: Draft, w: Words) -> None:
    """Code future cooperation as AGREE (an intention), future or conditional force as THREATEN.

    An intention is stated: a modal, a condition or a governing verb ("will", "if", "plans
    to") marks it. Forces sent to help someone ("will send troops to help Cameroon") are
    cooperation, not a threat. What only the factuality model finds uncertain (a purpose, an
    attempt) keeps its type."""
    c = d.cand
    m = d.marks
    if d.modality not in ("future", "hypothetical") or (
            m is not None and not (m.future or m.hypothetical)):
        return
    conditional = any(k.dep_ == "mark" and k.lower_ in ("if", "unless")
                      for t in (c.trigger, *c.trigger.subtree) for k in t.children) or any(
        t.lower_ == "unless" for t in c.trigger.sent)
    helping = c.type == "MOBILIZE" and any(  # "will send troops to help Cameroon"
        k.dep_ in ("xcomp", "advcl") and k.lemma_.lower() in w["helping_verbs"]
        for k in c.trigger.children)
    if (c.type in w["cooperative_types"] or helping) and not conditional:
        c.type, c.mode = "AGREE", None
    elif c.type in w["force_types"] or (conditional and c.type in w["conditional_threat_types"]):
        c.type, c.mode = "THREATEN", None


@rule("refusal-is-reject", "type")
def refusal_is_reject(d: Draft, w: Words) -> None:
    """Code a refused cooperative act ("will not accept refugees") as an asserted REJECT.

    Its mode is that of what was refused (CAMEO 12); "has not yet agreed" is a delay, and a
    past or perfect negation ("did not travel to Abuja") says what did not happen."""
    c = d.cand
    if d.modality != "negated" or c.type not in w["modes"]:
        return
    said = predicate(c)  # "Talks did not resume": the verb saying what became of the noun
    if any(t.lower_ in w["delay_words"] for t in said.children):
        return
    if any(t.dep_ == "aux" and t.lower_ in w["past_aux"] for t in said.children):
        return  # "did not travel", "has not withdrawn": it did not happen, nobody refused
    if c.trigger.dep_ == "xcomp" and c.trigger.head.lemma_.lower() in w["failure_verbs"]:
        return  # "failed to reach an agreement": it did not happen, nobody refused
    c.type, c.mode, d.modality = "REJECT", w["modes"][c.type], "asserted"


@rule("peacekeepers-are-aid", "type")
def peacekeepers_are_aid(d: Draft, w: Words) -> None:
    """Code deploying peacekeepers as AID (military protection, CAMEO 0743), not MOBILIZE."""
    c = d.cand
    if c.type == "MOBILIZE" and any(w["stem"] in a.text.lower() for a in d.source + d.target):
        c.type, c.mode = "AID", None


@rule("crowd-violence-is-riot", "type")
def crowd_violence_is_riot(d: Draft, w: Words) -> None:
    """Code violence by protesters or a crowd ("protesters stormed parliament") as PROTEST riot.

    PLOVER's PROTEST riot is a violent demonstration; ASSAULT and COERCE stay for armed actors.
    Only an attack or a forced entry every source of which is a crowd, not police firing at one.
    Residents, villagers or young men burning or looting ("burned tyres", "set fire to army
    trucks") riot too; a crowd killing or beating people ("a mob beat two reservists to
    death") assaults them. Gates en8-22 full 741 -> 743 (the killing verbs alone: type +3,
    full same), spurious same."""
    c = d.cand
    if c.type not in w["types"] or not d.source:
        return
    if c.trigger.lemma_.lower() in w["killing_verbs"]:
        return  # "a mob beat two reservists to death": a killing, not a riot
    heads = w["crowd_heads"] | w["destroying_heads"] if c.mode == "destroy" else w["crowd_heads"]
    if all((a.text.lower().split() or [""])[-1] in heads for a in d.source):
        c.type, c.mode = "PROTEST", "riot"


@rule("domestic-closure-is-coerce", "type")
def domestic_closure_is_coerce(d: Draft, w: Words) -> None:
    """Code a state closing a body at home ("closed Ennahda's headquarters") as COERCE.

    SANCTION is a measure against another actor of the international scene (an embassy, a
    border with a neighbour); closing a party's offices or a town's roads at home restricts
    (PLOVER COERCE restrict, as ``own-borders-closed`` reads the country's own borders). Only
    when every target is of the source's country or of none the knowledge base knows."""
    c = d.cand
    if c.type != "SANCTION" or c.trigger.lemma_.lower() not in w["verbs"]:
        return
    home = {a.country for a in d.source if a.country}
    if any(k.dep_ in ("dobj", "nsubjpass") and k.lemma_.lower() in w["frontier_nouns"]
           for k in c.trigger.children):
        return  # "closed four crossings, including Nuijamaa": a measure at the frontier
    there = {a.country for a in d.target if a.country or a.kb_id}
    if home and d.target and there <= home:  # no country of its own: a body at home
        c.type, c.mode = "COERCE", "restrict"


# ---------------------------------------------------------------- actors and countries


def _place_as_actor(place: Place) -> Actor:
    """The country of the event's place as its target, with the place mention as evidence."""
    from ..actors import load_kb

    entry = load_kb().countries.get(place.country or "")
    return Actor(text=place.text, start=place.start, end=place.end,
                 name=entry.name if entry else place.country or place.text,
                 country=place.country,
                 sector=None, kb_id=place.country)


def _unidentified(country: str, evidence: Place | Actor, basis: str) -> Actor:
    """An unnamed actor of ``country`` ("a roadside bomb near Samarra": someone in Iraq), with
    the mention that gives the country as evidence."""
    from ..actors import load_kb

    entry = load_kb().countries.get(country)
    return Actor(text=evidence.text, start=evidence.start, end=evidence.end,
                 name=f"unidentified ({entry.name if entry else country})", country=country,
                 sector="UNK", kb_id=None, country_basis=basis)


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


def _without_own_forces(etype: str, source: list[Actor], target: list[Actor],
                        w: Words) -> list[Actor]:
    """Drop the source's own forces from the target (see :func:`own_forces_not_target`)."""
    if etype not in w["types"]:
        return target  # "rebels attacked their positions": hostile acts aim at forces
    own = {a.country for a in source if a.country}
    owners = tuple(w["owner_words"])

    def owned(a: Actor) -> bool:
        if not {a.sector, *a.sectors} & w["force_sectors"]:
            return False
        if a.text.lower().startswith(owners) or (a.country and a.country in own):
            return True
        return etype in w["moves_forces_types"] and a.country is None

    return [a for a in target if not owned(a)]


@rule("own-forces-not-target", "actors")
def own_forces_not_target(d: Draft, w: Words) -> None:
    """Drop the source's own forces from the target of a withdrawal, offer, aid or mobilisation.

    "withdraw its troops from Lebanon", "deployed additional troops" move the source's forces;
    the target is whom the act is aimed at (Lebanon). Forces are the source's own when a
    possessive says so or they share its country; for a mobilisation, an offer or aid also
    when they have no country at all. Hostile acts keep forces as targets."""
    if d.target:
        d.target = _without_own_forces(d.cand.type, d.source, d.target, w)


@rule("target-from-place", "actors")
def target_from_place(d: Draft, w: Words) -> None:
    """Take the country of the event's place as a missing target (a curfew lifted in Montenegro)."""
    loc = d.location
    if not d.target and loc is not None and loc.country and (
            w["types"] is None or d.cand.type in w["types"]):
        d.target = [_place_as_actor(loc)]


@rule("target-abroad", "actors")
def target_abroad(d: Draft, w: Words) -> None:
    """Take a foreign country the sentence names as a missing target: an act abroad aims there.

    "strengthened its forces in Lebanon"; a place in the source's own country, or a source of
    no known country, says nothing of a target."""
    sp = d.sentence_place
    if not d.target and sp is not None and any(a.country for a in d.source) and \
            not any(a.country == sp.country for a in d.source):
        d.target = [_place_as_actor(sp)]


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


@rule("unidentified-source", "actors")
def unidentified_source(d: Draft, w: Words) -> None:
    """Code an event with no named source as done by an unidentified actor of its place.

    Else of its target's country (a domestic event), as ICEWS does: "a roadside bomb near
    Samarra" is someone in Iraq (``country_basis`` "place" or "target")."""
    if not d.source:
        d.source = _source_countries([], d.target, d.where)


@rule("local-source-country", "actors")
def local_source_country(d: Draft, w: Words) -> None:
    """Give a local source with no country the event's place country, else the target's."""
    if d.source:
        d.source = _source_countries(d.source, d.target, d.where)


@rule("domestic-target", "actors")
def domestic_target(d: Draft, w: Words) -> None:
    """Aim a targetless concession, repression, protest or attack at the source's own country."""
    if not d.target and d.cand.type in w["types"]:
        home = next((a for a in d.source if a.country), None)
        if home is not None and home.country:
            d.target = [_unidentified(home.country, home, "source")]


@rule("local-target-place", "actors")
def local_target_place(d: Draft, w: Words) -> None:
    """Give local targets with no country ("villagers") the country of the event's place."""
    where = d.where
    d.target = _local_countries(d.target, where.country if where else None, "place")


@rule("state-own-people", "actors")
def state_own_people(d: Draft, w: Words) -> None:
    """Code local people a state acts on, with no place named, as that state's own.

    "Egyptian police opened fire on demonstrators", "the government ordered the opposition
    newspaper closed"."""
    if d.target and uncoded(d.target):
        home = next((a for a in d.source if a.country and _is_state(a)), None)
        if home is not None:
            d.target = _local_countries(d.target, home.country, "source")


# ---------------------------------------------------------------- one event per article


@rule("merge-mentions", "merge")
def merge_mentions(kept: list[Event], e: Event, w: Words) -> tuple[Event, Event] | None:
    """Merge mentions of one event in an article: same type, modality, actors and dates."""
    return same_event(kept, e)


@rule("fold-targetless-twin", "merge")
def fold_targetless_twin(kept: list[Event], e: Event, w: Words) -> tuple[Event, Event] | None:
    """Fold a mention with an uncoded target into its twin in the sentence that codes one."""
    return targetless_twin(kept, e)


# ---------------------------------------------------------------- across the article


def _coded(actors: list[Actor]) -> list[Actor]:
    """The actors coded by the text (a country or a knowledge-base entry), not inferred ones."""
    return [a for a in actors if (a.country or a.kb_id) and not a.country_basis]


def _codes(actors: list[Actor]) -> set[str | None]:
    """The country or knowledge-base code of each actor."""
    return {a.country or a.kb_id for a in actors}


def _trigger_token(doc: Any, e: Event) -> Any:
    """The token an event's trigger starts at, or None."""
    span = doc.char_span(e.trigger.start, e.trigger.end, alignment_mode="expand")
    return span[0] if span is not None and span[0].idx == e.trigger.start else None


def _doer(events: Iterable[Event], types: frozenset[str], other: list[Actor],
          domestic: bool = False) -> list[Actor]:
    """Copies of the coded source of the first asserted event of ``types`` in ``events`` done
    by someone not in ``other`` (who did the condemned act, who made the rejected claim): of
    another country, or with ``domestic`` any other actor (a court of the reactor's own
    state: "the justice minister welcomed the verdict")."""
    mine = _codes(other)
    for k in events:
        src = _coded(k.source)
        if k.type not in types or k.modality != "asserted" or not src:
            continue
        if not (any(_same_actor(a, r) for a in src for r in other) if domestic
                else _codes(src) & mine):
            return [replace(a) for a in src]
    return []


def _inside_object(tok: Any, actors: list[Actor]) -> bool:
    """Whether every actor lies in the of-phrase of the verb's object, the act's victims
    ("condemned the killing of civilians"): not whom the condemnation aims at."""
    spans = [(t.idx, t.idx + len(t.text)) for c in tok.children if c.dep_ == "dobj"
             for p in c.children if p.dep_ == "prep" and p.lower_ == "of" for t in p.subtree]
    return bool(spans) and all(any(s <= a.start and a.end <= e for s, e in spans)
                               or any(a.start <= s < a.end for s, e in spans) for a in actors)


def _object_is(tok: Any, nouns: frozenset[str]) -> bool:
    """Whether the verb's object is one of ``nouns``, or names one in a relative clause
    ("condemned what he called a barbaric attack")."""
    for c in tok.children:
        if c.dep_ == "dobj" and c.lemma_.lower() in nouns:
            return True
        if c.dep_ in ("dobj", "ccomp") and any(  # "what": the object of "called" or of tok
                k.lower_ == "what" and k.dep_ == "dobj" for k in (c, *c.children)) and any(
                t.lemma_.lower() in nouns and t.dep_ in ("oprd", "attr") for t in c.subtree):
            return True
    return False


@rule("claimed-act-source", "article")
def claimed_act_source(events: list[Event], doc: Any, index: ActorIndex, w: Words) -> None:
    """Give an attack its claimant ("the attack was claimed by JNIM") when no one is named.

    A claim of responsibility names who did it: the article's latest act before the claim
    whose source is unidentified or uncoded takes the claimant as its source."""
    for tok in doc:
        if tok.lemma_.lower() not in w["verbs"] or tok.pos_ != "VERB":
            continue
        claimant = _claimant(tok, index, w["act_nouns"])
        if claimant is None:
            continue
        before = [e for e in events if e.type in w["act_types"] and e.trigger.start < tok.idx
                  and not _coded(e.source)]
        if before:
            before[-1].source = [replace(claimant)]


def _claimant(tok: Any, index: ActorIndex, acts: frozenset[str]) -> Actor | None:
    """Who claims an act at ``tok``: "claimed by JNIM" (an act noun the passive subject), "JNIM
    claimed responsibility for the attack", "JNIM claimed the attack"; None otherwise."""
    kids = list(tok.children)
    if any(k.dep_ == "nsubjpass" and k.lemma_.lower() in acts for k in kids):
        agents = [p for k in kids if k.dep_ == "agent" for p in k.children if p.dep_ == "pobj"]
        return index.at(agents[0]) if agents else None
    objs = [k for k in kids if k.dep_ == "dobj"]
    if not objs or not (objs[0].lemma_.lower() in acts or objs[0].lemma_.lower() ==
                        "responsibility"):
        return None
    subj = [k for k in kids if k.dep_ == "nsubj"]
    return index.at(subj[0]) if subj else None


@rule("condemned-act-target", "article")
def condemned_act_target(events: list[Event], doc: Any, index: ActorIndex, w: Words) -> None:
    """Aim a condemnation of "the attack" at who carried out the article's first such act.

    "Iran condemned the strikes", "the AU condemned the bombing": the condemned act is one the
    story has told; its coded source (not the condemner itself) is the target, as ACLED and
    PLOVER coders read it. Only an ACCUSE with no target whose object is an act noun."""
    for n, e in enumerate(events):
        if e.type not in w["types"]:
            continue
        tok = _trigger_token(doc, e)
        if tok is None or not _object_is(tok, w["act_nouns"]) or (
                e.target and not _inside_object(tok, e.target)):
            continue  # a target named as such stays ("condemned Russia's attack")
        e.target = _doer(events[:n], w["act_types"], e.source) or e.target


def _parties(events: Iterable[Event], types: frozenset[str], other: list[Actor]) -> list[Actor]:
    """Copies of the coded sides of the first asserted event of ``types`` in ``events``: its
    sources and targets, less those of ``other`` (who made the deal the reactor welcomes)."""
    mine = _codes(other)
    for k in events:
        if k.type not in types or k.modality != "asserted":
            continue
        sides: dict[str | None, Actor] = {}
        for a in (*_coded(k.source), *_coded(k.target)):
            if (a.country or a.kb_id) not in mine:
                sides.setdefault(a.country or a.kb_id, a)
        if sides:
            return [replace(a) for a in sides.values()]
    return []


@rule("reaction-target", "article")
def reaction_target(events: list[Event], doc: Any, index: ActorIndex, w: Words) -> None:
    """Aim a reaction to "the deal" or "the verdict" at who made it in the story.

    "The United States welcomed the deal", "Lapid called the deal a dangerous failure": the
    deal is the agreement the story has told, and its parties (its coded sources and
    targets, less the reacting actor's) are the target. "Called the verdict a farce",
    "welcomed the ruling": the verdict is the story's first sentence or ruling, and its
    source (a court, coded as its state, which may be the reactor's own) is the target. Only
    an ACCUSE, REJECT or SUPPORT whose target is none or one the text did not name, and whose
    object is such a noun (as :func:`condemned_act_target` does for "the attack")."""
    for n, e in enumerate(events):
        if e.type not in w["types"] or any(not a.country_basis for a in e.target):
            continue
        tok = _trigger_token(doc, e)
        if tok is None:
            continue
        if _object_is(tok, w["accord_nouns"]):
            e.target = _parties(events[:n], w["accord_types"], e.source) or e.target
        elif _object_is(tok, w["ruling_nouns"]):
            e.target = _doer(events[:n], w["ruling_types"], e.source, domestic=True) or \
                e.target


@rule("rejected-claim-target", "article")
def rejected_claim_target(events: list[Event], doc: Any, index: ActorIndex, w: Words) -> None:
    """Aim the rejection of "the claim" or "the accusations" at who last made them in the story.

    "Benin rejected the claim", "Algeria rejected the accusations": the rejected claim is the
    allegation the article has just told; its source is the target (CAMEO 1313 reject
    accusation). The accusation aimed at the rejecter wins ("Chad charged Masra ... Masra
    denied the accusations": a domestic accuser counts); else the latest made by someone
    else. Only a REJECT whose target is none or one the text did not name (the story's
    country, given by a later convention or an earlier pass) and whose object is a claim
    noun."""
    for n, e in enumerate(events):
        if e.type not in w["types"] or any(not a.country_basis for a in e.target):
            continue
        tok = _trigger_token(doc, e)
        if tok is None or not _object_is(tok, w["claim_nouns"]):
            continue
        earlier = list(reversed(events[:n]))
        e.target = _accuser(earlier, w["claim_types"], e.source) or _doer(
            earlier, w["claim_types"], e.source) or e.target


def _same_actor(a: Actor, b: Actor) -> bool:
    """Whether two mentions name one actor: the same entry, or the same name."""
    return bool(a.kb_id and a.kb_id == b.kb_id) or a.name.lower() == b.name.lower()


def _aimed_at(target: Actor, rejecter: Actor) -> bool:
    """Whether an accusation's target is the rejecter or the rejecter's state ("blamed
    Colombia" answered by Colombia's president)."""
    return _same_actor(target, rejecter) or bool(
        target.kb_id and rejecter.country and target.kb_id == rejecter.country)


def _accuser(events: Iterable[Event], types: frozenset[str], rejecter: list[Actor]
             ) -> list[Actor]:
    """Copies of the coded source of the first asserted event of ``types`` in ``events`` aimed
    at one of ``rejecter`` and made by someone else (:func:`_doer` over those aimed at it)."""
    aimed = (k for k in events if any(_aimed_at(t, r) for t in k.target for r in rejecter))
    return _doer(aimed, types, rejecter, domestic=True)


def _two_sides(doc: Any, e: Event, heads: frozenset[str]) -> bool:
    """Whether the event's trigger governs "both sides", "the two countries" and the like."""
    tok = _trigger_token(doc, e)
    if tok is None:
        return False
    return any(t.lemma_.lower() in heads and any(
        c.lower_ in ("both", "two", "all") for c in t.children
        if c.dep_ in ("det", "nummod", "predet"))
        for t in tok.subtree)


@rule("both-sides", "article")
def both_sides(events: list[Event], doc: Any, index: ActorIndex, w: Words) -> None:
    """Aim an appeal to "both sides" at the two sides of the article's first clash.

    "Guterres called for restraint from both countries", "urged both sides to agree to a
    ceasefire": the two are the source and the target the story's first assault names."""
    clash = next((k for k in events if k.type in w["clash_types"] and _coded(k.source)
                  and _coded(k.target) and not _codes(k.source) & _codes(k.target)), None)
    if clash is None:
        return
    for e in events:
        mine = _codes(e.source)
        if e.type in w["types"] and all(not a.country or a.country in mine for a in e.target) \
                and _two_sides(doc, e, w["heads"]):
            # no target, or only the phrase given the speaker's own country ("both leaders")
            e.target = [replace(a) for a in (*_coded(clash.source), *_coded(clash.target))]


def _focus_country(index: ActorIndex) -> Actor | None:
    """The first mention of the country the article is about: the one its coded actors name
    most (the first named among equals); None when no actor names a country."""
    counts: dict[str, int] = {}
    first: dict[str, Actor] = {}
    for a in index.actors:
        if a.country and not a.country_basis:
            counts[a.country] = counts.get(a.country, 0) + 1
            first.setdefault(a.country, a)
    if not counts:
        return None
    return first[max(counts, key=lambda c: counts[c])]  # first named among equals


@rule("focus-target", "article")
def focus_target(events: list[Event], doc: Any, index: ActorIndex, w: Words) -> None:
    """Aim a statement or an attack with no target at the country the article is about.

    "The African Union condemned the takeover", "the United States called for an independent
    inquiry": a reaction to a story about one country is aimed at that country, as ICEWS and
    PLOVER coders read it; so is an attack on "a police post" in a village no gazetteer knows,
    and a protest that names no one it is against ("thousands of youths rioted in the
    capital", "people marched through the city chanting slogans"): the state the story is
    about, whose rulers a street protest confronts (twenty-fourth round: held-out full +10);
    and a sanction that names no one ("the United States suspended its military aid").
    Only the verbal types of ``types``, attacks, coercion, protests and sanctions, and not
    when the source is coded as of that country (measured: its own government's statements
    aim as often at someone else). The country is the one the article's coded actors name
    most; its first mention is the evidence (``country_basis`` "focus"). A threat or a
    deployment of that country's own with no target ("vowed that those responsible would be
    punished", "sent troops to the region") is aimed at an unnamed actor of that country,
    ``home_types`` (thirteenth round: tuning full +4, held out +2); so are that country's own
    demands, accusations, denials and attacks that name no one ("the opposition leader
    demanded that the original timetable be restored": its rulers; twenty-fourth round:
    tuning full +11, held out +13); not a condemnation of an act, aimed at whoever did it,
    nor two sides clashing. The target is then inferred (``country_basis`` "source"), a
    guess a reader can filter out."""
    focus = _focus_country(index)
    if focus is None:
        return
    from ..actors import load_kb

    entry = load_kb().countries.get(focus.country or "")
    for e in events:
        if e.target:
            continue
        sides = {a.country for a in e.source}
        if focus.country in sides:
            clash = e.type == "ASSAULT" and len(sides) > 1  # two sides clashing aim at no one
            if (e.type in w["home_types"] or e.mode in w["home_modes"]) and not clash and \
                    not _condemns_act(doc, e):
                # "vowed that those responsible would be punished", "ordered an inquiry"
                e.target = [_unidentified(focus.country or "", focus, "source")]
            continue
        if e.type not in w["types"]:
            continue
        e.target = [Actor(text=focus.text, start=focus.start, end=focus.end,
                          name=entry.name if entry else focus.name, country=focus.country,
                          sector=None, kb_id=focus.country, country_basis="focus")]


def _condemns_act(doc: Any, e: Event) -> bool:
    """Whether an accusation condemns an act ("condemned the strikes"): aimed at whoever did
    it (:func:`condemned_act_target`), not at an unnamed actor of the condemner's country."""
    tok = _trigger_token(doc, e)
    return e.type == "ACCUSE" and tok is not None and _object_is(
        tok, RULES["condemned-act-target"].words["act_nouns"])


@rule("focus-local-actors", "article")
def focus_local_actors(events: list[Event], doc: Any, index: ActorIndex, w: Words) -> None:
    """Give local targets no rule could place ("villagers", "19 people") the article's country.

    The last of the conventions of :func:`local_target_place`, over the merged events: a
    target made only of people with no country of their own, no knowledge-base entry and no
    transnational sector is of the country of the event's place, however it was found (the
    dateline, the story's town; ``country_basis`` "place"), else of the country the
    article's coded actors name most ("focus"). A source made only of such people ("Troops
    withdrew", "several ministers resigned", "protesters stormed") is of the focus country,
    not of the event's place: wire copy names a foreign actor's nationality, and a summit or
    an attack abroad is placed where the actors are not from (eleventh round: tuning sets
    source +22, full +10; placed by the event's place it was right as often as wrong)."""
    focus = _focus_country(index)
    for e in events:
        place = e.location.country if e.location is not None else None
        if place:  # a place the actors phase did not see: the dateline, the story's town
            e.target = _local_countries(e.target, place, "place")
        elif focus is not None:
            e.target = _local_countries(e.target, focus.country, "focus")
        if focus is not None:
            e.source = _local_countries(e.source, focus.country, "focus")


def _scene_day(events: list[Event], doc: Any, w: Words) -> None:
    """Date an undated past act told within ``scene_sentences`` sentences after a text-dated
    one by that act's day, when it is 1 to ``max_days`` days before publication ("Thousands
    forced their way into parliament on Tuesday ... Police fired live bullets at the
    crowds": the scene goes on)."""
    from datetime import date

    index = {s.start_char: n for n, s in enumerate(doc.sents)}
    scene: Event | None = None
    for e in sorted(events, key=lambda e: e.trigger.start):
        if e.modality != "asserted" or e.type not in w["types"] or e.date.granularity != "day":
            continue
        if e.date.basis == "text":
            scene = e
            continue
        if scene is None or e.date.basis != "published" or not 0 <= index.get(
                e.sentence.start, -1) - index.get(scene.sentence.start, -99) <= w[
                "scene_sentences"]:
            continue
        gap = (date.fromisoformat(e.date.start) - date.fromisoformat(scene.date.start)).days
        tok = _trigger_token(doc, e)
        if 1 <= gap <= w["max_days"] and tok is not None and tok.tag_ in w["tags"] and \
                not _present_or_perfect(tok.head if tok.dep_ == "conj" else tok):
            # "has been shelled and bombed almost daily" tells no scene
            e.date = replace(e.date, start=scene.date.start, end=scene.date.end,
                             basis="context")


@rule("story-day", "article")
def story_day(events: list[Event], doc: Any, index: ActorIndex, w: Words) -> None:
    """Date an undated past act by the day the story is about, not by publication.

    "Gunmen attacked a school on Tuesday ... Police arrested 20 suspects": the arrests are
    told without a day of their own; wire copy filed the next day is about Tuesday. The
    story's day is the text date of its first asserted act dated to a day, when that is one to
    ``max_days`` days before publication; an asserted act in the past tense dated only by
    publication takes it (date basis "context"), wherever it is told: the lead often tells
    the act with no day and a later sentence gives it ("A police officer was killed when
    gunmen ambushed a patrol ... The attack began on Sunday"; acts before the first dated
    one were left at publication until the nineteenth round: held-out full tuples +7, none
    lost). An act told in the sentences right after another dated act of that window takes
    that act's day first (:func:`_scene_day`): the scene goes on (eleventh round: tuning
    dates +4, none lost)."""
    from datetime import date, timedelta

    undated = [e for e in events if e.modality == "asserted"
               and e.date.basis == "published" and e.date.granularity == "day"]
    dated = [e for e in events if e.modality == "asserted"
             and e.date.basis == "text" and e.date.granularity == "day"]
    if not dated or not undated:
        return
    _scene_day(events, doc, w)
    undated = [e for e in undated if e.date.basis == "published"]
    if not undated:
        return
    lead = min(dated, key=lambda e: e.trigger.start)
    pub = date.fromisoformat(undated[0].date.start)
    if not timedelta(days=1) <= pub - date.fromisoformat(lead.date.start) <= timedelta(
            days=w["max_days"]):
        return
    for e in undated:
        if e.type not in w["types"]:
            continue
        tok = _trigger_token(doc, e)
        if tok is None or tok.tag_ not in w["tags"]:
            continue
        e.date = replace(e.date, start=lead.date.start, end=lead.date.end, basis="context")


@rule("state-sector", "article")
def state_sector(events: list[Event], doc: Any, index: ActorIndex, w: Words) -> None:
    """Give a state named only by its name ("Iran", "Israeli") the organ that acts for it.

    "Iran fired 200 missiles at Israel", "Algeria recalled its ambassador": a text that names
    only the state means its armed forces when it uses or deploys force (``force_types``), and
    its government when it speaks, negotiates or sanctions (ICEWS and the PLOVER gold give
    such sources the sectors MIL and GOV). The mention keeps its country code; the sector is
    set on the event's copy of the actor, so one mention can be the army of one event and the
    government of the next."""
    for e in events:
        organ = "MIL" if e.type in w["force_types"] else "GOV"
        e.source, e.target = _acting_through(e.source, organ), _acting_through(e.target, organ)


def _acting_through(actors: list[Actor], organ: str) -> list[Actor]:
    """``actors`` with each bare state given the sector ``organ`` (a copy; others as they are)."""
    return [replace(a, sector=organ, sectors=[organ]) if _bare_state(a) else a for a in actors]


def _bare_state(a: Actor) -> bool:
    """Whether an actor is a state named only by its name (or demonym): its knowledge-base
    entry is the country itself and nothing names an organ of it."""
    return bool(a.country) and a.kb_id == a.country and not a.sector and a.country_basis in (
        None, "focus")


@rule("unidentified-source-late", "settled")
def unidentified_source_late(events: list[Event], doc: Any, index: ActorIndex, w: Words) -> None:
    """Code an act still with no source as done by an unidentified actor of its target's country.

    :func:`unidentified_source` once more, now that the article rules have given local
    targets their country ("More than 2,000 people were arrested on Thursday": someone in
    Argentina, as ICEWS codes it; ``country_basis`` "target"). It runs after the last merge:
    two mentions given the same unidentified source are not thereby one act (twentieth round:
    before the merge, "were killed ... and injured" merged and took the other's place)."""
    for e in events:
        if not e.source:
            e.source = _source_countries([], e.target, None)
