"""Places stage: find toponyms in a parsed article and resolve them against the gazetteer.

Recognition (:func:`find_mentions`):

- spaCy GPE/LOC entities (FAC only when the gazetteer knows the name), with the tidings entity
  ruler of :mod:`tidings.ruler` making countries, regions and demonyms reliable;
- NORP entities and capitalised words that are demonyms ("Nigerien", "Turkish") -> usage
  ``demonym``;
- gazetteer matching of capitalised tokens for countries, big divisions and cities, and
  regions that the model missed or labelled PERSON/ORG ("Niger" as PERSON);
- toponyms nested in organisation names ("Laurel County Sheriff's Office", "Niamey city
  council");
- a dateline at the start of the text ("NIAMEY, Niger —").

Resolution (:func:`resolve`) scores every candidate with a population prior, a feature-class
prior (country > admin1 > city for the same name, national capitals first), a penalty for
alternate names, agreement with a qualifier ("Paris, Texas"), and in a second pass the
article's focus (countries and first-level divisions the other mentions resolved to, the
dateline counting more). ``score`` is the softmax probability of the chosen candidate times a
detection confidence. A name without any candidate keeps its surface name with
``kind="unresolved"`` and no coordinates, in the country its context implies (a qualifier,
else the article's focus; :func:`imply_countries`).

Metonymy: a country or capital that is the subject of a speech or decision verb
("Washington said", "Moscow denied") gets usage ``metonymy`` (a capital then resolves to the
capital city).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from ..gazetteer import KIND_CODE, KINDS, Gazetteer, load_gazetteer, normalize
from ..model import Place
from .datelines import DATELINE_RE


def _words(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of ``text`` as a set."""
    return frozenset(text.split())

# --------------------------------------------------------------------------- parameters

W_POP = 1.0  # per decade of population
KIND_PRIOR = {
    "country": 3.0, "admin1": 1.5, "admin2": -0.5, "city": 0.0, "region": 4.0, "feature": 4.0,
    "admin3": -0.5,
}
CAPITAL_BONUS = 2.5
ALT_NAME_PENALTY = 2.5
QUALIFIER_BONUS = 8.0
FOCUS_COUNTRY = 4.0
FOCUS_ADMIN1 = 4.0
ADMIN2_SUFFIX_BONUS = 4.0
KIND_CUE_BONUS = 3.0  # "the town of X" for a town, "X region" for a division
NEAR_BONUS = 1.5  # per other name with a candidate in a neighbouring 1-degree cell
NEAR_MAX = 3
WEAK_NEAR_MIN = 2
WEAK_COUNTRY_SHARE = 0.4  # or a town of WEAK_COUNTRY_MIN_POP+ in the article's main country
WEAK_COUNTRY_MIN_POP = 10_000  # names nearby needed to keep a PERSON/ORG-labelled place name
NEAR_TOP = 30
MAX_CANDIDATES = 400
# Share of the resolved places' weight the focus country needs before an unresolved name is
# put in it.
IMPLIED_FOCUS_SHARE = 0.0

# Detection confidence by how a mention was found.
DET_CONF = {
    "GPE": 0.95, "LOC": 0.85, "FAC": 0.6, "NORP": 0.9, "dateline": 0.95, "party": 0.85,
    "context": 0.8, "org": 0.75, "gaz": 0.75, "nested": 0.7, "person": 0.7, "street": 0.6,
    "cue": 0.7,
    "loose": 0.55, "weak": 0.5,
}

SPEECH_VERBS = _words("""
say tell announce deny accuse reject warn threaten urge call demand insist claim confirm
condemn criticize criticise decide agree refuse respond reply vow pledge promise plan
seek ask order impose sanction expel recall approve sign protest dismiss blame welcome
argue state declare insist suggest hint signal push press announce respond retaliate
vote veto
""")
ADMIN2_SUFFIXES = ("county", "parish", "borough", "co")
DIRECTION_WORDS = _words("""
north south east west northern southern eastern western central northeast northwest
southeast southwest northeastern northwestern southeastern southwestern upper lower
greater downtown suburban rural metro metropolitan coastal
""")
CONNECTORS = frozenset({"of", "de", "la", "del", "du", "and", "upon", "on", "the", "al",
                        "el", "es", "da", "do", "dos", "das", "le", "les", "y"})
#: lower-case words inside a hyphenated place name ("Mazar-e-Sharif", "Rostov-on-Don",
#: "Port-au-Prince", "Croix-des-Bouquets")
HYPHEN_PARTICLES = frozenset({"e", "el", "al", "on", "en", "de", "des", "du", "la", "le",
                              "les", "au", "aux", "sur", "sous", "am", "an", "upon", "y"})
_ARABIC_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ul"})
# "D-Braxton", "R-Elbow Lake", "DFL-Cook": a US legislator's party and home town.
PARTY_RE = re.compile(r"\b(?:D|R|I|DFL)-([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b")
# Words after a place name that mark it as a place ("Roselle police", "Augusta native").
PLACE_NEXT = frozenset({"police", "residents", "native", "natives", "officials", "township",
                        "townships", "area", "city", "county", "village", "borough",
                        "firefighters", "schools", "voters", "mayor", "council"})
PLACE_PREV = frozenset({"in", "of", "from", "near", "to", "at", "outside", "around", "into",
                        "toward", "towards"})
# Capitalised words that are place names somewhere but generic in text: never matched alone
# outside a GPE/LOC entity.
GENERIC_WORDS = _words("""
center centre west east north south central man university police bank street city
district day gulf channel county state states river lake park mountain valley island
hospital school college church court hall road avenue highway station airport beach
union republic kingdom federal national international west side east side metro village
town township borough harbor harbour port bay creek springs spring falls heights hill
hills ridge point forest garden gardens plaza square market mall casino superior supreme
mound warden march may june august april northern southern eastern western middle upper
lower new old great little best hope unity liberty independence victory friendship
paradise eden president governor general mayor senator sheriff chief king queen prince
princess
""")
# Words that start an institution's name after a place ("Alexandria Police Department").
INSTITUTION_WORDS = _words("""
police fire sheriff sheriff's sheriff’s parks elementary middle high school schools council
court courthouse board department library hospital
senior chamber public municipal regional area community memorial airport sanitary
water utilities transit housing health commission commissioners selectman selectmen mayor
""")
# A name followed by one of these words names a disease or a product, not a place.
NOT_PLACE_NEXT = frozenset({"virus", "fever", "flu", "influenza", "encephalitis", "syndrome",
                            "disease", "strain", "viruses"})
