"""Roles: the source and target actors of a candidate, from the dependency parse.

Subject / passive agent → source; object, passive subject or a to/against/with/from/into phrase
→ target; an event noun's possessor and by-phrase are its source, its of-phrase its target (or
its source for intransitive acts: "the withdrawal of US troops"). Pronouns take the latest
fitting actor; a role that is no actor itself takes the first actor inside it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...model import Actor
from ..actors import FACILITIES, known_person
from .draft import Candidate
from .triggers import load_lexicon
from .rules import shared_words
from .tree import pp_objects, with_conjuncts

_W = shared_words()
#: prepositions whose object is the target ("attacked positions near", "sanctions against")
_TARGET_PREPS: frozenset[str] = _W["role_target_preps"]
#: types whose "at" phrase names the target ("fired at protesters"), not where it happened
_AIMED_TYPES: frozenset[str] = _W["aimed_types"]
#: event nouns whose "of" phrase names who acts ("the withdrawal of US troops")
_OF_ACTOR_TYPES: frozenset[str] = _W["of_actor_types"]
#: modes of those types whose noun's of-phrase is who is acted on ("the release of the
#: hostages" names the freed, not who freed them)
_OF_PATIENT_MODES = frozenset({"release"})
#: head words of actor phrases that name a person ("he"/"she" can refer to them)
_PERSON_HEADS: frozenset[str] = _W["person_heads"]
#: heads of quantity phrases whose of-phrase names the actor ("thousands of protesters")
_QUANTITY_HEADS: frozenset[str] = _W["quantity_heads"]
_PRONOUNS: frozenset[str] = _W["pronouns"]
#: a country's missions abroad: a protest there is aimed at that country
_MISSIONS = frozenset({"embassy", "consulate", "mission"})
#: where a protest addresses the state that holds the place: a mission, a state building
_SEATS = _MISSIONS | FACILITIES
#: what a reporter does by speaking: a demand, a threat, an accusation (not an attack)
_VERBAL_ACTS = frozenset({"ACCUSE", "AGREE", "REJECT", "REQUEST", "SUPPORT", "THREATEN"})


class ActorIndex:
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
                self._classify(a, doc)

    def _classify(self, a: Actor, doc: Any) -> None:
        span = doc.char_span(a.start, a.end, alignment_mode="expand")
        if span is None:
            return
        head = span.root
        if head.dep_ in ("nsubj", "nsubjpass") or head.dep_ in ("compound", "amod", "nmod") and \
                head.head.dep_ in ("nsubj", "nsubjpass"):
            self.subjects.add(id(a))  # also the name inside a subject ("the U.N. rights office")
        named = a.kb_id is not None and a.kb_id != a.country  # a KB organisation
        if head.tag_ in ("NNS", "NNPS") and not named and a.sector is not None:
            self.plurals.add(id(a))
        # "UN Secretary-General António Guterres": the UN, by a person
        official = (a.kb_id or "").startswith("IGO-") and head.ent_type_ == "PERSON"
        if known_person(a) or official or not named and (
                head.lower_ in _PERSON_HEADS or head.ent_type_ == "PERSON"):
            self.people.add(id(a))

    def same_span(self, a: Actor) -> list[Actor]:
        """The other mentions over exactly the span of ``a`` (a compound actor)."""
        return [b for b in self.actors if b is not a and b.start == a.start and b.end == a.end]

    def at(self, tok: Any) -> Actor | None:
        """The actor mention over ``tok``, or inside the phrase ``tok`` heads."""
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
        """The actor mentions inside the phrase ``tok`` heads."""
        lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
        return [a for a in self.actors if lo <= a.start and a.end <= hi]


def _through_appos(tok: Any, index: ActorIndex, depth: int = 0) -> Actor | None:
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


def resolve(toks: list[Any], index: ActorIndex, exclude: list[Actor]) -> list[Actor]:
    """The actors named by role tokens: the mention over each, its antecedent for a pronoun,
    the of-phrase of a quantity, an apposition, the subject of a mis-parsed participle."""
    found: list[Actor] = []
    for t in toks:
        a = index.at(t)
        if a is None and t.lower_ in _PRONOUNS:
            a = index.before(t.idx, exclude + found,
                             plural=t.lower_ in ("they", "them", "their"), pronoun=t.lower_)
        if a is None and t.lower_ in _QUANTITY_HEADS:
            # "Thousands of Kenyan protesters", "dozens of soldiers": the of-phrase acts
            a = next((index.at(p) for p in pp_objects(t, ("of",)) if index.at(p)), None)
        if a is None:  # "One of those groups, JNIM, ..." → the apposition
            a = _through_appos(t, index)
        if a is None and t.pos_ == "VERB":
            # a mis-parsed subject: "The Red Cross operating in Iraq said" has "operating" as
            # the subject; the actor is its own subject
            a = next((index.at(k) for k in t.children
                      if k.dep_ == "nsubj" and index.at(k) is not None), None)
        if a is None and t.dep_ == "prep":
            continue
        mention = a
        if a is not None and not (a.country or a.kb_id):
            # "Salaheddine Sidhoum, Algeria's leading human rights activist,": the coded
            # apposition says who the uncoded name is
            b = _through_appos(t, index)
            a = b if b is not None and (b.country or b.kb_id) else \
                _owner(t, a, index, exclude + found) or a
        if a is not None and a not in found:
            found.append(a)
            # a compound actor: the other countries named over the same span
            found.extend(b for b in index.same_span(a) if b not in found and b is not mention)
            found.extend(b for b in _of_conjuncts(t, a, index) if b not in found)
    return found


#: heads of a group's own people ("its fighters", "their troops")
_FORCE_HEADS = {"fighter", "militant", "troop", "soldier", "force", "member", "gunman", "unit",
                "militiaman", "combatant", "officer", "police", "policeman", "agent"}


def _owner(head: Any, a: Actor, index: ActorIndex, exclude: list[Actor]) -> Actor | None:
    """A group's own people named through its pronoun: "its fighters", "their troops" act for
    the group or country the pronoun refers to (the latest one named before)."""
    if head.lemma_.lower() not in _FORCE_HEADS:
        return None
    poss = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in ("its", "their")),
                None)
    if poss is None:
        return None
    b = index.before(poss.idx, exclude, plural=poss.lower_ == "their", pronoun=poss.lower_)
    if b is None:
        return None
    return replace(a, country=b.country, kb_id=b.kb_id, name=b.name, sector=a.sector or b.sector)


def _of_conjuncts(head: Any, a: Actor, index: ActorIndex) -> list[Actor]:
    """The same actor for each further country of its of-phrase: "the military rulers of
    Mali, Burkina Faso and Niger" are three countries' rulers, not Mali's alone."""
    if a.country is None or a.kb_id not in (None, a.country):
        return []  # an institution of the knowledge base keeps its own country
    for p in pp_objects(head, ("of",)):
        first = index.at(p)
        if first is None or first.country != a.country:
            continue
        others = [index.at(c) for c in with_conjuncts(p)[1:]]
        return [replace(a, country=b.country, name=b.name,
                        kb_id=b.kb_id if a.kb_id is not None else None) for b in others
                if b is not None and b.country and b.country != a.country]
    return []


