"""Actors stage: find who acts, resolved against the actor knowledge base.

Reads the spaCy parse; adds ``Document.actors``. The knowledge base is data:
``data/countries.json`` (names, aliases, demonyms, capitals of every country) and
``data/actors.json`` (institutions, inter-governmental bodies, NGOs, armed and political groups,
sector words). An actor mention is a nominal phrase: its head decides the sector ("troops" →
MIL), its modifiers the country ("US troops", "Niger's ruling junta", "Russian trainers").
Simple in-article references ("the group", "the country", "the junta") resolve to the last
compatible actor mentioned before them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from collections.abc import Iterator
from typing import Any

from ..errors import ModelError
from ..model import Actor, Place
from .datelines import dateline_spans

#: dependency labels whose subtree belongs to a nominal phrase's pre-modification
_PREMOD = {"compound", "amod", "poss", "nmod", "det", "nummod", "quantmod", "case", "punct",
           "npadvmod"}
#: "the country", "the West African nation" refer back to the last country mentioned
_COUNTRY_NOUNS = {"country", "nation", "state", "republic", "kingdom"}
#: prepositions whose object is where something happens ("talks in Pretoria"), not a party
_WHERE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "from", "to", "into"})
#: plural nouns that, with "two" or "both", refer back to the two parties named most
_PAIR_NOUNS = frozenset({"countries", "sides", "parties", "nations", "governments", "states",
                         "neighbours", "neighbors", "leaders", "presidents", "delegations",
                         "rivals", "armies", "militaries"})
_GROUP_NOUNS = {"group", "organisation", "organization", "movement", "militia", "faction"}
#: a state's own institutions, named without their state ("the army", "security forces",
#: "the public prosecutor"): a definite reference to the country in focus. Troops and
#: soldiers are left out (often foreign), and so is anything "foreign" or "international".
_NATIONAL_HEADS = {"army", "military", "police", "gendarmerie", "navy", "prosecutor",
                   "ministry", "presidency", "parliament", "judiciary", "regulator",
                   "ombudsman"}
_RULERS = {"junta", "government", "regime", "authorities", "rulers"}
#: bodies that act where they are: with no country named, that of the article's places
_LOCAL_BODIES = {"police", "authorities", "policemen", "gendarmes", "gendarmerie"}
#: buildings and posts a state organ holds: "a police post", "the parliament building", "an
#: army base", "the presidential palace" name the organ (the modifier's sector) as an actor,
#: the target of an attack on them or of a protest outside them
FACILITIES = frozenset({"station", "post", "outpost", "base", "barracks", "building",
                         "palace", "headquarters", "office", "compound", "residence",
                         "checkpoint"})
#: the modifiers that say which organ holds a facility, and its sector
_FACILITY_OWNERS = {"police": "POL", "army": "MIL", "military": "MIL", "parliament": "GOV",
                    "government": "GOV", "presidential": "GOV", "parliamentary": "GOV",
                    "ministry": "GOV", "gendarmerie": "POL", "navy": "MIL", "naval": "MIL"}
_NATIONAL_FORCES = {"security", "armed", "air", "defence", "defense"}
_NOT_NATIONAL = {"foreign", "international", "peacekeeping", "regional", "multinational",
                 "rebel", "private", "allied", "coalition", "joint"}


@dataclass(frozen=True)
class Entry:
    """One knowledge-base entry a name can resolve to."""

    kb_id: str
    name: str
    country: str | None
    sector: str | None
    kind: str  # country, demonym, capital, institution, igo, ngo, group


@dataclass
class KnowledgeBase:
    names: dict[str, Entry] = field(default_factory=dict)  # exact-case surface form → entry
    sector_words: dict[str, str] = field(default_factory=dict)  # lower-case word/phrase → sector
    compound_sectors: dict[str, list[str]] = field(default_factory=dict)
    countries: dict[str, Entry] = field(default_factory=dict)  # ISO-3 → country entry
    max_len: int = 1  # longest name in tokens


def known_person(a: Actor) -> bool:
    """Whether an actor is a person the knowledge base knows (its id holds ``-PER-``:
    "PAK-PER-KHAN"), not a state, a body or a description."""
    return "-PER-" in (a.kb_id or "")


def _load_json(name: str) -> Any:
    try:
        return json.loads(resources.files("tidings.data").joinpath(name).read_text("utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"E103 data file {name!r} is missing from the tidings package") from exc


def _plural(word: str) -> list[str]:
    """A demonym and its plural ("Iraqi" -> "Iraqis"; "Chinese" and "Swiss" stay)."""
    if word.endswith(("s", "ese", "sh", "ch")):
        return [word]
    return [word, word + "s"]


#: country names that are everyday English words; their other forms ("Réunion") still match
_COMMON_WORD_NAMES = {"Reunion"}


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """Load (once) the actor knowledge base from the package data files."""
    kb = KnowledgeBase()
    capital_rank: dict[str, tuple[bool, int]] = {}
    for c in _load_json("countries.json"):
        iso3 = c["iso3"]
        entry = Entry(iso3, c["name"], iso3, None, "country")
        kb.countries[iso3] = entry
        for n in [c["name"], *c.get("aliases", [])]:
            if n in _COMMON_WORD_NAMES:
                continue  # "Reunion in Maiduguri" is a heading, not the island
            kb.names.setdefault(n, entry)
        for d in c.get("demonyms", []):
            for form in _plural(d):
                kb.names.setdefault(form, Entry(iso3, c["name"], iso3, None, "demonym"))
        cap = c.get("capital")
        if cap:
            # a capital as an actor is the government sitting there ("Washington said"); a
            # capital two entries share (Belgrade: Serbia and the former Serbia and Montenegro;
            # Kingston: Jamaica and Norfolk Island) belongs to the current state with a
            # located capital, then to the most populous
            rank = (c.get("capital_geonameid") is not None, c.get("population") or 0)
            known = kb.names.get(cap)
            if known is None or known.kind == "capital" and rank > capital_rank[cap]:
                kb.names[cap] = Entry(iso3, c["name"], iso3, "GOV", "capital")
                capital_rank[cap] = rank
    data = _load_json("actors.json")
    for e in data["entities"]:
        entry = Entry(e["id"], e["name"], e.get("country"), e.get("sector"), e["kind"])
        for n in [e["name"], *e.get("aliases", [])]:
            kb.names[n] = entry  # specific entities win over country aliases
    for sector, words in data["sector_words"].items():
        for w in words:
            kb.sector_words.setdefault(w.lower(), sector)
    kb.compound_sectors = {k.lower(): v for k, v in data.get("compound_sectors", {}).items()}
    kb.max_len = max(len(n.split()) for n in kb.names)
    return kb


#: capitalised words after a country's name that make it another place's name ("the Niger
#: River", "the Congo Basin", "Niger State", "the Niger Delta")
_FEATURE_WORDS = {"River", "Delta", "Basin", "Valley", "State", "Lake", "Gulf", "Sea",
                  "Desert", "Mountains", "Plateau", "Strait", "Canal", "Bay", "Coast"}


#: capitalised words before a country's name that make it a region's name when the two are no
#: country together ("Latin America", "Central America"; "South Sudan" is matched whole first)
_REGION_PREFIXES = {"Latin", "South", "North", "Central"}


def _feature_name(tokens: list[Any], start: int, end: int, entry: Any) -> bool:
    """Whether a country's name is only part of a river's, region's or state's name."""
    if entry.kind != "country":
        return False
    return (end < len(tokens) and tokens[end].text in _FEATURE_WORDS) or (
        start > 0 and tokens[start - 1].text in _REGION_PREFIXES)


def _match_names(tokens: list[Any], kb: KnowledgeBase) -> list[tuple[int, int, Entry]]:
    """Return (first token, last token + 1, entry) for KB names in ``tokens``, longest first."""
    out: list[tuple[int, int, Entry]] = []
    i, n = 0, len(tokens)
    while i < n:
        hit = None
        for length in range(min(kb.max_len, n - i), 0, -1):
            span = tokens[i:i + length]
            text = "".join(t.text_with_ws for t in span).strip()
            entry = kb.names.get(text)
            if entry is not None and not _feature_name(tokens, i, i + length, entry):
                hit = (i, i + length, entry)
                break
        if hit:
            out.append(hit)
            i = hit[1]
        else:
            i += 1
    return out


_STATE_OF = {"emergency", "siege", "war", "alert", "alarm", "exception", "mourning", "play",
             "affairs", "readiness"}
_CURRENCY_WORDS = {"$", "dollar", "dollars", "cent", "cents", "pound", "pounds", "euro", "euros",
                   "yen", "rupee", "rupees", "rouble", "roubles", "ruble", "rubles", "franc",
                   "francs", "shilling", "shillings", "naira", "rand", "peso", "pesos", "dinar",
                   "dinars", "riyal", "riyals"}


def _currency(tok: Any) -> bool:
    """Whether a country name only qualifies a currency ("US $50 million", "US dollars")."""
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return (nxt is not None and nxt.lower_ in _CURRENCY_WORDS) or (
        tok.dep_ == "compound" and tok.head.lower_ in _CURRENCY_WORDS)


def _coordinated(phrase: list[Any], by_token: dict[int, Any], chosen: Any) -> list[Any]:
    """Country entries coordinated with ``chosen`` inside a phrase ("US and British")."""
    out: list[Any] = []
    for t in phrase:
        e = by_token.get(t.i)
        if e is None or e is chosen or e.kind not in ("country", "demonym") or \
                e.country == chosen.country or any(o.country == e.country for o in out):
            continue
        mate = by_token.get(t.head.i)
        linked = t.dep_ == "conj" or any(c.dep_ == "conj" and by_token.get(c.i) is not None
                                         for c in t.children)
        if linked and (mate is not None or t.dep_ != "conj"):
            out.append(e)
    return out


def _ethnic(tok: Any, by_token: dict[int, Any]) -> bool:
    """Whether a demonym names an ethnic group, not a state: "ethnic Albanians" in Macedonia
    act for no state (PLOVER codes them by where they live, which the event rules supply)."""
    entry = by_token.get(tok.i)
    if entry is None or entry.kind != "demonym":
        return False
    doc = tok.doc
    return tok.i >= 1 and doc[tok.i - 1].lower_ == "ethnic"


def _stance(tok: Any) -> bool:
    """Whether a name is the object of an anti-/pro- prefix ("an anti-Syria journalist" is not
    Syrian)."""
    doc = tok.doc
    if tok.i >= 1 and doc[tok.i - 1].lower_ in ("anti-", "pro-"):
        return True
    return tok.i >= 2 and doc[tok.i - 1].text in ("-", "‑") and \
        doc[tok.i - 2].lower_ in ("anti", "pro")


def _sector_of(head: Any, span_tokens: list[Any], kb: KnowledgeBase) -> list[str]:
    """Return the sector codes named by a phrase's head (and its compound modifiers)."""
    if head.lower_ == "force" and not any(t.dep_ in ("det", "compound", "amod", "poss")
                                          for t in head.lefts):
        return []  # "threatened to use force", "by force": violence, not a military unit
    words = [t.text.lower() for t in span_tokens]
    hi = span_tokens.index(head) if head in span_tokens else len(words) - 1
    if head.lemma_.lower() in FACILITIES:
        owner = [_FACILITY_OWNERS[w] for w in words[:hi] if w in _FACILITY_OWNERS]
        return owner[-1:]
    led = _led_sector(words, hi, kb)
    if led is not None:
        return [led]  # "opposition leader", "union leader": the body they lead
    for start in range(0, hi + 1):  # longest phrase ending at the head first
        phrase = " ".join(words[start:hi + 1])
        if phrase in kb.compound_sectors:
            return list(kb.compound_sectors[phrase])
        if phrase in kb.sector_words:
            return [kb.sector_words[phrase]]
    lemma = head.lemma_.lower()
    if lemma in kb.sector_words:
        return [kb.sector_words[lemma]]
    if head.pos_ == "PROPN" and head.ent_type_ == "PERSON":
        # a titled person: "Ousted President Askar Akayev", "Lt. Gen. Prosper Avril"
        for k in range(hi - 1, -1, -1):
            t = span_tokens[k]
            w = t.lower_.rstrip(".")
            led = _led_sector(words, k, kb)
            if led is not None:
                return [led]  # "opposition leader Yaya Dillo"
            if w in _TITLES:
                return [_TITLES[w]]
            if w in kb.sector_words and t.pos_ in ("NOUN", "PROPN"):
                return [kb.sector_words[w]]
    return []


