"""Readers: turn files into Articles, or into Rejected items with a coded reason.

Formats (by extension, then by sniffing the content):

* the dated-article text format (``date YYYY-MM-DD SECTION`` on line 1, see
  :func:`parse_dated_article`), in ``.txt`` and any other text file;
* plain text, which needs a publication date from the caller;
* JSON Lines (``.jsonl``/``.ndjson``: one article per line) and ``.json`` (one object or a list);
* HTML pages (``.html``/``.htm``/``.xhtml``, or text that starts like a page): main text by
  trafilatura, title and date from the page's metadata;
* any of these gzipped (``.gz``).

A bad item becomes a :class:`Rejected` with a short reason code; it never raises out of
:func:`read` and never stops a directory walk. Reading the same file twice gives equal
Articles, ids included.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Article
from .settings import MAX_BYTES, max_text_chars
#: every reason code a Rejected may carry
REASONS: tuple[str, ...] = ("binary", "empty", "encoding", "bad-date", "missing-date",
                            "too-large", "bad-json", "no-text", "unreadable", "unknown-format")

# no lazy group before a trailing \s*$: that backtracks quadratically on long blank runs
_DATE_LINE = re.compile(r"^[\s\ufeff]*date\s+(\d{4}-\d{1,2}-\d{1,2})(?:\s+(.*))?$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")
_PHOTO = re.compile(r"\s*/\s*Photo:\s*(.*)$")
_SOURCE = re.compile(r"^\s*SOURCE:\s*(.+)$")
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
           # French date lines ("18 septembre 2024", "1er août 2024")
           "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
           "novembre|décembre|decembre")
_WEEKDAYS = ("monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|"
             "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche")
_DATELINE_DATE = re.compile(
    rf"^\s*(?:(?:{_WEEKDAYS})\.?,?\s+)?"
    rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}(?:er)?\.?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}})\s*$", re.I)
# Stripped from every input on ingest, whatever the path (files, JSON Lines, HTML, feeds, the
# API, Spark: all reach read_text or parse_dated_article): C0 and C1 control characters and the
# bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which hide or reorder
# text on screen (issue 19). Tab, LF, VT, FF, CR and NEL are whitespace, collapsed by _SPACES.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")
_TERMINAL = tuple(".!?:;\"'”’»)]…")
_HTML_EXT = {".html", ".htm", ".xhtml"}
_JSONL_EXT = {".jsonl", ".ndjson"}
_JSON_EXT = {".json"}
#: formats read() cannot turn into text; rejected as unknown-format without reading them
_UNKNOWN_EXT = {".pdf", ".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".ods", ".ppt",
                ".pptx", ".zip", ".tar", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".png", ".jpg",
                ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".svg", ".mp3", ".mp4",
                ".wav", ".avi", ".mov", ".exe", ".dll", ".so", ".pyc", ".parquet", ".sqlite",
                ".db", ".warc", ".arc"}
_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.I | re.S)


@dataclass
class Rejected:
    """An input item that could not be read, with a short reason code and a message.

    ``origin`` is the file path (``path:line`` for one line of a JSON Lines file);
    ``reason`` is one of :data:`REASONS`; ``message`` is one readable line saying what to fix.
    """

    origin: str
    reason: str
    message: str


# ---------------------------------------------------------------- ids, dates, text

def normalise_text(text: str) -> str:
    """Return the form of ``text`` that article ids are computed from (NFC, spaces collapsed)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def article_id(text: str, url: str | None = None) -> str:
    """Return the stable id of an article: 16 hex digits of sha256 over its normalised text.

    The url, when known, is part of the key (``text + "\\n" + url``). Case is kept.
    """
    key = normalise_text(text) + ("\n" + url if url else "")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def parse_date(value: Any, origin: str) -> date:
    """Parse a publication date (``YYYY-MM-DD``, optionally followed by a time).

    Raise InputError("bad-date") for impossible dates (2024-02-30), dates before 1900 and
    dates later than tomorrow.
    """
    if isinstance(value, datetime):
        d = value.date()
    elif isinstance(value, date):
        d = value
    else:
        m = _ISO_DATE.match(str(value)) if isinstance(value, str) else None
        try:
            if not m:
                raise ValueError
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise InputError("bad-date", f"{origin}: {value!r} is not a valid YYYY-MM-DD date; "
                             "give a real calendar date") from None
    if d.year < 1900 or d > date.today() + timedelta(days=1):
        raise InputError("bad-date", f"{origin}: publication date {d} is out of range "
                         "(1900 to tomorrow)")
    return d


