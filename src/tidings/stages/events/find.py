"""The events stage over one Document: triggers, roles, the coding rules, modality, place and
time, then the within-article merge (see the package docstring for the steps)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from collections import Counter
from datetime import date, timedelta
from functools import partial
from collections.abc import Iterable
from typing import Any

from ...model import Actor, Document, Event, EventDate, Span, Time
from .attach import (
    context_location,
    dateline_location,
    event_date,
    event_location,
    event_time,
    placed,
    sentence_place,
)
from ..location import is_site
from .confidence import calibrate, features, lexical_confidence
from .draft import Candidate, Draft
from .merge import merge_duplicates
from ..factuality import probabilities
from .modality import from_marks, marks
from .retype import retype
from .roles import ActorIndex, resolve, roles, sides, subject
from .rules import Active, active, shared_words
from .tree import mark_places
from .triggers import Lexicon, candidates, is_heading, load_lexicon, particle_verb


def event_id(article_id: str, trigger_start: int, type_: str) -> str:
    """Return the stable id of an event mention."""
    return hashlib.sha256(f"{article_id}:{trigger_start}:{type_}".encode()).hexdigest()[:16]


def _confidence(c: Candidate, source: list[Actor], target: list[Actor], modality: str) -> float:
    """The hand score the within-article merge compares; :func:`calibrate` replaces it."""
    return lexical_confidence(c.lexical_score, source, target, modality)


def with_features(e: Event, d: Draft, n_in_sentence: int,
                  p_asserted: float | None) -> Event:
    """``e`` with the confidence calibrator's features of its draft."""
    e.features = features(d.cand, d.sent, d.source, d.target, d.modality, e.type,
                          d.first_type or e.type, n_in_sentence, p_asserted)
    return e


#: an asserted event the text dates wholly this many days or more before the report is
#: background history, not news ("Hafez seized power in 1970", "in 2021"); "in April" in a
#: September report, "last month" and "earlier this year" stay news
BACKGROUND_DAYS = 183

#: words before a time that make it the end of a state, not the day of an act
UNTIL_WORDS = frozenset({"until", "till", "through", "to", "by"})

#: a past perfect the text dates to a day this many days or fewer before the report is the
#: recent past told in sequence ("On Monday, Noboa had imposed a state of emergency" in a
#: Wednesday report): news, not background
RECENT_DAYS = 7

#: an act with no actor named (``Draft.placed_only``) is kept in these modalities, with a place
#: of its own attached (named, resolved by the gazetteer or not): it happened, recently or long
#: ago ("was shot in Tijuana in March 1994" is history, kept as such like an actor's act); one
#: denied, planned or supposed names nobody and nothing that happened, so there is nothing to code
PLACED_MODALITIES = ("asserted", "historical")

#: ... and with no place of its own when it is one of these acts told as done to someone in a
#: main clause (:func:`told_done_to`)
DONE_TO_TYPES = frozenset({"ASSAULT", "COERCE", "PROTEST"})


def told_done_to(d: Draft, lex: Lexicon) -> bool:
    """Whether an act with no actor named is told as done: a passive verb in the past of a
    main, conjoined or reported clause ("he had been beaten while in custody", "Internet
    access has been cut across most of the country", "tear gas was fired to disperse the
    crowd"). Wire copy tells the victim and leaves the doer out; the act happened where the
    story is (the dateline or the story's town places it). Not an event noun's verb, an
    adjectival or relative participle ("the jailed drug lord", "who was barred from
    running"), nor a verb whose passive subject is itself an event ("the assault had been
    repelled": what became of that attack, no act of its own)."""
    c = d.cand
    t = c.trigger
    if d.modality != "asserted" or c.type not in DONE_TO_TYPES or c.noun is not None or \
            t.tag_ not in ("VBD", "VBN") or t.dep_ not in ("ROOT", "conj", "ccomp"):
        return False
    subjects = [k for k in t.children if k.dep_ == "nsubjpass"]
    passive = bool(subjects) or any(k.dep_ == "auxpass" for k in t.children)
    return passive and not any(k.lemma_.lower() in lex.nouns or k.lower_ in lex.nouns
                               for k in subjects)