#: words for who leads or speaks for a body: they act in the sector of the body named before
#: them ("opposition leader", "union leader", "rebel commander", "party spokesman")
_LEADING = frozenset({"leader", "leaders", "chief", "head", "spokesman", "spokeswoman",
                      "spokesperson", "commander", "chairman", "chairwoman", "official",
                      "officials"})


def _led_sector(words: list[str], k: int, kb: KnowledgeBase) -> str | None:
    """The sector of the body a leading word at ``words[k]`` leads, when the word before it
    names one ("opposition leader" OPP, "rebel commander" REB); else None."""
    if k < 1 or words[k] not in _LEADING:
        return None
    j = k - 2 if words[k - 1] in ("'s", "’s") else k - 1  # "the party's spokesman"
    return kb.sector_words.get(words[j]) if j >= 0 else None


#: titles before a person's name and the sector they act in
_TITLES = {
    "president": "GOV", "king": "GOV", "queen": "GOV", "emir": "GOV", "sheikh": "GOV",
    "prince": "GOV", "premier": "GOV", "chancellor": "GOV", "minister": "GOV",
    "secretary": "GOV", "senator": "GOV", "governor": "GOV", "mayor": "GOV", "sultan": "GOV",
    "ambassador": "GOV", "envoy": "GOV", "speaker": "GOV", "vice-president": "GOV",
    "gen": "MIL", "general": "MIL", "lt": "MIL", "col": "MIL", "colonel": "MIL",
    "admiral": "MIL", "marshal": "MIL", "brig": "MIL", "commander": "MIL", "maj": "MIL",
    "judge": "JUD", "prosecutor": "JUD", "justice": "JUD",
    "archbishop": "REL", "bishop": "REL", "cardinal": "REL", "pope": "REL", "imam": "REL",
    "ayatollah": "REL", "rabbi": "REL", "cleric": "REL", "patriarch": "REL",
}


