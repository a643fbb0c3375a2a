"""Entity-ruler patterns that make the small spaCy model see countries, regions and demonyms.

:func:`add_entity_rules` puts an ``entity_ruler`` before ``ner`` so that the statistical NER
keeps these spans: "Niger" is always a GPE (never PERSON/ORG), "Horn of Africa" a LOC,
"Nigerien" a NORP. Patterns come from ``data/countries.json`` and ``data/regions.json``.

Trade-off: a preset span cannot be absorbed into a longer entity by the NER, so
"US Army" becomes GPE "US" + "Army"; the places and actor stages read such sequences.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

RULER_NAME = "tidings_places_ruler"
DATA_DIR = Path(__file__).resolve().parent / "data"

# Country names that are also common given names: left to the NER and to the places stage.
GIVEN_NAME_COUNTRIES = frozenset({"Chad", "Jordan"})
# Short upper-case aliases kept as patterns; others ("CAR", "ROK", "KSA") are too ambiguous.
SHORT_ALIASES = frozenset({
    "US", "U.S.", "UK", "U.K.", "USA", "U.S.A.", "UAE", "U.A.E.", "DRC", "D.R.C.", "PRC",
    "DPRK",
})
# Demonym forms too ambiguous as capitalised words to force as NORP.
DEMONYM_SKIP = frozenset({
    "Pole", "Poles", "Kiwi", "Kiwis", "Brit", "Brits", "Scot", "Scots", "Finn", "Finns",
    "Dane", "Danes", "Swede", "Swedes", "Lao", "Khmer", "Persian", "Persians", "Jerseyman",
    "Manx", "Vatican", "English",
})


# Single-word region names that are often part of organisation names.
REGION_WORD_SKIP = frozenset({
    "Amazon", "Atlantic", "Pacific", "Arctic", "Antarctic", "Mediterranean", "Gulf", "Nile",
    "Tigris", "Danube", "Alps", "Andes", "Hormuz", "Mekong", "Yangtze", "Euphrates",
})


def _containing_names(words: set[str]) -> list[str]:
    """Return gazetteer names (towns of 5,000+, divisions) that contain one of ``words``."""
    from .gazetteer import KIND_CODE, load_gazetteer

    g = load_gazetteer()
    out: list[str] = []
    city, a1, a2 = KIND_CODE["city"], KIND_CODE["admin1"], KIND_CODE["admin2"]
    for i, name in enumerate(g.names):
        if " " not in name:
            continue
        k = g.kinds[i]
        if k == city and g.pops[i] < 5000 or k not in (city, a1, a2):
            continue
        toks = name.split()
        if (any(t in words for t in toks) and name not in words
                and all(t[:1].isupper() or t in ("of", "de", "la", "del") for t in toks)):
            out.append(name)
    return out


def _plural_forms(word: str) -> list[str]:
    forms = [word]
    if word.endswith("man"):
        forms.append(word[:-3] + "men")
    elif not word.endswith(("ese", "ss", "sh", "ch", "i", "s", "y", "x")):
        forms.append(word + "s")
    return forms


def _ok_alias(a: str) -> bool:
    letters = a.replace(".", "").replace(" ", "")
    if len(letters) <= 4 and letters.isupper():
        return a in SHORT_ALIASES
    return len(a) > 2


@lru_cache(maxsize=1)
def entity_patterns() -> tuple[dict[str, Any], ...]:
    """Return the ruler patterns (GPE countries, LOC regions, NORP demonyms)."""
    with open(DATA_DIR / "countries.json", encoding="utf-8") as fh:
        countries = json.load(fh)
    with open(DATA_DIR / "regions.json", encoding="utf-8") as fh:
        regions = json.load(fh)["regions"]
    seen: set[str] = set()
    pats: list[dict[str, Any]] = []

    def add(label: str, text: str) -> None:
        text = text.strip()
        if text and text not in seen:
            seen.add(text)
            pats.append({"label": label, "pattern": text, "id": "tidings"})

    for c in countries:
        for name in [c["name"], *c["aliases"]]:
            if name in GIVEN_NAME_COUNTRIES or not _ok_alias(name):
                continue
            name = name.removeprefix("the ")
            add("GPE", name)
    for r in regions:
        for name in [r["name"], *r.get("aliases", [])]:
            name = name.removeprefix("the ")
            if " " in name or "-" in name or name not in REGION_WORD_SKIP:
                add("LOC", name)
    # Longer place names that contain a pattern ("New Mexico", "Jersey City", "Niger State")
    # must win over it, so they become patterns too.
    words = {p["pattern"] for p in pats if " " not in p["pattern"]}
    for name in _containing_names(words):
        add("GPE", name)
    for c in countries:
        for d in c["demonyms"]:
            for f in _plural_forms(d):
                if f not in DEMONYM_SKIP:
                    add("NORP", f)
    return tuple(pats)


def add_entity_rules(nlp: Any) -> Any:
    """Add (once) the tidings entity ruler before ``ner``; return the ruler component."""
    if RULER_NAME in nlp.pipe_names:
        return nlp.get_pipe(RULER_NAME)
    kwargs: dict[str, Any] = {"name": RULER_NAME, "config": {"overwrite_ents": False}}
    if "ner" in nlp.pipe_names:
        kwargs["before"] = "ner"
    ruler = nlp.add_pipe("entity_ruler", **kwargs)
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(list(entity_patterns()))
    return ruler
