"""Copies (issue 18): a near-duplicate keeps the sentences it adds, roundups keep both stories,
an updated toll keeps both figures, and the store does not depend on the input order.

Fixtures in ``tests/fixtures/copies`` (dated-article format, written for these tests):

- ``2024-03-11-agadez-*``: an article and its re-issue by another outlet with quote and dash
  edits and one added sentence ("Residents of Agadez said 3 convoys left the town on Sunday.");
- ``2024-05-0*-mopti-*``: an ambush report ("killing seven soldiers") and the next day's
  update ("killing 12 soldiers", plus an arrest in Sevare);
- ``2024-06-10-*``: a Lome protest story, a Kidal drone-strike story, and a roundup made of
  both (a near-duplicate of the Lome story only: similarity 0.59 and 0.21).
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES
from test_crash_safety import snapshot

from tidings import copies
from tidings.model import Actor, Document, Event, EventDate, Span, Time

COPIES = FIXTURES / "copies"
AGADEZ = COPIES / "2024-03-11-agadez-contractors-expelled.txt"
AGADEZ_REISSUE = COPIES / "2024-03-11-agadez-contractors-expelled-reissue.txt"
MOPTI = COPIES / "2024-05-06-mopti-ambush.txt"
MOPTI_UPDATE = COPIES / "2024-05-07-mopti-ambush-toll-rises.txt"
LOME = COPIES / "2024-06-10-lome-protest.txt"
KIDAL = COPIES / "2024-06-10-kidal-drone-strike.txt"
ROUNDUP = COPIES / "2024-06-10-west-africa-roundup.txt"
ADDED = "Residents of Agadez said 3 convoys left the town on Sunday."


def _ingest(db: Path, *paths: Path) -> Any:
    from tidings.ingest import ingest

    return ingest(list(paths), db)


def _article_id(path: Path) -> str:
    from tidings.readers import read

    (article,) = list(read(path))
    return article.id


def _events(db: Path, article_id: str | None = None) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(db)
    sql = "SELECT article_id, type, evidence FROM events"
    rows = conn.execute(sql + (" WHERE article_id=?" if article_id else "") + " ORDER BY 1, 3",
                        (article_id,) if article_id else ()).fetchall()
    return [tuple(r) for r in rows]


# ---------------------------------------------------------------- units (no model)

def test_copies_normalise_ignores_whitespace_quotes_punctuation_and_case():
    a = "AGADEZ, Niger — Niger's  military\ngovernment said: “Out.”"
    b = "Agadez Niger - NIGER’S military government said \"out\""
    assert copies.normalise(a) == copies.normalise(b) == \
        "agadez niger niger s military government said out"
    assert copies.normalise("killing seven soldiers") != copies.normalise("killing 12 soldiers")


def test_copies_sentences_cut_at_sentence_ends_and_lines():
    text = "First one. Second one! “Quoted?” he asked.\nNo stop here\n\n  Last"
    assert [text[a:b] for a, b in copies.sentences(text)] == [
        "First one.", "Second one!", "“Quoted?”", "he asked.", "No stop here", "Last"]


def _doc(text: str) -> Document:
    """A Document with an actor, a time and an event in each sentence (built by hand)."""
    events, actors, times = [], [], []
    for i, (a, b) in enumerate(copies.sentences(text)):
        actors.append(Actor(text[a:a + 4], a, a + 4, "X", None, None))
        times.append(Time(text[a:a + 4], a, a + 4, "DATE", "2024-05-05"))
        events.append(Event(f"e{i}", "ASSAULT", None, 0.9, "asserted", Span(a, a + 4),
                            Span(a, b), [actors[-1]], [], None, None,
                            EventDate("2024-05-05", "2024-05-05", "day", "text")))
    return Document("d", date(2024, 5, 6), text, times=times, actors=actors, events=events)


def test_copies_keep_new_keeps_only_the_annotations_of_new_sentences():
    stored = "Gunmen attacked Gao on Sunday. The army said it was looking for them."
    copy = ("Gunmen attacked  Gao on Sunday! Residents fled to Mopti. "
            "The army said it was looking for them.")
    kept = copies.keep_new(_doc(copy), copies._padded([stored]))
    assert (kept.sentences, kept.new) == (3, 1)
    assert [copy[e.sentence.start:e.sentence.end] for e in kept.document.events] == [
        "Residents fled to Mopti."]
    assert [a.text for a in kept.document.actors] == [t.text for t in kept.document.times] == [
        "Resi"]
    whole = copies.keep_new(_doc(copy), [])  # nothing known: an article that copies nothing
    assert len(whole.document.events) == 3 and whole.sentences == 0
    assert not copies.needs_extraction(stored, copies._padded([copy]))
    assert copies.needs_extraction(copy, copies._padded([stored]))


def test_copies_report_order_is_date_then_length_then_id():
    assert copies.order_key("2024-05-06", "x" * 90, "b") < copies.order_key("2024-05-07", "x", "a")
    assert copies.order_key("2024-05-06", "short", "b") < copies.order_key("2024-05-06",
                                                                           "longer", "a")


# ---------------------------------------------------------------- end to end (spaCy)

def test_copies_reissued_article_extracts_its_added_sentence(tmp_path):
    from tidings.pipeline import extract_article
    from tidings.readers import read
    from tidings.storage import connect

    db = tmp_path / "t.db"
    _ingest(db, AGADEZ)
    s = _ingest(db, AGADEZ_REISSUE)
    # the re-issue is a copy: of its 5 sentences only the added one is new (the quote, dash
    # and headline edits do not count) and only it was extracted
    assert (s.stored, s.near_duplicates, s.copy_sentences, s.copy_sentences_new) == (1, 1, 5, 1)
    original, copy = _article_id(AGADEZ), _article_id(AGADEZ_REISSUE)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT article_id, copy_of FROM article_copies").fetchall() == [
        (copy, original)]
    # its events are exactly those extraction finds in the added sentence (the trigger
    # lexicon has none there today: "left" is no trigger) and none of the shared ones
    (article,) = list(read(AGADEZ_REISSUE))
    full = extract_article(article)
    start = full.text.index(ADDED)
    expected = sorted(e.id for e in full.events
                      if start <= e.trigger.start < start + len(ADDED))
    assert sorted(r[0] for r in conn.execute("SELECT id FROM events WHERE article_id=?",
                                             (copy,))) == expected
    assert {r[1] for r in _events(db, original)} == {"SANCTION", "ACCUSE"}
    # the sentence is stored: search finds it in the copy, with the copy's outlet
    hits = connect(db, readonly=True).search_articles('"convoys left the town"')
    assert [h["id"] for h in hits] == [copy]
    # both outlets report the shared events
    for (n, srcs) in conn.execute("SELECT source_count, sources FROM story_events"):
        assert n == 2 and srcs == '["Niger Daily", "Sahel Wire"]'


def test_copies_third_report_with_two_stored_near_duplicates(tmp_path):
    """A report near-duplicating two stored ones (each run its own) is planned against both:
    sorting the stored rows once failed on sqlite3.Row (found by the output fuzz of issue 19)."""
    from tidings.ingest import ingest_items
    from tidings.readers import read_text

    base = ("Police fired tear gas at protesters in Dakar on Monday, witnesses said. The"
            " protesters had gathered outside parliament to oppose the delay of the election."
            " Several people were injured.")
    db = tmp_path / "t.db"
    for i, extra in enumerate(["", " Officials said calm had returned.",
                               " The opposition called for new protests."]):
        s = ingest_items([read_text(base + extra, date(2024, 2, 5 + i))], db)
        assert s.stored == 1
    copies_of = sqlite3.connect(db).execute(
        "SELECT article_id, count(*) FROM article_copies GROUP BY article_id").fetchall()
    assert sorted(n for _, n in copies_of) == [1, 2]


def test_copies_update_keeps_new_events_and_both_tolls(tmp_path):
    from tidings.stories import query_story_events

    db = tmp_path / "t.db"
    _ingest(db, MOPTI)
    s = _ingest(db, MOPTI_UPDATE)
    assert s.near_duplicates == 1 and s.copy_sentences_new == 2  # the new toll, the arrests
    update = _article_id(MOPTI_UPDATE)
    kept = _events(db, update)
    assert sorted(t for _, t, _ in kept) == ["ASSAULT", "COERCE"]
    assert any("killing 12 soldiers" in ev for _, t, ev in kept if t == "ASSAULT")
    assert any("arrested four suspects in Sevare" in ev for _, t, ev in kept)
    conn = sqlite3.connect(db)
    (story,) = [x for x in query_story_events(conn) if x["magnitudes"].get("killed")]
    assert story["magnitudes"] == {"killed": 12}  # the updated toll
    reports = story["magnitude_reports"]["killed"]  # both figures, with their provenance
    assert [(r["value"], r["published"]) for r in reports] == [(7, "2024-05-06"),
                                                              (12, "2024-05-07")]
    assert reports[0]["article_id"] == _article_id(MOPTI) and reports[1]["article_id"] == update
    assert story["article_count"] == 2 and story["sources"] == ["Bamako Courier", "Sahel Wire"]


@pytest.mark.parametrize("order", ["story first", "roundup first"])
def test_copies_roundup_keeps_both_stories(tmp_path, order):
    db = tmp_path / "t.db"
    paths = [LOME, ROUNDUP] if order == "story first" else [ROUNDUP, LOME]
    for p in paths:
        _ingest(db, p)
    types = {(t, ev.split(" — ")[0]) for _, t, ev in _events(db)}
    # the Kidal strike, only in the roundup, is kept whichever came first (it was lost when
    # the roundup counted as a copy of the Lome story)
    assert ("ASSAULT", "KIDAL, Mali") in types
    # "Thousands of opposition supporters protested in Lome": a demonstration (crowd-protest),
    # one event with the lead's "Opposition supporters marched through the Togolese capital"
    # (both aimed at Togo, the state the story is about, so one protest told twice)
    protests = [ev for _, t, ev in _events(db) if t == "PROTEST"]
    assert len(protests) == 1 and ("marched through the Togolese capital" in protests[0]
                                   or protests[0].startswith("LOME, Togo")), protests
    roundup = _article_id(ROUNDUP)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM article_copies").fetchone()[0] == 1
    kidal = [a for a, t, ev in _events(db) if ev.startswith("KIDAL")]
    assert kidal == [roundup]
    # each Lome event is stored once, whichever article holds it
    lome = [ev for _, _, ev in _events(db) if "tear gas" in ev]
    assert len(lome) == 1


def _canonical(db: Path) -> dict[str, Any]:
    """Every table, volatile timestamps left out (test_crash_safety.snapshot), with stories
    named by their mentions instead of their ids (an id is a hash of the mention that founded
    the story, which depends on which report was read first)."""
    snap = snapshot(db)
    conn = sqlite3.connect(db)
    members: dict[str, tuple[str, ...]] = {}
    for eid, sid in conn.execute("SELECT event_id, story_id FROM story_mentions ORDER BY 1"):
        members[sid] = (*members.get(sid, ()), eid)
    cols = [r[1] for r in conn.execute("PRAGMA table_info(story_events)")]
    keep = [i for i, c in enumerate(cols) if c not in ("id", "founding_event_id", "updated_at")]
    snap["story_events"] = sorted(
        (members[r[0]], *(r[i] for i in keep))
        for r in conn.execute("SELECT * FROM story_events"))
    snap["story_mentions"] = sorted(members.values())
    snap["story_magnitudes"] = sorted(
        (members[r[0]], *r[1:]) for r in conn.execute(
            "SELECT story_id, kind, value, event_id, article_id, published"
            " FROM story_magnitudes"))
    snap.pop("meta")  # the longest event span seen, which may include retrofitted events
    return snap


def test_copies_store_is_independent_of_input_order(tmp_path):
    files = sorted(COPIES.glob("*.txt"))
    one, rev = tmp_path / "sorted.db", tmp_path / "reversed.db"
    _ingest(one, *files)
    _ingest(rev, *files[::-1])
    assert snapshot(one) == snapshot(rev)  # one run: every table, ids included
    reference = _canonical(one)
    for seed in (1, 2, 3):  # one article per run, in shuffled orders
        order = files[:]
        random.Random(seed).shuffle(order)
        db = tmp_path / f"inc{seed}.db"
        for f in order:
            _ingest(db, f)
        got = _canonical(db)
        assert got == reference, [t for t in reference if got[t] != reference[t]]
    assert len(reference["events"]) > 10 and reference["article_copies"]


def test_copies_run_reports_new_sentences(tmp_path):
    from typer.testing import CliRunner

    from tidings.cli import app

    db = tmp_path / "t.db"
    res = CliRunner().invoke(app, ["run", str(AGADEZ), str(AGADEZ_REISSUE), str(MOPTI),
                                   str(MOPTI_UPDATE), "--db", str(db), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert ("copies:   2 near-duplicates of earlier reports stored as copies: 3 of their 10"
            " sentences new and extracted (2 events)") in res.output