#: knowledge-base kinds that name one actor (they win over a country named in the same phrase)
_SPECIFIC_KINDS = ("institution", "igo", "ngo", "group", "person")
#: knowledge-base institutions whose names other states' legislatures share ("Congress",
#: "Senate"): with another state's name ("Peru's Congress") they are that state's
_GENERIC_LEGISLATURES = frozenset({"USA-GOV-CONGRESS"})


def _phrase_tokens(head: Any) -> list[Any]:
    """Return the tokens of the nominal phrase ending at ``head`` (its pre-modifiers)."""
    left = [t for t in head.lefts if t.dep_ in _PREMOD]
    if not left:
        return [head]
    start = min(t.left_edge.i for t in left)
    return [t for t in head.doc[start:head.i + 1]]


def _appositive_role(tok: Any, kb: KnowledgeBase) -> tuple[list[Any], list[str]]:
    """The role a person's apposition gives ("Khalifa Sall, an opposition candidate,": the
    apposition's tokens and OPP), else ([], [])."""
    if tok.pos_ != "PROPN" or tok.ent_type_ != "PERSON":
        return [], []
    for a in tok.children:
        if a.dep_ != "appos" or a.pos_ != "NOUN":
            continue
        for w in (a, *(m for m in a.children if m.dep_ in ("compound", "amod"))):
            sectors = _sector_of(w, _phrase_tokens(w), kb)
            if sectors:  # "an opposition candidate": OPP from "opposition"
                return _phrase_tokens(a), sectors
    return [], []


def _national(tok: Any, phrase: list[Any]) -> bool:
    """Whether the phrase names a state institution without its state: "the army", "the
    junta", "security forces", "the air force" (not "peacekeeping forces")."""
    words = {t.lower_ for t in phrase}
    if words & _NOT_NATIONAL:
        return False
    if tok.lower_ in _NATIONAL_HEADS:
        # "the army"; bare "Police detained 107 people" is the local police too
        return "the" in words or tok.lower_ == "police" and len(phrase) == 1
    return tok.lemma_.lower() == "force" and bool(words & _NATIONAL_FORCES)


#: heads a possessive pronoun can give a state or group: "its foreign ministry", "their troops"
_OWNED_HEADS = _NATIONAL_HEADS | _RULERS | {"troops", "soldiers", "forces", "force", "embassy",
                                            "diplomats", "fighters", "militants", "defences",
                                            "defenses", "aircraft", "jets", "warships"}


def _owned(tok: Any, phrase: list[Any]) -> bool:
    """Whether the phrase names a body owned by "its" or "their" ("its foreign ministry",
    "their troops"), not a foreign or joint one."""
    foreign = _NOT_NATIONAL - {"foreign"} if tok.lower_ == "ministry" else _NOT_NATIONAL
    if {t.lower_ for t in phrase} & foreign or tok.lower_ not in _OWNED_HEADS:
        return False  # "its foreign ministry" is its own
    return any(t.dep_ == "poss" and t.lower_ in ("its", "their") and t.head.i == tok.i
               for t in phrase)


def _focus(counts: dict[str, int], kb: KnowledgeBase) -> Entry | None:
    """Return the country mentioned most so far (the latest among equals)."""
    if not counts:
        return None
    best = max(reversed(list(counts)), key=lambda c: counts[c])
    return kb.countries.get(best)


def _country_of_postmodifier(head: Any, sectors: list[str], by_token: dict[int, Entry],
                             kb: KnowledgeBase,
                             preps: tuple[str, ...] | None = None) -> Entry | None:
    """The country of a sector phrase named after it: "rebels in the Ivory Coast", "soldiers
    from Chad", "leaders of Mali", "doctors from two American aid groups". Troops "in" a
    country are often foreign, so a military phrase takes its country from from/of only."""
    if preps is None:
        preps = ("from", "of") if "MIL" in sectors else ("from", "of", "in")
    for _, e in _named_after(head, preps, by_token):
        if e.kind in ("country", "demonym", "capital"):
            return kb.countries.get(e.country or "", e)
    return None


def _named_after(head: Any, preps: tuple[str, ...], by_token: dict[int, Entry]
                 ) -> Iterator[tuple[Any, Entry]]:
    """(token, entry) of every name in the objects of ``head``'s ``preps`` phrases."""
    for prep in head.children:
        if prep.dep_ != "prep" or prep.lower_ not in preps:
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            for t in _phrase_tokens(pobj):
                e = by_token.get(t.i)
                if e is not None:
                    yield t, e


