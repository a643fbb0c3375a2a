"""Watching feeds and folders: new items are ingested once, the loop is bounded."""
# ruff: noqa: E501  (feed fixtures are long XML lines)

from __future__ import annotations

import shutil
import sqlite3

import pytest
from conftest import FIXTURES

from tidings.errors import InputError
from tidings.watch import html_to_text, parse_feed, parse_interval, read_feed, watch

RSS = """<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Sahel Feed</title>
{items}
</channel></rss>"""
ITEM = """<item><title>{title}</title><link>https://example.org/{guid}</link>
<guid>{guid}</guid><pubDate>Wed, 14 Feb 2024 09:00:00 GMT</pubDate>
<description>&lt;p&gt;{text}&lt;/p&gt;&lt;p&gt;More &lt;b&gt;details&lt;/b&gt; later.&lt;/p&gt;</description>
</item>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Horn Atom</title>
<entry><id>tag:horn,2024:1</id><title>Talks in Ankara</title>
<link rel="alternate" href="https://example.org/ankara"/>
<published>2024-07-02T08:00:00Z</published>
<content type="html">&lt;p&gt;Somali and Ethiopian foreign ministers met in Ankara on Monday.&lt;/p&gt;</content>
</entry></feed>"""
TEXTS = [("Ambush near Gao", "g1",
          "Militants ambushed a Malian army convoy near Gao on Tuesday, killing 11 soldiers."),
         ("Protest in Dakar", "g2",
          "Senegalese police arrested 40 protesters in Dakar on Tuesday.")]


def rss(n: int) -> str:
    return RSS.format(items="\n".join(ITEM.format(title=t, guid=g, text=x)
                                      for t, g, x in TEXTS[:n]))


def test_parse_rss_and_atom():
    title, items = parse_feed(rss(2))
    assert title == "Sahel Feed" and [i.id for i in items] == ["g1", "g2"]
    assert items[0].text.startswith("Militants ambushed") and "<" not in items[0].text
    assert str(items[0].published) == "2024-02-14"
    title, items = parse_feed(ATOM)
    assert title == "Horn Atom" and items[0].link == "https://example.org/ankara"
    assert str(items[0].published) == "2024-07-02"
    with pytest.raises(InputError):
        parse_feed("<html><body>nope</body></html>")


def test_html_and_interval():
    assert html_to_text("<p>One &amp; two</p><script>x()</script><p>Three</p>") == \
        "One & two\n\nThree"
    assert parse_interval("15m") == 900 and parse_interval("30s") == 30
    assert parse_interval("2h") == 7200


def test_watch_feed_is_idempotent(tmp_path):
    feed, db = tmp_path / "feed.xml", tmp_path / "w.db"
    feed.write_text(rss(1))
    sleeps: list[float] = []
    polls = watch(str(feed), db, every=5, max_polls=2, sleep=sleeps.append)
    assert [p.new_items for p in polls] == [1, 0] and sleeps == [5]
    assert polls[0].stored == 1
    feed.write_text(rss(2))  # a new item appears
    (p,) = watch(str(feed), db, once=True)
    assert p.new_items == 1 and p.stored == 1
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM watch_seen").fetchone()[0] == 2
    row = conn.execute("SELECT source, url FROM articles WHERE url LIKE '%g1'").fetchone()
    assert row == ("Sahel Feed", "https://example.org/g1")


def test_watch_bad_feed_does_not_stop(tmp_path):
    feed = tmp_path / "bad.xml"
    feed.write_text("not xml at all")
    (p,) = watch(str(feed), tmp_path / "w.db", once=True)
    assert p.error and "E002" in p.error


def test_watch_folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    f = FIXTURES / "stories" / "articles" / "2024-06-19-nairobi-finance-bill-march.txt"
    shutil.copy(f, src)
    db = tmp_path / "w.db"
    (p,) = watch(str(src), db, once=True)
    assert p.new_items == 1 and p.stored == 1
    (p,) = watch(str(src), db, once=True)
    assert p.new_items == 0