def _fronted_subject(verb: Any) -> Any:
    """The subject the parse hung on a fronted phrase, or None: "In the Qalamoun Mountains of
    Greater Damascus, the Islamic State (ISIS) launched an offensive" makes "State" (or
    "ISIS") an apposition of "Mountains"; a noun in apposition to a fronted phrase's object
    that ends (but for a parenthesis) right before a finite verb with no subject is that verb's
    subject."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.dep_ not in ("ROOT", "ccomp"):
        return None
    doc, lo = verb.doc, verb.sent.start
    last = [t for t in doc[lo:verb.i] if not t.is_punct][-1:]  # "ISIS" in "(ISIS) launched"
    k = verb.i - 1
    while k >= lo and doc[k].is_punct and doc[k].text != ")":
        k -= 1
    if k >= lo and doc[k].text == ")":  # and the word before the parenthesis
        while k >= lo and doc[k].text != "(":
            k -= 1
        last += [t for t in doc[lo:max(k, lo)] if not t.is_punct][-1:]
    for cand in last:
        for _ in range(8):  # up to the apposition: "the Islamic State of Iraq and Al-Sham"
            if cand.dep_ in ("compound", "flat", "nmod") and cand.head.i > cand.i or \
                    cand.dep_ in ("conj", "pobj", "prep") and cand.head.i < cand.i:
                cand = cand.head
            else:
                break
        head = cand
        while head.dep_ == "appos" and head.head.i < head.i:
            head = head.head
        if cand.dep_ == "appos" and cand.pos_ in ("NOUN", "PROPN") and head.dep_ == "pobj":
            return cand
    return None


def subject(verb: Any) -> list[Any]:
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
            first = before[-1] if before else subj[0]
            if cur.dep_ == "relcl" and first.tag_ in ("WP", "WDT") and cur.head.i != cur.i:
                return [cur.head]  # "police, who fired tear gas": the relative's antecedent
            return with_conjuncts(first)
        agent = [c for c in cur.children if c.dep_ == "agent"]
        if agent:
            pobj = [c for c in agent[0].children if c.dep_ == "pobj"]
            if pobj:
                return with_conjuncts(pobj[0])
        if cur.dep_ == "acomp" and cur.head.i != cur.i:  # "it is willing to withdraw"
            cur = cur.head
            continue
        if cur.dep_ in ("xcomp", "conj", "advcl") and cur.head.i != cur.i:
            via_conj = cur.dep_ == "conj"
            if cur.dep_ == "xcomp":  # object control: "allowed US troops to operate"
                obj = [c for c in cur.head.children if c.dep_ == "dobj"]
                if obj:
                    return with_conjuncts(obj[0])
            cur = cur.head
            continue
        if cur.dep_ == "relcl":  # "troops that attacked": the modified noun
            return [cur.head]
        fronted = _fronted_subject(cur)
        if fronted is not None:
            return with_conjuncts(fronted)
        if cur.dep_ == "acl" and cur.tag_ == "VBD":
            # "China, which shares a border with Shan State, called on ...": a finite past
            # verb is no reduced relative; the parse took the subject for its head
            return [cur.head]
        if cur.dep_ == "acl" and cur.head.dep_ == "dobj" and cur.tag_ == "VBG":
            # "issued a declaration demanding that ...": whoever issued it demands
            cur = cur.head.head
            continue
        break
    return []


#: prepositions before an event noun that make the verb's subject take part in it
_TAKING_PART = ("in", "at", "during", "for")


def _nominal_roles(c: Candidate, index: ActorIndex) -> tuple[list[Actor], list[Actor]]:
    """Roles of an event noun: possessor and by-phrase act, the of-phrase is acted on."""
    tok = c.trigger
    poss = [x for x in tok.children if x.dep_ == "poss"]
    of = pp_objects(tok, ("of",))
    by = pp_objects(tok, ("by",))
    src_toks = poss + by
    tgt_toks = pp_objects(tok, _TARGET_PREPS)
    if of:
        if not src_toks and c.type in _OF_ACTOR_TYPES and c.mode not in _OF_PATIENT_MODES:
            src_toks = of
        else:
            tgt_toks = of + tgt_toks
    src_toks += [x for x in tok.lefts if x.dep_ in ("compound", "amod") and index.at(x)]
    source = resolve(src_toks, index, [])
    if not source and not tgt_toks:
        source = sides(c, index)
    target = resolve(tgt_toks, index, source)
    verb = tok.head.head
    if not source and tok.dep_ == "pobj" and tok.head.lower_ in _TAKING_PART \
            and verb.pos_ == "VERB" \
            and not any(x.dep_ in ("nsubjpass", "auxpass") for x in verb.children):
        # "officials said in a joint statement", "took part in the attack", "travelled to
        # Abuja for talks": the subject acts ("commented on the attack", "suffered from
        # violence", "were killed in the attack" name no one who did it)
        source = resolve(subject(verb), index, target)
    if not target and c.type == "REQUEST" and tok.dep_ == "dobj":
        # "reiterated its demand that Israel ease restrictions": whom the demand addresses
        for x in list(tok.children) + list(tok.head.children):
            if x.dep_ in ("ccomp", "acl") and x.i > tok.i:
                subj = [o for o in x.children if o.dep_ in ("nsubj", "nsubjpass")]
                if subj:
                    target = resolve(with_conjuncts(subj[0]), index, source)
                    break
    return source, target


#: event nouns whose "between" phrase names the parties, all of them sources (PLOVER codes
#: a reciprocal act with every side as its source: "fighting between Thai and Cambodian troops")
_RECIPROCAL_TYPES = frozenset({"ASSAULT", "RETREAT", "AGREE", "CONSULT", "COOPERATE"})


def sides(c: Candidate, index: ActorIndex) -> list[Actor]:
    """The sides of a reciprocal event noun, all of them its sources, or [].

    Only for a noun that is a subject or a headline's root: as an object ("to develop
    cooperation between Russia and Niger", "brokered a ceasefire between ...") the verb's
    subject acts. The sides are named by a "between" phrase of the noun, or of the verb it is
    the subject of
    ("Fighting broke out between ..."): each object with its conjuncts, and the nationality
    words before a plain head ("between Thai and Cambodian troops" names Thailand and
    Cambodia). Fewer than two sides name no reciprocal act."""
    tok = c.trigger
    if c.type not in _RECIPROCAL_TYPES or c.noun is None or c.noun.i != tok.i or \
            tok.dep_ not in ("nsubj", "nsubjpass", "ROOT"):
        return []
    objs = pp_objects(tok, ("between",))
    if not objs and tok.dep_ == "nsubj":
        objs = pp_objects(tok.head, ("between",))
    toks: list[Any] = []
    for p in objs:
        mods = [m for x in p.lefts if x.dep_ in ("amod", "compound") and index.at(x)
                for m in with_conjuncts(x) if index.at(m)]
        toks.extend(mods if mods and index.at(p) is None else [p])
    found = resolve(toks, index, [])
    return found if len(found) >= 2 else []


def _what_named(tok: Any) -> list[Any]:
    """What an act is aimed at when the text gives it in someone's words: "struck what
    Islamabad described as hideouts of the TTP", "fired at what it said were bases of Jaish
    al-Adl", "strikes on what it called militant hideouts": the named thing, not the speaker.
    (A light verb's event noun is in the verb's subtree, so the verb's is the one searched.)"""
    for w in tok.subtree:
        if w.lower_ != "what" or w.i < tok.i or w.i - tok.i > 8:
            continue
        clause = w.head
        named = [x for x in clause.children if x.dep_ in ("oprd", "attr")]
        named += pp_objects(clause, ("as",))
        for x in clause.children:  # "what it said were bases of ..."
            if x.dep_ == "ccomp":
                named += [y for y in x.children if y.dep_ in ("attr", "oprd")]
        if named:
            return named
    return []


def _first_inside(holders: list[Any], index: ActorIndex, source: list[Actor]) -> list[Actor]:
    """The first actor inside the phrases ``holders`` head, in their order, that is not one of
    the source's mentions (as a one-element list), else []."""
    return [a for o in holders for a in index.in_subtree(o)
            if not any(a.start < b.end and b.start < a.end for b in source)][:1]


def _target_inside(c: Candidate, index: ActorIndex, source: list[Actor]) -> list[Actor]:
    """The target when the object is not an actor itself: the first actor inside it ("ended
    an agreement that allowed US troops to ...", "a camp for Congolese refugees was
    attacked", "denounced Serbia's suppression"), then inside the complement verb's object
    ("refused to commit to assistance to the US-led war") and the subject of a that-clause
    ("demanded that the US cancel plans")."""
    tok = c.trigger
    quoted = _first_inside(_what_named(tok), index, source)
    if quoted:
        return quoted
    holders = [x for x in tok.children if x.dep_ in ("dobj", "nsubjpass")]
    holders += pp_objects(tok, _TARGET_PREPS)
    for x in tok.children:
        if x.dep_ == "xcomp":
            holders += [o for o in x.children if o.dep_ == "dobj"]
            holders += pp_objects(x, _TARGET_PREPS)
        elif x.dep_ == "ccomp":
            subj = [o for o in x.children if o.dep_ in ("nsubj", "nsubjpass")]
            if subj and c.type == "REQUEST":  # "said US and British forces must ensure"
                named = resolve(with_conjuncts(subj[0]), index, source)
                if named:
                    return named
            holders += subj
    return _first_inside(holders, index, source)


#: verbs of people fleeing: PLOVER codes the flight as SANCTION expel done by its cause
_FLIGHT_VERBS = {"flee"}
#: verbs whose object is what the fleeing people escape ("fled to escape the jihadists")
_ESCAPE_VERBS = {"escape", "avoid", "evade"}


def _flight_roles(tok: Any, index: ActorIndex) -> tuple[list[Actor], list[Actor]]:
    """(cause, people who fled): "families fled Djibo to escape the jihadists", "32,000 people
    have fled the ELN offensive". PLOVER codes refugees fleeing as SANCTION expel with the
    causative agent as the actor; the people who fled are the target. With no cause named
    there are no roles, and the events stage drops the mention."""
    fled = resolve(subject(tok), index, [])
    causes: list[Any] = []
    for k in tok.children:
        if k.dep_ in ("xcomp", "advcl") and k.lemma_.lower() in _ESCAPE_VERBS:
            causes += [t for o in k.children if o.dep_ == "dobj" for t in with_conjuncts(o)]
        if k.dep_ == "dobj":  # "fled the ELN offensive", "fled the jihadists"
            causes += [t for o in with_conjuncts(k) for t in (o, *o.children)
                       if t.dep_ in ("dobj", "poss", "compound") or t.i == o.i]
        if k.dep_ == "prep" and k.lower_ == "from":  # "fled from the fighters"
            causes += [t for p in k.children if p.dep_ == "pobj" for t in with_conjuncts(p)]
    places = ("GPE", "LOC", "FAC")  # "fled Djibo", "fled the country": where from, not why
    cause = resolve([t for t in causes if t.ent_type_ not in places], index, fled)
    # no one named as the cause ("fled the country", "fleeing violence"): nothing to code
    return (cause, fled) if cause else ([], [])


def roles(c: Candidate, index: ActorIndex) -> tuple[list[Actor], list[Actor]]:
    """Return the (source, target) actors of a candidate."""
    tok = c.trigger
    if c.noun is not None and c.noun.i == tok.i:  # a nominal event
        return _nominal_roles(c, index)
    if tok.lemma_.lower() in _FLIGHT_VERBS:
        return _flight_roles(tok, index)
    subj = subject(tok)
    passive_subj = [x for x in tok.children if x.dep_ == "nsubjpass"]
    if passive_subj:
        target_toks = with_conjuncts(passive_subj[0])
        agent = [x for x in tok.children if x.dep_ == "agent"]
        subj = [p for a in agent for p in a.children if p.dep_ == "pobj"]
    else:
        objs = [x for x in tok.children if x.dep_ in ("dobj", "dative", "attr")]
        if c.noun is not None:  # light verb: "completed their withdrawal from Niger"
            objs = [x for x in objs if x.i != c.noun.i]
            objs += pp_objects(c.noun, _TARGET_PREPS | {"of"})
        target_toks = [t for o in objs for t in with_conjuncts(o)]
        preps = _TARGET_PREPS | ({"at"} if c.type in _AIMED_TYPES else set())
        target_toks += pp_objects(tok, preps)  # "fired tear gas at protesters"
    source = resolve(subj, index, [])
    if c.type in _VERBAL_ACTS and tok.dep_ == "conj" and \
            tok.head.dep_ == "ccomp" and not any(
                x.dep_ in ("nsubj", "nsubjpass") for x in tok.children) and \
            tok.head.head.lemma_.lower() in load_lexicon().reporting_verbs and \
            tok.head.head.i < tok.head.i:
        # "Amnesty said the killings showed disregard and called for an inquiry", "Kurti said
        # the attackers were professionals and accused Serbia": the parse joins the second
        # act to the reported clause; the reporter does both (not when the report comes last:
        # "Putin spoke with both leaders and urged them to ..., the Kremlin said")
        source = resolve(subject(tok.head.head), index, []) or source
    if not source and subj and not passive_subj:
        # "Shelling by the RSF killed 20", "an attack by militants wounded five": the
        # subject is an event noun and its by-phrase names who acted
        source = resolve(pp_objects(subj[0], ("by",)), index, [])
    target = resolve(target_toks, index, source)
    if not target:
        # "offered to hand over to Great Britain": the complement verb's object or phrase
        for x in tok.children:
            if x.dep_ == "xcomp" and x.pos_ in ("VERB", "AUX"):
                t_toks = [t for o in x.children if o.dep_ in ("dobj", "dative")
                          for t in with_conjuncts(o)]
                target = resolve(t_toks + pp_objects(x, _TARGET_PREPS), index, source)
                if target:
                    break
    if not target:
        target = _target_inside(c, index, source)
    if not target and c.type == "PROTEST":
        # "rallied outside the French embassy": a protest at a mission addresses its country
        missions = [o for o in pp_objects(tok, ("outside", "at", "near", "to", "towards",
                                                "before"))
                    if o.lemma_.lower() in _SEATS]
        target = _first_inside(missions[:1], index, source)
    return source, target
