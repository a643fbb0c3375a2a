"""Modality and background: whether a candidate is asserted, negated, hypothetical, future or
historical, who reports it, and whether it is background rather than an event.

Read from auxiliaries, negation and governing verbs along the path to the root ("would
complete", "is looking to expand", "had been seen", "did not attack"); reported speech stops
the walk at the reporting verb ("officials said ..."), which becomes ``reported_by``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any

from ...model import Actor
from .draft import Candidate, Marks
from .rules import shared_words
from .triggers import Lexicon

_W = shared_words()
_NEG_WORDS: frozenset[str] = _W["negation"]
_HYPOTHETICAL_AUX: frozenset[str] = _W["hypothetical_aux"]
_FUTURE_AUX: frozenset[str] = _W["future_aux"]
_PERIOD_UNITS: frozenset[str] = _W["period_units"]


#: adverbs that make a present perfect a habit or a record, not one act
_REPEATED = {"repeatedly", "frequently", "often", "regularly", "routinely", "always",
             "continually", "consistently", "long", "increasingly", "persistently"}
#: adjectives that make an event noun a pattern, not one event ("repeated attacks")
_REPEATED_ADJ = {"repeated", "frequent", "regular", "recurrent", "recurring", "persistent",
                 "sporadic", "periodic", "constant", "routine", "incessant", "continual",
                 "numerous"}
#: subjects that sum up a conflict ("the war has killed ...", "the insurgency has displaced")
CONFLICT_NOUNS = frozenset({"war", "conflict", "insurgency", "violence", "fighting", "crisis",
                           "unrest", "rebellion", "civil war"})
#: subjects whose past toll over a period is a record ("clashes between 2008 and 2011 killed")
_TOLL_SUBJECTS = frozenset(CONFLICT_NOUNS | {"clash", "attack"})


def _over_a_period(verb: Any) -> bool:
    """A present perfect summed over a period ("has killed thousands since 2015", "has carried
    out abductions for a decade") is background, not one event."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "since":
            return True
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "since"
                                     for m in c.children):
            return True  # "have fired missiles at Israel since the war began"
        if c.dep_ == "advmod" and c.lower_ in _REPEATED:
            return True  # "a charge it has repeatedly denied"
        if c.dep_ in ("advmod", "npadvmod") and (c.lower_ in ("since", "twice", "thrice") or (
                c.lower_ == "times" and any(d.dep_ in ("amod", "nummod") for d in c.children))):
            return True  # "has since killed 46,000", "has been convicted twice", "several times"
        if c.dep_ == "nsubj" and c.lemma_.lower() in CONFLICT_NOUNS:
            return True  # "the war has killed tens of thousands": a toll, not one act
        if c.dep_ == "prep" and c.lower_ in ("for", "over") and any(
                p.dep_ == "pobj" and p.lower_ in _PERIOD_UNITS and (
                    p.lower_.endswith("s") or any(d.lower_ in ("a", "the", "past", "last")
                                                  for d in p.children))
                for p in c.children):
            return True
    return False


#: subjects that say nobody did it ("No one was arrested", "Neither side has withdrawn")
_NO_DETS = {"no", "neither"}
_NOBODY = {"nobody", "none", "noone"}


def nobody_did(kids: list[Any]) -> bool:
    """Whether the verb's subject is "no one", "nobody", "neither side", "no troops"."""
    return any(k.dep_ in ("nsubj", "nsubjpass") and (
        k.lower_ in _NOBODY or any(d.dep_ == "det" and d.lower_ in _NO_DETS for d in k.children))
        or k.dep_ == "dobj" and k.lower_ in ("one", "nobody", "none") and any(
            d.lower_ == "no" for d in k.children)
        for k in kids)