STREET_WORDS = _words("""
street st road rd avenue ave drive dr boulevard blvd lane ln parkway pkwy highway hwy
way court ct place pl terrace circle trail pike turnpike expressway freeway
""")
ROAD_NUMBERED = frozenset({"highway", "interstate", "route", "road", "hwy", "i", "us", "sr",
                           "state", "county"})
GENERIC_CORE = _words("""
center centre west east north south central city county state district street day
northern southern eastern western middle
""")
ORG_SKIP_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL",
                             "ORDINAL", "WORK_OF_ART", "LAW", "LANGUAGE", "EVENT", "PRODUCT"})


_REGIONAL = (KIND_CODE["admin1"], KIND_CODE["region"], KIND_CODE["country"])


@dataclass
class Mention:
    """A toponym occurrence before resolution."""

    start: int  # char offsets
    end: int
    text: str
    key: str
    source: str
    tok_start: int = 0
    tok_end: int = 0
    usage: str = "literal"
    country: str | None = None  # demonyms: the country ISO-3
    qualifier: Mention | None = None
    qualifies: list[Mention] = field(default_factory=list)
    dateline: bool = False
    admin2_hint: bool = False
    #: the kind its context names: "city" ("the town of X"), "division" ("X region"), or None
    kind_cue: str | None = None


@dataclass
class _Res:
    """Scored candidates of one mention."""

    ids: list[int]
    base: list[float]
    best: int = -1
    prob: float = 0.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


# --------------------------------------------------------------------------- recognition


def _clean_key(text: str) -> str:
    t = text.strip().rstrip(".,;:")
    for suf in ("'s", "\u2019s", "'", "\u2019"):
        if t.endswith(suf):
            t = t[: -len(suf)]
            break
    return normalize(t)


def _is_cap(tok: Any) -> bool:
    t = tok.text
    return bool(t) and (t[0].isupper() or (t[0].isdigit() is False and t[:1] == "'"))


def _best_subspan(doc: Any, start: int, end: int, g: Gazetteer, *, strong_only: bool,
                  min_pop: int = 0) -> tuple[int, int] | None:
    """Longest token sub-span of ``doc[start:end]`` that is a capitalised gazetteer name."""
    n = end - start
    for size in range(min(n, 5), 0, -1):
        for i in range(start, end - size + 1):
            toks = doc[i:i + size]
            if not toks[0].text[:1].isupper() or not toks[-1].text[:1].isupper():
                continue
            if any(not (t.text[:1].isupper() or t.lower_ in CONNECTORS) for t in toks):
                continue
            key = _clean_key(toks.text)
            if not key or (size == 1 and (key in GENERIC_WORDS or key in GENERIC_CORE)):
                continue
            if strong_only and key not in g.strong and not _admin2_key(key, g):
                continue
            ids = g.raw_ids(key)
            if not ids:
                continue
            if min_pop and not any(
                j >= 0 and (g.pops[j] >= min_pop or g.kinds[j] != KIND_CODE["city"])
                for j in ids
            ):
                continue
            return i, i + size
    return None


def _nested_position(doc: Any, ent: Any, sub: tuple[int, int]) -> bool:
    """True where a place inside an organisation name sits like one: first ("Niamey city
    council"), or after "of"/"in" ("University of Alexandria")."""
    s0, s1 = sub
    if s1 < ent.end:
        return s0 == ent.start or doc[s0 - 1].lower_ in ("of", "in", "the")
    return s0 > ent.start and doc[s0 - 1].lower_ in ("of", "in")


def _admin2_key(key: str, g: Gazetteer) -> bool:
    return key.endswith((" county", " parish", " borough")) and bool(g.raw_ids(key))


def find_mentions(doc: Any, g: Gazetteer | None = None) -> list[Mention]:
    """Return the toponym and demonym mentions of ``doc`` in text order.

    The sources are tried in order of trust, each token taken once: the dateline, party-hometown
    tags, spaCy's entities, capitalised tokens outside entities, and last the weak and loose
    mentions (names that are places only if the article's other places agree).
    """
    finder = _MentionFinder(doc, g or load_gazetteer())
    finder.dateline()
    finder.party_tags()
    for ent in doc.ents:
        finder.entity(ent)
    finder.hyphenated()
    finder.capitalised()
    finder.weak_and_loose()
    mentions = finder.mentions
    mentions.sort(key=lambda m: m.start)
    _link_qualifiers(mentions, finder.text, finder.g)
    return mentions


def _person_names(doc: Any) -> set[str]:
    """Surnames and given names of multi-word PERSON entities ("Tim Pawlenty" -> "Pawlenty")."""
    names: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) > 1:
            for t in ent:
                if t.text[:1].isupper():
                    names.add(normalize(t.text))
            names.discard("")
    return names


