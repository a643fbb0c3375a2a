"""Readers: turn files into Articles, or into Rejected items with a coded reason.

Formats: the dated-article text format, plain text (with a publication date given by the
caller), JSON Lines, HTML pages (main text by trafilatura), each optionally gzipped.
A bad item never raises out of :func:`read` and never stops a directory walk.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Article

MAX_BYTES = 5_000_000
_DATE_LINE = re.compile(r"^\s*date\s+(\S+)(?:\s+(.*?))?\s*$")
_PHOTO = re.compile(r"\s*/\s*Photo:\s*(.*)$")
_SOURCE = re.compile(r"^\s*SOURCE:\s*(.+?)\s*$")
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_DATELINE_DATE = re.compile(
    rf"^\s*(?:(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}})\s*$", re.I)
_HTML_EXT = {".html", ".htm", ".xhtml"}
_JSONL_EXT = {".jsonl", ".ndjson"}


@dataclass
class Rejected:
    """An input item that could not be read, with a short reason code and a message."""

    origin: str
    reason: str  # binary, empty, encoding, bad-date, missing-date, too-large, bad-json, ...
    message: str


def normalise_text(text: str) -> str:
    """Return the form of ``text`` that article ids are computed from."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def article_id(text: str, url: str | None = None) -> str:
    """Return the stable id of an article: a hash of its normalised text (and url)."""
    key = normalise_text(text) + ("\n" + url if url else "")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def parse_date(value: Any, origin: str) -> date:
    """Parse a publication date, rejecting impossible ones and ones far in the future."""
    if isinstance(value, date):
        d = value
    else:
        s = str(value).strip()[:10]
        try:
            d = date.fromisoformat(s)
        except ValueError:
            raise InputError("bad-date", f"{origin}: {value!r} is not a valid YYYY-MM-DD date") \
                from None
    if d.year < 1900 or d > date.today() + timedelta(days=1):
        raise InputError("bad-date", f"{origin}: publication date {d} is out of range")
    return d


