"""Readers: formats, metadata, stable ids and coded rejects for bad input."""

from __future__ import annotations

import gzip
import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.readers import Rejected, article_id, parse_dated_article, read, read_text

DATED = """date 2024-03-05 AFRICA
Mali and Niger sign a pact
Mali and Niger signed a defence pact on Monday. / Photo: Test Photo Agency
March 5, 2024

BAMAKO, Mali — The two juntas signed the pact in Bamako on Monday.

A sub-heading

Officials said more talks would follow.

SOURCE:Sahel Test Wire
"""


def test_readers_dated_article_metadata():
    a = parse_dated_article(DATED, "x.txt")
    assert a.published == date(2024, 3, 5) and a.section == "AFRICA"
    assert a.title == "Mali and Niger sign a pact" and a.source == "Sahel Test Wire"
    assert a.meta["photo_credit"] == "Test Photo Agency"
    assert a.meta["dateline_date"] == "March 5, 2024"
    assert "Photo:" not in a.text and "SOURCE:" not in a.text and "March 5, 2024" not in a.text
    assert a.text.startswith("Mali and Niger signed a defence pact on Monday.")
    assert "\n\nA sub-heading\n\n" in a.text


def test_readers_real_example(niger_path):
    (a,) = list(read(niger_path))
    assert a.title == "US military completes withdrawal from Niger"
    assert (a.published, a.source, a.section) == (date(2024, 9, 16), "AP", "AFRICA")
    assert "Photo:" not in a.text and "SOURCE:" not in a.text
    assert a.text.startswith("US troops have completed their withdrawal from Niger")


def test_readers_ids_are_stable_and_whitespace_blind():
    assert article_id("a  b\nc") == article_id("a b c")
    assert article_id("a b c") != article_id("a b c", url="http://x")
    assert read_text("One. Two.", date(2024, 1, 1)).id == read_text("One.  Two.",
                                                                    date(2024, 1, 2)).id


def test_readers_plain_text_needs_a_date(tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text("Police arrested ten people in Lagos.")
    (r,) = list(read(f))
    assert isinstance(r, Rejected) and r.reason == "missing-date"
    (a,) = list(read(f, published=date(2024, 6, 1)))
    assert a.published == date(2024, 6, 1) and a.text == "Police arrested ten people in Lagos."


def test_readers_jsonl_bad_lines_do_not_stop_good_ones(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text("\n".join([
        json.dumps({"text": "Troops left Gao.", "published": "2024-02-01", "source": "S1"}),
        "{not json",
        json.dumps({"text": "No date here."}),
        json.dumps({"text": "Bad date.", "published": "2024-02-30"}),
        json.dumps({"text": "Talks in Doha.", "published": "2024-02-02", "id": "given-id"}),
    ]))
    items = list(read(f))
    good = [i for i in items if not isinstance(i, Rejected)]
    bad = {i.origin.rsplit(":", 1)[1]: i.reason for i in items if isinstance(i, Rejected)}
    assert [g.text for g in good] == ["Troops left Gao.", "Talks in Doha."]
    assert good[1].id == "given-id" and good[0].source == "S1"
    assert bad == {"2": "bad-json", "3": "missing-date", "4": "bad-date"}


def test_readers_html_main_text(tmp_path):
    f = tmp_path / "page.html"
    f.write_text("""<html><head><title>Clashes in Goma</title>
<meta property="article:published_time" content="2024-08-07"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> Subscribe now</nav>
<article><h1>Clashes in Goma</h1>
<p>Fighting broke out near Sake on Tuesday between M23 rebels and the Congolese army,
residents said, days after a ceasefire agreed in Luanda took effect.</p>
<p>The army said it had repelled the attack and accused Rwanda of backing the rebels, a
charge Kigali has repeatedly denied in statements over the past months.</p></article>
<footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>""")
    (a,) = list(read(f))
    assert not isinstance(a, Rejected), a
    assert "Fighting broke out near Sake" in a.text and "Subscribe" not in a.text
    assert a.published == date(2024, 8, 7)


def test_readers_gzip(tmp_path):
    f = tmp_path / "a.txt.gz"
    f.write_bytes(gzip.compress(DATED.encode()))
    (a,) = list(read(f))
    assert a.title == "Mali and Niger sign a pact"
    (tmp_path / "broken.txt.gz").write_bytes(gzip.compress(DATED.encode())[:30])
    (r,) = list(read(tmp_path / "broken.txt.gz"))
    assert isinstance(r, Rejected) and r.reason == "unreadable"


def test_readers_directory_with_bad_files(tmp_path):
    (tmp_path / "good.txt").write_text(DATED)
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "utf16.txt").write_bytes(DATED.encode("utf-16-le"))
    (tmp_path / "latin.txt").write_bytes(DATED.replace("pact", "pacte signé").encode("cp1252"))
    (tmp_path / "impossible.txt").write_text(DATED.replace("2024-03-05", "2024-13-01"))
    (tmp_path / "future.txt").write_text(DATED.replace("2024-03-05", "2999-01-01"))
    (tmp_path / ".hidden.txt").write_text(DATED)
    (tmp_path / "README.md").write_text("about this folder")
    items = list(read(tmp_path))
    reasons = {i.origin.rsplit("/", 1)[1]: i.reason for i in items if isinstance(i, Rejected)}
    assert reasons == {"binary.bin": "binary", "empty.txt": "empty", "utf16.txt": "encoding",
                       "impossible.txt": "bad-date", "future.txt": "bad-date"}
    good = [i for i in items if not isinstance(i, Rejected)]
    assert len(good) == 2 and any("signé" in g.title for g in good)


def test_readers_too_large(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text(DATED + "x" * 2000)
    (r,) = list(read(f, max_bytes=1000))
    assert isinstance(r, Rejected) and r.reason == "too-large"


def test_readers_same_file_same_articles(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(DATED)
    assert list(read(f)) == list(read(f))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_readers_never_raise_on_random_bytes(tmp_path_factory, data):
    f = tmp_path_factory.mktemp("fuzz") / "x.txt"
    f.write_bytes(data)
    for item in read(f, published=date(2024, 1, 1)):
        assert isinstance(item, Rejected) or item.text.strip()
