"""Watch a feed or a folder: poll, ingest what is new, remember what was seen.

``tidings watch SOURCE --every 15m [--db FILE] [--once] [--max-polls N]``

- SOURCE is a feed (RSS 0.9x/1.0/2.0 or Atom; a file path or an http(s) URL) or a directory of
  article files. Feeds are fetched with httpx (redirects followed, at most the
  ``TIDINGS_MAX_BYTES`` setting, decompressed) and parsed by feedparser, which reads them
  leniently: a feed that is not well-formed XML still gives the items before the damage, and
  the poll says so (E005). A feed that declares XML entities is refused first (E008, checked
  with defusedxml): feedparser drops only declarations it finds at line starts, and expat
  expands a one-line "billion laughs" a million times (seconds of work) before its own limit;
- feed items give title, link, publication date and description/content; HTML is sanitised by
  feedparser and turned into text with lxml (script and style dropped by lxml's cleaner, block
  elements become paragraph breaks);
- seen items are remembered in the table ``watch_seen(watch_source, item_id, seen_at)``
  (item id: the guid/id, else the link, else a hash of title+text; for a folder, the file
  path with its size and modification time), so a poll ingests only new items and a
  restarted watcher does not start over; ingest itself is idempotent on top of that;
- the loop is bounded by ``once`` / ``max_polls`` (tests) and sleeps ``every`` seconds
  between polls; one bad poll (unreachable feed, not a feed) is reported with its code and the
  loop goes on, as does a poll whose items are partly bad (each rejected with a reason).

Errors of a poll (``Poll.error``, the poll ingests nothing) and notes (``Poll.warning``)::

    E002  not a feed: the data is not XML a feed parser can read
    E003  XML, but not an RSS or Atom feed
    E004  no such feed file
    E005  the feed is not well-formed XML: read leniently (note, items before the damage kept)
    E006  the feed URL cannot be fetched (network error or HTTP error status)
    E007  the feed is larger than the TIDINGS_MAX_BYTES setting
    E008  the feed declares XML entities (entity expansion, external entities): refused
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, UsageError
from .model import Article
from .settings import max_bytes

if TYPE_CHECKING:
    import httpx

USER_AGENT = "tidings-watch/0.1"
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_URL = re.compile(r"https?://", re.I)


def parse_interval(text: str) -> float:
    """Parse ``30s``, ``15m``, ``2h``, ``1d`` or plain seconds into seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text or "")
    if not m:
        raise UsageError(f"E320 bad --every {text!r}: use e.g. 30s, 15m, 1h")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def _paragraphs(text: str) -> str:
    """Collapse whitespace within paragraphs; paragraphs are separated by blank lines."""
    paras = [" ".join(x.split()) for x in re.split(r"\n\s*\n", text)]
    return "\n\n".join(x for x in paras if x)


def html_to_text(html: str) -> str:
    """Return the text of an HTML fragment: tags dropped, script and style removed, one
    paragraph per block element."""
    if not html or not html.strip():
        return ""
    from lxml import etree
    from lxml import html as lxml_html
    from lxml_html_clean import Cleaner

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):  # nothing parseable (e.g. only a comment)
        return ""
    Cleaner(scripts=True, javascript=True, style=True, comments=True,
            processing_instructions=True, page_structure=False)(root)
    for el in root.iter():
        if el.tag in _BLOCK:
            el.text = "\n\n" + (el.text or "")
            el.tail = "\n\n" + (el.tail or "")
    return _paragraphs(root.text_content())


def _text(value: str | None, mime: str | None) -> str:
    """Text of a feed field: HTML made text, plain text with its paragraphs kept."""
    if not value:
        return ""
    return html_to_text(value) if (mime or "text/html") in _HTML_TYPES else _paragraphs(value)


@dataclass
class FeedItem:
    """One item of a feed."""

    id: str
    title: str | None
    link: str | None
    published: date | None
    text: str


@dataclass
class Feed:
    """A parsed feed: its title, its items and a coded note when it was read leniently."""

    title: str | None
    items: list[FeedItem]
    warning: str | None = None


def _date(value: str | None) -> date | None:
    if not value:
        return None
    v = value.strip()
    try:
        return parsedate_to_datetime(v).astimezone(UTC).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(v).date()  # 3.11 reads a trailing Z
    except ValueError:
        return None


def _entry_date(entry: Any) -> date | None:
    """The entry's date as written (RFC 822 dates in UTC, ISO dates as written), else the
    date feedparser read from any other format (in UTC)."""
    for key in ("published", "updated", "created"):
        if day := _date(entry.get(key)):
            return day
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        if parsed := entry.get(key):
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return None