def _organisation_of_postmodifier(head: Any, by_token: dict[int, Entry]) -> Entry | None:
    """The organisation a sector phrase belongs to, named after it: "fighters of the
    National Liberation Army", "members of Hamas", "troops from the UN mission"."""
    for t, e in _named_after(head, ("of", "from"), by_token):
        if e.kind in ("group", "igo", "ngo", "institution") and not _ally_of(t, by_token):
            return e
    return None


#: "an al-Qaeda-linked group" is not al-Qaeda
_ALLY_WORDS = {"linked", "backed", "allied", "aligned", "affiliated", "inspired", "supported",
               "sponsored", "funded", "armed"}


def _ally_of(tok: Any, by_token: dict[int, Entry]) -> bool:
    """Whether the name at ``tok`` only qualifies another ("al-Qaeda-linked")."""
    doc, entry, i = tok.doc, by_token.get(tok.i), tok.i
    while i + 1 < len(doc) and by_token.get(i + 1) is entry:
        i += 1
    return i + 2 < len(doc) and doc[i + 1].text == "-" and doc[i + 2].lower_ in _ALLY_WORDS


def _entity_range(tok: Any) -> tuple[int, int]:
    """The token range of the named entity ``tok`` is in."""
    doc, a, b = tok.doc, tok.i, tok.i
    while a > 0 and doc[a].ent_iob_ == "I":
        a -= 1
    while b + 1 < len(doc) and doc[b + 1].ent_iob_ == "I":
        b += 1
    return a, b + 1


def _unknown_organisation(tok: Any) -> tuple[int, int] | None:
    """The token range of the organisation name ``tok`` heads when the knowledge base does
    not know it ("the FNDC said", "the Alliance for Change"): an actor of unknown sector."""
    if tok.pos_ != "PROPN" or tok.ent_type_ != "ORG" or not tok.text[:1].isupper():
        return None
    a, b = _entity_range(tok)
    if a <= tok.head.i < b and tok.head.i != tok.i:
        return None  # "Change" in "Alliance for Change" is not the name's head
    return a, b


#: the small words a name may hold that give no letter to its abbreviation
_NAME_LINKS = frozenset({"of", "for", "and", "the", "de", "du", "des", "la", "le", "pour", "in"})
#: a name and the abbreviation it is given in brackets: "Liberians United for Reconciliation
#: and Democracy (LURD)", "the Forum for Democratic Change (FDC)"
_ACRONYM_RE = re.compile(r"((?:[A-Z][\w'’.-]*\s+(?:(?:" + "|".join(sorted(_NAME_LINKS))
                         + r")\s+)*){2,9})\(([A-Z][A-Za-z0-9-]{1,9})\)")
#: the head words of a body's name: with one last, a bracketed abbreviation after the name is
#: its own though the letters differ (a translated name: "the Socialist Party (PSF)")
_BODY_HEADS = frozenset({"party", "front", "movement", "army", "forces", "council", "union",
                         "congress", "alliance", "coalition", "rally", "league", "brigade",
                         "brigades", "forum", "organisation", "organization", "committee",
                         "group", "militia", "platform"})
#: sectors of a state's own organs: coded by their state, never as a body of their own
_STATE_SECTORS = frozenset({"GOV", "MIL", "POL", "JUD"})
#: knowledge-base kinds that name a state: a possessive one owns the body ("Seoul's ..."), one
#: inside the body's name gives it its country ("the Nigerian Union of Teachers")
_STATE_KINDS = frozenset({"country", "capital", "demonym"})
#: last words of abbreviated names of things, not bodies: "Free Trade Agreement (FTA)"
_NOT_BODIES = frozenset({"agreement", "treaty", "accord", "accords", "act", "plan", "programme",
                         "program", "zone", "area", "system", "index", "process", "initiative",
                         "law", "convention", "protocol", "conference", "summit", "operation",
                         "project", "scheme", "war", "fund", "mechanism", "framework",
                         "corridor", "pact", "charter", "strategy"})


def _long_form(words: list[str], letters: list[str]) -> list[str]:
    """The words before a bracketed abbreviation that it abbreviates: the shortest run that
    ends there and whose capitalised initials spell its letters, else (a name translated, its
    abbreviation not) the last words of a name that ends in a body's head word; [] if none."""
    for k in range(len(words) - 1, -1, -1):
        run = words[k:]
        if run[0].lower() not in _NAME_LINKS and letters == [
                w[0] for w in run if w.lower() not in _NAME_LINKS and w[0].isupper()]:
            return run
    if words[-1].lower() not in _BODY_HEADS or sum(w[0].isupper() for w in words) < 2:
        return []
    run = words[-min(len(words), max(2, len(letters) + 2)):]
    while run and run[0].lower() in _NAME_LINKS:
        run = run[1:]
    return run


def acronym_entries(text: str, kb: KnowledgeBase) -> dict[str, Entry]:
    """Bodies an article names and abbreviates itself that the knowledge base lacks: each
    name and its abbreviation resolve to one uncoded body named by the abbreviation ("LURD"),
    as analysts code it, for the rest of the article ("accused LURD of shelling"), and the
    name is no longer read as the demonym it starts with ("Liberians"). Not a state's organ
    ("Seoul's Joint Chiefs of Staff (JCS)", "the Defence Ministry (MoD)"): its state codes it."""
    def state(word: str) -> Entry | None:
        entry = kb.names.get(word)
        return entry if entry is not None and entry.kind in _STATE_KINDS else None

    out: dict[str, Entry] = {}
    for m in _ACRONYM_RE.finditer(text):
        acr = m.group(2)
        letters = [c for c in acr if c.isupper()]
        words = list(re.finditer(r"\S+", m.group(1)))
        best = _long_form([w.group() for w in words], letters) if len(letters) >= 2 else []
        long = " ".join(best)
        if len(best) < 2 or acr in kb.names or long in kb.names or \
                best[-1].lower() in _NOT_BODIES:
            continue
        heads = [w.lower() for w in best if w.lower() in kb.sector_words]
        sector = kb.sector_words[heads[-1]] if heads else None
        owner = re.search(r"([\w.]+)['’]s$", text[:m.start(1) + words[-len(best)].start()]
                          .rstrip())
        if sector in _STATE_SECTORS or owner is not None and state(owner.group(1)):
            continue
        # "the Nigerian Union of Teachers (NUT)": the country its name holds
        home = next((e.country for e in map(state, (w.strip(",") for w in best)) if e), None)
        entry = Entry("", acr, home, sector, "group")
        out.setdefault(acr, entry)
        out.setdefault(long, entry)
    return out


