"""Place and time attached by the parse: the trigger's clause first, then the sentence.

An event with no temporal expression of its own is dated by the report (``basis="published"``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from ...model import Actor, Document, EventDate, Place, Time
from ..actors import known_person
from .draft import Candidate
from .modality import CONFLICT_NOUNS
from .rules import shared_words
from .tree import ancestors
from .triggers import load_lexicon

#: dependency labels of clauses and of noun arguments (a time reached through one of them
#: dates something else)
_CLAUSAL = {"ccomp", "xcomp", "advcl", "relcl", "acl", "parataxis", "csubj"}
_NOMINAL = {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "npadvmod_noun"}
#: prepositions that put an event noun around the verb's own act ("killed ten in an attack on
#: the town on Saturday": the attack's time is the killing's); "after", "following" and
#: "since" name another act, whose time is not this one's
_FRAMING = {"in", "during"}
#: occasions a statement is made at, which carry its day: "In a radio address on Friday night,
#: Bashir accused ...", "said at a news conference on Monday"
_OCCASIONS = {"address", "appearance", "briefing", "broadcast", "communique", "conference",
              "interview", "message", "speech", "statement"}
#: nouns that are themselves times: "at dawn on Sunday", "in the early hours of Saturday"
_PARTS_OF_DAY = {"dawn", "daybreak", "dusk", "nightfall", "night", "morning", "afternoon",
                 "evening", "midnight", "noon", "midday", "hour", "sunrise", "sunset"}


@lru_cache(maxsize=1)
def _person_words() -> frozenset[str]:
    """Words that make an actor's name a person's: heads ("minister") and titles ("colonel")."""
    w = shared_words()
    return frozenset(w["person_heads"] | w["person_titles"])


def event_location(c: Candidate, places: list[Place],
                   actors: Iterable[Actor] = ()) -> Place | None:
    """The place of a candidate: the learned ranker's choice among its sentence's places,
    skipping an unresolved name that is a person or organisation the actors stage knows
    (a knowledge-base entry that is no country) or that an apposition gives a role, and any
    place but a country over a person the knowledge base knows."""
    from ..location import attached_place

    titles = _person_words()
    # a knowledge-base entry that is no country, or a person named with a title ("former
    # prime minister Moussa Mara", "Colonel Al-Sheikh"): who was arrested or shot, not where
    known = [(a.start, a.end) for a in actors if a.kb_id and a.kb_id != a.country or any(
        w in titles for w in a.text.lower().split())]
    known += _named_by_role(c.trigger.doc, places, titles)
    # a person the knowledge base knows is no place either where the gazetteer has a town of
    # that name ("students demonstrated against Bush in Ghent": not Būsh in Egypt)
    people = [(a.start, a.end) for a in actors if known_person(a)]
    places = [p for p in places if p.kind == "country" or not any(
        s < p.end and p.start < e for s, e in people)]
    return attached_place(c.trigger, places, c.noun, not_places=known)


def _named_by_role(doc: Any, places: list[Place], roles: frozenset[str]
                   ) -> list[tuple[int, int]]:
    """Spans of unresolved places that an apposition names as a person ("captured Abu
    Zubaydah, al-Qaida's top coordinator, in Pakistan": who, not where)."""
    out = []
    for p in places:
        span = doc.char_span(p.start, p.end, alignment_mode="expand") if p.lat is None else None
        if span is not None and any(
                t.dep_ == "appos" and span.start <= t.head.i < span.end and
                t.lemma_.lower() in roles for t in doc[span.end:span.end + 8]):
            out.append((p.start, p.end))
    return out


def dateline_location(document: Document) -> Place | None:
    """The place the story was filed from (its dateline's), for events with no place of
    their own."""
    from ..location import dateline_place

    return dateline_place(document.places, document.text)


#: place kinds that locate an event in an article's context: towns and divisions, not a whole
#: country, region or natural feature (these say too little to stand for where it happened)
_CONTEXT_KINDS = frozenset({"city", "admin1", "admin2", "admin3"})


def context_location(document: Document, sent: Any, actors: Iterable[Actor]) -> Place | None:
    """The article's focus place, for an event its own sentence does not place.

    Wire reports name the scene once ("attacked a gendarmerie school in Bamako") and then tell
    what followed ("security forces arrested 20 suspects") without it; a coder places those
    where the story is. The story's country is the one its places name most; when the event's
    actors have countries it must be one of them. The place is the town or division of that
    country the article names most (the first of equals), outside the event's own sentence,
    whose places the ranker has already judged. None when there is no such place."""
    named = Counter(p.country for p in document.places
                    if p.lat is not None and p.usage == "literal" and p.country)
    if not named:
        return None
    focus = max(named, key=lambda c: named[c])
    if any(a.country for a in actors) and focus not in {a.country for a in actors}:
        return None
    lo, hi = sent.start_char, sent.end_char
    pool = [p for p in document.places
            if p.lat is not None and p.usage == "literal" and p.kind in _CONTEXT_KINDS
            and p.country == focus and not lo <= p.start < hi]
    if not pool:
        return None
    key = [p.geonameid if p.geonameid is not None else p.name for p in pool]
    counts = Counter(key)
    return pool[key.index(max(counts, key=lambda k: counts[k]))]


def placed(place: Place | None, in_sentence: Place | None = None) -> Place | None:
    """The place as evidence for coding actors: an unresolved name's country is the article's
    guess, good for filtering events but not for coding, so it is left out here, unless its
    own sentence names a known place of that country ("the village of Tassia in western
    Niger")."""
    if place is None or place.lat is not None or place.country is None:
        return place
    if in_sentence is not None and in_sentence.country == place.country:
        return place
    return replace(place, country=None, admin1=None)


def sentence_place(sent: Any, places: list[Place]) -> Place | None:
    """The first place the sentence names in a country (literal use), or None. A name that
    modifies a noun ("US troops", "Niger's junta") says whose, not where."""
    lo, hi = sent.start_char, sent.end_char
    heads = {t.idx: t for t in sent}
    for p in places:
        if lo <= p.start < hi and p.country and p.usage == "literal" and p.lat is not None:
            tok = heads.get(p.start)
            if tok is not None:
                last = tok
                while last.i + 1 < sent.end and last.idx + len(last.text) < p.end:
                    last = last.doc[last.i + 1]
                if last.dep_ in ("compound", "amod", "poss", "nmod"):
                    continue
            return p
    return None


def _framing(tok: Any, on_path: dict[int, int]) -> bool:
    """Whether ``tok`` is an event noun framing the trigger's own act: the object of an
    ``in``/``during`` phrase of the trigger itself ("in an attack", "during
    clashes"), so a time inside it dates the trigger too."""
    prep = tok.head
    if tok.dep_ != "pobj" or tok.pos_ != "NOUN" or on_path.get(prep.head.i) != 0:
        return False
    nouns = load_lexicon().nouns
    lemma = tok.lemma_.lower()
    if lemma in _OCCASIONS and prep.lower_ in ("at", "in", "during"):
        return True  # "in a televised address on Monday, Yeltsin accused ..."
    return prep.lower_ in _FRAMING and (lemma in nouns or tok.lower_ in nouns
                                        or lemma in CONFLICT_NOUNS)  # "in the 2010 civil war"


def _when_clause(tok: Any) -> bool:
    """Whether ``tok`` heads an adverbial clause that tells the moment of its head's act:
    "when" or "as" ("was killed when gunmen ambushed a police patrol on Sunday")."""
    return tok.dep_ == "advcl" and any((k.dep_ == "advmod" and k.lower_ == "when")
                                       or (k.dep_ == "mark" and k.lower_ in ("when", "as"))
                                       for k in tok.children)


def _time_score(trigger: Any, anchor: Any, noun: Any = None) -> tuple[int, int] | None:
    """Score how directly a temporal expression (its head token ``anchor``) dates a trigger.

    Returns (crossings on the time's side, crossings on the trigger's side) up to their lowest
    common ancestor, or None when they are in different sentences. A time that reaches the
    common ancestor through another clause ("said ... that troops would complete it by
    September") or through a noun argument ("the ouster following a coup last year") dates
    something else.
    """
    up_trigger = ancestors(trigger)
    on_path = {t.i: n for n, t in enumerate(up_trigger)}
    cur, time_cross = anchor, 0
    while cur.i not in on_path:
        # "was killed when gunmen ambushed a patrol on Sunday": the same moment, no crossing
        same_moment = _when_clause(cur) and cur.head.i in on_path
        if not same_moment and (cur.dep_ in _CLAUSAL or
                                (cur.dep_ == "conj" and cur.pos_ in ("VERB", "AUX"))):
            time_cross += 1
        elif cur.dep_ in _NOMINAL and cur.i != anchor.i and cur.pos_ in ("NOUN", "PROPN") \
                and (noun is None or cur.i != noun.i) and not _framing(cur, on_path) \
                and cur.lemma_.lower() not in _PARTS_OF_DAY:
            time_cross += 1  # the time modifies a noun inside an argument
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    lca = on_path[cur.i]
    trig_cross = sum(1 for t in up_trigger[:lca] if t.dep_ in _CLAUSAL)
    return time_cross, trig_cross


#: a weekday named in a time: "on Sunday", "Sunday evening"
_WEEKDAY_RE = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def _only_weekday(trigger: Any, sent: Any, inside: list[Time],
                  published: date | None) -> Time | None:
    """The sentence's one time (``inside``: its dates and times), when it names a weekday and
    the trigger has no time of its own.

    Wire copy tells one day per sentence: "rejected Jakarta's demand that they accept autonomy
    at talks in Tokyo on Sunday", "declared the ambassador persona non grata on Thursday",
    "in an address on Sunday evening, blamed Kurti" are all of that day, though the parse hangs
    the day on a clause or noun the trigger does not govern. Not a day another act owns: one
    in a conjoined or relative clause ("imposed a curfew ..., and eased it on Monday", "lifted
    a curfew it had imposed on Monday"), one in a clause of another moment ("after protesters
    attacked a police station on Monday") or a possessive ("Tuesday's attacks"), nor for an
    act the pluperfect puts before it."""
    if any(t.dep_ == "aux" and t.lower_ == "had" for t in trigger.children):
        return None  # "said on Monday that troops had killed 20 rebels": an earlier act
    if len(inside) != 1 or not _WEEKDAY_RE.search(inside[0].text) or \
            published is not None and inside[0].value[:10] > published.isoformat():
        return None  # a day after the report is what another clause plans
    span = sent.doc.char_span(inside[0].start, inside[0].end, alignment_mode="expand")
    if span is None:
        return None
    anchor = span.root
    if anchor.dep_ == "poss" or any(t.dep_ == "case" for t in anchor.children):
        return None
    on_path = {t.i for t in ancestors(trigger)}
    cur = anchor
    while cur.i not in on_path:
        if cur.pos_ in ("VERB", "AUX") and (cur.dep_ in ("conj", "relcl") or any(
                t.dep_ in ("mark", "prep") and t.lower_ in _OTHER_MOMENT for t in cur.children)) \
                or cur.head.i == cur.i:
            return None
        cur = cur.head
    return inside[0]


#: subordinators of a clause that tells another moment than its head's act
_OTHER_MOMENT = frozenset({"after", "before", "since", "until", "following"})


def _on_argument(trigger: Any, anchor: Any) -> bool:
    """Whether a time reaches the trigger through nouns only (its object or a phrase on it:
    "condemned the attack on Sunday"), not through another clause ("released ... and met in
    Lome on Tuesday")."""
    on_path = {t.i for t in ancestors(trigger)}
    cur = anchor
    while cur.i not in on_path:
        if cur.dep_ in _CLAUSAL or cur.pos_ in ("VERB", "AUX"):
            return False
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return True


#: dependency labels a time may climb through inside the subject noun phrase it closes
_IN_PHRASE = {"prep", "pobj", "npadvmod", "compound", "nummod", "amod", "det", "nmod"}


def _closes_subject(trigger: Any, span: Any) -> bool:
    """Whether a time ends the trigger's subject right before it: "The two presidents on
    Friday signed the plan", "Armenian security forces on Wednesday detained ...". The parser
    hangs the phrase on the subject noun, but a noun phrase is not dated by a weekday between
    it and its verb: the verb is. Only adverbs, auxiliaries and commas may stand between."""
    cur = span.root
    while cur.head.i != trigger.i:
        if cur.dep_ not in _IN_PHRASE or cur.head.i == cur.i:
            return False
        cur = cur.head
    if cur.dep_ not in ("nsubj", "nsubjpass") or not span.end <= trigger.i:
        return False
    return all(t.pos_ in ("ADV", "AUX", "PART") or t.text == ","
               for t in trigger.doc[span.end:trigger.i])


def _past_year(t: Time, published: date | None) -> bool:
    """Whether a time is a year (or a decade) before the report's year: "the 2010 election",
    "between 2018 and 2021", "the 1980s"."""
    if published is None:
        return False
    from ..times import value_range

    rng = value_range(t.value, t.mod)
    return rng is not None and rng[2] in ("year", "decade", "century") and \
        rng[1].year < published.year


def event_time(c: Candidate, sent: Any, times: list[Time],
               published: date | None = None) -> Time | None:
    """Return the temporal expression that dates a candidate: the one attached to it by the
    parse (its clause or a governing verb, or one closing its subject right before it), else
    a weekday named after it on one of its arguments ("condemned the attack on Sunday"), else
    a year before the report's on one of its arguments ("rejected independence in three
    referendums between 2018 and 2021", "ended the 1992-95 war": the act is of that time, not
    of the report's day), else the sentence's only time when it is a weekday that no other
    act of the sentence owns (:func:`_only_weekday`), else None (the report's date is used)."""
    doc = sent.doc
    best: tuple[tuple[int, int, int], Time] | None = None
    inside = [t for t in times if t.type in ("DATE", "TIME")
              and sent.start_char <= t.start < sent.end_char]
    for t in inside:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            continue
        score = _time_score(c.trigger, span.root, c.noun)
        if score is None:
            continue
        second = 0
        if score[0] >= 1 and _closes_subject(c.trigger, span):
            score = (0, score[1])
        if score[0] > 0:
            # "condemned the attack on Sunday": a weekday after the trigger on its argument
            # dates the trigger when nothing else does (wire copy puts the day last), also
            # behind an of-phrase ("burned the residence of a senior army commander on
            # Tuesday night": the parser hangs the day on the last noun)
            if score[0] <= 2 and t.start > c.trigger.idx and _WEEKDAY_RE.search(t.text) \
                    and _on_argument(c.trigger, span.root):
                second = 1
            elif _past_year(t, published) and _on_argument(c.trigger, span.root):
                second = 2  # a past year in its noun arguments, through no other clause
            else:
                continue
        key = (second, score[1], abs(t.start - c.trigger.idx))
        if best is None or key < best[0]:
            best = (key, t)
    return best[1] if best else _only_weekday(c.trigger, sent, inside, published)


def event_date(time: Time | None, published: date, modality: str = "asserted",
               ) -> tuple[EventDate, Time | None]:
    """The event's date range from its time, else the report's date (``basis="published"``)."""
    if time is not None:
        from ..times import value_range

        mod = time.mod
        if time.granularity == "year" and mod in ("START", "END"):
            mod = None  # "earlier this year" is any time this year before the report
        rng = value_range(time.value, mod)
        if rng is not None:
            start, end, gran = rng
            if modality in ("asserted", "negated", "historical") and start > published and \
                    "-W" in time.value and (end - start).days < 7:
                # "attacked ... this weekend" in a Monday report: the weekend just past
                start, end = start - timedelta(days=7), end - timedelta(days=7)
            if modality in ("asserted", "negated", "historical") and end > published >= start:
                end = published  # what happened was reported: it ended by the report's date
            return EventDate(start.isoformat(), end.isoformat(), gran, "text"), time
    iso = published.isoformat()
    return EventDate(iso, iso, "day", "published"), None
