"""Watching feeds and folders: new items are ingested once, the loop is bounded."""
# ruff: noqa: E501  (feed fixtures are long XML lines)

from __future__ import annotations

import shutil
import sqlite3

import pytest
from conftest import FIXTURES

from tidings.errors import InputError
from tidings.watch import html_to_text, parse_feed, parse_interval, watch

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