def find_actors(doc: Any, places: list[Place] | None = None) -> list[Actor]:
    """Return the actor mentions of a parsed article, in text order.

    ``places`` (the places stage's output) give a titled person the knowledge base does not
    know the country where the sentence, or the article so far, happens when no country is
    named ("President Daniel Noboa" in a story from Guayaquil)."""
    kb = load_kb()
    own = acronym_entries(doc.text, kb)
    if own:  # the article's own abbreviated bodies, for this article only
        kb = replace(kb, names={**kb.names, **own},
                     max_len=max(kb.max_len, *(len(k.split()) + 2 for k in own)))
    finder = _ActorFinder(doc, kb, places or [])
    datelines = dateline_spans(doc.text)
    for sent in doc.sents:
        sent_tokens = [t for t in sent
                       if not any(a <= t.idx < b for a, b in datelines)]
        if sent_tokens:
            finder.sentence(sent_tokens)
    _shared_modifier(doc, finder.actors)
    return finder.actors


#: sectors of armed organs whose conjoined heads share one nationality ("Israeli helicopters
#: and tanks", "Malian soldiers and gendarmes")
_ARMED_SECTORS = frozenset({"MIL", "POL"})


def _shared_modifier(doc: Any, actors: list[Actor]) -> None:
    """Give an armed organ conjoined to another ("Israeli helicopters and tanks") the country
    the first one's modifier names, when it names none itself."""
    for a in actors:
        if a.country or a.kb_id or a.sector not in _ARMED_SECTORS:
            continue
        span = doc.char_span(a.start, a.end, alignment_mode="expand")
        if span is None or span.root.dep_ != "conj" or any(
                t.dep_ in ("amod", "compound", "poss") for t in span.root.lefts):
            continue
        first = span.root.head
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        head = next((b for b in actors if b.start <= first.idx < b.end), None)
        if head is not None and head.country and head.sector in _ARMED_SECTORS:
            a.country = head.country


def _proper_part(head: Any, phrase: list[Any], sectors: list[str]) -> Any:
    """The proper name right before the head noun of a phrase the knowledge base lacks ("the
    PPA-CI party", "Saraya al-Salam fighters", "the Islamist-inspired Ennahda party": "PPA-CI",
    "Saraya al-Salam", "Ennahda") as a span of the parse, else None."""
    if not sectors or head.pos_ != "NOUN" or not phrase or phrase[-1].i != head.i:
        return None
    doc, k = head.doc, head.i - 1
    while k >= phrase[0].i and (doc[k].pos_ == "PROPN" or (
            doc[k].text in ("-", "al", "el") and k > phrase[0].i and doc[k - 1].pos_ == "PROPN")):
        k -= 1
    if k == head.i - 1 or doc[k + 1].pos_ != "PROPN":
        return None
    return doc[k + 1:head.i]


def _spread(toks: list[Any]) -> bool:
    """Whether a name's tokens make more than one phrase: a name with a preposition inside
    ("Group for the Support of Islam and Muslims"), however the parse attaches its parts."""
    return len(toks) > 2 and any(t.pos_ == "ADP" or t.dep_ == "prep" for t in toks[1:-1])


def _is_head(tok: Any, by_token: dict[int, Entry]) -> bool:
    """Whether ``tok`` heads a nominal phrase that may name an actor."""
    is_head = tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in ("compound",)
    if tok.dep_ == "poss" and tok.i in by_token:
        is_head = False  # "Niger's" modifies the head noun
    if tok.dep_ in ("nmod", "amod") and tok.i in by_token and tok.head.pos_ == "NOUN" \
            and any(c.dep_ == "conj" for c in tok.children):
        is_head = False  # "US and British forces": the first of coordinated modifiers
    if not is_head:
        return False
    # "a state of emergency" is no government
    return not (tok.lower_ == "state" and any(
        p.lower_ == "of" and any(o.lower_ in _STATE_OF for o in p.children)
        for p in tok.children))


def _named_entry(phrase: list[Any], by_token: dict[int, Entry]) -> Entry | None:
    """The knowledge-base entry the names in ``phrase`` give the actor, if any."""
    entries = [by_token[t.i] for t in phrase
               if t.i in by_token and not _stance(t) and not _currency(t)
               and not _ethnic(t, by_token)]
    if not entries:
        return None
    # the head's own entity first ("Pentagon spokesperson" → Pentagon)
    specific = [e for e in entries if e.kind in _SPECIFIC_KINDS]
    demonyms = [e for e in entries if e.kind == "demonym"]
    if not specific and len(demonyms) >= 2 and demonyms[0].country != demonyms[-1].country:
        # "Bosnian Serbs", "Iraqi Kurds": the first names the state they live in, the last an
        # ethnic group
        return demonyms[0]
    states = [e for e in entries if e.kind in ("country", "demonym")]
    if specific and specific[-1].kb_id in _GENERIC_LEGISLATURES and states and \
            states[0].country != specific[-1].country:
        # "Peru's Congress", "the Brazilian Senate": that country's legislature
        return Entry(states[0].country or "", states[0].name, states[0].country, "GOV",
                     "country")
    if len(specific) >= 2 and specific[-1].kind == "person" and specific[-1].country is None:
        # "UN Secretary-General António Guterres", "EU foreign policy chief Josep Borrell": an
        # official of no state acts for the organisation the phrase names
        org = [e for e in specific[:-1] if e.kind in ("igo", "ngo", "institution")]
        if org:
            return org[-1]
    if len(specific) >= 2 and specific[-1].name.islower():
        # "Al-Shabaab gunmen", "JNIM gunmen": a named group's men, not the generic entry of
        # the common noun ("gunmen": bandits)
        named = [e for e in specific[:-1] if not e.name.islower()]
        if named:
            return named[-1]
    return specific[-1] if specific else entries[-1]