def _toll(verb: Any) -> bool:
    """A conflict's toll over a period in the past tense ("Gang violence killed 2,500 people in
    the first three months of the year", "clashes between 2008 and 2011 killed 28"): a
    record, not one event. The subject is a conflict noun and a period or a span of years
    dates the sentence."""
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.tag_ != "VBD" or not subj or subj[0].lemma_.lower() not in _TOLL_SUBJECTS:
        return False
    years = [t for t in subj[0].subtree if t.like_num and len(t.text) == 4]
    if len(years) >= 2 or any(p.lower_ == "between" for p in subj[0].children) and years:
        return True
    for c in verb.children:  # "in the first three months", "over the past year"
        if c.dep_ == "prep" and c.lower_ in ("in", "over", "during") and any(
                p.dep_ == "pobj" and p.lower_ in _PERIOD_UNITS and any(
                    d.lower_ in ("first", "past", "last") for d in p.children)
                for p in c.children):
            return True
    return False


def denied_object(c: Candidate) -> bool:
    """Whether a light verb's event noun is denied by "no" ("have made no arrests")."""
    return c.noun is not None and c.noun.i != c.trigger.i and any(
        d.dep_ == "det" and d.lower_ == "no" for d in c.noun.children)


def unsaid(tok: Any, lex: Lexicon) -> bool:
    """Whether the act is the content of a negated report ("did not say whether it carried
    out the strike"): the author does not commit to it."""
    reporter = _chain(tok, lex)[1]
    return reporter is not None and any(k.dep_ == "neg" for k in reporter.children)


def _chain(tok: Any, lex: Lexicon) -> tuple[list[Any], Any]:
    """The trigger and its heads up to a reporting verb (returned as the reporter) or the
    root, at most eight tokens."""
    chain, cur = [tok], tok
    while cur.head.i != cur.i and len(chain) < 8:
        if cur.dep_ in ("ccomp", "parataxis") and cur.head.lemma_.lower() in lex.reporting_verbs:
            return chain, cur.head
        cur = cur.head
        chain.append(cur)
    return chain, None


def _finite_relative(tok: Any) -> bool:
    """A relative clause with a tense of its own: the verb is finite or has an auxiliary
    ("which Moscow rejected", "who will attend"), not a reduced one ("troops sent to ...")."""
    return tok.dep_ == "relcl" and (tok.tag_ in ("VBD", "VBZ", "VBP") or any(
        k.dep_ in ("aux", "auxpass") for k in tok.children))


def _governed(link: Any) -> bool:
    """Whether an act hanging from a planning verb by ``link`` is what the verb plans: a
    complement or a to-infinitive ("plans to withdraw", "swore to fight"), not an adverbial
    participle or a clause with a conjunction ("set off bombs, killing 20") nor a conjunct
    ("agreed to talks and signed a ceasefire")."""
    if link.dep_ in ("conj", "relcl", "parataxis"):
        return False
    return link.dep_ != "advcl" or any(k.dep_ == "aux" and k.lower_ == "to"
                                       for k in link.children)


def _marks(chain: list[Any], lex: Lexicon, reported: bool = False
           ) -> tuple[bool, bool, bool, bool, bool]:
    """(negated, future, hypothetical, historical, past perfect) as the auxiliaries of
    ``chain`` mark them.

    A past perfect is background ("the group had seized the town in 2012") except under a
    reporting verb, where it is the reported past shifted back ("he said police had arrested
    20 suspects")."""
    negated = future = hypothetical = historical = pluperfect = False
    # "said the military would form a government and urged protesters to go home": a past
    # verb joined to a modal clause has its own tense, not the modal's
    own_tense = len(chain) > 1 and chain[0].dep_ == "conj" and chain[0].tag_ == "VBD"
    for i, node in enumerate(chain):
        if i > 0 and _finite_relative(chain[i - 1]):
            break  # "proposed a ceasefire, which Moscow rejected": a statement of its own
        kids = list(node.children)
        auxes = [k.lower_ for k in kids if k.dep_ in ("aux", "auxpass")]
        if own_tense and i == 1:
            auxes = []
        if any(k.dep_ == "neg" or k.lower_ in _NEG_WORDS and k.dep_ in ("neg", "det")
               for k in kids) or nobody_did(kids):
            # "had not been shown a warrant and demanded his release": a verb in a tense of
            # its own is not under its first conjunct's negation
            if i == 0 or node.pos_ == "VERB" and not (own_tense and i == 1):
                negated = True
        if any(a in _FUTURE_AUX for a in auxes):
            future = True
        if any(a in _HYPOTHETICAL_AUX for a in auxes):
            hypothetical = True
        if any(k.dep_ == "mark" and k.lower_ in ("if", "unless") for k in kids):
            hypothetical = True
        if "had" in auxes and node.tag_ == "VBN" and not reported:
            pluperfect = True
        if i == 0 and node.tag_ == "VBN" and any(a in ("has", "have", "'ve") for a in auxes) \
                and (_over_a_period(node) or node.dep_ == "relcl" and
                     node.head.head.pos_ in ("VERB", "AUX") and _over_a_period(node.head.head)):
            historical = True  # "an insurgency that has killed thousands since 2015"
        if i == 0 and node.tag_ == "VBG" and "been" in auxes and any(
                a in ("has", "have", "'ve", "had") for a in auxes):
            historical = True  # "has been expanding towards coastal states": a trend
        if i > 0 and node.lemma_.lower() in lex.future_governors and (
                node.pos_ == "VERB" or node.pos_ == "ADJ" and chain[i - 1].dep_ == "xcomp") \
                and _governed(chain[i - 1]):
            future = True  # "plans to withdraw", "is willing to withdraw"
        if node.tag_ in ("VBG",) and any(a in ("is", "are", "'s", "'re") for a in auxes) \
                and node.lemma_.lower() in ("go",):
            future = True
    return negated, future, hypothetical, historical, pluperfect


