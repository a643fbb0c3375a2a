"""Places in French text: French names and forms in front of the one gazetteer.

Recognition is French; resolution is the places stage's own (:func:`tidings.stages.places.
resolve`: population and feature-class priors, the article's focus, one sense per name).

- French exonyms of countries and regions come from data files (``data/fr/countries.tsv``,
  ``data/fr/regions.tsv``): "Tchad", "Côte d'Ivoire", "Égypte", "Afrique de l'Ouest"; cities
  need none, since GeoNames' alternate names in the gazetteer already hold "Tombouctou",
  "Alger", "Le Caire", "Moscou";
- articles, prepositions and elisions are not part of a name: "le Niger", "au Mali",
  "l'Est du Tchad", "d'Agadez", "aux États-Unis"; direction words are dropped ("l'Est",
  "le nord du Mali");
- the French model's LOC entities, other entities that are known names (it sometimes calls a
  country MISC or PER), and capitalised words that are countries, regions or big places;
- demonyms with their feminine and plural forms ("nigérien", "nigérienne", "nigériens",
  "nigériennes") are ``usage="demonym"`` mentions of their country.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import lru_cache
from typing import Any

from ..gazetteer import DATA_DIR, Gazetteer, load_gazetteer, normalize
from ..model import Place
from .places import Mention, resolve

__all__ = ["find_places_fr", "french_names", "demonym_forms_fr"]

#: words before a name that are not part of it ("le Niger", "au Mali", "l'Égypte")
_LEADING = {"le", "la", "les", "l'", "l’", "d'", "d’", "du", "des", "au", "aux", "en", "de"}
#: direction words ("l'Est du Tchad", "le nord du Mali") and generic heads that are no place
_DIRECTIONS = {"est", "ouest", "nord", "sud", "centre", "nord-est", "nord-ouest", "sud-est",
               "sud-ouest", "extrême-nord", "centre-nord", "centre-est", "centre-sud",
               "centre-ouest", "haut", "bas", "grand"}
#: capitalised words that are gazetteer names somewhere but words in French text
_NOT_PLACES = {"le", "la", "les", "un", "une", "des", "est", "ouest", "nord", "sud", "centre",
               "état", "etat", "etats", "président", "ministre", "premier", "selon", "lundi",
               "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "armée", "plus",
               "pays", "ville", "région", "province", "conseil", "forces", "force", "union",
               "police", "cour", "mission", "national", "nationale", "république", "paix",
               "front", "alliance", "mouvement", "groupe", "sécurité", "defense", "défense",
               "transition", "gouvernement", "nations", "unies",
               "ce", "cette", "son", "sa", "ses", "leur", "nous", "il", "elle", "ils", "on",
               "vers", "après", "avant", "depuis", "pour", "avec", "dans", "sur", "sans"}


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower().replace("’", "'")


def _rows(name: str) -> list[list[str]]:
    text = (DATA_DIR / "fr" / name).read_text("utf-8")
    return [ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def demonym_forms_fr(masc: str) -> list[str]:
    """Return a French demonym with its feminine and plural forms.

    "nigérien" -> nigérienne, nigériens, nigériennes; "sénégalais" -> sénégalaise(s);
    "marocain" -> marocaine(s), marocains; "belge" -> belges; "burkinabè" stays.
    """
    w = masc
    if w.endswith(("è", "é", "e")) and not w.endswith(("ien",)):
        return [w, w + "s"] if w.endswith("e") else [w, w + "s"]
    if w.endswith("en"):
        return [w, w + "ne", w + "s", w + "nes"]
    if w.endswith(("ais", "ois")):
        return [w, w + "e", w + "es"]
    if w.endswith("i"):
        return [w, w + "e", w + "s", w + "es"]
    return [w, w + "e", w + "s", w + "es"]


@lru_cache(maxsize=1)
def french_names() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Return (folded French country name -> ISO-3, folded demonym form -> ISO-3,
    folded French region name -> regions.json name)."""
    countries: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for row in _rows("countries.tsv"):
        iso3, names = row[0], row[1].split("|")
        for n in names:
            countries.setdefault(_fold(n), iso3)
        for d in (row[2].split("|") if len(row) > 2 and row[2] else []):
            for f in demonym_forms_fr(d):
                demonyms.setdefault(_fold(f), iso3)
    regions: dict[str, str] = {}
    for row in _rows("regions.tsv"):
        for n in row[1].split("|"):
            regions[_fold(n)] = row[0]
    return countries, demonyms, regions


def _name_key(text: str, g: Gazetteer) -> str | None:
    """The gazetteer key of a French place name (after its article), or None if unknown."""
    countries, _, regions = french_names()
    f = _fold(text).strip(" .,;:")
    if f in countries:
        c = g.country(countries[f])
        return normalize(c.name) if c is not None else None
    if f in regions:
        return normalize(regions[f])
    key = normalize(text)
    return key if key and g.raw_ids(key) else None