def _actor_sector(entry: Entry | None, sectors: list[str]) -> str | None:
    sector = sectors[0] if sectors else entry.sector if entry else None
    if entry is not None and entry.kind in _SPECIFIC_KINDS:
        # "Putin's troops" are MIL, "Pentagon spokesperson" stays MIL: a person or country
        # names whose forces, an institution names who acts
        sector = entry.sector if not sectors or entry.kind not in ("country", "person") \
            else sector
    return sector


def _actor_span(doc: Any, tok: Any, phrase: list[Any], entry: Entry | None,
                sectors: list[str], by_token: dict[int, Entry]) -> tuple[int, int]:
    """Character offsets of the actor mention headed by ``tok``."""
    start_tok = phrase[0]
    while (start_tok.dep_ in ("det", "punct") or start_tok.lower_ in ("outside", "inside")) \
            and start_tok.i < tok.i:  # "gathered outside government buildings" (an amod)
        start_tok = doc[start_tok.i + 1]
    end_tok = tok
    if entry is not None and not sectors and tok.i not in by_token:
        # "Niger's ouster": the actor is the name, not the phrase around it
        name_toks = [t for t in phrase if by_token.get(t.i) is entry]
        if name_toks:
            start_tok, end_tok = name_toks[0], name_toks[-1]
    return start_tok.idx, end_tok.idx + len(end_tok.text)