def _long_before(d: EventDate, published: date) -> bool:
    """Whether the text dates an event to a period that ended long before the report, or
    only to a year before the report's ("violence killed more than 8,000 people last year",
    "a coup in 2023" in a January report): a tally or a reminder, not the news (the tuning
    sets have 22 such background statements and no gold event dated so)."""
    if d.basis != "text":
        return False
    end = date.fromisoformat(d.end)
    return end <= published - timedelta(days=BACKGROUND_DAYS) or (
        d.granularity == "year" and end.year < published.year)


def _dated_modality(d: Draft, date_: EventDate, document: Document) -> str:
    """The draft's modality once its date is known: an act not told in the past tense and
    dated after the report is future (a past-tense act dated after it was dated wrongly: "was
    shot on Jan. 19", "captured eight months later"), one long before it history, a past
    perfect of the last days news again."""
    if d.modality == "asserted" and d.cand.trigger.tag_ not in ("VBD", "VBN") and \
            _after_report(date_, d.time, document):
        return "future"  # "would not negotiate ... on December 12": not done yet
    if d.modality == "asserted" and _long_before(date_, document.published):
        return "historical"  # "In 2019, Indian jets struck Balakot": background
    if d.modality == "historical" and d.marks is not None and d.marks.pluperfect and \
            _recent(date_, document.published):
        return "asserted"
    return d.modality


def _after_report(d: EventDate, time: Time | None, document: Document) -> bool:
    """Whether the text dates an act wholly after the report: it has not happened yet. A time
    that bounds a state ("remanded him in custody until December 2", "shelved the talks until
    2028") says when it ends, not when the act was done."""
    if d.basis != "text" or time is None or d.start <= document.published.isoformat():
        return False
    before = document.text[max(0, time.start - 12):time.start].lower().split()
    return not (before and before[-1] in UNTIL_WORDS)


def _recent(d: EventDate, published: date) -> bool:
    """Whether the text dates an event to one day in the week before the report."""
    if d.basis != "text" or d.granularity != "day":
        return False
    return timedelta(0) <= published - date.fromisoformat(d.start) <= timedelta(days=RECENT_DAYS)


def _drafts(doc: Any, lex: Lexicon, index: ActorIndex, on: Active,
            dropped: list[Candidate] | None = None) -> list[Draft]:
    """Every candidate of the article with its roles, but those a ``mention`` rule drops
    (added to ``dropped`` when given)."""
    out: list[Draft] = []
    for sent in doc.sents:
        if is_heading(sent):
            continue
        cands = candidates(sent, lex, on)
        for c in cands:
            # "clashes broke out between the army and the rebels": the verb that says the
            # noun's event happened carries it, the noun's own phrases name who took part
            told = replace(c, trigger=c.noun) if c.happened else c
            source, target = roles(told, index)
            d = Draft(c, sent, source, target, first_type=c.type,
                      reciprocal=bool(source) and not target and source == sides(told, index))
            if not any(r(d, cands) for r in on["mention"]):
                out.append(d)
            elif dropped is not None:
                dropped.append(c)
    return out


#: how a word telling the same act hangs on another in one clause: a participle adjunct
#: ("hit a trolleybus, killing 8 people") or a conjunct ("shot and killed")
_SAME_ACT_DEPS = ("advcl", "conj")