def _trim(doc: Any, s: int, e: int) -> tuple[int, int]:
    """Drop articles, prepositions, elisions and direction words at the edges of a span."""
    while s < e - 1 and (doc[s].lower_ in _LEADING or doc[s].lower_ in _DIRECTIONS):
        s += 1
    # "l'Est du Tchad": the direction and its "du" go
    while s < e - 1 and doc[s].lower_ in _DIRECTIONS | {"du", "de", "d'", "des", "la", "l'"}:
        s += 1
    while e > s + 1 and (doc[e - 1].is_punct or doc[e - 1].lower_ in _LEADING):
        e -= 1
    return s, e


def find_mentions_fr(doc: Any, g: Gazetteer) -> list[Mention]:  # noqa: C901 (a flat case analysis, kept whole for now)
    """Return the toponym and demonym mentions of a French ``doc`` in text order."""
    _, demonyms, _ = french_names()
    taken = bytearray(len(doc) + 1)
    out: list[Mention] = []

    def add(s: int, e: int, source: str, usage: str = "literal",
            country: str | None = None) -> bool:
        s, e = _trim(doc, s, e)
        if e <= s or any(taken[s:e]):
            return False
        span = doc[s:e]
        if usage == "demonym":
            key = normalize(span.text)
        else:
            if len(span) == 1 and _fold(span.text) in _NOT_PLACES:
                return False
            letters = span.text.replace(".", "").replace("-", "")
            if letters.isupper() and len(letters) <= 4 and \
                    _fold(span.text) not in french_names()[0]:
                return False  # "FLA", "AES", "VDP": acronyms of groups, not Florida
            k = _name_key(span.text, g)
            if k is None:
                return False
            key = k
        for k2 in range(s, e):
            taken[k2] = 1
        out.append(Mention(span.start_char, span.end_char, span.text, key, source, s, e,
                           usage, country))
        return True

    # 1. Entities: LOC, and other labels whose text is a known name
    for ent in doc.ents:
        s, e = _trim(doc, ent.start, ent.end)
        if ent.label_ in ("LOC", "GPE"):
            if not add(s, e, "GPE" if ent.label_ == "GPE" else "LOC"):
                # "la région de Tillabéri", "l'Est du Tchad": the known name inside
                _longest_inside(doc, s, e, g, add, "LOC")
        elif ent.label_ in ("MISC", "PER", "ORG") and e - s <= 4:
            if _name_key(doc[s:e].text, g) is not None and _strong(doc[s:e].text, g):
                add(s, e, "gaz")
    # 2. Capitalised words outside entities: countries, regions, big places
    i, n = 0, len(doc)
    while i < n:
        tok = doc[i]
        if taken[i] or not tok.text[:1].isupper():
            i += 1
            continue
        j = i
        while j < n and j - i < 5 and not taken[j] and (
                doc[j].text[:1].isupper() or (j > i and doc[j].lower_ in
                                              ("de", "du", "d'", "d’", "-", "et"))):
            j += 1
        found = False
        for size in range(j - i, 0, -1):
            for a in range(i, j - size + 1):
                txt = doc[a:a + size].text
                if _name_key(txt, g) is not None and _strong(txt, g) and add(a, a + size, "gaz"):
                    found = True
                    break
            if found:
                break
        i = max(j, i + 1)
    # 3. Demonyms, capitalised or not ("les Nigériens", "l'armée nigérienne")
    for tok in doc:
        if taken[tok.i]:
            continue
        iso3 = demonyms.get(_fold(tok.text))
        if iso3 and tok.pos_ in ("ADJ", "NOUN", "PROPN"):
            add(tok.i, tok.i + 1, "NORP", "demonym", iso3)
    out.sort(key=lambda m: m.start)
    return out


def _strong(text: str, g: Gazetteer) -> bool:
    """A country, region or big place (matched even when the NER did not call it a place)."""
    countries, _, regions = french_names()
    f = _fold(text)
    if f in countries or f in regions:
        return True
    return normalize(text) in g.strong


def _longest_inside(doc: Any, s: int, e: int, g: Gazetteer, add: Any, source: str) -> None:
    for size in range(min(e - s, 4), 0, -1):
        for a in range(s, e - size + 1):
            if doc[a].text[:1].isupper() and _name_key(doc[a:a + size].text, g) is not None:
                if add(a, a + size, source):
                    return


def find_places_fr(doc: Any, published: date | None = None) -> list[Place]:
    """Find and resolve the places of a parsed French article."""
    g = load_gazetteer()
    return resolve(doc, find_mentions_fr(doc, g), g)