def predicate(c: Candidate) -> Any:
    """The token whose tense, negation and modals tell whether a candidate happened: the
    trigger, or for an event noun that is a subject the verb saying what became of it, down
    its complements ("Talks did not resume", "the dialogue is due to resume", "a ceasefire is
    expected to take effect")."""
    tok = c.trigger
    if c.noun is None or c.noun.i != tok.i or tok.dep_ not in ("nsubj", "nsubjpass") or \
            tok.head.pos_ not in ("VERB", "AUX"):
        return tok
    pred = tok.head
    for _ in range(4):
        nxt = next((k for k in pred.children if k.dep_ == "xcomp" and k.pos_ in ("VERB", "AUX")),
                   None)
        if nxt is None:
            comp = next((k for k in pred.children if k.dep_ == "acomp"), None)
            nxt = next((k for k in comp.children if k.dep_ == "xcomp"), None) \
                if comp is not None else None
        if nxt is None:
            break
        pred = nxt
    return pred


def marks(c: Candidate, lex: Lexicon, sent_text: str) -> tuple[Marks, Any]:
    """Return (the marks of a candidate, its reporting token or None). The marks of an event
    noun that is a subject are those of its :func:`predicate` (and of its own determiner)."""
    pred = predicate(c)
    chain, reporter = _chain(pred, lex)
    if pred is not c.trigger:
        chain = [c.trigger, *chain]
    negated, future, hypothetical, historical, pluperfect = _marks(chain, lex,
                                                                   reporter is not None)
    low = sent_text.lower()
    if any(cue in low for cue in lex.historical_cues[:3]):
        historical = True
    if c.noun is not None and any(a.dep_ == "amod" and a.lower_ in _REPEATED_ADJ
                                  for a in c.noun.children):
        historical = True  # "repeated attacks", "carried out frequent raids": a pattern
    if _toll(c.trigger):
        historical = True  # "gang violence killed 2,500 people in the first three months"
    if denied_object(c):
        negated = True  # "have made no arrests": the light verb's event is denied
    if c.noun is not None and c.noun.i == c.trigger.i and c.trigger.dep_ == "pobj" and \
            c.trigger.head.lower_ == "since":
        historical = True  # "has not appeared in public since his resignation"
    return Marks(negated, future, hypothetical, historical or pluperfect,
                 pluperfect and not historical), reporter


def from_marks(m: Marks) -> str:
    """The rules' modality: negation first, then hypothetical, future, historical."""
    if m.negated:
        return "negated"
    if m.hypothetical and not m.future:
        return "hypothetical"
    if m.future:
        return "future"
    if m.historical:
        return "historical"
    return "asserted"