class _MentionFinder:
    """One pass of :func:`find_mentions` over a parsed document: the tokens already taken and
    the mentions found so far."""

    def __init__(self, doc: Any, g: Gazetteer) -> None:
        self.doc, self.g, self.text = doc, g, doc.text
        self.mentions: list[Mention] = []
        self.taken = bytearray(len(doc) + 1)
        self.weak: list[tuple[int, int]] = []  # PERSON/ORG-labelled names: strict support
        self.loose: list[tuple[int, int]] = []  # "in Euclid", PRODUCT-labelled: country too
        self.person_names = _person_names(doc)

    def add(self, ts: int, te: int, source: str, usage: str = "literal",
            country: str | None = None) -> Mention | None:
        """Add the mention of tokens ``ts:te`` (trimmed, perhaps extended by a word) unless a
        token is taken or the words are not a place name here; return it."""
        doc, g, taken = self.doc, self.g, self.taken
        if te <= ts or any(taken[ts:te]):
            return None
        # Trim leading "the", lower-case direction words ("northern Mali") and trailing
        # possessives/punctuation.
        while ts < te - 1 and (doc[ts].text in DIRECTION_WORDS or doc[ts].lower_ == "the"):
            ts += 1
        while te > ts + 1 and (doc[te - 1].is_punct or doc[te - 1].text in ("'s", "\u2019s")):
            te -= 1
        span = doc[ts:te]
        key = _clean_key(span.text)
        # Extend over one capitalised word on either side when the longer name is known
        # ("East" + "Java", "Danube" + "Delta").
        if key and source in ("GPE", "LOC", "NORP", "gaz"):
            if ts > 0 and not taken[ts - 1] and doc[ts - 1].text[:1].isupper() \
                    and not doc[ts - 1].is_sent_start:
                k2 = _clean_key(doc[ts - 1:te].text)
                if g.raw_ids(k2):
                    ts, key, usage, country = ts - 1, k2, "literal", None
            if te < len(doc) and not taken[te] and doc[te].text[:1].isupper():
                k2 = _clean_key(doc[ts:te + 1].text)
                if g.raw_ids(k2):
                    te, key, usage, country = te + 1, k2, "literal", None
            span = doc[ts:te]
        if not self._acceptable(ts, te, key, source, span):
            return None
        for k in range(ts, te):
            taken[k] = 1
        end_char = span.end_char
        m = Mention(span.start_char, end_char, self.text[span.start_char:end_char], key,
                    source, ts, te, usage, country)
        self.mentions.append(m)
        return m

    def _acceptable(self, ts: int, te: int, key: str, source: str, span: Any) -> bool:
        """Whether tokens ``ts:te`` (gazetteer key ``key``) can be a place mention from
        ``source``."""
        doc, g = self.doc, self.g
        if te - ts == 1 and len(key) <= 2 and not any(
                j >= 0 and g.kinds[j] in _REGIONAL for j in g.raw_ids(key)):
            return False  # "Al" of "Al-Bayaa", initials (but "Ky.", "UK")
        if not key or (te - ts == 1 and (key in GENERIC_CORE or (
                key in GENERIC_WORDS and source not in ("GPE", "LOC", "dateline")))):
            return False
        if source in ("gaz", "nested", "person", "org", "weak", "loose") and (
                key in self.person_names or (span.text.isupper() and len(span.text) <= 3
                                             and not _is_country_key(key, g))):
            return False
        if te < len(doc) and doc[te].lower_ in NOT_PLACE_NEXT:
            return False  # "West Nile virus", "Rift Valley fever"
        if source != "dateline" and span.text.islower() and all(t.pos_ == "NOUN" for t in span):
            return False  # "off its east coast": a common noun, not the region "Coast"
        if source in ("GPE", "LOC") and not g.raw_ids(key) and any(
                c.isdigit() for c in span.text):
            return False  # "H5N1"
        return True

    def dateline(self) -> None:
        """1. The dateline's city (and region, when the gazetteer knows it)."""
        doc, g, text = self.doc, self.g, self.text
        dl = DATELINE_RE.search(text[:400])
        if not (dl and dl.group("city").strip().isupper() and len(dl.group("city").strip()) > 2):
            return
        cs = dl.start("city")
        span = doc.char_span(cs, cs + len(dl.group("city").rstrip()), alignment_mode="expand")
        if span is not None and len(span) <= 4:
            m = self.add(span.start, span.end, "dateline")
            if m:
                m.dateline = True
        if dl.group("region"):
            rs = dl.start("region")
            span = doc.char_span(rs, rs + len(dl.group("region").rstrip()),
                                 alignment_mode="expand")
            if span is not None and g.raw_ids(_clean_key(span.text)):
                m2 = self.add(span.start, span.end, "dateline")
                if m2:
                    m2.dateline = True

    def party_tags(self) -> None:
        """2. Party-hometown tags of legislators ("Sen. Smith, R-Tulsa")."""
        for mt in PARTY_RE.finditer(self.text):
            span = self.doc.char_span(mt.start(1), mt.end(1), alignment_mode="expand")
            if span is not None and self.g.raw_ids(_clean_key(span.text)):
                self.add(span.start, span.end, "party")

    def hyphenated(self) -> None:
        """3b. A name joined by hyphens that the tokenizer splits ("Mazar-e-Sharif",
        "Seme-Kpodji", "Rostov-on-Don"), whole, when the gazetteer knows the whole name: the
        NER labels a part of it at best ("Mazar" ORG, "Rostov" PERSON). Not the given names
        of a person ("Jean-Pierre Bemba": a name follows) or a name the article gives a
        person."""
        doc, n = self.doc, len(self.doc)
        i = 0
        while i < n:
            j = self._hyphen_chain(i)
            nxt = doc[j] if j < n else None
            if j >= i + 3 and self.g.raw_ids(_clean_key(doc[i:j].text)) and not (
                    nxt is not None and nxt.pos_ == "PROPN" and nxt.text[:1].isupper()):
                self.add(i, j, "gaz")
                i = j
            else:
                i += 1

    def _hyphen_chain(self, i: int) -> int:
        """The end of the hyphen-joined name starting at token ``i`` (``i`` when none): a
        capitalised word of two letters or more, then "-" and a capitalised word or a
        particle, repeated, ending on a capitalised word."""
        doc, n = self.doc, len(self.doc)
        t = doc[i]
        if self.taken[i] or not t.is_alpha or len(t.text) < 2 or not t.text[:1].isupper() \
                or t.lower_ in _ARABIC_ARTICLES:
            return i  # "Al-Sham", "al-Nusra": names of groups more often than of places
        j = i + 1
        while j + 1 < n and doc[j].text == "-" and doc[j - 1].whitespace_ == "" and \
                doc[j].whitespace_ == "" and doc[j + 1].is_alpha and (
                    doc[j + 1].text[:1].isupper() or doc[j + 1].lower_ in HYPHEN_PARTICLES):
            j += 2
        while j > i + 1 and not doc[j - 1].text[:1].isupper():
            j -= 2
        return j

    def entity(self, ent: Any) -> None:
        """3. One of spaCy's entities, by its label."""
        label = ent.label_
        if label in ("GPE", "LOC"):
            key = _clean_key(ent.text)
            if key in self.person_names and not _is_country_key(key, self.g) and len(ent) == 1:
                return
            if self.g.raw_ids(key) or not _split_ent(self.doc, ent, self.g, self.add, label):
                self.add(ent.start, ent.end, label)
        elif label == "FAC":
            self._facility(ent)
        elif label == "NORP":
            self._norp(ent)
        elif label in ("PRODUCT", "WORK_OF_ART"):
            if len(ent) <= 3 and self.g.raw_ids(_clean_key(ent.text)):
                self.loose.append((ent.start, ent.end))
        elif label in ("ORG", "PERSON"):
            self._org_or_person(ent, label)

    def _facility(self, ent: Any) -> None:
        if self.g.raw_ids(_clean_key(ent.text)):
            self.add(ent.start, ent.end, "FAC")
        elif _is_street(ent):
            self.add(ent.start, ent.end, "street")
        else:
            sub = _best_subspan(self.doc, ent.start, ent.end, self.g, strong_only=True)
            if sub:
                self.add(sub[0], sub[1], "nested")

    def _norp(self, ent: Any) -> None:
        g = self.g
        iso3 = g.demonym(_clean_key(ent.text))
        if iso3:
            self.add(ent.start, ent.end, "NORP", "demonym", iso3)
        elif g.raw_ids(_clean_key(ent.text)):
            self.weak.append((ent.start, ent.end))
        else:
            base = _demonym_base(ent.text, g)
            if base:
                m = self.add(ent.start, ent.end, "NORP")
                if m:
                    m.key = base  # resolved as the place ("Ohioans" -> Ohio)
                    m.usage = "demonym"
                    m.country = None

    def _org_or_person(self, ent: Any, label: str) -> None:
        doc, g = self.doc, self.g
        key = _clean_key(ent.text)
        ids = g.raw_ids(key)
        inst = _institution_prefix(doc, ent, g)
        if inst:
            self.add(inst[0], inst[1], "nested")
            return
        if label == "PERSON":
            if len(ent) == 1 and key in g.strong and any(
                    j >= 0 and g.kinds[j] in (KIND_CODE["country"], KIND_CODE["region"],
                                              KIND_CODE["admin1"]) for j in ids):
                self.add(ent.start, ent.end, "person")
            elif len(ent) <= 3 and ids and key not in self.person_names:
                self.weak.append((ent.start, ent.end))
            return
        if ids and key in g.strong:
            self.add(ent.start, ent.end, "org")
            return
        sub = _best_subspan(doc, ent.start, ent.end, g, strong_only=False, min_pop=5000)
        if sub and _nested_position(doc, ent, sub):
            self.add(sub[0], sub[1], "nested")
        elif len(ent) <= 3 and ids and not any(self.taken[ent.start:ent.end]):
            self.loose.append((ent.start, ent.end))
        _demonym_tokens(doc, ent.start, ent.end, g, self.add)

    def capitalised(self) -> None:
        """4. Capitalised tokens outside entities: strong gazetteer names and demonyms."""
        doc, taken = self.doc, self.taken
        ent_tok = bytearray(len(doc) + 1)
        for ent in doc.ents:
            if ent.label_ in ORG_SKIP_LABELS or ent.label_ in ("PERSON", "ORG"):
                for k in range(ent.start, ent.end):
                    ent_tok[k] = 1
        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            if taken[i] or ent_tok[i] or not tok.text[:1].isupper():
                i += 1
                continue
            j = i
            while j < n and j - i < 5 and not taken[j] and not ent_tok[j] and (
                    doc[j].text[:1].isupper() or (doc[j].lower_ in CONNECTORS and j > i)):
                j += 1
            i = self._capitalised_run(i, j)

    def _capitalised_run(self, i: int, j: int) -> int:
        """Look for a place in the capitalised run ``i:j``; return where to go on."""
        doc, g, n = self.doc, self.g, len(self.doc)
        sub = _best_subspan(doc, i, j, g, strong_only=True)
        if sub:
            ts, te = sub
            t0 = doc[ts]
            if te - ts != 1 or t0.pos_ in ("PROPN",) or _is_country_key(_clean_key(t0.text), g):
                self.add(ts, te, "gaz")
                return te
        if j - i <= 3 and not doc[i].is_sent_start and g.raw_ids(_clean_key(doc[i:j].text)):
            nxt = doc[j].lower_ if j < n else ""
            prv = doc[i - 1].lower_ if i > 0 else ""
            if nxt in PLACE_NEXT and doc[j].text.islower():
                self.add(i, j, "context")
                return j
            if prv in PLACE_PREV:
                self.loose.append((i, j))
                return j
        _demonym_tokens(doc, i, j, g, self.add)
        return max(j, i + 1)

    def weak_and_loose(self) -> None:
        """5. Weak mentions (PERSON/ORG/NORP entities that are gazetteer names), then loose
        ones: kept by :func:`resolve` only where they agree with the article's places."""
        for ts, te in self.weak:
            if self.doc[ts].text[:1].isupper():
                self.add(ts, te, "weak")
        for ts, te in self.loose:
            if self.doc[ts].text[:1].isupper():
                self.add(ts, te, "loose")


