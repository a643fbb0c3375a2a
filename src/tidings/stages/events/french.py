"""Events in French text: French triggers, roles and modality, English coding conventions.

What is French here: the trigger lexicon (``data/fr/triggers.json``: verbs and event nouns
for the 16 PLOVER types, light verbs, object rules, irregular forms), how roles are read, and
modality ("ne ... pas", "n'a pas", "ni"; "va" + infinitive, futur simple, "devrait"; "pourrait",
"si"; reported speech with "selon" and "a affirmé"). What is shared with English, imported
from the events stage: PLOVER's rules for intentions and refusals, the coding conventions for
unnamed sources and targets (decision 11), event dates, ids, confidence and the merging of
mentions, so French and English articles give the same records.

Roles: the small French model's parse is often wrong on news syntax (it may tag "a expulsé"
an adverb), so roles are read in word order within the trigger's clause, which French news
keeps close to subject-verb-object: the source is the nearest actor before the trigger (not in
a "selon" phrase, not a place after "à"/"près de"), the target the first actor after it;
a passive ("ont été tués par") swaps them. The parse still gives the tense and the noun
objects of light verbs when it has them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ...gazetteer import DATA_DIR
from ...model import Actor, Document, Event, Place, Span, Time
from .attach import event_date
from .draft import Candidate as _Candidate
from .draft import Draft
from .confidence import calibrate
from .find import _confidence, event_id, with_features
from .merge import merge_duplicates
from .rules import RULES, Active, active

__all__ = ["find_events_fr", "load_lexicon_fr"]

#: prepositions that put an actor-like name in a place role ("à Niamey", "près de Gao")
_LOCATIVE = {"à", "près", "dans", "vers", "depuis", "en", "sur", "proche", "autour", "chez"}
#: types whose "au/aux" phrase is a recipient, not a place ("livré ... au Niger")
_RECIPIENT_TYPES = {"AID", "SUPPORT", "COOPERATE", "RETREAT", "CONCEDE", "SANCTION", "AGREE",
                    "REQUEST", "ACCUSE", "THREATEN", "REJECT"}
_NE = {"ne", "n'", "n’"}
_ALLER = {"va", "vont", "allait", "allaient", "ira", "iront", "vais", "allons", "allez"}
_DEVOIR = {"devrait", "devraient", "doit", "doivent", "devra", "devront", "devait", "devaient"}
_POUVOIR = {"pourrait", "pourraient", "peut", "peuvent", "pourra", "pourront", "pouvait"}
#: clitics and adverbs between an auxiliary and its verb ("ne se sont pas encore", "y a")
#: forms of avoir and être the small model sometimes tags as main verbs ("n'a pas expulsé")
_AUX_FORMS = {"a", "ont", "avait", "avaient", "aura", "auront", "aurait", "auraient", "est",
              "sont", "était", "étaient", "sera", "seront", "serait", "seraient", "eu", "été"}
_SKIP = {"ne", "n'", "n’", "pas", "plus", "jamais", "se", "s'", "s’", "y", "en", "le", "la",
         "les", "l'", "l’", "lui", "leur", "encore", "déjà", "toujours", "également", "aussi",
         "finalement", "notamment", "ainsi", "bien", "donc", "alors", "enfin", "tout", "été"}
#: acts that coordinated subjects do with each other ("ont conclu un accord", "se sont rencontrés")
_RECIPROCAL = {"CONSULT", "AGREE", "COOPERATE", "SUPPORT"}


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower().replace("’", "'")


@dataclass(frozen=True)
class LexiconFr:
    verbs: dict[str, tuple[str, str | None]]
    nouns: dict[str, tuple[str, str | None]]
    light_verbs: frozenset[str]
    sign_verbs: frozenset[str]
    object_rules: tuple[tuple[frozenset[str], frozenset[str], str, str | None], ...]
    forms: dict[str, str]
    reporting: frozenset[str]
    future_governors: frozenset[str]
    hypothetical_governors: frozenset[str]
    negation: frozenset[str]


@lru_cache(maxsize=1)
def load_lexicon_fr() -> LexiconFr:
    """Load (once) the French trigger lexicon."""
    raw = json.loads((DATA_DIR / "fr" / "triggers.json").read_text("utf-8"))
    return LexiconFr(
        verbs={_fold(k): (v[0], v[1]) for k, v in raw["verbs"].items()},
        nouns={_fold(k): (v[0], v[1]) for k, v in raw["nouns"].items()},
        light_verbs=frozenset(_fold(v) for v in raw["light_verbs"]),
        sign_verbs=frozenset(_fold(v) for v in raw["sign_verbs"]),
        object_rules=tuple((frozenset(_fold(v) for v in r["verbs"]),
                            frozenset(_fold(o) for o in r["objects"]), r["type"], r["mode"])
                           for r in raw["object_rules"]),
        forms={_fold(k): _fold(v) for k, v in raw["forms"].items()},
        reporting=frozenset(_fold(v) for v in raw["reporting_verbs"]),
        future_governors=frozenset(_fold(v) for v in raw["future_governors"]),
        hypothetical_governors=frozenset(_fold(v) for v in raw["hypothetical_governors"]),
        negation=frozenset(raw["negation_particles"]),
    )


# ---------------------------------------------------------------- lemmas

_ER_ENDINGS = ("ées", "és", "ée", "é", "ent", "e", "es", "ait", "aient", "era", "eront", "erait",
               "eraient", "a", "èrent", "ant", "er", "ons", "ez")
_IR_ENDINGS = ("ies", "is", "ie", "i", "it", "issent", "ira", "iront", "irait", "iraient",
               "issant", "ir", "issait", "issaient")


def _lemma(tok: Any, lex: LexiconFr) -> str:
    """The verb lemma of a token, from the model when it knows it, else from its form
    ("expulsé" tagged as an adverb is still "expulser")."""
    lemma = _fold(tok.lemma_)
    if lemma in lex.verbs or lemma in lex.light_verbs or lemma in lex.reporting:
        return lemma
    form = _fold(tok.text)
    if form in lex.forms:
        return lex.forms[form]
    for end in _ER_ENDINGS:
        if form.endswith(end) and len(form) - len(end) >= 3:
            cand = form[: -len(end)] + "er"
            if cand in lex.verbs or cand in lex.light_verbs or cand in lex.reporting:
                return cand
    for end in _IR_ENDINGS:
        if form.endswith(end) and len(form) - len(end) >= 3:
            cand = form[: -len(end)] + "ir"
            if cand in lex.verbs or cand in lex.light_verbs:
                return cand
    return lemma


def _reflexive(tok: Any) -> bool:
    doc = tok.doc
    for k in range(tok.i - 1, max(-1, tok.i - 4), -1):
        w = doc[k].lower_
        if w in ("se", "s'", "s’"):
            return True
        if w not in _SKIP and doc[k].pos_ != "AUX":
            break
    return False


# ---------------------------------------------------------------- triggers

def _noun_after(tok: Any, sent_end: int) -> Any:
    """The event noun of the object of a light verb ("a mené mercredi des frappes", "ont
    conclu mardi à Luanda un accord"): the parse's object when it is an event noun, else the
    first event noun in the next words (times and places may come first)."""
    nouns = load_lexicon_fr().nouns
    for c in tok.children:
        if c.dep_ in ("obj", "nsubj:pass") and c.i > tok.i and (
                _fold(c.lower_) in nouns or _fold(c.lemma_) in nouns):
            return c
    doc = tok.doc
    for k in range(tok.i + 1, min(sent_end, tok.i + 10)):
        t = doc[k]
        if t.pos_ in ("VERB",) and k > tok.i + 1 or t.text in (",", ";", ":", "."):
            return None
        if t.pos_ not in ("VERB", "AUX", "ADP", "DET") and (
                _fold(t.lower_) in nouns or _fold(t.lemma_) in nouns):
            return t
    return None


def _objects(tok: Any, sent_end: int) -> set[str]:
    """Lower-case nouns of the object right after a verb (for object rules)."""
    out: set[str] = set()
    doc = tok.doc
    for c in tok.children:
        if c.dep_ in ("obj", "nsubj:pass", "obl:arg"):
            out.add(_fold(c.lower_))
            out.add(_fold(c.lemma_))
    for k in range(tok.i + 1, min(sent_end, tok.i + 6)):
        t = doc[k]
        if t.is_punct or t.pos_ == "VERB" and k > tok.i + 1:
            break
        if t.pos_ in ("NOUN", "PROPN", "ADJ") or t.lower_ in ("gaz", "feu"):
            out.add(_fold(t.lower_))
            if k + 1 < sent_end:
                out.add(_fold(f"{t.lower_} {doc[k + 1].lower_}"))
    return out


def _attributive(tok: Any) -> bool:
    """A participle describing a noun ("les diplomates accusés d'espionnage", "les sanctions
    imposées au Niger", "détenus depuis juin"): background, not a new event."""
    if tok.dep_ not in ("acl", "amod") or "Part" not in tok.morph.get("VerbForm"):
        return False
    if tok.morph.get("Tense") == ["Pres"]:
        return False  # "tuant au moins douze soldats": the gerund goes on telling the event
    return not any(c.dep_.startswith("aux") for c in tok.children)


def _candidates(sent: Any, lex: LexiconFr) -> list[_Candidate]:  # noqa: C901 (a flat case analysis, kept whole for now)
    out: list[_Candidate] = []
    consumed: set[int] = set()
    end = sent.end
    for tok in sent:
        if tok.pos_ in ("DET", "ADP", "PUNCT", "PRON", "CCONJ", "SCONJ", "NUM", "SPACE"):
            continue
        if tok.pos_ in ("NOUN", "PROPN") and _fold(tok.lemma_) not in lex.verbs and \
                _fold(tok.text) not in lex.forms and not tok.text.lower().endswith(("é", "ée")):
            continue
        lemma = _lemma(tok, lex)
        if _attributive(tok):
            continue
        objects = _objects(tok, end)
        ruled = next(((t, m) for verbs, nouns, t, m in lex.object_rules
                      if lemma in verbs and objects & nouns), None)
        if ruled is None and lemma in lex.light_verbs:
            noun = _noun_after(tok, end)
            key = lex.nouns.get(_fold(noun.lower_)) or lex.nouns.get(_fold(noun.lemma_)) \
                if noun is not None else None
            if key is not None and key[0] == "AGREE" and lemma in lex.sign_verbs:
                key = ("SUPPORT", None)  # PLOVER: signing an agreement is SUPPORT
            if key is not None and noun is not None:
                out.append(_Candidate(tok, key[0], key[1], noun=noun, lexical_score=0.8))
                consumed.add(noun.i)
                continue
        key = lex.verbs.get(lemma)
        if _reflexive(tok) and f"s'{lemma}" in lex.verbs:
            key = lex.verbs[f"s'{lemma}"]
        if ruled is not None:
            key = ruled  # "a levé les sanctions", "a tiré des gaz lacrymogènes"
        if lemma == "condamner" and re.match(r"\s*(?:à|a)\s+(?:mort|\d|la\s+prison|perp)",
                                             tok.doc.text[tok.idx + len(tok.text):
                                                          tok.idx + len(tok.text) + 20]):
            key = ("SANCTION", "convict")  # "condamné à dix ans de prison"
        if lemma in ("retirer", "quitter") and not objects and not _reflexive(tok):
            key = key if lemma == "quitter" else None
        if key is not None:
            out.append(_Candidate(tok, key[0], key[1], lexical_score=0.75))
    verbs = {c.trigger.i for c in out}
    # "a menacé de fermer", "a refusé de libérer": the governing verb is the event
    out = [c for c in out if not (c.trigger.dep_ in ("xcomp", "ccomp") and
                                  c.trigger.head.i in verbs and c.noun is None)]
    for tok in sent:
        if tok.pos_ not in ("NOUN", "PROPN") or tok.i in consumed:
            continue
        key = lex.nouns.get(_fold(tok.lower_)) or lex.nouns.get(_fold(tok.lemma_))
        if key is None:
            continue
        if tok.head.i in verbs and tok.dep_ in ("obj", "nsubj:pass"):
            continue  # "a levé les sanctions": the verb carries the event
        out.append(_Candidate(tok, key[0], key[1], noun=tok, lexical_score=0.6))
    return out


# ---------------------------------------------------------------- roles

def _clause_bounds(sent: Any, tok: Any) -> tuple[int, int]:
    """Token bounds of the trigger's clause: the sentence cut at ";", ":" and quotes' edges,
    and at ", selon" / ", a déclaré" tails."""
    lo, hi = sent.start, sent.end
    doc = tok.doc
    for k in range(tok.i - 1, sent.start - 1, -1):
        if doc[k].text in (";", ":"):
            lo = k + 1
            break
    for k in range(tok.i + 1, sent.end):
        if doc[k].text in (";", ":"):
            hi = k
            break
        if doc[k].text == "," and k + 1 < sent.end and (
                doc[k + 1].lower_ == "selon" or _fold(doc[k + 1].lemma_) in
                load_lexicon_fr().reporting and doc[k + 1].pos_ in ("VERB", "AUX")):
            hi = k
            break
        if doc[k].text == "," and k + 2 < sent.end and doc[k + 1].pos_ == "AUX" and \
                _fold(doc[k + 2].lemma_) in load_lexicon_fr().reporting:
            hi = k  # ", a déclaré le Premier ministre"
            break
    return lo, hi


def _actor_tokens(doc: Any, actors: list[Actor]) -> list[tuple[int, int, Actor]]:
    out = []
    for a in actors:
        span = doc.char_span(a.start, a.end, alignment_mode="expand")
        if span is not None:
            out.append((span.start, span.end, a))
    return out


def _preceded_by(doc: Any, i: int, words: set[str], reach: int = 3) -> str | None:
    for k in range(i - 1, max(-1, i - 1 - reach), -1):
        w = doc[k].lower_
        if w in words:
            return w
        if w not in ("le", "la", "les", "l'", "l’", "de", "du", "des", "d'", "d’"):
            return None
    return None


def _in_selon(doc: Any, i: int, lo: int) -> bool:
    for k in range(i - 1, max(lo - 1, i - 6), -1):
        if doc[k].lower_ == "selon":
            return True
        if doc[k].text == ",":
            return False
    return False


def _roles(c: _Candidate, sent: Any, spans: list[tuple[int, int, Actor]],  # noqa: C901 (a flat case analysis, kept whole for now)
           ) -> tuple[list[Actor], list[Actor], list[Actor]]:
    """(source, target, reported_by) of a candidate, read in word order in its clause."""
    tok = c.trigger
    doc = tok.doc
    lo, hi = _clause_bounds(sent, tok)
    trig_lo = tok.i
    trig_hi = (c.noun.i + 1) if c.noun is not None and c.noun.i > tok.i else tok.i + 1
    nominal = c.noun is not None and c.noun.i == tok.i
    passive = any(k.dep_ == "aux:pass" for k in tok.children) or (
        tok.i > 0 and doc[tok.i - 1].lower_ == "été")
    before, after, reporters = [], [], []
    for s, e, a in spans:
        if s < lo or e > hi + 40:
            continue
        if _in_selon(doc, s, sent.start):
            reporters.append(a)
            continue
        if e > hi:
            continue
        loc = _preceded_by(doc, s, _LOCATIVE)
        if e <= trig_lo:
            if loc is None:
                before.append(a)
        elif s >= trig_hi:
            au = _preceded_by(doc, s, {"au", "aux"}, 1)
            if loc is not None or (au and c.type not in _RECIPIENT_TYPES):
                continue
            after.append(a)
    # reported speech: ", a déclaré X" / "selon X" after the clause
    for s, e, a in spans:
        if s >= hi and s < sent.end and a not in reporters and _fold(
                " ".join(t.lower_ for t in doc[hi:s])).find("selon") >= 0:
            reporters.append(a)
    if nominal:
        # "l'attaque du JNIM", "la manifestation des jeunes": the de-phrase acts for
        # intransitive types; "l'enlèvement des élèves" names the target
        de = [a for s, e, a in spans if s >= tok.i + 1 and s <= tok.i + 3 and
              doc[tok.i + 1].lower_ in ("du", "de", "des", "d'", "d’")]
        par = [a for s, e, a in spans if s > tok.i and _preceded_by(doc, s, {"par"}, 2)]
        if par:
            return _with_twins(par[:1], spans), _with_twins(de[:1], spans), reporters
        if c.type in ("PROTEST", "RETREAT", "MOBILIZE", "CONSULT", "AGREE", "ASSAULT") and de:
            return _with_twins(de[:1], spans), [], reporters
        return [], _with_twins(de[:1], spans), reporters
    source = before[-1:] if before else []
    # "Le Mali, le Burkina Faso et le Niger ont signé": coordinated subjects act together
    if source:
        k = before.index(source[0])
        while k > 0 and _coordinated(doc, before[k - 1], before[k]):
            k -= 1
            source.insert(0, before[k])
    target = after[:1]
    if not target and len(source) > 1 and c.type in _RECIPROCAL:
        # "le Bénin et le Niger se sont rencontrés": one side acts towards the other
        source, target = source[:1], source[1:]
    if passive:
        par = [a for a in after if _preceded_by(doc, doc.char_span(
            a.start, a.end, alignment_mode="expand").start, {"par"}, 2)]
        source, target = par[:1], source
    return _with_twins(source, spans), _with_twins(target, spans), reporters


def _coordinated(doc: Any, a: Actor, b: Actor) -> bool:
    """Actors joined by a comma or "et" ("le Mali, le Burkina Faso et le Niger", "du Bénin
    et du Niger")."""
    gap = doc.text[a.end:b.start].strip().lower()
    return re.fullmatch(r"(?:,|et|,\s*et)(?:\s*(?:le|la|les|l['’]|du|de|des|d['’]|de\s+la|"
                        r"de\s+l['’]))?", gap) is not None


def _with_twins(actors: list[Actor], spans: list[tuple[int, int, Actor]]) -> list[Actor]:
    out = list(actors)
    for _, _, b in spans:
        if b not in out and any(b.start == a.start and b.end == a.end for a in actors):
            out.append(b)
    return out


# ---------------------------------------------------------------- modality

def _modality(c: _Candidate, lex: LexiconFr) -> str:  # noqa: C901 (a flat case analysis, kept whole for now)
    """asserted, negated, future, hypothetical or historical, from the words around the
    trigger: "ne ... pas", "va"/"devrait"/futur, "pourrait"/"si", plus-que-parfait."""
    tok = c.trigger
    doc = tok.doc
    sent = tok.sent
    # the verb group: auxiliaries, clitics and adverbs right before the trigger
    group = []
    k = tok.i - 1
    while k >= sent.start and (doc[k].lower_ in _SKIP or doc[k].pos_ == "AUX" or
                               doc[k].lower_ in _AUX_FORMS or
                               doc[k].lower_ in _ALLER | _DEVOIR | _POUVOIR or
                               doc[k].pos_ == "ADV" or
                               _fold(doc[k].lemma_) in lex.future_governors | lex.reporting and
                               doc[k].pos_ == "VERB" and k == tok.i - 1 or
                               doc[k].lower_ in ("de", "d'", "d’", "à")):
        group.append(doc[k])
        k -= 1
        if len(group) > 8:
            break
    words = [t.lower_ for t in group]
    after = [doc[j].lower_ for j in range(tok.i + 1, min(sent.end, tok.i + 3))]
    if c.noun is not None and c.noun.i == tok.i:
        negated = False
    else:
        negated = any(w in _NE for w in words) and (
            any(w in lex.negation for w in words) or any(w in lex.negation for w in after))
        if not negated and any(w in _NE for w in words):
            negated = True  # "ne reviendrait", a literary "ne" alone is still negation
    if c.noun is not None and c.noun.i == tok.i:
        # an event noun takes the modality of the verb it depends on ("ne participeront pas
        # au sommet", "a annoncé une offensive")
        gov = next((doc[k] for k in range(tok.i - 1, max(sent.start - 1, tok.i - 8), -1)
                    if doc[k].pos_ == "VERB" or doc[k].pos_ == "AUX" and
                    doc[k].lower_ not in ("a", "ont", "est", "sont")), None)
        if gov is not None and gov.i != tok.i:
            return _modality(_Candidate(gov, c.type, c.mode), lex)
    k = tok.i - 1
    while k >= sent.start and doc[k].lower_ in _SKIP:
        k -= 1
    if k >= sent.start and (doc[k].lower_ == "pour" or doc[k].lower_ in ("de", "d'", "d’") and
                            k >= 1 and doc[k - 1].lower_ == "afin") and \
            "Inf" in tok.morph.get("VerbForm"):
        return "future"  # "pour consulter ses alliés": a purpose, not yet done
    if doc[max(sent.start, tok.i - 1)].lower_ == "sans" or (
            tok.i >= 2 and doc[tok.i - 2].lower_ == "sans"):
        negated = True
    hypothetical = any(w in _POUVOIR for w in words) or any(
        t.lower_ in ("si", "s'", "s’") and t.dep_ == "mark" and t.i < tok.i for t in sent)
    future = any(w in _ALLER | _DEVOIR for w in words) or any(
        _fold(t.lemma_) in lex.future_governors and t.pos_ == "VERB" for t in group)
    morph_t, morph_m = tok.morph.get("Tense"), tok.morph.get("Mood")
    auxes = [t for t in group if t.pos_ == "AUX" or t.lower_ in _AUX_FORMS]
    if "Fut" in morph_t or any("Fut" in t.morph.get("Tense") for t in auxes):
        future = True
    if "Cnd" in morph_m or any("Cnd" in t.morph.get("Mood") for t in auxes):
        if not hypothetical:
            future = True  # "reviendrait", "ne participeraient": the conditional of intent
    form = _fold(tok.text)
    if re.search(r"(?:era|eront|ira|iront|dra|dront|erait|eraient)$", form) and \
            _fold(tok.lemma_) != form:
        future = True
    historical = any(t.lower_ in ("avait", "avaient", "était", "étaient") for t in auxes) and \
        "Part" in tok.morph.get("VerbForm") + (["Part"] if form.endswith(("é", "ée", "és", "u",
                                                                          "i", "is")) else [])
    if negated:
        return "negated"
    if hypothetical and not future:
        return "hypothetical"
    if future:
        return "future"
    if historical:
        return "historical"
    return "asserted"


def _refusal(c: _Candidate, modality: str) -> tuple[str, str | None, str] | None:
    """A refused cooperative act is REJECT ("ne retirera pas ses troupes"), as in English;
    "n'a pas encore" is a delay, not a refusal."""
    refused_mode = RULES["refusal-is-reject"].words["modes"]
    if modality != "negated" or c.type not in refused_mode:
        return None
    doc = c.trigger.doc
    near = {doc[k].lower_ for k in range(max(0, c.trigger.i - 4), min(len(doc),
                                                                       c.trigger.i + 3))}
    if near & {"encore", "toujours"}:
        return None
    return "REJECT", refused_mode[c.type], "asserted"


# ---------------------------------------------------------------- place and time

def _event_time(c: _Candidate, sent: Any, times: list[Time]) -> Time | None:
    """The date or time closest to the trigger in its clause (not one inside a "depuis"
    phrase, which dates a state)."""
    doc = c.trigger.doc
    lo, hi = _clause_bounds(sent, c.trigger)
    lo_c, hi_c = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)
    best: tuple[int, Time] | None = None
    at = c.trigger.idx
    for t in times:
        if t.type not in ("DATE", "TIME") or not (lo_c <= t.start < hi_c):
            continue
        if re.search(r"\b(?:depuis|jusqu['’]à|d['’]ici)\s+(?:le\s+|la\s+|l['’])?$",
                     doc.text[max(0, t.start - 12):t.start].lower()):
            continue
        dist = abs(t.start - at)
        if best is None or dist < best[0]:
            best = (dist, t)
    return best[1] if best else None


def _location(c: _Candidate, sent: Any, places: list[Place],
              roles: list[Actor]) -> Place | None:
    """The literal place nearest the trigger in its clause, introduced by a place word ("à",
    "près de", "dans la région de") and not inside an actor of the event."""
    doc = c.trigger.doc
    lo, hi = _clause_bounds(sent, c.trigger)
    lo_c, hi_c = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)
    best: tuple[int, Place] | None = None
    for p in places:
        if p.usage != "literal" or not (lo_c <= p.start < hi_c) or p.country is None:
            continue
        if any(a.start <= p.start < a.end for a in roles):
            continue
        before = doc.text[max(0, p.start - 40):p.start].lower()
        if not re.search(r"(?:\bà|\bau|\baux|\ben|\bdans|\bprès\s+d['e]\s*|\bvers|\bsur|"
                         r"\bentre|\bautour\s+d['e]\s*|\bproche\s+d['e]\s*|"
                         r"\b(?:région|ville|province|localité|village|commune|département|"
                         r"cercle|zone|nord|sud|est|ouest|centre)\s+d['eu]\s*(?:la\s+|l['’])?|"
                         r"\bd['e]\s+(?:la\s+|l['’])?|\bdu)\s*(?:la\s+|le\s+|l['’])?$", before):
            continue
        dist = abs(p.start - c.trigger.idx)
        if best is None or dist < best[0]:
            best = (dist, p)
    return best[1] if best else None