def same_act_mentions(events: list[Event], dropped: list[Candidate]) -> None:
    """Add to an event, as mentions, the dropped candidates of its type that tell its act in
    its clause: a participle adjunct or a conjunct of its trigger, or the verb its trigger
    hangs on that way ("detonated his explosives ..., killing and wounding several people":
    the killing and the wounding are the bombing's). They were dropped as events of their own
    (no actor of their own, a background clause) so that one act is counted once; as
    mentions they keep their evidence, and an evaluation that asks for the event at "killing"
    finds it."""
    at = {e.trigger.start: e for e in events}
    for c in sorted(dropped, key=lambda c: c.trigger.i):
        t = c.trigger
        near = [t.head] if t.dep_ in _SAME_ACT_DEPS else []
        near += [k for k in t.children if k.dep_ in _SAME_ACT_DEPS]
        e = next((x for k in near if (x := at.get(k.idx)) is not None and x.type == c.type),
                 None)
        if e is None or t.idx in at:
            continue
        e.mentions.append(Span(t.idx, t.idx + len(t.text), t.text))
        at[t.idx] = e  # "killing and wounding": the conjunct of a mention tells the act too


def carrier_mentions(events: list[Event], doc: Any, verbs: frozenset[str]) -> None:
    """Add to an event, as a mention, the verb that carries it when that verb is no event of
    its own: "renewed their offensive in the West Ghouta", "began attacking government
    positions", "launched an attack on Kungana". The verb launching, continuing or resuming
    the act tells the act (its phrases place and date it), so its evidence stays with the
    event, and an evaluation that asks for the event at "launched" finds it."""
    at = {e.trigger.start for e in events} | {m.start for e in events for m in e.mentions}
    for e in events:
        span = doc.char_span(e.trigger.start, e.trigger.end, alignment_mode="expand")
        if span is None:
            continue
        t = span.root
        h = t.head
        if t.dep_ not in ("dobj", "xcomp") or h.i == t.i or h.pos_ not in ("VERB", "AUX") or \
                h.idx in at or (h.lemma_.lower() not in verbs and particle_verb(h) not in verbs):
            continue
        e.mentions.append(Span(h.idx, h.idx + len(h.text), h.text))
        at.add(h.idx)


def _event(document: Document, d: Draft, lex: Lexicon, index: ActorIndex,
           on: Active, n_in_sentence: int = 1) -> Event | None:
    """The Event of a draft: its time, modality, type rules, date, place and actor rules;
    None when a ``generic`` rule finds it is background."""
    c, sent = d.cand, d.sent
    d.time = event_time(c, sent, document.times, document.published)
    if any(r(d) for r in on["generic"]):
        return None
    d.marks, reporter = marks(c, lex, sent.text)
    d.modality = from_marks(d.marks)
    p = probabilities(c.trigger)
    for r in on["modality"]:
        r(d)
    for r in on["type"]:
        r(d)
    date_, d.time = event_date(d.time, document.published, d.modality)
    d.modality = _dated_modality(d, date_, document)
    reported_by = resolve(subject(reporter), index, []) if reporter is not None else []
    location = event_location(c, document.places, document.actors)
    if d.placed_only and (location is None and not told_done_to(d, lex)
                          or d.modality not in PLACED_MODALITIES):
        return None  # an act with no actor and no place of its own, or not done: nothing to code
    d.sentence_place = sentence_place(sent, document.places)
    d.location = placed(location, d.sentence_place)  # what the coding rules read
    for r in on["actors"]:
        r(d)
    if d.reciprocal:
        d.target = []  # every side is a source; the rules above may have filled one
    basis = "text" if location is not None else None
    if location is not None and location.kind == "country" and c.type in _MATERIAL:
        # "struck military targets in Iran": the town of that country the story names most;
        # a statement's country is often its topic, not where it was made
        town = context_location(document, sent, (*d.source, *d.target))
        if town is not None and town.country == location.country:
            location, basis = town, "context"
    if location is not None and location.lat is None and c.type in _MATERIAL and \
            is_site(document.doc, location):
        # "stormed the Pademba Road central prison": a site the gazetteer cannot place and
        # no phrase puts in a town is in the town the story is about (ACLED codes the
        # populated place); the mention keeps its words
        town = context_location(document, sent, (*d.source, *d.target))
        if town is not None and location.country in (None, town.country):
            location = replace(town, text=location.text, start=location.start,
                               end=location.end)
    if location is None:
        # the place the story was filed from: a fallback, not evidence for coding actors
        location = dateline_location(document)
        basis = "dateline" if location is not None else None
    if location is None:
        # no dateline either: where the article's story is (its most named town)
        location = context_location(document, sent, (*d.source, *d.target))
        basis = "context" if location is not None else None
    if location is None and d.placed_only:
        return None  # told as done, but nowhere the story places it
    trig = c.trigger
    e = Event(
        id=event_id(document.id, trig.idx, c.type),
        type=c.type,
        mode=c.mode,
        confidence=_confidence(c, d.source, d.target, d.modality),
        modality=d.modality,
        trigger=Span(trig.idx, trig.idx + len(trig.text), trig.text),
        sentence=Span(sent.start_char, sent.start_char + len(sent.text.rstrip())),
        source=d.source,
        target=d.target,
        location=location,
        location_basis=basis,
        time=d.time,
        date=date_,
        reported_by=reported_by,
    )
    return with_features(e, d, n_in_sentence, p["asserted"] if p else None)