def _institution_prefix(doc: Any, ent: Any, g: Gazetteer) -> tuple[int, int] | None:
    """Return the place that opens an institution's name, if any.

    "Alexandria Police", "Rapides Parish Fire District", "Harwinton Senior Center": the tokens
    before the first institution word, when the gazetteer knows them.
    """
    start = ent.start + (1 if doc[ent.start].lower_ == "the" else 0)
    for k in range(start + 1, min(ent.end, start + 4) + 1):
        if k < len(doc) and doc[k].lower_ in INSTITUTION_WORDS:
            key = _clean_key(doc[start:k].text)
            if key and key not in GENERIC_WORDS and key not in GENERIC_CORE and g.raw_ids(key):
                return start, k
            return None
    return None


def _demonym_base(text: str, g: Gazetteer) -> str | None:
    """Key of the division or region a regional demonym names ("Ohioans", "South Ossetian")."""
    t = text.strip()
    if not t[:1].isupper():
        return None
    for suf in ("ians", "ian", "ans", "an", "ns", "n", "ers", "er"):
        if not t.endswith(suf) or len(t) - len(suf) < 3:
            continue
        stem = t[: -len(suf)]
        for end in ("", "a", "ia", "as", "o"):
            key = normalize(stem + end)
            for j in g.raw_ids(key):
                if j >= 0 and g.kinds[j] in _REGIONAL:
                    return key
    return None


