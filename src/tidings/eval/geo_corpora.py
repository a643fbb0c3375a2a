"""Readers for geoparsing evaluation corpora (LGL, GeoVirus and their XML families).

Two layouts are understood, as distributed with Gritta et al.'s "Pragmatic Guide to
Geoparsing Evaluation":

- LGL / WikToR style: ``<article><text/><toponyms><toponym><start/><end/><phrase/>
  <gaztag geonameid=..><lat/><lon/>...</gaztag></toponym></toponyms></article>``;
- GeoVirus / GeoWebNews style: ``<article><text/><locations><location><name/><start/><end/>
  <lat/><lon/><page/></location></locations></article>``.

A toponym without coordinates (LGL has some without a gazetteer tag) is kept with
``lat``/``lon`` ``None``: it counts for detection, not for geocoding accuracy.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class GoldToponym:
    """One annotated toponym."""

    start: int
    end: int
    name: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


@dataclass
class GeoDoc:
    """One annotated text."""

    id: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)


def _float(s: str | None) -> float | None:
    try:
        return float(s) if s not in (None, "") else None
    except ValueError:
        return None


def _int(s: str | None) -> int | None:
    try:
        return int(s) if s not in (None, "") else None
    except ValueError:
        return None


def read_geo_corpus(path: str | Path) -> list[GeoDoc]:
    """Read an LGL- or GeoVirus-style XML file into :class:`GeoDoc` records."""
    root = ET.parse(str(path)).getroot()
    docs: list[GeoDoc] = []
    for n, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        doc_id = art.get("docid") or art.findtext("source") or f"{Path(path).stem}-{n}"
        tops: list[GoldToponym] = []
        group = art.find("toponyms")
        if group is not None:
            for t in group.iter("toponym"):
                start, end = _int(t.findtext("start")), _int(t.findtext("end"))
                if start is None or end is None:
                    continue
                g = t.find("gaztag")
                lat = lon = gid = None
                if g is not None:
                    lat, lon = _float(g.findtext("lat")), _float(g.findtext("lon"))
                    gid = _int(g.get("geonameid"))
                tops.append(GoldToponym(start, end, t.findtext("phrase") or text[start:end],
                                        lat, lon, gid))
        group = art.find("locations")
        if group is not None:
            for t in group.iter("location"):
                start, end = _int(t.findtext("start")), _int(t.findtext("end"))
                if start is None or end is None:
                    continue
                tops.append(GoldToponym(start, end, t.findtext("name") or text[start:end],
                                        _float(t.findtext("lat")), _float(t.findtext("lon")),
                                        None))
        tops.sort(key=lambda x: (x.start, x.end))
        docs.append(GeoDoc(str(doc_id), text, tops))
    return docs