def _entry_item(entry: Any) -> FeedItem:
    content = entry.get("content") or []
    if content:  # Atom content, RSS content:encoded
        text = _text(content[0].get("value"), content[0].get("type"))
    else:  # Atom summary, RSS description
        text = _text(entry.get("summary"), (entry.get("summary_detail") or {}).get("type"))
    title = _text(entry.get("title"), (entry.get("title_detail") or {}).get("type")) or None
    link = (entry.get("link") or "").strip() or None
    iid = (entry.get("id") or "").strip() or link or hashlib.sha256(
        f"{title}\n{text}".encode()).hexdigest()[:16]
    return FeedItem(iid, title, link, _entry_date(entry), text)


def read_feed(data: bytes | str, location: str | None = None,
              content_type: str | None = None) -> Feed:
    """Parse a feed with feedparser; raise InputError E002/E003 when it is not one, E008
    when it declares XML entities.

    ``location`` (the feed's URL) only names the feed in messages: it is not given to
    feedparser as a base URL, which would rewrite relative guids ("12345") into URLs and so
    change the item ids that ``watch_seen`` remembers. ``content_type`` is the HTTP header,
    whose charset wins over the XML declaration as in RFC 3023.
    """
    import xml.sax

    import feedparser

    if isinstance(data, str):
        data, content_type = data.encode("utf-8"), "application/xml; charset=utf-8"
    headers = {"content-type": content_type} if content_type else {}
    where = f"{location}: " if location else ""
    _refuse_entities(data, where)
    # bytes in a stream: feedparser would treat a str as a URL or a file path to open
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    malformed = isinstance(problem, xml.sax.SAXException)
    if not parsed.get("version"):
        if malformed:
            raise InputError("bad-feed", f"E002 {where}not a feed: {problem}")
        raise InputError("bad-feed", f"E003 {where}not an RSS or Atom feed (no channel or feed"
                         " element)")
    items = [_entry_item(e) for e in parsed.entries]
    title = _text(parsed.feed.get("title"), (parsed.feed.get("title_detail") or {}).get("type"))
    warning = (f"E005 {where}the feed is not well-formed XML ({problem}); read leniently:"
               f" {len(items)} items" if malformed else None)
    return Feed(title or None, items, warning)


def _refuse_entities(data: bytes, where: str) -> None:
    """Raise InputError E008 when ``data`` declares XML entities (a DOCTYPE alone is fine)."""
    from xml.etree.ElementTree import ParseError

    import defusedxml
    import defusedxml.ElementTree

    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True,
                                          forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise InputError("bad-feed", f"E008 {where}the feed declares XML entities ({exc!r});"
                         " refused, since entity expansion and external entities are how XML"
                         " attacks a reader") from exc
    except ParseError:
        pass  # not well-formed: feedparser reads it leniently or says it is not a feed


def parse_feed(xml: bytes | str) -> tuple[str | None, list[FeedItem]]:
    """Parse RSS or Atom; return (feed title, items). Raise InputError when it is not a feed."""
    feed = read_feed(xml)
    return feed.title, feed.items


def _fetch(source: str, client: httpx.Client | None = None) -> tuple[bytes, str | None]:
    """Return the bytes of the feed at ``source`` (a URL or a file) and its content type."""
    limit = max_bytes()
    if not _URL.match(source):
        p = Path(source)
        if not p.is_file():
            raise InputError("missing", f"E004 no such feed file: {p}")
        if p.stat().st_size > limit:
            raise InputError("too-large", f"E007 {p}: the feed is over {limit} bytes (the"
                             " TIDINGS_MAX_BYTES setting)")
        return p.read_bytes(), None
    import httpx

    own = client is None
    http = client or new_client()
    try:
        with http.stream("GET", source) as response:
            response.raise_for_status()
            chunks, size = [], 0
            for chunk in response.iter_bytes():  # decompressed: a gzip bomb stops at the limit
                size += len(chunk)
                if size > limit:
                    raise InputError("too-large", f"E007 {source}: the feed is over {limit}"
                                     " bytes (the TIDINGS_MAX_BYTES setting)")
                chunks.append(chunk)
            return b"".join(chunks), response.headers.get("content-type")
    except httpx.HTTPStatusError as exc:
        raise InputError("unreachable", f"E006 {source}: HTTP {exc.response.status_code}"
                         f" {exc.response.reason_phrase}") from exc
    except httpx.HTTPError as exc:
        raise InputError("unreachable", f"E006 {source}: cannot fetch the feed"
                         f" ({type(exc).__name__}: {exc})") from exc
    finally:
        if own:
            http.close()


def new_client() -> httpx.Client:
    """The HTTP client of a watcher: redirects followed, 30 s timeouts."""
    import httpx

    return httpx.Client(follow_redirects=True, timeout=30.0,
                        headers={"User-Agent": USER_AGENT})