def _is_street(ent: Any) -> bool:
    """True for a named street or road ("Darby Street", "Highway 19", "Interstate 45")."""
    words = [t.text for t in ent if t.lower_ != "the"]
    if not words or not words[0][:1].isupper():
        return False
    last = words[-1].rstrip(".").lower()
    if last in STREET_WORDS and len(words) >= 2:
        return True
    return len(words) >= 2 and words[-2].lower() in ROAD_NUMBERED and words[-1].isdigit()


def _is_country_key(key: str, g: Gazetteer) -> bool:
    return any(j >= 0 and g.kinds[j] == KIND_CODE["country"] for j in g.raw_ids(key))


def _demonym_tokens(doc: Any, start: int, end: int, g: Gazetteer, add: Any) -> None:
    k = start
    while k < end:
        tok = doc[k]
        if tok.text[:1].isupper():
            if k + 1 < end and doc[k + 1].text[:1].isupper():
                two = doc[k:k + 2]
                iso3 = g.demonym(two.text)
                if iso3:
                    add(k, k + 2, "NORP", "demonym", iso3)
                    k += 2
                    continue
            iso3 = g.demonym(tok.text)
            if iso3 and tok.pos_ in ("ADJ", "PROPN", "NOUN"):
                add(k, k + 1, "NORP", "demonym", iso3)
        k += 1


def _split_ent(doc: Any, ent: Any, g: Gazetteer, add: Any, label: str) -> bool:
    """Split an unknown GPE/LOC entity at commas and "and" ("Paris, Texas"); True if split.

    Only whole chunks are looked up: "South Charleston" is never shortened to "South".
    """
    chunks: list[tuple[int, int]] = []
    start = ent.start
    for k in range(ent.start, ent.end):
        if doc[k].text in (",", ";", "/", "(", ")") or doc[k].lower_ in ("and", "&"):
            if k > start:
                chunks.append((start, k))
            start = k + 1
    if start < ent.end:
        chunks.append((start, ent.end))
    if len(chunks) < 2:
        # "Niamey city", "northern Mali": drop lower-case words at the edges.
        s, e = ent.start, ent.end
        while s < e and not doc[s].text[:1].isupper():
            s += 1
        while e > s and not doc[e - 1].text[:1].isupper():
            e -= 1
        if (s, e) != (ent.start, ent.end) and e > s and g.raw_ids(_clean_key(doc[s:e].text)):
            add(s, e, label)
            return True
        return False
    for s, e in chunks:
        add(s, e, label)
    return True


def _link_qualifiers(mentions: list[Mention], text: str, g: Gazetteer) -> None:
    """Link "Paris, Texas" / "Alexandria (La.)" pairs: the second qualifies the first."""
    for a, b in pairwise(mentions):
        gap = text[a.end:b.start]
        if a.usage != "literal" or b.usage != "literal":
            continue
        if gap.strip() in (",", "(", ", the") and len(gap) <= 4:
            kinds = {g.kinds[j if j >= 0 else ~j] for j in g.raw_ids(b.key)}
            if kinds & {KIND_CODE["admin1"], KIND_CODE["country"], KIND_CODE["admin2"]}:
                a.qualifier = b
                b.qualifies.append(a)


# --------------------------------------------------------------------------- resolution


def _candidates(m: Mention, g: Gazetteer) -> tuple[list[int], list[bool]]:
    raw = g.raw_ids(m.key)
    if not raw and m.key.endswith((" city", " state", " province", " region")):
        raw = g.raw_ids(m.key.rsplit(" ", 1)[0])
    if not raw and m.key.endswith((" county", " parish")):
        raw = g.raw_ids(m.key.rsplit(" ", 1)[0])
    if not raw and " " in m.key and m.key.split(" ", 1)[0] in DIRECTION_WORDS:
        raw = g.raw_ids(m.key.split(" ", 1)[1])  # "North Texas", "Southern California"
    ids, alt = [], []
    seen: set[int] = set()
    for j in raw:
        i = j if j >= 0 else ~j
        if i in seen:
            continue
        seen.add(i)
        ids.append(i)
        alt.append(j < 0)
    if len(ids) > MAX_CANDIDATES:
        order = sorted(range(len(ids)), key=lambda k: -g.pops[ids[k]])[:MAX_CANDIDATES]
        ids = [ids[k] for k in order]
        alt = [alt[k] for k in order]
    return ids, alt


def _base_scores(m: Mention, ids: list[int], alt: list[bool], g: Gazetteer) -> list[float]:
    capital_iso = g.capitals.get(m.key)
    out = []
    admin2_word = m.key.endswith(ADMIN2_SUFFIXES)
    for i, is_alt in zip(ids, alt):
        kind = KINDS[g.kinds[i]]
        s = W_POP * math.log10(g.pops[i] + 10) + KIND_PRIOR[kind]
        if is_alt:
            s -= ALT_NAME_PENALTY
        if capital_iso and kind == "city" and g.countries[g.cc[i]] == capital_iso:
            s += CAPITAL_BONUS
            if m.usage == "metonymy":
                s += 5.0
        if kind == "admin2" and admin2_word:
            s += ADMIN2_SUFFIX_BONUS
        if m.kind_cue == "city" and kind == "city" or m.kind_cue == "division" and kind in (
                "admin1", "admin2", "admin3"):
            s += KIND_CUE_BONUS
        out.append(s)
    return out


def _softmax_best(scores: list[float]) -> tuple[int, float]:
    if not scores:
        return -1, 0.0
    mx = max(scores)
    k = scores.index(mx)
    z = sum(math.exp(s - mx) for s in scores)
    return k, 1.0 / z