def _clean_line(line: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", line).strip()


def _paragraphs(lines: list[str]) -> list[str]:
    """Group lines into paragraphs: blank lines separate; each line of a block is kept."""
    out: list[str] = []
    for line in lines:
        line = _clean_line(line)
        if line:
            out.append(line)
    return out


def parse_dated_article(raw: str, origin: str = "<string>") -> Article:
    """Parse the dated-article format; raise InputError with a reason if malformed."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise InputError("empty", f"{origin}: no text")
    m = _DATE_LINE.match(lines[0])
    if not m:
        raise InputError("missing-date", f"{origin}: first line is not 'date YYYY-MM-DD SECTION'")
    published = parse_date(m.group(1), origin)
    section = (m.group(2) or "").strip() or None
    rest = lines[1:]
    while rest and not rest[-1].strip():
        rest.pop()
    source = None
    if rest:
        sm = _SOURCE.match(rest[-1])
        if sm:
            source = sm.group(1)
            rest.pop()
    meta: dict[str, Any] = {}
    body = [ln for ln in rest]
    nonblank = [i for i, ln in enumerate(body) if ln.strip()]
    if not nonblank:
        raise InputError("no-text", f"{origin}: no title or text after the date line")
    title = _clean_line(body[nonblank[0]])
    text_lines = body[nonblank[0] + 1:]
    paragraphs = _paragraphs(text_lines)
    # the date line after the lead is metadata, not article text
    lead_end = min(len(paragraphs), 4)
    for i, p in enumerate(paragraphs[:4]):
        if _DATELINE_DATE.match(p):
            meta["dateline_date"] = p
            del paragraphs[i]
            lead_end = i
            break
    # the lead (one or more lines before the date line) may end with a photo credit
    for i in range(lead_end):
        pm = _PHOTO.search(paragraphs[i])
        if pm:
            meta["photo_credit"] = pm.group(1).strip()
            paragraphs[i] = paragraphs[i][:pm.start()].rstrip()
            break
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise InputError("no-text", f"{origin}: the article has a title but no text")
    text = "\n\n".join(paragraphs)
    return Article(text=text, published=published, title=title or None, section=section,
                   source=source, id=article_id(text), origin=origin, meta=meta)


def read_text(text: str, published: date, title: str | None = None, source: str | None = None,
              url: str | None = None, origin: str | None = None) -> Article:
    """Return an Article for plain ``text`` published on ``published``."""
    paragraphs = _paragraphs(text.replace("\r\n", "\n").split("\n"))
    clean = "\n\n".join(paragraphs)
    if not clean:
        raise InputError("empty", f"{origin or '<text>'}: no text")
    return Article(text=clean, published=published, title=title, source=source, url=url,
                   id=article_id(clean, url), origin=origin)


# ---------------------------------------------------------------- bytes → text

def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > max(2, len(head) // 50)


def decode(data: bytes, origin: str) -> str:
    """Decode bytes as UTF-8 (or clean cp1252 text); raise InputError otherwise."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data[:8192]
    if len(head) >= 4 and (head[1::2].count(0) > 0.4 * len(head[1::2])
                           or head[0::2].count(0) > 0.4 * len(head[0::2])) and \
            sum(1 for b in head if 32 <= b < 127 or b in (0, 10, 13)) > 0.9 * len(head):
        raise InputError("encoding", f"{origin}: looks like UTF-16 text; save it as UTF-8")
    if _looks_binary(data):
        raise InputError("binary", f"{origin}: looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError("encoding", f"{origin}: not UTF-8 and not Windows-1252 text") from None
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
    high = sum(1 for b in data if b >= 0x80)
    if printable < 0.97 * len(text) or high > 0.2 * len(data):
        raise InputError("encoding", f"{origin}: unknown text encoding (not UTF-8)")
    return text


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes and path.suffix != ".gz":
            raise InputError("too-large", f"{origin}: {size} bytes is over the {max_bytes} limit")
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
        else:
            data = path.read_bytes()
    except InputError:
        raise
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError("unreadable", f"{origin}: cannot read ({exc})") from exc
    if len(data) > max_bytes:
        raise InputError("too-large", f"{origin}: over the {max_bytes}-byte limit")
    if not data.strip():
        raise InputError("empty", f"{origin}: empty file")
    return data


# ---------------------------------------------------------------- formats

def _kind(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    ext = suffixes[-1] if suffixes else ""
    if ext in _JSONL_EXT:
        return "jsonl"
    if ext in _HTML_EXT:
        return "html"
    return "text"


def _read_jsonl(text: str, origin: str, published: date | None, source: str | None,
                ) -> Iterator[Article | Rejected]:
    for n, line in enumerate(text.splitlines(), 1):
        where = f"{origin}:{n}"
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise InputError("bad-json", f"{where}: a line must be a JSON object")
            body = obj.get("text")
            if not isinstance(body, str) or not body.strip():
                raise InputError("no-text", f"{where}: no 'text' field")
            pub = obj.get("published") or obj.get("date")
            if pub is None and published is None:
                raise InputError("missing-date", f"{where}: no 'published' date")
            art = read_text(body, parse_date(pub, where) if pub is not None else published,
                            title=obj.get("title"), source=obj.get("source") or source,
                            url=obj.get("url"), origin=where)  # type: ignore[arg-type]
            if obj.get("id"):
                art.id = str(obj["id"])
            if obj.get("section"):
                art.section = str(obj["section"])
            yield art
        except json.JSONDecodeError as exc:
            yield Rejected(where, "bad-json", f"{where}: invalid JSON ({exc.msg})")
        except InputError as exc:
            yield Rejected(where, exc.reason, str(exc))


def _read_html(text: str, origin: str, published: date | None, source: str | None) -> Article:
    import trafilatura

    body = trafilatura.extract(text, include_comments=False, include_tables=False)
    if not body or not body.strip():
        raise InputError("no-text", f"{origin}: no main text found in the HTML page")
    meta = trafilatura.extract_metadata(text)
    pub: date | None = published
    title = None
    if meta is not None:
        title = meta.title
        if meta.date:
            try:
                pub = parse_date(meta.date, origin)
            except InputError:
                pub = published
        source = source or meta.sitename
    if pub is None:
        raise InputError("missing-date", f"{origin}: no publication date in the page; "
                         "give one with --published")
    return read_text(body, pub, title=title, source=source, url=meta.url if meta else None,
                     origin=origin)


def read_file(path: Path, published: date | None = None, *, source: str | None = None,
              max_bytes: int = MAX_BYTES) -> Iterator[Article | Rejected]:
    """Read one file: every article it holds, or Rejected items."""
    origin = str(path)
    try:
        text = decode(_read_bytes(path, max_bytes), origin)
        kind = _kind(path)
        if kind == "jsonl":
            yield from _read_jsonl(text, origin, published, source)
            return
        if kind == "html":
            yield _read_html(text, origin, published, source)
            return
        first = next((ln for ln in text.splitlines() if ln.strip()), "")
        if _DATE_LINE.match(first):
            art = parse_dated_article(text, origin)
            if source and not art.source:
                art.source = source
            yield art
            return
        if published is None:
            raise InputError("missing-date", f"{origin}: plain text needs a publication date "
                             "(--published YYYY-MM-DD) or a first line 'date YYYY-MM-DD SECTION'")
        yield read_text(text, published, source=source, origin=origin)
    except InputError as exc:
        yield Rejected(origin, exc.reason, str(exc))


def read(path: str | Path, published: date | None = None, *, source: str | None = None,
         max_bytes: int = MAX_BYTES) -> Iterator[Article | Rejected]:
    """Read a file or a folder (recursively, in sorted order) into Articles and Rejected."""
    p = Path(path)
    if p.is_dir():
        for f in sorted(p.rglob("*")):
            rel = f.relative_to(p)
            if not f.is_file() or any(part.startswith(".") for part in rel.parts) \
                    or f.name.upper().startswith("README"):
                continue
            yield from read_file(f, published, source=source, max_bytes=max_bytes)
    elif p.exists():
        yield from read_file(p, published, source=source, max_bytes=max_bytes)
    else:
        yield Rejected(str(p), "unreadable", f"{p}: no such file or folder")
