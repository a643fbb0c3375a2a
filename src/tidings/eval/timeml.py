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

__all__ = ["GoldTimex", "TimeMLDoc", "iter_tml", "read_tml"]


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


def _walk(elem: ET.Element, parts: list[str], pos: list[int], out: list[GoldTimex]) -> None:
    """Append the text of ``elem``'s content to ``parts``, recording TIMEX3 spans."""
    if elem.text:
        parts.append(elem.text)
        pos[0] += len(elem.text)
    for child in elem:
        start = pos[0]
        _walk(child, parts, pos, out)
        if child.tag == "TIMEX3":
            text = "".join(child.itertext())
            out.append(GoldTimex(start, pos[0], text, child.get("type", ""),
                                 child.get("value", ""), child.get("mod"), child.get("tid", "")))
        if child.tail:
            parts.append(child.tail)
            pos[0] += len(child.tail)


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
    parts: list[str] = []
    out: list[GoldTimex] = []
    _walk(text_el, parts, [0], out)
    out.sort(key=lambda t: (t.start, t.end))
    return TimeMLDoc(docid, dct, "".join(parts), out, path)


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