class _ActorFinder:
    """One pass of :func:`find_actors`: the actors so far and what later references ("the
    country", "the group", "the junta") resolve to."""

    def __init__(self, doc: Any, kb: KnowledgeBase, places: list[Place] | None = None) -> None:
        self.doc, self.kb = doc, kb
        self.actors: list[Actor] = []
        self.covered: set[int] = set()
        self.last_group: Entry | None = None
        self.country_counts: dict[str, int] = {}
        self.last_place_country: Entry | None = None  # named as such, not as a modifier
        #: resolved places with a country, in text order (countries named as places included)
        self.places = [p for p in places or [] if p.country and p.usage == "literal"]
        #: where any place is named (an organisation name there is a mis-tagged place)
        self.place_starts = {p.start for p in places or []}
        #: people named in full before, by surname ("Noboa" after "President Daniel Noboa"),
        #: and where their country came from
        self.people: dict[str, Entry] = {}
        self.people_basis: dict[Entry, str | None] = {}

    def sentence(self, sent_tokens: list[Any]) -> None:
        """Find the actors of one sentence (its tokens outside datelines)."""
        name_hits = _match_names(sent_tokens, self.kb)
        titled: list[int] = []  # actors of this sentence that are titled people, unknown to the KB
        by_token: dict[int, Entry] = {}
        for a, b, entry in name_hits:
            for t in sent_tokens[a:b]:
                by_token[t.i] = entry
        for t in sent_tokens:
            if t.i not in by_token and t.text in self.people and t.pos_ == "PROPN":
                by_token[t.i] = self.people[t.text]  # "Noboa" after "President Daniel Noboa"
        spread = {sent_tokens[a].i: (a, b, e) for a, b, e in name_hits if _spread(sent_tokens[a:b])}
        for tok in sent_tokens:
            if tok.i in spread and tok.i not in self.covered:
                self._whole_name(sent_tokens, *spread[tok.i], by_token)
            if tok.i not in self.covered and _is_head(tok, by_token):
                self._phrase(tok, by_token, titled)
        if titled:
            self._titled(titled, name_hits, sent_tokens)

    def _whole_name(self, sent_tokens: list[Any], a: int, b: int, entry: Entry,
                    by_token: dict[int, Entry]) -> None:
        """One actor over a name that spans several phrases ("the Group for the Support of
        Islam and Muslims"), where each phrase would otherwise make an actor of its own."""
        toks = sent_tokens[a:b]
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        actor = Actor(text=self.doc.text[start:end], start=start, end=end, name=entry.name,
                      country=entry.country, sector=entry.sector, kb_id=entry.kb_id or None)
        actor.sectors = [entry.sector] if entry.sector else []
        self.actors.append(actor)
        self.covered.update(t.i for t in toks)
        self._remember(entry, toks[-1], toks, by_token)

    def _titled(self, titled: list[int], name_hits: list[tuple[int, int, Entry]],
                sent_tokens: list[Any]) -> None:
        """Give titled people the KB does not know a country and remember them by surname.

        The article's focus so far (the country named most up to here), else the first
        country the sentence names ("Ousted President Askar Akayev ... Kyrgyzstan" in a first
        sentence), else the country of the last place named, else of most places so far. The
        sentence's country came first until the twelfth round; it is as often the other side
        ("Armed forces chief General Romeo Brawner demanded that China return the rifles"):
        tuning sets source +4, full +1; held-out sets full +2."""
        named = [e for _, _, e in name_hits if e.kind in ("country", "demonym", "capital")]
        where = _focus(self.country_counts, self.kb)
        where = where or (self.kb.countries.get(named[0].country or "") if named else None)
        where = where or self.last_place_country
        where = where or self._place_country(sent_tokens)
        for k in titled:
            actor = self.actors[k]
            if where is not None and where.country:
                actor.country, actor.country_basis = where.country, "context"
            surname = actor.text.split()[-1]
            if surname[:1].isupper() and surname.isalpha() and surname not in self.kb.names:
                entry = Entry("", actor.name, actor.country, actor.sector, "person")
                self.people[surname] = entry
                self.people_basis[entry] = actor.country_basis

    def _place_country(self, sent_tokens: list[Any]) -> Entry | None:
        """The country of most places named up to the end of this sentence (one place the
        sentence names may be a gang's name: "Los Lobos")."""
        end = sent_tokens[-1].idx + len(sent_tokens[-1].text)
        counts: dict[str, int] = {}
        for p in self.places:
            if p.start < end:
                counts[p.country or ""] = counts.get(p.country or "", 0) + 1
        return _focus(counts, self.kb)

    def _reference(self, tok: Any, phrase: list[Any], sectors: list[str]) -> Entry | None:
        """What "the country", "the group" or "the junta" refers back to."""
        if tok.lower_ in _COUNTRY_NOUNS and any(t.lower_ == "the" for t in phrase):
            return self.last_place_country or _focus(self.country_counts, self.kb)
        if tok.lower_ in _GROUP_NOUNS and any(t.lower_ == "the" for t in phrase):
            return self.last_group
        facility = tok.lemma_.lower() in FACILITIES
        if sectors and (tok.lower_ in _LOCAL_BODIES or facility) and not any(
                t.dep_ == "poss" for t in phrase):
            # "Authorities imposed a curfew", "Police arrested 200": the local ones, of the
            # country the article's places are in (a pageant moved to London, a hotel owned
            # by Israelis do not make the police British or Israeli). "Attacked a police
            # post", "stormed the parliament building": the state organ that holds the
            # building, of the country it stands in: the place its sentence names last before
            # it, else first after it, else as for the local bodies
            here = [p for p in self.places
                    if tok.sent.start_char <= p.start < tok.sent.end_char] if facility else []
            near = [p for p in here if p.start < tok.idx][-1:] or here[:1]
            if near:
                return self.kb.countries.get(near[0].country or "")
            return self._place_country(list(tok.sent)) or self.last_place_country or _focus(
                self.country_counts, self.kb)
        if sectors and sectors[0] == "GOV" and tok.lower_ in _RULERS:
            # "the junta" with no country named: the country in focus so far
            return self.last_place_country or _focus(self.country_counts, self.kb)
        if sectors and _national(tok, phrase):
            # "the army", "security forces": the article's main country so far
            return _focus(self.country_counts, self.kb)
        if sectors and _owned(tok, phrase):
            # "its foreign ministry", "their troops": the body of the state or group the
            # pronoun refers back to
            return self._antecedent(tok)
        return None

    def _antecedent(self, tok: Any) -> Entry | None:
        """What "its" or "their" before ``tok`` refers back to: an actor of this or the
        previous sentence that is a state, an intergovernmental body or an armed group (a
        country or a knowledge-base entry of its own, not a person or a description), the
        latest subject among them first ("Israel deported the activist a day after its navy
        seized the boat"), else the latest. Not remembered as a new mention of it."""
        sent = tok.sent
        lo = self.doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
        fits = [a for a in self.actors if lo <= a.start and a.end <= tok.idx
                and not a.country_basis and (a.country or a.kb_id)
                and not known_person(a)]
        if not fits:
            return None

        def subject(a: Actor) -> bool:
            span = self.doc.char_span(a.start, a.end, alignment_mode="expand")
            return span is not None and span.root.dep_ in ("nsubj", "nsubjpass")

        a = next((a for a in reversed(fits) if subject(a)), fits[-1])
        return Entry(a.kb_id or "", a.name, a.country, a.sector, "reference")

    def _organisation(self, tok: Any) -> tuple[int, int] | None:
        """The character span of an organisation name the knowledge base lacks, headed by
        ``tok``; None when it is no such name or a place is named there ("Djibo", "El Fasher"
        tagged ORG by the NER)."""
        org = _unknown_organisation(tok)
        if org is None:
            return None
        toks = self.doc[org[0]:org[1]]
        if any(t.idx in self.place_starts or "\n" in t.text for t in toks):
            return None
        first = toks[1] if toks[0].lower_ == "the" and len(toks) > 1 else toks[0]
        return first.idx, toks[-1].idx + len(toks[-1].text)

    def _person(self, tok: Any) -> tuple[int, int] | None:
        """The character span of a full name ("Mohamed Cissé was released") the NER tags
        PERSON and ``tok`` ends, else None. Such a person is an actor of no country and no
        sector (the coding rules give it the country of its context, as they do an unknown
        organisation). A single word is left out, and so is a name over a place ("Kharkiv",
        "Gao", tagged PERSON by the NER): a surname alone or a town is no evidence of one.
        Unlike a titled person it takes no country from its context: with one, as many coded
        events got worse as better on the held-out sets."""
        if tok.pos_ != "PROPN" or tok.ent_type_ != "PERSON":
            return None
        a, b = _entity_range(tok)
        if b - 1 != tok.i or b - a < 2:
            return None
        name = self.doc[a:b]
        if any(t.pos_ != "PROPN" or not t.text[:1].isupper() or t.idx in self.place_starts
               for t in name):
            return None
        return name.start_char, name.end_char

    def _body_name(self, tok: Any, phrase: list[Any], sectors: list[str]) -> str | None:
        """:func:`_proper_part`, unless it is a place ("Sahel juntas", "North Darfur state")
        or a common word the tagger took for a name ("jihadist groups")."""
        name = _proper_part(tok, phrase, sectors)
        if name is None or name.text.lower() in self.kb.sector_words or any(
                t.idx in self.place_starts for t in name):
            return None
        return str(name.text)

    def _entry(self, tok: Any, phrase: list[Any], sectors: list[str],
               by_token: dict[int, Entry]) -> Entry | None:
        """What the phrase headed by ``tok`` names: a name in it, else the country named after
        it ("Police in Benin", "the army-backed government in Port Sudan": before the country
        the article has been about so far, unless a possessive owns it), else what it refers
        back to, else a country or an organisation named after it ("fighters of the ELN")."""
        entry = _named_entry(phrase, by_token)
        if entry is not None:
            return entry
        after = _country_of_postmodifier(tok, sectors, by_token, self.kb) if sectors else None
        if after is not None and not _owned(tok, phrase):
            return after
        entry = self._reference(tok, phrase, sectors)
        if entry is None and sectors:
            entry = after or _organisation_of_postmodifier(tok, by_token)
        return entry

    def _phrase(self, tok: Any, by_token: dict[int, Entry], titled: list[int]) -> None:
        """Add the actor(s) of the nominal phrase headed by ``tok``, if it names one."""
        kb = self.kb
        phrase = _phrase_tokens(tok)
        if tok.i in by_token and _currency(tok):
            return  # "US $50 million", "3 million US dollars": money, not an actor
        sectors = _sector_of(tok, phrase, kb) if tok.i not in by_token else []
        pair = self._pair(tok, phrase, by_token)
        if pair:
            self._pair_actors(tok, phrase, sectors, pair, by_token)
            return
        entry = self._entry(tok, phrase, sectors, by_token)
        people_of = False
        if entry is not None and entry.kind == "demonym" and tok.i in by_token and \
                tok.tag_ in ("NNS", "NNPS"):
            # "the Albanians of southern Serbia": a people named by where they live
            home = _country_of_postmodifier(tok, ["CVL"], by_token, kb, preps=("of",))
            if home is not None and home.country != entry.country:
                entry, people_of = home, True
        if entry is None and not sectors and _ethnic(tok, by_token):
            sectors = ["CVL"]  # "three ethnic Albanians": people, of no state
        role: list[Any] = []
        if entry is None and not sectors:
            role, sectors = _appositive_role(tok, kb)
        # an organisation or a person the knowledge base lacks: named, not coded
        org = (self._organisation(tok) or self._person(tok)) if entry is None and not sectors \
            else None
        if entry is None and not sectors and org is None:
            return
        sector = _actor_sector(entry, sectors)
        start, end = org or _actor_span(self.doc, tok, phrase, entry, sectors, by_token)
        surface = self.doc.text[start:end]
        if entry is None:
            # "the PPA-CI party" is named PPA-CI, as analysts code it
            actor = Actor(text=surface, start=start, end=end,
                          name=self._body_name(tok, phrase, sectors) or surface.lower(),
                          country=None, sector=sector, kb_id=None)
            if sectors and (tok.pos_ == "PROPN" and tok.ent_type_ == "PERSON" or (
                    tok.dep_ == "appos" and tok.head.ent_type_ == "PERSON")):
                # "Amadou Ba, the prime minister,": a title or role gives the context's
                # country; a bare name does not (measured: as often wrong as right)
                titled.append(len(self.actors))
        else:
            actor = Actor(text=surface, start=start, end=end, name=entry.name,
                          country=entry.country, sector=sector, kb_id=entry.kb_id or None)
        actor.sectors = sectors if sectors else ([sector] if sector else [])
        if entry is not None:
            actor.country_basis = self._basis(entry, actor)
        if people_of:  # the people keep their name; the country is where they live
            actor.name, actor.kb_id, actor.country_basis = surface, None, "context"
        self.actors.append(actor)
        if entry is not None and sectors:
            # "US and British forces", "French and Egyptian warships": a compound actor,
            # one mention per country over the same span
            for other in _coordinated(phrase, by_token, entry):
                twin = Actor(text=surface, start=start, end=end, name=other.name,
                             country=other.country, sector=sector, kb_id=other.kb_id)
                twin.sectors = list(actor.sectors)
                self.actors.append(twin)
        self.covered.update(t.i for t in (*phrase, *role))
        if entry is not None:
            self._remember(entry, tok, phrase, by_token)

    def _pair(self, tok: Any, phrase: list[Any], by_token: dict[int, Entry]) -> list[Entry]:
        """What "the two countries", "both sides" or "the two leaders" refer back to: the two
        states or organisations named most before it (by country or knowledge-base entry; the
        latest first among equals); [] when the phrase is no such reference or fewer than two
        were named. Named most, not last: a mediator or a host is often named last. Only as
        a subject ("The two sides blamed each other"): as an object ("urged both countries",
        "spoke with both leaders") the events stage already names the pair as targets, and
        measured better so."""
        if tok.lower_ not in _PAIR_NOUNS or tok.dep_ not in ("nsubj", "nsubjpass") or any(
                t.i in by_token for t in phrase) or not any(
                c.lower_ in ("two", "both") and c.dep_ in ("nummod", "det", "predet", "amod")
                for c in tok.children):
            return []
        # who demands or reports what the pair does is not one of them ("The UN demanded that
        # both sides stop ...")
        governing = [(k.left_edge.idx, k.right_edge.idx + len(k.right_edge))
                     for h in tok.ancestors for k in h.children
                     if k.dep_ in ("nsubj", "nsubjpass") and k.i != tok.i]
        count: dict[str, int] = {}
        entry: dict[str, Entry] = {}
        for a in self.actors:
            key = a.country if known_person(a) else (a.kb_id or a.country)
            if not key or a.country_basis or a.end > tok.idx or self._where(a) or any(
                    lo <= a.start < hi for lo, hi in governing):
                continue
            # insertion order breaks ties towards the most recent mention
            count[key] = count.pop(key, 0) + 1
            entry[key] = Entry(a.kb_id or "", a.name, a.country, a.sector, "reference")
        if len(count) < 2:
            return []
        top = sorted(reversed(list(count)), key=lambda k: -count[k])  # the latest first of equals
        return [entry[k] for k in top[:2]]

    def _where(self, a: Actor) -> bool:
        """Whether an actor mention is a place the text names as where ("talks in Pretoria"),
        not a party."""
        span = self.doc.char_span(a.start, a.end, alignment_mode="expand")
        return span is not None and span.root.dep_ == "pobj" and \
            span.root.head.lower_ in _WHERE_PREPS

    def _pair_actors(self, tok: Any, phrase: list[Any], sectors: list[str], pair: list[Entry],
                     by_token: dict[int, Entry]) -> None:
        """One actor per side of a pair reference, over the same span ("the two countries")."""
        start, end = _actor_span(self.doc, tok, phrase, None, sectors, by_token)
        for e in reversed(pair):  # in the order they were named
            actor = Actor(text=self.doc.text[start:end], start=start, end=end, name=e.name,
                          country=e.country, sector=sectors[0] if sectors else e.sector,
                          kb_id=e.kb_id or None)
            actor.sectors = sectors if sectors else ([e.sector] if e.sector else [])
            actor.country_basis = "antecedent"
            self.actors.append(actor)
        self.covered.update(t.i for t in phrase)

    def _basis(self, entry: Entry, actor: Actor) -> str | None:
        """Where an actor resolved to ``entry`` has its country from, when not named in it."""
        if entry in self.people_basis:
            return self.people_basis[entry]  # a person named before, by surname
        if entry.kind == "reference" and actor.country:
            return "antecedent"  # "its foreign ministry": not a new naming of the state
        return None  # the mention or its knowledge-base entry names the country

    def _remember(self, entry: Entry, tok: Any, phrase: list[Any],
                  by_token: dict[int, Entry]) -> None:
        """Keep what later references resolve to: countries in focus, the last group."""
        if entry.kind in ("country", "demonym", "capital"):
            code = entry.country or ""
            # insertion order breaks ties towards the most recent mention
            self.country_counts[code] = self.country_counts.pop(code, 0) + 1
            named = [t for t in phrase if by_token.get(t.i) is entry]
            if entry.kind == "country" and named and (
                    named[-1].i == tok.i or named[-1].dep_ == "poss"):
                self.last_place_country = self.kb.countries.get(code, entry)
        elif entry.kind == "group":
            self.last_group = entry