def _sentence_place(sent: Any, places: list[Place]) -> Place | None:
    for p in places:
        if sent.start_char <= p.start < sent.end_char and p.country and p.usage == "literal":
            return p
    return None


# ---------------------------------------------------------------- main

def _type_rules(d: Draft, on: Active) -> None:
    """The English type rules, but French refusal (its delays are "encore", "toujours") and
    French peacekeepers ("casques bleus")."""
    for r in on["type"]:
        if r.name == "refusal-is-reject":
            refusal = _refusal(d.cand, d.modality)
            if refusal is not None:
                d.cand.type, d.cand.mode, d.modality = refusal
        else:
            r(d)
    c = d.cand
    if "peacekeepers-are-aid" not in on.off and c.type == "MOBILIZE" and any(
            "casques bleus" in a.text.lower() for a in d.source + d.target):
        c.type, c.mode = "AID", None  # deploying peacekeepers is protection (AID)


def _event_fr(document: Document, d: Draft, reporters: list[Actor], lex: LexiconFr,
              on: Active) -> Event:
    """The Event of a French draft: French modality, time and place, then the shared type and
    actor coding rules (the same registry as English, so ``--without-rule`` applies)."""
    c, sent = d.cand, d.sent
    d.modality = _modality(c, lex)
    _type_rules(d, on)
    time = _event_time(c, sent, document.times)
    date_, d.time = event_date(time, document.published, d.modality)
    d.location = _location(c, sent, document.places, d.source + d.target)
    d.sentence_place = _sentence_place(sent, document.places)
    for r in on["actors"]:
        r(d)
    trig = c.trigger
    return Event(
        id=event_id(document.id, trig.idx, c.type), type=c.type, mode=c.mode,
        confidence=_confidence(c, d.source, d.target, d.modality), modality=d.modality,
        trigger=Span(trig.idx, trig.idx + len(trig.text), trig.text),
        sentence=Span(sent.start_char, sent.start_char + len(sent.text.rstrip())),
        source=d.source, target=d.target, location=d.location, time=d.time, date=date_,
        reported_by=reporters[:1])


def find_events_fr(document: Document, without: Any = None) -> list[Event]:
    """Return the events of a French document whose times, places and actors are found."""
    on = active(without)
    lex = load_lexicon_fr()
    doc = document.doc
    spans = _actor_tokens(doc, document.actors)
    events: list[Event] = []
    drafts: list[tuple[Draft, list[Actor]]] = []
    for sent in doc.sents:
        text = sent.text.strip()
        if len(sent) < 9 and not text.endswith((".", "!", "?", "»", '"')):
            continue  # a heading
        for c in _candidates(sent, lex):
            source, target, reporters = _roles(c, sent, spans)
            if not source and not target:
                continue
            if c.noun is not None and c.noun.i == c.trigger.i and not source:
                continue  # a bare event noun is a reference, not a report
            drafts.append((Draft(c, sent, source, target, first_type=c.type), reporters))
    per_sentence = Counter(d.sent.start for d, _ in drafts)
    for d, reporters in drafts:
        # the factuality model reads English parses: no probability for a French trigger
        e = _event_fr(document, d, reporters, lex, on)
        events.append(with_features(e, d, per_sentence[d.sent.start], None))
    kept = merge_duplicates(events, on["merge"])
    calibrate(kept)
    return kept