def _agree(g: Gazetteer, i: int, q: int) -> bool:
    """True if entry ``i`` lies in qualifier entry ``q`` (same country, same admin1)."""
    if g.cc[i] != g.cc[q] or not g.countries[g.cc[i]]:
        return False
    kq = g.kinds[q]
    if kq == KIND_CODE["country"]:
        return True
    if kq == KIND_CODE["admin1"]:
        return g.admin1s[g.a1[i]][0] == g.admin1s[g.a1[q]][0]
    if kq == KIND_CODE["admin2"]:
        return haversine_km(g.lats[i], g.lons[i], g.lats[q], g.lons[q]) < 80
    return False


def _is_metonymy(doc: Any, m: Mention) -> bool:
    span = doc[m.tok_start:m.tok_end]
    root = span.root
    if root.dep_ not in ("nsubj", "nsubjpass", "poss"):
        return False
    head = root.head
    if root.dep_ == "poss":
        return head.lemma_.lower() in ("decision", "refusal", "demand", "position",
                                       "response", "statement", "offer", "proposal")
    return head.lemma_.lower() in SPEECH_VERBS


def resolve(doc: Any, mentions: list[Mention], g: Gazetteer | None = None) -> list[Place]:
    """Resolve mentions to gazetteer entries (two passes: priors, then document focus)."""
    g = g or load_gazetteer()
    _mark_metonymy(doc, mentions, g)  # first: it changes a capital's prior
    _mark_kind_cues(doc, mentions)
    resolution = _Resolution(mentions, g)
    resolution.first_pass()
    drop = resolution.second_pass()
    return resolution.places(drop)


#: words before "of" that say a place is a town ("the town of Nabatieh"), and words after a
#: name that say it is a division ("Krasnodar region", "Mopti province")
_TOWN_WORDS = {"town", "city", "village", "capital", "hamlet", "locality", "commune"}
_DIVISION_WORDS = {"region", "province", "state", "governorate", "department", "oblast",
                   "prefecture"}  # not "district": city quarters are districts too


def _mark_kind_cues(doc: Any, mentions: list[Mention]) -> None:
    """Set each mention's ``kind_cue`` from the words around it."""
    for m in mentions:
        before = doc[m.tok_start - 2:m.tok_start] if m.tok_start >= 2 else None
        if before is not None and before[1].lower_ == "of" and before[0].lower_ in _TOWN_WORDS:
            m.kind_cue = "city"
        elif m.key.rsplit(" ", 1)[-1] in _DIVISION_WORDS or (
                m.tok_end < len(doc) and doc[m.tok_end].lower_ in _DIVISION_WORDS):
            m.kind_cue = "division"


def _mark_metonymy(doc: Any, mentions: list[Mention], g: Gazetteer) -> None:
    """Mark capitals and countries that speak or decide ("Washington said") as metonymy."""
    for m in mentions:
        if m.usage == "literal" and m.source != "dateline" and _is_metonymy(doc, m):
            ids = g.raw_ids(m.key)
            if m.key in g.capitals or any(
                    (j if j >= 0 else ~j) >= 0 and g.kinds[j if j >= 0 else ~j]
                    == KIND_CODE["country"] for j in ids):
                m.usage = "metonymy"


@dataclass
class _Focus:
    """What the confident mentions resolved to: weights of countries (``cw``) and admin1
    divisions (``aw``), and each mention's own vote (``contrib``)."""

    cw: dict[int, float]
    aw: dict[int, float]
    contrib: dict[int, tuple[int, int, float]]

    def without(self, ns: list[int]) -> tuple[dict[int, float], dict[int, float], float, float]:
        """The focus from every other name (the votes of mentions ``ns`` removed), with the
        totals of its positive weights."""
        cwx, awx = dict(self.cw), dict(self.aw)
        for n in ns:
            if n in self.contrib:
                c, a1, w = self.contrib[n]
                if c:
                    cwx[c] -= w
                if a1:
                    awx[a1] -= w
        ctot = sum(v for v in cwx.values() if v > 0) or 1.0
        atot = sum(v for v in awx.values() if v > 0) or 1.0
        return cwx, awx, ctot, atot


#: kinds of entries that may be near each other on a map (spatial coherence)
_LOCAL = (KIND_CODE["city"], KIND_CODE["admin2"])