def find_events(document: Document, without: Iterable[str] | None = None) -> list[Event]:
    """Return the events of a document whose times, places and actors are already found.

    ``without`` names coding rules to switch off (``tidings rules`` lists them); None keeps
    those :func:`~.rules.rules_off` switched off around the call (none by default)."""
    on = active(without)
    lex = load_lexicon()
    mark_places(document.doc, document.places)
    index = ActorIndex(document.actors, document.doc)
    dropped: list[Candidate] = []
    drafts = _drafts(document.doc, lex, index, on, dropped)
    retype(drafts)
    for r in on["pending"]:
        drafts = r(drafts)
    per_sentence = Counter(d.sent.start for d in drafts)
    events = []
    for d in drafts:
        e = _event(document, d, lex, index, on, per_sentence[d.sent.start])
        if e is None:
            dropped.append(d.cand)
        else:
            events.append(e)
    same_act_mentions(events, dropped)
    carrier_mentions(events, document.doc, shared_words()["carrier_verbs"])
    kept = merge_duplicates(events, on["merge"])
    for r in on["article"]:
        r(kept, document.doc, index)
    # The article rules fill targets and dates ("JNIM fighters stormed the town" in the lead
    # is aimed at the country in focus like "JNIM attacked Djibo" in the body): mentions they
    # made alike are one event, unless they happened in two different places.
    again = next((m for m in on["merge"] if m.name == "merge-mentions"), None)
    if again is not None:
        kept = merge_duplicates(kept, [partial(_same_place_twin, again)])
    for r in on["settled"]:  # fields that must not make mentions alike for the merge
        r(kept, document.doc, index)
    calibrate(kept)
    return kept


#: acts (not statements) that happen once a day in one place for one dyad (as ACLED codes
#: them): a speaker's two warnings of a day are two events
_MATERIAL = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "SANCTION", "RETREAT", "AID",
                       "COOPERATE"})


def _same_place_twin(matcher: Any, kept: list[Event], e: Event) -> tuple[Event, Event] | None:
    """``matcher``'s twin of an act ``e`` when the article rules made them alike (one of them
    is aimed at the country in focus) and they are not placed in two different places."""
    pair = matcher(kept, e)
    if pair is None or e.type not in _MATERIAL or not any(
            t.country_basis == "focus" for x in pair for t in x.target):
        return None  # told apart before the article rules, or statements: they stay apart
    a, b = pair[0].location, pair[1].location
    if a is None or b is None or a.name == b.name or (
            a.country == b.country and "country" in (a.kind, b.kind)):
        return pair
    return None
