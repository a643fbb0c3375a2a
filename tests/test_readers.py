"""Readers: formats, metadata, stable ids and coded rejects for bad input."""

from __future__ import annotations

import gzip
import json
import random
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.errors import InputError
from tidings.model import Article
from tidings.readers import (REASONS, Rejected, article_id, parse_date, parse_dated_article,
                             read, read_text)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
NIGER = Path(__file__).resolve().parents[1].parent / "shared" / "examples" / "niger_withdrawal.txt"
DATED = (FIXTURES / "dated.txt").read_text(encoding="utf-8")


def _split(items: list[Article | Rejected]) -> tuple[list[Article], dict[str, str]]:
    """Articles, and {file name (with :line): reason} of the rejects."""
    good = [i for i in items if isinstance(i, Article)]
    bad = {Path(i.origin).name: i.reason for i in items if isinstance(i, Rejected)}
    assert all(r in REASONS for r in bad.values())
    return good, bad


def _assert_clean_text(text: str) -> None:
    """The text the offsets of every later stage point into: no stray whitespace."""
    assert text == text.strip() and "\r" not in text and "\ufeff" not in text
    for para in text.split("\n\n"):
        assert para and para == para.strip() and "\n" not in para and "  " not in para


def test_readers_dated_article_metadata():
    (a,) = list(read(FIXTURES / "dated.txt"))
    assert isinstance(a, Article)
    assert a.published == date(2024, 3, 5) and a.section == "AFRICA"
    assert a.title == "Mali and Niger sign a defence pact" and a.source == "Sahel Test Wire"
    assert a.meta == {"photo_credit": "Test Photo Agency", "dateline_date": "March 5, 2024"}
    assert a.origin == str(FIXTURES / "dated.txt") and a.id == article_id(a.text)
    for absent in ("Photo:", "Test Photo Agency", "SOURCE:", "March 5, 2024", a.title):
        assert absent not in a.text
    assert a.text.split("\n\n") == [
        "Mali and Niger signed a defence pact on Monday, officials said.",
        "BAMAKO, Mali — The two juntas signed the pact in Bamako on Monday, the region’s latest "
        "security agreement.",  # hard-wrapped line joined, Unicode kept, spaces collapsed
        "A sub-heading",
        "Officials said more talks would follow in Niamey next month.",
    ]
    _assert_clean_text(a.text)
    start = a.text.index("Bamako")
    assert a.text[start:start + len("Bamako")] == "Bamako"


def test_readers_dated_article_tolerates_bom_space_and_crlf():
    variant = "\ufeff " + DATED.replace("\n", "\r\n")
    a = parse_dated_article(variant, "v.txt")
    b = parse_dated_article(DATED, "v.txt")
    assert a == b


def test_readers_dated_article_malformed_raises_input_error():
    with pytest.raises(InputError) as exc:
        parse_dated_article("date 2024-02-30 AFRICA\nTitle\nLead.\n", "x")
    assert exc.value.reason == "bad-date"
    with pytest.raises(InputError) as exc:
        parse_dated_article("date 2024-02-03 AFRICA\nOnly a title\n\nSOURCE:X\n", "x")
    assert exc.value.reason == "no-text"
    with pytest.raises(InputError) as exc:
        parse_dated_article("no date line\nText.", "x")
    assert exc.value.reason == "missing-date"


def test_readers_real_example():
    if not NIGER.exists():
        pytest.skip(f"the shared example {NIGER} is absent")
    (a,) = list(read(NIGER))
    assert isinstance(a, Article)
    assert a.title == "US military completes withdrawal from Niger"
    assert (a.published, a.source, a.section) == (date(2024, 9, 16), "AP", "AFRICA")
    assert a.meta["photo_credit"] == "US Africa Command / Others"
    assert a.meta["dateline_date"] == "September 16, 2024"
    assert "Photo:" not in a.text and "SOURCE:" not in a.text
    assert "September 16, 2024" not in a.text and a.title not in a.text
    assert a.text.startswith("US troops have completed their withdrawal from Niger")
    assert "\n\nLast military bases\n\n" in a.text and "country’s air defenses" in a.text
    _assert_clean_text(a.text)
    assert list(read(NIGER)) == [a]


