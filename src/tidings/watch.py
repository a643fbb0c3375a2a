"""Watch a feed or a folder: poll, ingest what is new, remember what was seen.

``tidings watch SOURCE --every 15m [--db FILE] [--once] [--max-polls N]``

- SOURCE is an RSS 2.0 or Atom feed (a file path or an http(s) URL) or a directory of
  article files;
- feed items give title, link, publication date and description/content; HTML is turned
  into text (tags dropped, block elements become paragraph breaks);
- seen items are remembered in the table ``watch_seen(watch_source, item_id, seen_at)``
  (item id: the guid/id, else the link, else a hash of title+text; for a folder, the file
  path with its size and modification time), so a poll ingests only new items and a
  restarted watcher does not start over; ingest itself is idempotent on top of that;
- the loop is bounded by ``once`` / ``max_polls`` (tests) and sleeps ``every`` seconds
  between polls; one bad poll (unreachable feed, bad XML) is reported and the loop goes on.
"""

from __future__ import annotations

import hashlib
import re
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .errors import InputError, UsageError
from .model import Article

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}


def parse_interval(text: str) -> float:
    """Parse ``30s``, ``15m``, ``2h``, ``1d`` or plain seconds into seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text or "")
    if not m:
        raise UsageError(f"E320 bad --every {text!r}: use e.g. 30s, 15m, 1h")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Return the text of an HTML fragment: tags dropped, paragraphs kept."""
    p = _Text()
    p.feed(html or "")
    p.close()
    text = "".join(p.parts)
    paras = [" ".join(x.split()) for x in re.split(r"\n\s*\n", text)]
    return "\n\n".join(x for x in paras if x)


@dataclass
class FeedItem:
    """One item of a feed."""

    id: str
    title: str | None
    link: str | None
    published: date | None
    text: str


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


def parse_feed(xml: bytes | str) -> tuple[str | None, list[FeedItem]]:
    """Parse RSS 2.0 or Atom; return (feed title, items). Raises InputError on bad XML."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise InputError("bad-feed", f"E002 not a feed: {exc}") from exc
    items: list[FeedItem] = []
    if root.tag == f"{_ATOM}feed":
        feed_title = (root.findtext(f"{_ATOM}title") or "").strip() or None
        for e in root.findall(f"{_ATOM}entry"):
            link = next((x.get("href") for x in e.findall(f"{_ATOM}link")
                         if x.get("rel", "alternate") == "alternate"), None)
            body = e.findtext(f"{_ATOM}content") or e.findtext(f"{_ATOM}summary") or ""
            items.append(_item(e.findtext(f"{_ATOM}id"), e.findtext(f"{_ATOM}title"), link,
                               e.findtext(f"{_ATOM}published")
                               or e.findtext(f"{_ATOM}updated"), body))
        return feed_title, items
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise InputError("bad-feed",
                         f"E003 not an RSS or Atom feed (root element {root.tag!r})")
    feed_title = (channel.findtext("title") or "").strip() or None
    for e in channel.findall("item"):
        body = e.findtext(_CONTENT) or e.findtext("description") or ""
        items.append(_item(e.findtext("guid"), e.findtext("title"), e.findtext("link"),
                           e.findtext("pubDate") or e.findtext(
                               "{http://purl.org/dc/elements/1.1/}date"), body))
    return feed_title, items


def _item(guid: str | None, title: str | None, link: str | None, pub: str | None,
          body: str) -> FeedItem:
    text = html_to_text(body)
    title = html_to_text(title or "") or None
    link = (link or "").strip() or None
    iid = (guid or "").strip() or link or hashlib.sha256(
        f"{title}\n{text}".encode()).hexdigest()[:16]
    return FeedItem(iid, title, link, _date(pub), text)


def _fetch(source: str) -> bytes:
    if re.match(r"https?://", source):
        req = urllib.request.Request(source, headers={"User-Agent": "tidings-watch/0.1"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return bytes(r.read())
    p = Path(source)
    if not p.exists():
        raise InputError("missing", f"E004 no such feed file: {p}")
    return p.read_bytes()


@dataclass
class Poll:
    """What one poll found and did."""

    new_items: int = 0
    stored: int = 0
    skipped: int = 0
    rejected: int = 0
    error: str | None = None
    summary: Any = None
    rejects: list[tuple[str, str, str]] = field(default_factory=list)


def _seen(conn: Any, src: str, iid: str) -> bool:
    return conn.execute("SELECT 1 FROM watch_seen WHERE watch_source=? AND item_id=?",
                        (src, iid)).fetchone() is not None


def _feed_articles(source: str, items: list[FeedItem], feed_title: str | None,
                   ) -> Iterator[Any]:
    from .readers import Rejected, article_id

    for it in items:
        origin = f"{source}#{it.id}"
        if not it.text.strip():
            yield it.id, Rejected(origin, "empty", "feed item has no text")
            continue
        if it.published is None:
            yield it.id, Rejected(origin, "missing-date", "feed item has no usable date")
            continue
        art = Article(text=it.text, published=it.published, title=it.title,
                      source=feed_title, url=it.link, origin=origin)
        art.id = article_id(art.text, art.url)
        yield it.id, art


def poll(source: str, db: str | Path) -> Poll:
    """Poll ``source`` once and ingest its new items into ``db`` (a SQLite file or a
    ``postgresql://`` URL)."""
    from .ingest import ingest, ingest_items
    from .storage import open_store

    result = Poll()
    with open_store(db) as store:
        seen = store.reader()
        key = str(Path(source).resolve()) if not re.match(r"https?://", source) else source
        p = Path(source)
        if p.is_dir():
            new_files, ids = [], []
            for f in sorted(x for x in p.rglob("*") if x.is_file()):
                st = f.stat()
                iid = f"{f.relative_to(p)}:{st.st_size}:{int(st.st_mtime)}"
                if not _seen(seen, key, iid):
                    new_files.append(f)
                    ids.append(iid)
            result.new_items = len(new_files)
            if new_files:
                s = ingest(new_files, db)
                _record(store, key, ids, result, s)
            return result
        try:
            feed_title, items = parse_feed(_fetch(source))
        except (InputError, OSError) as exc:
            result.error = str(exc)
            return result
        fresh = [it for it in items if not _seen(seen, key, it.id)]
        result.new_items = len(fresh)
        if fresh:
            pairs = list(_feed_articles(source, fresh, feed_title))
            s = ingest_items([a for _, a in pairs], db)
            _record(store, key, [i for i, _ in pairs], result, s)
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
          on_poll: Callable[[int, Poll], None] | None = None) -> list[Poll]:
    """Poll ``source`` every ``every`` seconds (once, or at most ``max_polls`` times)."""
    limit = 1 if once else max_polls
    polls: list[Poll] = []
    n = 0
    while limit is None or n < limit:
        if n:
            sleep(every)
        result = poll(source, db)
        polls.append(result)
        n += 1
        if on_poll is not None:
            on_poll(n, result)
    return polls