def _clean_line(line: str) -> str:
    """Drop control and bidi-override characters and collapse whitespace within one line."""
    return _SPACES.sub(" ", _CONTROL.sub("", line)).strip()


def clean_field(value: str | None) -> str | None:
    """Return a one-line metadata field (title, source, url, section, id) as stored: control
    and bidi-override characters dropped, whitespace collapsed; None when nothing is left."""
    if value is None:
        return None
    return _clean_line(value) or None


def _lines(text: str) -> list[str]:
    """Split text into lines on any line ending (\\r\\n, \\r, \\n); a BOM is dropped."""
    return text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _joins(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` continues the hard-wrapped line ``prev`` (rather than starting a new
    paragraph, such as after a sub-heading)."""
    if nxt[:1].islower() or prev.endswith(("-", ",")):
        return True
    return len(prev) >= 40 and not prev.endswith(_TERMINAL)


def _paragraphs(lines: Iterable[str]) -> list[str]:
    """Return the paragraphs of ``lines``, cleaned.

    Where the text uses blank lines between paragraphs, lines within a block are joined when
    they look hard-wrapped and otherwise kept as their own paragraphs (sub-headings); where it
    has no blank lines, every line is a paragraph (trafilatura output, JSON text fields).
    """
    cleaned = [_clean_line(ln) for ln in lines]
    while cleaned and not cleaned[0]:
        cleaned.pop(0)
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    if "" not in cleaned:
        return cleaned
    out: list[str] = []
    block_start = True
    for line in cleaned:
        if not line:
            block_start = True
            continue
        if not block_start and out and _joins(out[-1], line):
            out[-1] = out[-1][:-1] + line if out[-1].endswith("-") and line[:1].islower() \
                and out[-1][-2:-1].isalpha() else out[-1] + " " + line
        else:
            out.append(line)
        block_start = False
    return out


def parse_dated_article(raw: str, origin: str = "<string>") -> Article:  # noqa: C901 (a flat case analysis, kept whole for now)
    """Parse the dated-article format; raise InputError with a reason if malformed.

    Layout: line 1 ``date YYYY-MM-DD SECTION``; line 2 the title; then the lead (a line or
    more; a trailing ``/ Photo: CREDIT`` goes to ``meta["photo_credit"]``); a date line such
    as ``September 16, 2024`` (``meta["dateline_date"]``); body paragraphs; an optional last
    line ``SOURCE:NAME`` (``Article.source``). The text is the lead and the body paragraphs
    joined by blank lines; title, date line, credit and source are not part of it.
    """
    lines = _lines(raw)
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise InputError("empty", f"{origin}: no text")
    m = _DATE_LINE.match(lines[0])
    if not m:
        raise InputError("missing-date", f"{origin}: first line is not 'date YYYY-MM-DD SECTION'")
    published = parse_date(m.group(1), origin)
    section = _clean_line(m.group(2) or "") or None
    rest = lines[1:]
    while rest and not rest[-1].strip():
        rest.pop()
    source = None
    if rest:
        sm = _SOURCE.match(rest[-1])
        if sm:
            source = _clean_line(sm.group(1)) or None
            rest.pop()
    meta: dict[str, Any] = {}
    nonblank = [i for i, ln in enumerate(rest) if _clean_line(ln)]
    if not nonblank:
        raise InputError("no-text", f"{origin}: no title or text after the date line")
    title = _clean_line(rest[nonblank[0]])
    after_title = rest[nonblank[0] + 1:]
    # the head (lead, caption, date line) is line-based: each non-blank line is its own item
    head: list[str] = []
    body_from = len(after_title)
    for i, ln in enumerate(after_title):
        c = _clean_line(ln)
        if not c:
            if head:
                body_from = i
                break
            continue
        if _DATELINE_DATE.match(c) and "dateline_date" not in meta:
            meta["dateline_date"] = c
            body_from = i + 1
            break
        head.append(c)
        if len(head) >= 4:
            body_from = i + 1
            break
    for i, p in enumerate(head):
        pm = _PHOTO.search(p)
        if pm:
            meta["photo_credit"] = pm.group(1).strip()
            head[i] = p[:pm.start()].rstrip()
            break
    body = _paragraphs(after_title[body_from:])
    if body and "dateline_date" not in meta and _DATELINE_DATE.match(body[0]):
        meta["dateline_date"] = body.pop(0)
    paragraphs = [p for p in head + body if p]
    if not paragraphs:
        raise InputError("no-text", f"{origin}: the article has a title but no text")
    text = "\n\n".join(paragraphs)
    if len(text) > max_text_chars():
        raise InputError("too-large", f"{origin}: {len(text)} characters of text is over the "
                         f"{max_text_chars()}-character limit; split it or set "
                         "TIDINGS_MAX_TEXT_CHARS")
    return Article(text=text, published=published, title=title or None, section=section,
                   source=source, id=article_id(text), origin=origin, meta=meta)


def read_text(text: str, published: date, title: str | None = None, source: str | None = None,
              url: str | None = None, origin: str | None = None) -> Article:
    """Return an Article for plain ``text`` published on ``published`` (the Python API).

    Line endings and whitespace are normalised and paragraphs joined by blank lines; control
    and bidi-override characters are dropped from the text and the metadata fields.
    Raise InputError("empty") when there is no text.
    """
    clean = "\n\n".join(_paragraphs(_lines(text)))
    if not clean:
        raise InputError("empty", f"{origin or '<text>'}: no text")
    limit = max_text_chars()
    if len(clean) > limit:
        raise InputError("too-large", f"{origin or '<text>'}: {len(clean)} characters of text is "
                         f"over the {limit}-character limit; split it or set "
                         "TIDINGS_MAX_TEXT_CHARS")
    title, source, url = clean_field(title), clean_field(source), clean_field(url)
    return Article(text=clean, published=published, title=title, source=source, url=url,
                   id=article_id(clean, url), origin=origin)


def clean_positions(original: str, clean: str) -> list[int]:
    """Return, for each character of ``clean`` (what :func:`read_text` made of ``original``),
    its index in ``original``.

    Cleaning only drops characters (control characters, byte-order marks, ``\r``, spaces, the
    hyphen of a word broken across a line end) and rewrites runs of whitespace, so every other
    character of ``clean`` is the next equal character of ``original``; a space or line break
    of ``clean`` maps to where the whitespace it stands for begins.
    """
    positions: list[int] = []
    j = 0
    for c in clean:
        if c == " " or c == "\n":
            positions.append(j)
            continue
        j = original.index(c, j)  # what lies between was dropped by the cleaning
        positions.append(j)
        j += 1
    return positions

# ---------------------------------------------------------------- bytes → text

def _looks_binary(data: bytes) -> bool:
    """NUL bytes or a high share of control bytes in the first 8 KB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > max(2, len(head) // 50)


def _looks_utf16(head: bytes) -> bool:
    """BOM-less UTF-16 of mostly ASCII text: every other byte is NUL."""
    if len(head) < 4:
        return False
    odd, even = head[1::2], head[0::2]
    return odd.count(0) > 0.4 * len(odd) or even.count(0) > 0.4 * len(even)


def decode(data: bytes, origin: str) -> str:
    """Decode bytes as UTF-8 (BOM stripped), UTF-16 with a BOM, or clean cp1252 text.

    Raise InputError("encoding") for text in another encoding (BOM-less UTF-16 included) and
    InputError("binary") for data that is not text.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("encoding", f"{origin}: broken UTF-16; save it as UTF-8") from None
    if _looks_utf16(data[:8192]):
        raise InputError("encoding", f"{origin}: looks like UTF-16 text without a byte-order "
                         "mark; save it as UTF-8")
    if _looks_binary(data):
        raise InputError("binary", f"{origin}: looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError("encoding", f"{origin}: not UTF-8 and not Windows-1252 text; "
                         "save it as UTF-8") from None
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
    high = sum(1 for b in data if b >= 0x80)
    if printable < 0.97 * len(text) or high > 0.2 * len(data):
        raise InputError("encoding", f"{origin}: unknown text encoding (not UTF-8); "
                         "save it as UTF-8")
    return text


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a file (gunzipped when it ends in .gz), enforcing ``max_bytes``."""
    origin = str(path)
    gz = path.suffix.lower() == ".gz"
    try:
        size = path.stat().st_size
        if size > max_bytes and not gz:
            raise InputError("too-large", f"{origin}: {size} bytes is over the {max_bytes}-byte "
                             "limit; split it or raise the limit")
        if gz:
            with gzip.open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
        else:
            data = path.read_bytes()
    except InputError:
        raise
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError("unreadable", f"{origin}: cannot read ({exc})") from exc
    if len(data) > max_bytes:
        raise InputError("too-large", f"{origin}: over the {max_bytes}-byte limit; "
                         "split it or raise the limit")
    if not data.strip():
        raise InputError("empty", f"{origin}: empty file")
    return data


# ---------------------------------------------------------------- formats

def _kind(path: Path) -> str:
    """The format a file's name says: jsonl, json, html, text or unknown."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    ext = suffixes[-1] if suffixes else ""
    if ext in _JSONL_EXT:
        return "jsonl"
    if ext in _JSON_EXT:
        return "json"
    if ext in _HTML_EXT:
        return "html"
    if ext in _UNKNOWN_EXT:
        return "unknown"
    return "text"


def _str_field(obj: dict[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and key in ("id",):
        return str(value)
    if not isinstance(value, str):
        raise InputError("bad-json", f"{where}: field {key!r} must be a string")
    return value


def _record(obj: Any, where: str, published: date | None, source: str | None) -> Article:
    """One JSON object (text, published, optional title, url, source, id, section)."""
    if not isinstance(obj, dict):
        raise InputError("bad-json", f"{where}: a record must be a JSON object")
    body = obj.get("text")
    if not isinstance(body, str) or not body.strip():
        raise InputError("no-text", f"{where}: no 'text' field")
    pub = obj.get("published", obj.get("date"))
    if pub is None or pub == "":
        if published is None:
            raise InputError("missing-date", f"{where}: no 'published' date; add one or "
                             "give a default with --published")
        day = published
    else:
        day = parse_date(pub, where)
    art = read_text(body, day, title=_str_field(obj, "title", where),
                    source=_str_field(obj, "source", where) or source,
                    url=_str_field(obj, "url", where), origin=where)
    given_id = clean_field(_str_field(obj, "id", where))
    if given_id:
        art.id = given_id
    art.section = clean_field(_str_field(obj, "section", where))
    return art


def _read_jsonl(text: str, origin: str, published: date | None, source: str | None,
                ) -> Iterator[Article | Rejected]:
    """Every line of a JSON Lines text: an Article, or a Rejected with origin ``file:line``."""
    # split on \n only: JSON strings may hold a raw U+2028, which str.splitlines would cut
    for n, line in enumerate(text.replace("\ufeff", "").split("\n"), 1):
        where = f"{origin}:{n}"
        if not line.strip():
            continue
        try:
            yield _record(json.loads(line), where, published, source)
        except json.JSONDecodeError as exc:
            yield Rejected(where, "bad-json", f"{where}: invalid JSON ({exc.msg})")
        except InputError as exc:
            yield Rejected(where, exc.reason, str(exc))
        except (ValueError, TypeError, RecursionError) as exc:
            yield Rejected(where, "bad-json", f"{where}: unusable record ({exc})")


def _read_json(text: str, origin: str, published: date | None, source: str | None,
               ) -> Iterator[Article | Rejected]:
    """A .json file: one article object, or a list of them (origin ``file:index``, from 1)."""
    try:
        obj = json.loads(text.replace("\ufeff", ""))
    except (ValueError, RecursionError) as exc:
        yield Rejected(origin, "bad-json", f"{origin}: invalid JSON ({exc})")
        return
    items = obj if isinstance(obj, list) else [obj]
    for n, item in enumerate(items, 1):
        where = f"{origin}:{n}" if isinstance(obj, list) else origin
        try:
            yield _record(item, where, published, source)
        except InputError as exc:
            yield Rejected(where, exc.reason, str(exc))


def _read_html(text: str, origin: str, published: date | None, source: str | None) -> Article:
    """Main text of an HTML page by trafilatura; title and date from the page's metadata
    where present, else ``published``; raise InputError when there is no text or no date."""
    import trafilatura

    body = trafilatura.extract(text, include_comments=False, include_tables=False)
    if not body or not body.strip():
        raise InputError("no-text", f"{origin}: no main text found in the HTML page")
    meta = trafilatura.extract_metadata(text, extensive=False)
    pub: date | None = published
    title = None
    url = None
    if meta is not None:
        title = _clean_line(meta.title) if meta.title else None
        url = meta.url or None
        if meta.date:
            try:
                pub = parse_date(meta.date, origin)
            except InputError:
                pub = published
        source = source or meta.sitename or None
    if pub is None:
        raise InputError("missing-date", f"{origin}: no publication date in the page; "
                         "give one with --published")
    lines = body.split("\n")
    if title and len(lines) > 1 and _clean_line(lines[0]).casefold() == title.casefold():
        body = "\n".join(lines[1:])  # the page's headline is the title, not article text
    return read_text(body, pub, title=title or None, source=source, url=url, origin=origin)


def read_file(path: Path, published: date | None = None, *, source: str | None = None,
              max_bytes: int = MAX_BYTES) -> Iterator[Article | Rejected]:
    """Read one file: every article it holds, or Rejected items. Never raises."""
    origin = str(path)
    try:
        kind = _kind(path)
        if kind == "unknown":
            raise InputError("unknown-format", f"{origin}: {path.suffix} files are not read; "
                             "give text, JSON Lines or HTML")
        text = decode(_read_bytes(path, max_bytes), origin).replace("\ufeff", "")
        if not text.strip():
            raise InputError("empty", f"{origin}: empty file")
        if kind == "jsonl":
            yield from _read_jsonl(text, origin, published, source)
            return
        if kind == "json":
            yield from _read_json(text, origin, published, source)
            return
        if kind == "html" or _HTML_START.match(text[:4096]):
            yield _read_html(text, origin, published, source)
            return
        first = next((ln for ln in _lines(text) if ln.strip()), "")
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
    except Exception as exc:  # noqa: BLE001 - a bad file must never stop the batch
        yield Rejected(origin, "unreadable", f"{origin}: cannot read ({type(exc).__name__}: "
                       f"{exc})")


def _walk(root: Path) -> Iterator[Path]:
    """Files under ``root`` in sorted order, without hidden files/folders and README*."""
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return
    for f in entries:
        if f.name.startswith(".") or f.name.upper().startswith("README"):
            continue
        if f.is_dir() and not f.is_symlink():
            yield from _walk(f)
        elif f.is_file():
            yield f


def read(path: str | Path, published: date | None = None, *, source: str | None = None,
         max_bytes: int = MAX_BYTES) -> Iterator[Article | Rejected]:
    """Read a file or a folder (recursively, in sorted order) into Articles and Rejected.

    ``published`` dates plain text (and records or pages without a date); ``source`` is the
    default source name. Hidden files and folders and README* files are skipped.
    """
    p = Path(path)
    if p.is_dir():
        for f in _walk(p):
            yield from read_file(f, published, source=source, max_bytes=max_bytes)
    elif p.is_file():
        yield from read_file(p, published, source=source, max_bytes=max_bytes)
    else:
        yield Rejected(str(p), "unreadable", f"{p}: no such file or folder")