class _Resolution:
    """The candidates and scores of one :func:`resolve` call: ``res[n]`` for mention ``n``
    (demonyms of a known country need none)."""

    def __init__(self, mentions: list[Mention], g: Gazetteer) -> None:
        self.mentions, self.g = mentions, g
        self.res: dict[int, _Res] = {}
        for n, m in enumerate(mentions):
            if m.usage == "demonym" and m.country:
                continue
            ids, alt = _candidates(m, g) if m.source != "street" else ([], [])
            self.res[n] = _Res(ids, _base_scores(m, ids, alt, g))
        self.index_of = {id(m): n for n, m in enumerate(mentions)}

    def qual_bonus(self, n: int, r: _Res) -> list[float]:
        """Bonus of each candidate of mention ``n`` that agrees with its qualifier ("Paris,
        Texas") or with a mention it qualifies."""
        m, g = self.mentions[n], self.g
        extra = [0.0] * len(r.ids)
        partners: list[tuple[Mention, bool]] = []
        if m.qualifier is not None:
            partners.append((m.qualifier, True))
        partners.extend((p, False) for p in m.qualifies)
        for p, p_is_qual in partners:
            pr = self.res.get(self.index_of[id(p)])
            if pr is None or not pr.ids:
                continue
            for k, i in enumerate(r.ids):
                for q in pr.ids[:60]:
                    if (_agree(g, i, q) if p_is_qual else _agree(g, q, i)):
                        extra[k] += QUALIFIER_BONUS
                        break
        return extra

    def first_pass(self) -> None:
        """Pass 1: priors + qualifiers (weak mentions do not vote)."""
        for n, r in self.res.items():
            sc = [a + b for a, b in zip(r.base, self.qual_bonus(n, r))]
            r.best, r.prob = _softmax_best(sc)

    def focus(self) -> _Focus:
        """Document focus: what the confident mentions resolved to, and demonyms."""
        g, mentions = self.g, self.mentions
        focus = _Focus(defaultdict(float), defaultdict(float), {})
        for n, r in self.res.items():
            if r.best < 0 or mentions[n].source in ("weak", "loose"):
                continue
            i = r.ids[r.best]
            w = r.prob * (3.0 if mentions[n].dateline else 1.0)
            focus.contrib[n] = (g.cc[i], g.a1[i], w)
            if g.cc[i]:
                focus.cw[g.cc[i]] += w
            if g.a1[i]:
                focus.aw[g.a1[i]] += w
        for m in mentions:
            if m.usage == "demonym" and m.country:
                ci = g.country_idx.get(m.country)
                if ci is not None:
                    focus.cw[g.cc[ci]] += 0.5
        return focus

    def cell_keys(self, by_key: dict[str, list[int]]) -> dict[tuple[int, int], set[str]]:
        """Spatial coherence: 1-degree cells holding a plausible local candidate of each
        name."""
        g = self.g
        cells: dict[tuple[int, int], set[str]] = defaultdict(set)
        for key, ns in by_key.items():
            r = self.res[ns[0]]
            order = sorted(range(len(r.ids)), key=lambda k: -r.base[k])[:NEAR_TOP]
            for k in order:
                i = r.ids[k]
                if g.kinds[i] in _LOCAL:
                    cells[(math.floor(g.lats[i]), math.floor(g.lons[i]))].add(key)
        return cells

    def second_pass(self) -> set[int]:
        """Pass 2: with focus; one sense per name within the article. Return the mentions
        dropped (weak names that nothing in the article supports)."""
        focus = self.focus()
        by_key: dict[str, list[int]] = defaultdict(list)
        for n in self.res:
            by_key[self.mentions[n].key].append(n)
        cells = self.cell_keys(by_key)
        drop: set[int] = set()
        for key, ns in by_key.items():
            if not self._settle_name(key, ns, focus, len(by_key) > 1, cells):
                drop.update(ns)
        return drop

    def _settle_name(self, key: str, ns: list[int], focus: _Focus, several: bool,
                     cells: dict[tuple[int, int], set[str]]) -> bool:
        """Choose one sense for the mentions ``ns`` of name ``key``; False if they are weak
        and unsupported (dropped)."""
        g, mentions = self.g, self.mentions
        r0 = self.res[ns[0]]
        cwx, awx, ctot, atot = focus.without(ns)
        total = [-1e9] * len(r0.ids)
        qualified = [False] * len(r0.ids)
        for n in ns:
            r = self.res[n]
            qb = self.qual_bonus(n, r)
            for k in range(len(r.ids)):
                total[k] = max(total[k], r.base[k] + qb[k])
                qualified[k] = qualified[k] or qb[k] > 0
        support = [False] * len(r0.ids)
        loose_only = all(mentions[n].source == "loose" for n in ns)
        weak_only = all(mentions[n].source in ("weak", "loose") for n in ns)
        for k, i in enumerate(r0.ids):
            c_share = max(cwx.get(g.cc[i], 0.0), 0.0) / ctot if g.cc[i] else 0.0
            a_share = max(awx.get(g.a1[i], 0.0), 0.0) / atot if g.a1[i] else 0.0
            if g.kinds[i] in (KIND_CODE["country"], KIND_CODE["region"], KIND_CODE["feature"]):
                a_share = 0.0
            total[k] += FOCUS_COUNTRY * c_share + FOCUS_ADMIN1 * a_share
            if a_share >= 0.25 or qualified[k] or (
                    loose_only and c_share >= WEAK_COUNTRY_SHARE
                    and g.pops[i] >= WEAK_COUNTRY_MIN_POP
                    and g.kinds[i] != KIND_CODE["country"]):
                support[k] = True
            if g.kinds[i] in _LOCAL and several:
                near = _near_names(g, i, cells, key)
                if near:
                    total[k] += NEAR_BONUS * min(len(near), NEAR_MAX)
                    support[k] = support[k] or len(near) >= WEAK_NEAR_MIN
        if weak_only:
            # Kept only when a candidate agrees with the article's other places.
            total = [t if sup else -1e9 for t, sup in zip(total, support)]
            if not any(support):
                return False
        best, prob = _softmax_best(total)
        for n in ns:
            self.res[n].best, self.res[n].prob = best, prob
        return True

    def places(self, drop: set[int]) -> list[Place]:
        """The Places of the mentions not in ``drop``, with their detection confidence."""
        g = self.g
        places: list[Place] = []
        for n, m in enumerate(self.mentions):
            if n in drop:
                continue
            conf = DET_CONF.get(m.source, 0.7)
            if m.usage == "demonym" and m.country:
                ci = g.country_idx.get(m.country)
                if ci is None:
                    continue
                c = g.candidate(ci)
                places.append(Place(m.text, m.start, m.end, c.name, c.geonameid, c.country,
                                    None, c.lat, c.lon, "country", "demonym",
                                    round(conf * 0.8, 3)))
                continue
            r = self.res[n]
            if r.best < 0:
                if not capitalised(m.text):
                    continue  # "in absentia": a name the gazetteer lacks is capitalised
                places.append(unresolved_place(m.text, m.start, m.end, m.usage, conf * 0.3))
                continue
            c = g.candidate(r.ids[r.best])
            divided = c.kind not in ("country", "region", "feature")
            places.append(Place(m.text, m.start, m.end, c.name, c.geonameid, c.country,
                                c.admin1 if divided else None,
                                round(c.lat, 5), round(c.lon, 5), c.kind, m.usage,
                                round(conf * r.prob, 3), c.admin1_name if divided else None,
                                c.admin2 if divided else None))
        return places


def _near_names(g: Gazetteer, i: int, cells: dict[tuple[int, int], set[str]],
                key: str) -> set[str]:
    """Other names with a local candidate in the 3x3 cells around entry ``i``."""
    cy, cx = math.floor(g.lats[i]), math.floor(g.lons[i])
    near: set[str] = set()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            near |= cells.get((cy + dy, cx + dx), set())
    near.discard(key)
    return near


def find_places(doc: Any, published: date | None = None) -> list[Place]:
    """Find and resolve the places of a parsed article (``doc.text`` is the article text)."""
    g = load_gazetteer()
    mentions = recognise(doc, find_mentions(doc, g), g)
    places = resolve(doc, mentions, g)
    imply_countries(places, mentions)
    return places


# --------------------------------------------------------------------------- learned recognition