@dataclass
class Poll:
    """What one poll found and did."""

    new_items: int = 0
    stored: int = 0
    skipped: int = 0
    rejected: int = 0
    error: str | None = None  # coded: the poll read nothing (E002-E007)
    warning: str | None = None  # coded: the feed was read leniently (E005)
    summary: Any = None
    rejects: list[tuple[str, str, str]] = field(default_factory=list)


def _seen(conn: Any, src: str, iid: str) -> bool:
    return conn.execute("SELECT 1 FROM watch_seen WHERE watch_source=? AND item_id=?",
                        (src, iid)).fetchone() is not None


def _feed_articles(source: str, items: list[FeedItem], feed_title: str | None,
                   ) -> Iterator[Any]:
    from .readers import Rejected, read_text

    for it in items:
        origin = f"{source}#{it.id}"
        if not it.text.strip():
            yield it.id, Rejected(origin, "empty", "feed item has no text")
            continue
        if it.published is None:
            yield it.id, Rejected(origin, "missing-date", "feed item has no usable date")
            continue
        # read_text, as for every other input: limits, and control characters stripped
        try:
            art = read_text(it.text, it.published, title=it.title, source=feed_title,
                            url=it.link, origin=origin)
        except InputError as exc:
            yield it.id, Rejected(origin, exc.reason, str(exc))
            continue
        yield it.id, art


def poll(source: str, db: str | Path, client: httpx.Client | None = None) -> Poll:
    """Poll ``source`` once and ingest its new items into ``db`` (a SQLite file or a
    ``postgresql://`` URL; feeds are fetched with ``client``, else a client made for this
    poll)."""
    from .ingest import ingest, ingest_items
    from .storage import open_store

    result = Poll()
    with open_store(db) as store:
        reader = store.reader()
        key = source if _URL.match(source) else str(Path(source).resolve())
        p = Path(source)
        if p.is_dir():
            new_files, ids = [], []
            for f in sorted(x for x in p.rglob("*") if x.is_file()):
                st = f.stat()
                iid = f"{f.relative_to(p)}:{st.st_size}:{int(st.st_mtime)}"
                if not _seen(reader, key, iid):
                    new_files.append(f)
                    ids.append(iid)
            result.new_items = len(new_files)
            if new_files:
                s = ingest(new_files, db)
                _record(store, key, ids, result, s)
            return result
        try:
            data, content_type = _fetch(source, client)
            feed = read_feed(data, source if _URL.match(source) else None, content_type)
        except InputError as exc:
            result.error = str(exc)
            return result
        except OSError as exc:  # an unreadable file
            result.error = f"E004 {source}: cannot read the feed file ({exc})"
            return result
        result.warning = feed.warning
        fresh = [it for it in feed.items if not _seen(reader, key, it.id)]
        result.new_items = len(fresh)
        if fresh:
            pairs = list(_feed_articles(source, fresh, feed.title))
            s = ingest_items([a for _, a in pairs], db)
            # an item of a damaged feed may be cut short: only a stored one counts as seen,
            # so a rejected one is read again once the feed is whole
            seen = [i for i, a in pairs if not (feed.warning and not isinstance(a, Article))]
            _record(store, key, seen, result, s)
        return result


def _record(store: Any, key: str, ids: list[str], result: Poll, s: Any) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with store.transaction() as tx:
        tx.executemany("INSERT INTO watch_seen VALUES (?,?,?) ON CONFLICT DO NOTHING",
                       [(key, i, now) for i in ids])
    result.summary = s
    result.stored = s.stored + s.updated
    result.skipped = s.skipped
    result.rejected = len(s.rejected)
    result.rejects = list(s.rejected)


def watch(source: str, db: str | Path, every: float = 900.0, once: bool = False,
          max_polls: int | None = None, sleep: Callable[[float], None] = time.sleep,
          on_poll: Callable[[int, Poll], None] | None = None,
          client: httpx.Client | None = None) -> list[Poll]:
    """Poll ``source`` every ``every`` seconds (once, or at most ``max_polls`` times).

    A feed URL is fetched with ``client`` (tests pass one over ``httpx.MockTransport``), else
    with one client kept open for the whole watch.
    """
    limit = 1 if once else max_polls
    own = client is None and bool(_URL.match(source))
    http = new_client() if own else client
    polls: list[Poll] = []
    n = 0
    try:
        while limit is None or n < limit:
            if n:
                sleep(every)
            result = poll(source, db, http)
            polls.append(result)
            n += 1
            if on_poll is not None:
                on_poll(n, result)
    finally:
        if own and http is not None:
            http.close()
    return polls