def test_readers_ids_are_stable_and_whitespace_blind():
    assert article_id("a  b\nc") == article_id("a b c") != article_id("A b c")
    assert article_id("a b c") != article_id("a b c", url="http://x")
    assert len(article_id("x")) == 16 and int(article_id("x"), 16) >= 0
    assert read_text("One. Two.", date(2024, 1, 1)).id == read_text("One.  Two.",
                                                                    date(2024, 1, 2)).id


def test_readers_dates_impossible_future_and_ancient_are_bad():
    for value in ("2024-02-30", "2024-13-01", "1899-12-31", "2999-01-01", "yesterday", 20240101):
        with pytest.raises(InputError) as exc:
            parse_date(value, "x")
        assert exc.value.reason == "bad-date"
    assert parse_date("2024-02-29T10:00:00Z", "x") == date(2024, 2, 29)
    assert parse_date(datetime(2024, 2, 1, 12), "x") == date(2024, 2, 1)


def test_readers_plain_text_needs_a_date(tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text("Police arrested ten people in Lagos.\r\n")
    (r,) = list(read(f))
    assert isinstance(r, Rejected) and r.reason == "missing-date" and r.origin == str(f)
    (a,) = list(read(f, published=date(2024, 6, 1), source="Desk"))
    assert a.published == date(2024, 6, 1) and a.text == "Police arrested ten people in Lagos."
    assert a.source == "Desk" and a.title is None and a.id == article_id(a.text)
    # a first line that only starts with "date" is plain text, not the dated format
    g = tmp_path / "date-night.txt"
    g.write_text("date night in Abuja was calm, police said.\n")
    (b,) = list(read(g, published=date(2024, 6, 1)))
    assert isinstance(b, Article) and b.text.startswith("date night")


def test_readers_plain_text_paragraphs():
    a = read_text("Troops left the base on Monday after the talks in\nNiamey ended, officials "
                  "said.\n\nNext steps\n\nThe  mission\tends.\r\n", date(2024, 1, 1))
    assert a.text == ("Troops left the base on Monday after the talks in Niamey ended, officials "
                      "said.\n\nNext steps\n\nThe mission ends.")
    lines = read_text("First paragraph.\nSecond paragraph\nThird.", date(2024, 1, 1))
    assert lines.text == "First paragraph.\n\nSecond paragraph\n\nThird."
    with pytest.raises(InputError):
        read_text(" \n\t", date(2024, 1, 1))


def test_readers_jsonl_bad_lines_do_not_stop_good_ones(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text("\n".join([
        json.dumps({"text": "Troops left Gao.", "published": "2024-02-01", "source": "S1",
                    "title": "Gao", "url": "http://example.org/gao", "section": "AFRICA"}),
        "{not json",
        json.dumps({"text": "No date here."}),
        json.dumps({"text": "Bad date.", "published": "2024-02-30"}),
        "",
        json.dumps({"text": "Talks in Doha.", "published": "2024-02-02", "id": "given-id"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"published": "2024-02-02"}),
        json.dumps({"text": "Odd url.", "published": "2024-02-02", "url": {"x": 1}}),
        json.dumps({"text": "Line\u2028separator kept in one record.", "published": "2024-02-03"},
                   ensure_ascii=False),
    ]), encoding="utf-8")
    good, bad = _split(list(read(f)))
    assert [g.text for g in good] == ["Troops left Gao.", "Talks in Doha.",
                                      "Line separator kept in one record."]
    assert [g.origin for g in good] == [f"{f}:1", f"{f}:6", f"{f}:10"]
    first = good[0]
    assert (first.source, first.title, first.url, first.section) == (
        "S1", "Gao", "http://example.org/gao", "AFRICA")
    assert first.id == article_id("Troops left Gao.", "http://example.org/gao")
    assert good[1].id == "given-id"
    assert bad == {"a.jsonl:2": "bad-json", "a.jsonl:3": "missing-date", "a.jsonl:4": "bad-date",
                   "a.jsonl:7": "bad-json", "a.jsonl:8": "no-text", "a.jsonl:9": "bad-json"}
    # a default date from the caller dates the records that have none
    good, bad = _split(list(read(f, published=date(2024, 2, 5))))
    assert "a.jsonl:3" not in bad and any(g.published == date(2024, 2, 5) for g in good)


def test_readers_json_list(tmp_path):
    f = tmp_path / "a.json"
    f.write_text(json.dumps([{"text": "One.", "published": "2024-01-02"}, {"text": ""}]))
    good, bad = _split(list(read(f)))
    assert [g.text for g in good] == ["One."] and bad == {"a.json:2": "no-text"}
    (tmp_path / "b.json").write_text("[{")
    assert _split(list(read(tmp_path / "b.json")))[1] == {"b.json": "bad-json"}


def test_readers_html_main_text(tmp_path):
    (a,) = list(read(FIXTURES / "page.html"))
    assert isinstance(a, Article), a
    assert "Fighting broke out near Sake" in a.text and "Kigali" in a.text
    for boilerplate in ("Subscribe", "cookies", "Copyright", "Celebrity", "Privacy"):
        assert boilerplate not in a.text
    assert a.published == date(2024, 8, 7) and a.title == "Clashes near Goma"
    assert a.text.startswith("Fighting broke out")  # the headline is the title, not text
    _assert_clean_text(a.text)
    # no date in the page: the caller's date, else missing-date
    undated = tmp_path / "undated.htm"
    page = (FIXTURES / "page.html").read_text()
    undated.write_text(re.sub(r'<meta property="article:published_time"[^>]*>', "", page))
    (r,) = list(read(undated))
    assert isinstance(r, Rejected) and r.reason == "missing-date"
    (b,) = list(read(undated, published=date(2024, 8, 9)))
    assert isinstance(b, Article) and b.published == date(2024, 8, 9)
    # an HTML page saved with a .txt name is sniffed as HTML
    sniffed = tmp_path / "page.txt"
    sniffed.write_text((FIXTURES / "page.html").read_text())
    (c,) = list(read(sniffed))
    assert isinstance(c, Article) and c.text == a.text


def test_readers_gzip(tmp_path):
    f = tmp_path / "a.txt.gz"
    f.write_bytes(gzip.compress(DATED.encode()))
    (a,) = list(read(f))
    assert isinstance(a, Article) and a.title == "Mali and Niger sign a defence pact"
    assert a.text == parse_dated_article(DATED, "x").text
    g = tmp_path / "b.jsonl.gz"
    g.write_bytes(gzip.compress(b'{"text": "Gz line.", "published": "2024-01-01"}\n'))
    (b,) = list(read(g))
    assert isinstance(b, Article) and b.text == "Gz line." and b.origin == f"{g}:1"
    (tmp_path / "broken.txt.gz").write_bytes(gzip.compress(DATED.encode())[:30])
    (r,) = list(read(tmp_path / "broken.txt.gz"))
    assert isinstance(r, Rejected) and r.reason == "unreadable"
    (tmp_path / "fake.txt.gz").write_bytes(b"not gzip at all")
    (r,) = list(read(tmp_path / "fake.txt.gz"))
    assert isinstance(r, Rejected) and r.reason == "unreadable"


def test_readers_directory_with_bad_files(tmp_path):
    rng = random.Random(7)
    (tmp_path / "good.txt").write_text(DATED, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good2.txt").write_text(DATED.replace("2024-03-05", "2024-03-06"),
                                                encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes(
        DATED.replace("pact\n", "pacte signé\n", 1).replace("’", "'").encode("cp1252"))
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "zero.txt").write_bytes(b"")
    (tmp_path / "utf16.txt").write_bytes(DATED.encode("utf-16-le"))
    (tmp_path / "highbytes.txt").write_bytes(bytes(rng.randrange(0x80, 0x100) for _ in range(600)))
    (tmp_path / "impossible.txt").write_text(DATED.replace("2024-03-05", "2024-02-30"))
    (tmp_path / "month13.txt").write_text(DATED.replace("2024-03-05", "2024-13-01"))
    (tmp_path / "future.txt").write_text(DATED.replace("2024-03-05", "2999-01-01"))
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 ...")
    (tmp_path / ".hidden.txt").write_text(DATED)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(DATED)
    (tmp_path / "README.md").write_text("about this folder")
    items = list(read(tmp_path))
    good, bad = _split(items)
    assert bad == {"binary.bin": "binary", "empty.txt": "empty", "zero.txt": "empty",
                   "utf16.txt": "encoding", "highbytes.txt": "encoding",
                   "impossible.txt": "bad-date", "month13.txt": "bad-date",
                   "future.txt": "bad-date", "scan.pdf": "unknown-format"}
    assert sorted(Path(g.origin).name for g in good) == ["good.txt", "good2.txt", "latin.txt"]
    assert any(g.title and "signé" in g.title for g in good)
    assert all(r.message.startswith(r.origin) for r in items if isinstance(r, Rejected))
    assert list(read(tmp_path)) == items  # sorted, deterministic walk


def test_readers_too_large(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text(DATED + "x" * 2000)
    (r,) = list(read(f, max_bytes=1000))
    assert isinstance(r, Rejected) and r.reason == "too-large"
    g = tmp_path / "big.txt.gz"  # small on disk, too large once unpacked
    g.write_bytes(gzip.compress((DATED + "x" * 5000).encode()))
    (r,) = list(read(g, max_bytes=1000))
    assert isinstance(r, Rejected) and r.reason == "too-large"


def test_readers_missing_path_is_rejected(tmp_path):
    (r,) = list(read(tmp_path / "nope.txt"))
    assert isinstance(r, Rejected) and r.reason == "unreadable"


def test_readers_same_file_same_articles(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(DATED)
    first, second = list(read(f)), list(read(f))
    assert first == second and first[0].id == second[0].id


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000),
       name=st.sampled_from(["x.txt", "x", "x.jsonl", "x.json", "x.html", "x.txt.gz"]),
       published=st.sampled_from([None, date(2024, 1, 1)]))
def test_readers_never_raise_on_random_bytes(tmp_path, data, name, published):
    f = tmp_path / name
    f.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    for item in read(f, published=published):
        if isinstance(item, Rejected):
            assert item.reason in REASONS and item.origin.startswith(str(f))
        else:
            assert item.text.strip() and item.id


# ---------------------------------------------------------------- control characters (issue 19)

#: C0/C1 controls and bidi overrides/isolates that every input path strips on ingest
_UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
#: what the terminal would act on, mixed with editorial brackets and markup that stay as text
DIRTY = "Gao\x1b[2J \x07attack\x9b31m \u202eevil\u202c \u2066iso\u2069 [red]kept[/red]"
CLEAN = "Gao[2J attack31m evil iso [red]kept[/red]"
#: XML 1.0 cannot carry C0 controls (not even as &#27;) and feedparser reads C1 ones as the
#: Windows-1252 characters they were meant to be (\x9b is ›): feeds get bidi overrides
DIRTY_XML = "Gao \u202eevil\u202c \u2066iso\u2069 [red]kept[/red]"
CLEAN_XML = "Gao evil iso [red]kept[/red]"
BODY = "Militants attacked a convoy near Gao on Monday, officials said."
#: enough text that a file's few control bytes do not make it look binary
PAD = "The army said it had sent reinforcements to the region after the attack. " * 12


def _fields(a: Article) -> list[str | None]:
    return [a.text, a.title, a.source, a.url, a.section, a.id]


def _ingested_by_every_path(tmp_path: Path) -> dict[str, Article]:
    from fastapi.testclient import TestClient

    from tidings.api import create_app
    from tidings.spark_job import _read_record
    from tidings.watch import _feed_articles, parse_feed

    got: dict[str, Article] = {}
    f = tmp_path / "dated.txt"
    f.write_text(f"date 2024-02-14 {DIRTY}\n{DIRTY}\n{BODY} {DIRTY}\n\n{BODY} {PAD}\n"
                 f"SOURCE:{DIRTY}\n", encoding="utf-8")
    (got["dated"],) = read(f)
    f = tmp_path / "plain.txt"
    f.write_text(f"{BODY} {DIRTY}\n\n{PAD}\n", encoding="utf-8")
    (got["plain"],) = read(f, published=date(2024, 2, 14), source=DIRTY)
    record = {"text": f"{BODY} {DIRTY}\n\n{PAD}", "published": "2024-02-14", "title": DIRTY,
              "source": DIRTY, "url": f"https://example.org/{DIRTY}", "section": DIRTY}
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (got["jsonl"],) = read(f)
    f = tmp_path / "a.json"
    f.write_text(json.dumps([record]), encoding="utf-8")
    (got["json"],) = read(f)
    html = (f"<html><head><title>{DIRTY}</title><meta property='og:site_name'"
            f" content='{DIRTY}'></head><body><article><p>{BODY} {DIRTY}</p><p>{BODY}"
            f" Officials said the attack killed three soldiers.</p></article></body></html>")
    f = tmp_path / "page.html"
    f.write_text(html, encoding="utf-8")
    (got["html"],) = read(f, published=date(2024, 2, 14))
    feed = (f"<rss version='2.0'><channel><title>{DIRTY_XML}</title><item><guid>g1</guid>"
            f"<title>{DIRTY_XML}</title><link>https://example.org/{DIRTY_XML}</link>"
            f"<pubDate>Wed, 14 Feb 2024 10:00:00 GMT</pubDate>"
            f"<description>{BODY} {DIRTY_XML}</description></item></channel></rss>")
    feed_title, items = parse_feed(feed.encode("utf-8"))
    ((_, got["feed"]),) = list(_feed_articles("feed.xml", items, feed_title))
    posted: list[Article] = []

    def capture(db: Path, article: Article) -> dict[str, object]:
        posted.append(article)
        return {"id": article.id, "status": "stored", "events": 0}

    with TestClient(create_app(tmp_path / "api.db", token="t" * 20, ingest=capture)) as c:
        r = c.post("/api/articles", json={k: v for k, v in record.items() if k != "section"},
                   headers={"Authorization": "Bearer " + "t" * 20})
    assert r.status_code == 201, r.text
    got["api"] = posted[0]
    got["spark-jsonl"] = _read_record("x.jsonl:1", json.dumps(record))
    got["spark-warc"] = _read_record("x.warc#0", json.dumps(
        {"html": html, "url": f"https://example.org/{DIRTY}", "date": "2024-02-14"}))
    return got


def test_readers_strip_controls_and_bidi_on_every_input_path(tmp_path):
    """Files, JSON Lines, JSON, HTML, feeds, POST /api/articles and Spark all store text and
    metadata without C0/C1 controls and bidi overrides; brackets and markup stay as text."""
    got = _ingested_by_every_path(tmp_path)
    for path, a in got.items():
        assert isinstance(a, Article), (path, a)
        for value in _fields(a):
            assert value is None or not _UNSAFE.search(value), (path, value)
        clean = CLEAN_XML if path == "feed" else CLEAN
        assert clean in a.text, (path, a.text)
    for path in ("dated", "jsonl", "json", "html", "feed", "api", "spark-jsonl", "spark-warc"):
        assert got[path].title == (CLEAN_XML if path == "feed" else CLEAN), path
    for path in ("dated", "plain", "jsonl", "json", "api", "spark-jsonl"):
        assert got[path].source == CLEAN, path
    for path in ("jsonl", "json", "api", "spark-jsonl", "spark-warc"):
        assert got[path].url == f"https://example.org/{CLEAN}", path
    assert got["feed"].url == f"https://example.org/{CLEAN_XML}"
    assert got["jsonl"].section == got["dated"].section == CLEAN
    # the same record reads to the same article whichever way it came in
    assert got["jsonl"].id == got["api"].id == got["spark-jsonl"].id


def test_readers_clean_field():
    from tidings.readers import clean_field

    assert clean_field(None) is None and clean_field(" \x1b \u202e ") is None
    assert clean_field("  A\tB \x85 C\x1b[0m ") == "A B C[0m"
