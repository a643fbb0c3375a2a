"""Read TimeML ``.tml`` files: the plain text of ``<TEXT>``, the DCT and the gold TIMEX3s.

Offsets of the gold expressions are character offsets into the plain text returned (the
content of the ``<TEXT>`` element with every tag removed and entities decoded).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

__all__ = ["GoldTimex", "TimeMLDoc", "iter_tml", "read_tml", "tagged_text"]


@dataclass
class GoldTimex:
    """One gold TIMEX3 annotation."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None
    tid: str = ""


@dataclass
class TimeMLDoc:
    """A TimeML document: id, creation date, plain text and gold TIMEX3s."""

    id: str
    dct: date
    text: str
    timexes: list[GoldTimex] = field(default_factory=list)
    path: Path | None = None


_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


def _parse_dct(value: str) -> date:
    m = _DATE.match(value)
    if not m:
        raise ValueError(f"unparseable DCT value {value!r}")
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


Span = tuple[str, dict[str, str], int, int]


def _walk(elem: ET.Element, parts: list[str], pos: list[int], out: list[Span]) -> None:
    """Append the text of ``elem``'s content to ``parts``, recording every element's span."""
    if elem.text:
        parts.append(elem.text)
        pos[0] += len(elem.text)
    for child in elem:
        start = pos[0]
        _walk(child, parts, pos, out)
        out.append((child.tag, dict(child.attrib), start, pos[0]))
        if child.tail:
            parts.append(child.tail)
            pos[0] += len(child.tail)


def tagged_text(elem: ET.Element) -> tuple[str, list[Span]]:
    """The plain text of ``elem``'s content (tags removed) and, for every element inside it,
    (tag, attributes, start, end) as character offsets into that text."""
    parts: list[str] = []
    spans: list[Span] = []
    _walk(elem, parts, [0], spans)
    return "".join(parts), spans


def parse_tml(xml: str, path: Path | None = None) -> TimeMLDoc:
    """Parse the TimeML document in the string ``xml``."""
    root = ET.fromstring(xml.encode("utf-8") if xml.startswith("<?xml") else xml)
    docid = (root.findtext("DOCID") or (path.stem if path else "")).strip()
    dct_el = root.find("DCT/TIMEX3")
    if dct_el is None:
        raise ValueError(f"{path or 'document'}: no <DCT><TIMEX3>")
    dct = _parse_dct(dct_el.get("value", ""))
    text_el = root.find("TEXT")
    if text_el is None:
        raise ValueError(f"{path or 'document'}: no <TEXT>")
    text, spans = tagged_text(text_el)
    out = [GoldTimex(s, e, text[s:e], a.get("type", ""), a.get("value", ""), a.get("mod"),
                     a.get("tid", "")) for tag, a, s, e in spans if tag == "TIMEX3"]
    out.sort(key=lambda t: (t.start, t.end))
    return TimeMLDoc(docid, dct, text, out, path)


def read_tml(path: str | Path) -> TimeMLDoc:
    """Read one ``.tml`` file."""
    p = Path(path)
    return parse_tml(p.read_text(encoding="utf-8"), p)


def iter_tml(paths: list[Path]) -> list[Path]:
    """Expand files and directories into the sorted list of ``.tml`` files they hold."""
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files.extend(sorted(p.rglob("*.tml")))
        else:
            files.append(p)
    return files