def test_cli_watch_once(tmp_path):
    from typer.testing import CliRunner

    from tidings.cli import stories as cli_stories  # noqa: F401
    from tidings.cli import app

    feed = tmp_path / "feed.xml"
    feed.write_text(ATOM)
    res = CliRunner().invoke(app, ["watch", str(feed), "--db", str(tmp_path / "w.db"),
                                   "--once", "--every", "1s"])
    assert res.exit_code == 0, res.output
    assert "1 new items" in res.output


# ---------------------------------------------------------------- feedparser, httpx, lxml

ATOM_FULL = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/news/">
<title type="html">Horn &lt;b&gt;Atom&lt;/b&gt;</title>
<entry><id>tag:horn,2024:1</id><title>Talks in Ankara</title>
<link rel="related" href="https://other.example/x"/><link rel="alternate" href="ankara"/>
<published>2024-07-02T23:30:00-05:00</published>
<summary>Short summary, not the body.</summary>
<content type="html">&lt;p&gt;Somali and Ethiopian ministers met in Ankara.&lt;/p&gt;&lt;p&gt;Turkey mediated.&lt;/p&gt;</content>
</entry>
<entry><id>tag:horn,2024:2</id><title>Plain</title><updated>2024-07-03T08:00:00Z</updated>
<content type="text">Kenya &amp; Somalia reopened the border; tariffs &lt; 5% apply.</content></entry>
<entry><id>tag:horn,2024:3</id><title>Summary only</title><updated>2024-07-04</updated>
<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Djibouti hosted talks.</p></div></summary></entry>
</feed>"""

RSS_HTML = """<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Sahel Wire</title>
<item><title>Ambush &amp;amp; aftermath</title><link>https://example.org/a</link>
<guid isPermaLink="false">a-1</guid><pubDate>Wed, 14 Feb 2024 23:30:00 -0300</pubDate>
<description><![CDATA[<p>Militants ambushed a convoy near <a href="/gao">Gao</a>.</p>
<script>alert("x")</script><style>p {color: red}</style>
<div>Eleven&nbsp;soldiers died.<br>Two were wounded.</div><!-- tracking pixel --><img src="t.gif">]]></description>
</item>
<item><title>Encoded wins</title><link>https://example.org/b</link>
<dc:date>2024-02-15T10:00:00Z</dc:date>
<description>Teaser only.</description>
<content:encoded><![CDATA[<h2>Dakar</h2><ul><li>Police arrested 40 protesters.</li><li>Schools closed.</li></ul>]]></content:encoded>
</item>
</channel></rss>"""


def test_watch_atom_feed():
    title, items = parse_feed(ATOM_FULL)
    assert title == "Horn Atom"
    first, plain, summary = items
    assert first.id == "tag:horn,2024:1"
    assert first.link == "https://example.org/news/ankara"  # alternate link, xml:base applied
    assert first.text == "Somali and Ethiopian ministers met in Ankara.\n\nTurkey mediated."
    assert str(first.published) == "2024-07-02"  # the date as written, as before
    assert plain.text == "Kenya & Somalia reopened the border; tariffs < 5% apply."
    assert str(plain.published) == "2024-07-03"
    assert summary.text == "Djibouti hosted talks." and str(summary.published) == "2024-07-04"


def test_watch_rss_html_descriptions():
    title, (a, b) = parse_feed(RSS_HTML.encode())
    assert title == "Sahel Wire" and a.id == "a-1" and a.title == "Ambush & aftermath"
    assert a.text == ("Militants ambushed a convoy near Gao.\n\nEleven soldiers died.\n\n"
                      "Two were wounded.")
    assert str(a.published) == "2024-02-15"  # RFC 822 dates are read in UTC, as before
    assert b.id == "https://example.org/b" and str(b.published) == "2024-02-15"
    assert b.text == "Dakar\n\nPolice arrested 40 protesters.\n\nSchools closed."


def test_watch_html_to_text_edge_cases():
    assert html_to_text("") == "" and html_to_text("   ") == ""
    assert html_to_text("<!-- only a comment -->") == ""
    assert html_to_text("no tags &amp; entities") == "no tags & entities"
    assert html_to_text("<style>x{}</style><p>a</p><script>b()</script>") == "a"


def test_watch_hostile_xml_is_refused(tmp_path):
    import time

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<rss version="2.0"><channel><title>t</title><item><guid>1</guid>'
           '<description>a &x; b</description></item></channel></rss>')
    with pytest.raises(InputError, match=r"^E008 .*EntitiesForbidden"):
        parse_feed(xxe)
    # a billion laughs on one line: feedparser keeps the declarations, expat would expand them
    # a million times before its own limit (seconds); refused before parsing
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
                     for i in range(9))
           + ']><rss version="2.0"><channel><title>t</title><item><guid>1</guid>'
           '<description>&lol8;</description></item></channel></rss>')
    t0 = time.perf_counter()
    with pytest.raises(InputError, match=r"^E008 "):
        parse_feed(lol)
    assert time.perf_counter() - t0 < 1


def test_watch_doctype_without_entities_is_read():
    netscape = ('<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD'
                ' RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
                '<rss version="0.91"><channel><title>Old &amp; odd</title><item>'
                '<title>x</title><link>https://example.org/x</link>'
                '<description>a &amp;nbsp; b &nbsp; c</description></item></channel></rss>')
    feed = read_feed(netscape)
    assert feed.title == "Old & odd" and feed.items[0].text == "a b c"
    assert feed.warning and feed.warning.startswith("E005 ")  # &nbsp; is not XML


def _client(pages):
    """An httpx client over MockTransport: each request gets the next (status, body,
    headers) of ``pages``; no network."""
    import httpx

    queue, seen = list(pages), []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        status, body, headers = queue.pop(0)
        return httpx.Response(status, content=body, headers=headers)

    client = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)
    client.seen = seen  # type: ignore[attr-defined]
    return client


def test_watch_malformed_feed_is_coded_and_the_batch_goes_on(tmp_path):
    url, db = "https://feeds.example/sahel.xml", tmp_path / "w.db"
    broken = rss(1).replace("</channel></rss>", "") + "<item><title>cut & off"
    no_date = ITEM.format(title="Undated", guid="g9", text="Troops left Niamey.").replace(
        "<pubDate>Wed, 14 Feb 2024 09:00:00 GMT</pubDate>", "")
    good = RSS.format(items="\n".join([ITEM.format(title=t, guid=g, text=x)
                                       for t, g, x in TEXTS] + [no_date]))
    client = _client([(503, b"busy", {}), (200, b"<html><p>login</p></html>", {}),
                      (200, broken.encode(), {"content-type": "application/rss+xml"}),
                      (200, good.encode(), {"content-type": "text/xml; charset=utf-8"})])
    polls = watch(url, db, every=0, max_polls=4, sleep=lambda s: None, client=client)
    assert polls[0].error.startswith("E006 ") and "503" in polls[0].error
    assert polls[1].error.startswith("E003 ")
    assert polls[2].error is None and polls[2].warning.startswith("E005 ")
    # the item before the damage is stored; the one cut short is rejected and not marked seen
    assert (polls[2].new_items, polls[2].stored, polls[2].rejected) == (2, 1, 1)
    assert polls[2].rejects[0][1] == "empty"
    assert polls[3].new_items == 2 and polls[3].stored == 1 and polls[3].rejected == 1
    assert polls[3].rejects[0][1] == "missing-date"
    assert client.seen == [url] * 4
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert sorted(r[0] for r in conn.execute("SELECT item_id FROM watch_seen")) == [
        "g1", "g2", "g9"]


def test_watch_feed_over_the_size_limit(tmp_path, monkeypatch):
    import gzip

    monkeypatch.setenv("TIDINGS_MAX_BYTES", "2000")
    big = rss(2).replace("More", "More " + "words " * 2000)
    client = _client([(200, gzip.compress(big.encode()), {"content-encoding": "gzip"})])
    (p,) = watch("https://feeds.example/big.xml", tmp_path / "w.db", once=True, client=client)
    assert p.error.startswith("E007 ") and p.new_items == 0
    feed = tmp_path / "big.xml"
    feed.write_text(big)
    (p,) = watch(str(feed), tmp_path / "w.db", once=True)
    assert p.error.startswith("E007 ")


def test_watch_unreachable_feed_is_coded(tmp_path):
    import httpx

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client = httpx.Client(transport=httpx.MockTransport(refuse))
    (p,) = watch("https://down.example/feed", tmp_path / "w.db", once=True, client=client)
    assert p.error.startswith("E006 https://down.example/feed: cannot fetch")
