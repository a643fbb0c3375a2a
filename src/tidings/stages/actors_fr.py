"""Actors in French text, resolved against the same knowledge base as English ones.

The English knowledge base (``actors.json``, ``countries.json``) keeps its ids; French data
(``data/fr/actors.json``: French names and acronyms of its entities, actors named mostly in
French, French sector words; ``data/fr/countries.tsv``: country names and demonyms) adds the
French surface forms, so "la CEDEAO" is ``IGO-ECOWAS``, "l'EIGS" ``REB-ISSAHEL`` and "les
soldats nigériens" NER/MIL, exactly as "ECOWAS", "IS Sahel" and "Nigerien soldiers".

An actor is found by matching, left to right in each sentence (French adjectives follow the
noun, so the country usually comes after the sector word):

- knowledge-base names (exact case, accents folded: "FAMa", "Etat islamique au Sahel");
- a sector phrase ("l'armée", "les forces de l'ordre", "le ministre de la Défense") with the
  country that follows it as a demonym ("l'armée nigérienne", "le ministre nigérien de la
  Défense") or a de-phrase ("l'armée du Niger", "les autorités de Bamako"); "la junte",
  "le gouvernement", "les autorités" with no country are the country in focus, as in English;
- a country name, capital or demonym on its own ("le Bénin a dénoncé", "Kinshasa accuse
  Kigali", "les Nigériens").
A titled person the knowledge base does not know ("le président Bola Tinubu") takes the
title's sector and the country the sentence or article is about (``country_basis="context"``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..gazetteer import DATA_DIR
from ..model import Actor
from .actors import Entry, load_kb
from .places_fr import _rows, french_names

__all__ = ["find_actors_fr", "load_kb_fr"]

_DATELINE = re.compile(r"(?:^|\n)\s*([A-ZÀ-Ý][A-ZÀ-Ý .'’-]{1,40}?)\s*(?:,[^—–\n]{1,30})?\s*[—–]")
#: words that introduce a place, not an actor ("à Niamey", "près de Gao")
LOCATIVE = {"à", "a", "au", "aux", "en", "dans", "près", "vers", "depuis", "sur", "chez",
            "proche", "travers", "autour", "entre", "nord", "sud", "est", "ouest", "centre"}
#: sector heads that, with a definite article and no country, are the country in focus
_FOCUS_HEADS = {"junte", "gouvernement", "autorités", "régime", "pouvoir", "armée", "état-major",
                "présidence", "exécutif", "gouvernement de transition", "autorités de transition",
                "président de la transition", "junte militaire", "forces armées", "police",
                "forces de sécurité", "forces de l'ordre", "ministère", "ministre",
                "ministère de la défense", "ministre de la défense", "premier ministre",
                "ministère des affaires étrangères", "ministre des affaires étrangères",
                "chef de l'état", "président", "porte-parole", "militaires", "soldats"}
_DEFINITE = {"le", "la", "les", "l'", "l’", "ce", "cette", "ces"}


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).replace("’", "'")


@dataclass
class FrenchKB:
    """Surface forms (accent-folded, case kept) -> entries; lower-case sector phrases."""

    names: dict[str, Entry] = field(default_factory=dict)
    demonyms: dict[str, Entry] = field(default_factory=dict)  # folded lower-case form
    sector_words: dict[str, list[str]] = field(default_factory=dict)  # folded lower-case
    max_len: int = 1
    max_sector_len: int = 1


@lru_cache(maxsize=1)
def load_kb_fr() -> FrenchKB:  # noqa: C901 (a flat case analysis, kept whole for now)
    """Load (once) the French surface forms over the English knowledge base."""
    kb = load_kb()
    fr = json.loads((DATA_DIR / "fr" / "actors.json").read_text("utf-8"))
    out = FrenchKB()
    by_id: dict[str, Entry] = {}
    for name, entry in kb.names.items():
        by_id.setdefault(entry.kb_id, entry)
        if entry.kind in _NAMED_KINDS and (len(name) > 2 or name.isupper()):
            out.names.setdefault(_fold(name), entry)
    _, demonyms, _ = french_names()
    for row in _rows("countries.tsv"):
        c = kb.countries.get(row[0])
        if c is None:
            continue
        for name in row[1].split("|"):
            out.names[_fold(name)] = c
            out.names[_fold(name[:1].upper() + name[1:])] = c  # "île Maurice" opening a line
    for c in kb.countries.values():
        out.names.setdefault(_fold(c.name), c)
    for name, entry in kb.names.items():
        if entry.kind == "capital":
            out.names.setdefault(_fold(name), entry)
    for folded, iso3 in demonyms.items():
        c = kb.countries.get(iso3)
        if c is not None:
            out.demonyms[folded] = Entry(iso3, c.name, iso3, None, "demonym")
    for kb_id, aliases in fr["aliases"].items():
        known = by_id.get(kb_id)
        if known is None:
            continue
        for a in aliases:
            out.names[_fold(a)] = known
    for e in fr["entities"]:
        entry = Entry(e["id"], e["name"], e.get("country"), e.get("sector"), e["kind"])
        for a in [*e["aliases"]]:
            out.names[_fold(a)] = entry
    for sector, words in fr["sector_words"].items():
        for w in words:
            out.sector_words.setdefault(_fold(w.lower()), [sector])
    for phrase, sectors in fr.get("compound_sectors", {}).items():
        out.sector_words[_fold(phrase.lower())] = list(sectors)
    out.max_len = max(len(n.split()) for n in out.names) + 2
    out.max_sector_len = max(len(w.split()) for w in out.sector_words) + 2
    return out


_NAMED_KINDS = ("institution", "igo", "ngo", "group", "person", "country")


def _span_text(tokens: list[Any]) -> str:
    return _fold("".join(t.text_with_ws for t in tokens).strip())


def _match_name(tokens: list[Any], i: int, kb: FrenchKB) -> tuple[int, Entry] | None:
    n = len(tokens)
    for length in range(min(kb.max_len, n - i), 0, -1):
        text = _span_text(tokens[i:i + length])
        e = kb.names.get(text)
        if e is not None:
            return i + length, e
    return None


def _match_sector(tokens: list[Any], i: int, kb: FrenchKB,
                  ) -> tuple[int, list[str], Entry | None] | None:
    """Longest sector phrase at ``i``; a demonym inside it is its country ("ministre nigérien
    de la Défense")."""
    n = len(tokens)
    for length in range(min(kb.max_sector_len, n - i), 0, -1):
        toks = tokens[i:i + length]
        if any(t.is_punct for t in toks):
            continue
        words = [_fold(t.lower_) for t in toks]
        phrase = _span_text(toks).lower()  # "état-major", "l'ordre": the text's own spacing
        if phrase in kb.sector_words:
            return i + length, kb.sector_words[phrase], None
        if length >= 3:
            for k in range(1, length - 1):
                dem = kb.demonyms.get(words[k])
                if dem is not None:
                    rest = " ".join(words[:k] + words[k + 1:]).replace("' ", "'")
                    if rest in kb.sector_words:
                        return i + length, kb.sector_words[rest], dem
    return None


def _country_after(tokens: list[Any], j: int, kb: FrenchKB) -> tuple[int, Entry] | None:
    """A demonym ("nigérienne") or a de-phrase with a country, capital or named group right
    after a sector phrase ("du Niger", "de Bamako", "de la Côte d'Ivoire", "combattants du
    JNIM": the fighters are the group's)."""
    n = len(tokens)
    if j < n:
        dem = kb.demonyms.get(_fold(tokens[j].lower_))
        if dem is not None:
            return j + 1, dem
    k = j
    if k < n and tokens[k].lower_ in ("du", "de", "d'", "d’", "des"):
        k += 1
        if k < n and tokens[k].lower_ in ("la", "l'", "l’", "le"):
            k += 1
        hit = _match_name(tokens, k, kb) if k < n else None
        if hit is not None and hit[1].kind in ("country", "capital", "group", "igo",
                                               "institution"):
            return hit
    return None


def find_actors_fr(doc: Any) -> list[Actor]:
    """Return the actor mentions of a parsed French article, in text order."""
    finder = _FrActorFinder(doc, load_kb_fr())
    datelines = [(m.start(1), m.end()) for m in _DATELINE.finditer(doc.text)]
    for sent in doc.sents:
        tokens = [t for t in sent if not t.is_space and
                  not any(a <= t.idx < b for a, b in datelines)]
        finder.sentence(tokens)
    return finder.actors


class _FrActorFinder:
    """One pass of :func:`find_actors_fr`: the actors so far and the countries in focus (what
    "la junte" or "le pays" refers back to)."""

    def __init__(self, doc: Any, kb: FrenchKB) -> None:
        self.doc, self.kb = doc, kb
        self.actors: list[Actor] = []
        self.counts: dict[str, int] = {}
        self.last_country: Entry | None = None

    def focus(self) -> Entry | None:
        """The last country named as such, else the most named one (latest on ties)."""
        if self.last_country is not None:
            return self.last_country
        if not self.counts:
            return None
        best = max(reversed(list(self.counts)), key=lambda c: self.counts[c])
        return load_kb().countries.get(best)

    def note(self, entry: Entry | None) -> None:
        """Count a country named by ``entry`` towards the focus."""
        if entry is not None and entry.kind in ("country", "demonym", "capital") and entry.country:
            self.counts[entry.country] = self.counts.pop(entry.country, 0) + 1
            if entry.kind == "country":
                self.last_country = load_kb().countries.get(entry.country, entry)

    def sentence(self, tokens: list[Any]) -> None:
        """Find the actors of one sentence (its tokens outside datelines)."""
        doc, kb = self.doc, self.kb
        i, n = 0, len(tokens)
        sent_actors: list[Actor] = []
        titled: list[Actor] = []
        while i < n:
            tok = tokens[i]
            sec = _match_sector(tokens, i, kb)
            name = _match_name(tokens, i, kb) if tok.text[:1].isupper() or \
                tok.text[:1].isdigit() else None
            if name is not None and (sec is None or name[0] >= sec[0]):
                j, named_entry = name
                prev = tokens[i - 1].lower_ if i else ""
                if named_entry.kind == "capital" and prev in LOCATIVE | {"de", "d'", "d’"}:
                    i = j  # "à Niamey", "près de Gao": where, not who
                    continue
                actor = _actor(doc, tokens[i], tokens[j - 1], named_entry, [])
                sent_actors.append(actor)
                self.note(named_entry)
                i = j
                continue
            if sec is not None and sec[0] == i + 1 and tok.pos_ == "ADJ":
                sec = None  # "coopération militaire": an adjective names no actor
            if sec is not None:
                i = self._sector_phrase(tokens, i, sec, sent_actors, titled)
                continue
            dem = kb.demonyms.get(_fold(tok.lower_))
            if dem is not None and tok.text[:1].isupper() and tok.pos_ in ("NOUN", "PROPN"):
                # "les Nigériens": the people of a country
                actor = _actor(doc, tok, tok, dem, ["CVL"])
                sent_actors.append(actor)
                self.note(dem)
            i += 1
        if titled:
            named = [a for a in sent_actors if a.country and a not in titled]
            here = self.focus()
            where = named[0].country if named else (here.country if here else None)
            for a in titled:
                if where:
                    a.country, a.country_basis = where, "context"
        self.actors.extend(sent_actors)

    def _sector_phrase(self, tokens: list[Any], i: int,
                       sec: tuple[int, list[str], Entry | None], sent_actors: list[Actor],
                       titled: list[Actor]) -> int:
        """Add the actor of the sector phrase ``sec`` found at token ``i`` ("les soldats
        maliens", "la junte", "le président Bola Tinubu"); return where to go on."""
        doc, kb, n = self.doc, self.kb, len(tokens)
        j, sectors, country = sec
        after = _country_after(tokens, j, kb) if country is None else None
        end = j
        if after is not None:
            end, country = after
        entry = country
        if entry is None and _fold(" ".join(t.lower_ for t in tokens[i:j])).replace(
                "' ", "'") in _FOCUS_HEADS and i > 0 and tokens[i - 1].lower_ in _DEFINITE:
            entry = self.focus()
        # "le président Bola Tinubu": a titled person
        person_end = end
        while person_end < n and tokens[person_end].ent_type_ == "PER":
            person_end += 1
        if person_end > end and entry is None:
            hit = _match_name(tokens, end, kb)
            if hit is not None and hit[1].kind == "person":
                actor = _actor(doc, tokens[i], tokens[hit[0] - 1], hit[1], [])
                sent_actors.append(actor)
                return hit[0]
            actor = _actor(doc, tokens[i], tokens[person_end - 1], None, sectors)
            titled.append(actor)
            sent_actors.append(actor)
            return person_end
        actor = _actor(doc, tokens[i], tokens[end - 1], entry, sectors)
        sent_actors.append(actor)
        self.note(entry)
        return end


def _actor(doc: Any, first: Any, last: Any, entry: Entry | None, sectors: list[str]) -> Actor:
    start, end = first.idx, last.idx + len(last.text)
    surface = doc.text[start:end]
    if entry is None:
        a = Actor(text=surface, start=start, end=end, name=surface.lower(), country=None,
                  sector=sectors[0] if sectors else None, kb_id=None)
    else:
        sector = sectors[0] if sectors else entry.sector
        if entry.kind in ("institution", "igo", "ngo", "group") and not sectors:
            sector = entry.sector
        a = Actor(text=surface, start=start, end=end, name=entry.name, country=entry.country,
                  sector=sector, kb_id=entry.kb_id)
    a.sectors = list(sectors) if sectors else ([a.sector] if a.sector else [])
    return a