def _person_name_parts(doc: Any) -> set[str]:
    out = {normalize(t.text) for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1
           for t in ent if t.text[:1].isupper()}
    out.discard("")
    return out


def recognition_candidates(doc: Any, mentions: list[Mention], g: Gazetteer
                           ) -> list[tuple[Mention | None, int, int, str, list[str]]]:
    """(weak mention or None, start, end, origin, features) of every name the recognizer
    scores: the rules' weak and loose mentions, and names no mention covers."""
    from .place_cues import candidates, doc_countries, features

    persons = _person_name_parts(doc)
    countries = doc_countries(g, [m.key for m in mentions
                                  if m.source not in ("weak", "loose") and m.usage == "literal"])
    out: list[tuple[Mention | None, int, int, str, list[str]]] = []
    for m in mentions:
        if m.source in ("weak", "loose"):
            out.append((m, m.tok_start, m.tok_end, m.source, features(
                doc, m.tok_start, m.tok_end, m.source, g, m.key, countries, persons)))
    for ts, te, origin in candidates(doc, [(m.tok_start, m.tok_end) for m in mentions]):
        while te > ts + 1 and (doc[te - 1].is_punct or doc[te - 1].text in ("'s", "\u2019s")):
            te -= 1
        key = _clean_key(doc[ts:te].text)
        if not key or len(key) < 3 or (te - ts == 1 and (key in GENERIC_WORDS
                                                         or key in GENERIC_CORE)):
            continue
        out.append((None, ts, te, origin,
                    features(doc, ts, te, origin, g, key, countries, persons)))
    return out


def recognise(doc: Any, mentions: list[Mention], g: Gazetteer,
              model: dict[str, Any] | None = None) -> list[Mention]:
    """Add the names the place recognizer (:mod:`tidings.stages.place_cues`) scores as places
    and promote weak mentions it is sure of; ``model={}`` switches it off."""
    from .place_cues import load_recognizer, score

    model = load_recognizer() if model is None else model
    if not model:
        return mentions
    threshold = model.get("threshold", 0.5)
    added = False
    for m, ts, te, _origin, feats in recognition_candidates(doc, mentions, g):
        if score(feats, model) < threshold:
            continue
        if m is not None:
            m.source = "cue"
            continue
        span = doc[ts:te]
        mentions.append(Mention(span.start_char, span.end_char, span.text,
                                _clean_key(span.text), "cue", ts, te))
        added = True
    if added:
        mentions.sort(key=lambda m: m.start)
        for m in mentions:
            m.qualifier, m.qualifies = None, []
        _link_qualifiers(mentions, doc.text, g)
    return mentions


# --------------------------------------------------------------------------- unresolved names

#: ``Place.kind`` of a name the gazetteer does not know: the surface name is kept
UNRESOLVED = "unresolved"
_POSSESSIVE = re.compile(r"(?:['’]s?)$")


def surface_name(text: str) -> str:
    """The name a mention spells ("Kwarbassoungou's" -> "Kwarbassoungou")."""
    t = " ".join(text.split()).strip(" .,;:")
    return _POSSESSIVE.sub("", t).strip() or t


def capitalised(text: str) -> bool:
    """Whether a name has a capitalised word: an English toponym does ("in absentia" not)."""
    return any(w[:1].isupper() for w in text.split())


def unresolved_place(text: str, start: int, end: int, usage: str = "literal",
                     score: float = 0.3, country: str | None = None) -> Place:
    """A place the gazetteer does not know: its surface name, kind ``unresolved``, no point."""
    return Place(text, start, end, surface_name(text), None, country, None, None, None,
                 UNRESOLVED, usage, round(score, 3))


def implied_country(places: list[Place], min_share: float = 0.0) -> str | None:
    """The country an unplaced name in this article is most likely in: the focus of the
    resolved places when it holds at least ``min_share`` of their weight."""
    resolved = [p for p in places if p.kind != UNRESOLVED and p.country]
    focus = place_focus(resolved)
    if focus is None or not min_share:
        return focus
    total = sum(p.score for p in resolved) or 1.0
    return focus if sum(p.score for p in resolved if p.country == focus) / total >= min_share \
        else None


def imply_countries(places: list[Place], mentions: list[Mention]) -> None:
    """Give unresolved places the country their context implies: a qualifier's ("Tinzaouaten,
    Mali"; with its admin-1 where it is a division), else the article's focus country."""
    by_span = {(p.start, p.end): p for p in places}
    focus = implied_country(places, IMPLIED_FOCUS_SHARE)
    for m in mentions:
        p = by_span.get((m.start, m.end))
        if p is None or p.kind != UNRESOLVED or p.country:
            continue
        q = by_span.get((m.qualifier.start, m.qualifier.end)) if m.qualifier else None
        if q is not None and q.country and q.kind in ("country", "admin1", "admin2"):
            p.country = q.country
            if q.kind != "country":
                p.admin1, p.admin1_name = q.admin1, q.admin1_name
                p.admin2 = q.admin2 if q.kind == "admin2" else None
        elif focus is not None:
            p.country = focus


def place_focus(places: Iterable[Place]) -> str | None:
    """Return the ISO-3 country the article is mostly about, or None."""
    weights: dict[str, float] = defaultdict(float)
    first: dict[str, int] = {}
    for p in places:
        if not p.country:
            continue
        w = p.score * (0.5 if p.usage == "demonym" else 1.0)
        weights[p.country] += w
        first.setdefault(p.country, p.start)
    if not weights:
        return None
    return max(weights, key=lambda c: (weights[c], -first[c]))


def baseline_places(doc: Any) -> list[Place]:
    """Population-prior baseline: spaCy GPE/LOC spans, largest-population candidate."""
    g = load_gazetteer()
    out: list[Place] = []
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC"):
            continue
        ids = g.ids(ent.text)
        if not ids:
            out.append(Place(ent.text, ent.start_char, ent.end_char, None, None, None, None,
                             None, None, "unknown", "literal", 0.0))
            continue
        c = g.candidate(max(ids, key=lambda i: g.pops[i]))
        out.append(Place(ent.text, ent.start_char, ent.end_char, c.name, c.geonameid,
                         c.country, c.admin1, c.lat, c.lon, c.kind, "literal", 1.0))
    return out