def decide(p: Mapping[str, float], m: Marks, asserted_bias: float = 0.0,
           min_negated: float = 0.0) -> str:
    """Asserted, negated or uncertain, from the factuality model's class probabilities ``p``.

    ``asserted_bias`` is added to the log probability of asserted (the model was trained with
    balanced class weights, which makes it call too many events uncertain); a negation that no
    negation word of the rules marks needs P(negated) ≥ ``min_negated``."""
    score = {k: math.log(max(v, 1e-12)) for k, v in p.items()}
    score["asserted"] = score.get("asserted", -30.0) + asserted_bias
    if not m.negated and p.get("negated", 0.0) < min_negated:
        score.pop("negated", None)
    return max(score, key=lambda k: score[k])


def combine(p: Mapping[str, float], m: Marks, asserted_bias: float = 0.0,
            min_negated: float = 0.0) -> str:
    """The modality from the factuality model's decision (:func:`decide`) and the rules' marks.

    Factuality is whether the author commits to the event, not when it happens ("will
    withdraw" is committed), so a future mark makes any event the model does not find negated
    future; the rest of what it finds uncertain is hypothetical, and of what it finds asserted,
    background over a period stays historical (factuality data does not annotate
    background)."""
    cls = decide(p, m, asserted_bias, min_negated)
    if cls == "negated":
        return "negated"
    if m.future:
        return "future"
    if cls == "uncertain":
        return "hypothetical"
    return "historical" if m.historical else "asserted"


def modality(c: Candidate, lex: Lexicon, sent_text: str) -> tuple[str, Any]:
    """Return (the rules' modality, reporting token or None) for a candidate."""
    m, reporter = marks(c, lex, sent_text)
    return from_marks(m), reporter


def _passive_of_a_kind(tok: Any, aux: list[Any]) -> bool:
    """Whether a past participle (``aux`` its own auxiliaries) is the passive present of a kind
    or a quantity, with no agent: "suspects are normally arrested (rather than killed)", "1,000
    U.S. troops are stationed in Niger"; not "the eight are accused of ...", nor a chronicle's
    "a car is struck by a roadside bomb". A conjunct with no auxiliary of its own is read
    through the verb it is joined to."""
    base = tok.head if tok.dep_ == "conj" and not aux else tok
    base_aux = [k for k in base.children if k.dep_ in ("aux", "auxpass")]
    return base.tag_ == "VBN" and bool(base_aux) and all(
        a.dep_ == "auxpass" and a.lower_ in ("is", "are") for a in base_aux) and any(
        k.dep_ == "nsubjpass" and k.pos_ == "NOUN"
        and not any(d.dep_ in ("det", "poss") for d in k.children) for k in base.children) \
        and not any(k.dep_ == "agent" for k in (*tok.children, *base.children))


def is_generic(c: Candidate, lex: Lexicon, source: list[Actor], has_time: bool) -> bool:
    """A present-simple statement about kinds of actors (or, in the passive, about a kind or a
    quantity of people or things) is background, not an event."""
    tok = c.trigger
    if (c.noun is not None and c.noun.i == tok.i) or has_time:
        return False
    aux = [k for k in tok.children if k.dep_ in ("aux", "auxpass")]
    if tok.tag_ in ("VBZ", "VBP") and not aux:
        return True
    if tok.tag_ == "VB" and aux and all(a.lower_ in ("does", "do") for a in aux):
        return True  # "Venezuela does not recognise the court's jurisdiction": a standing view
    if tok.tag_ == "VBN" and _passive_of_a_kind(tok, aux):
        return True
    if tok.tag_ == "VBD":
        return False  # "Ahrar al-Sham groups shelled the settlement": a past act is no kind's habit
    subj = [k for k in tok.children if k.dep_ == "nsubj"]
    if subj and subj[0].lower_ in lex.generic_heads and not any(
            k.dep_ == "det" for k in subj[0].children) and not source:
        return True
    return False


def subordinate(tok: Any, background_preps: Collection[str]) -> bool:
    """Whether ``tok`` heads a background clause or phrase: a relative or adverbial clause
    ("where 28 people have been killed", "as fighting spread") or the object of a temporal or
    causal preposition ("after clashes", "amid riots"). A complement ("the decision to expel")
    is not background: it is what the main act is about."""
    if tok.dep_ in ("relcl", "advcl"):
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ in background_preps
