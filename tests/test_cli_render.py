"""CLI output is terminal-safe (issue 19): article text is shown verbatim, never read as Rich
markup, escape sequences or bidi overrides, in every view.

The commands run in process (one model load) with their consoles swapped for a *forced*
terminal with colours, so any markup read from the data would come out as escape codes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from tidings.model import Article

BRACKETS = "The minister said [the rebels] attacked Gao on Monday."
MARKUP = ("Nigerian police [/b] said [red]gunmen[/red] kidnapped 20 pupils in"
          " [link=http://evil.example]Kano[/link] on Tuesday.")
#: what a terminal would act on: clear screen, an OSC 8 hyperlink, BEL, 8-bit CSI, RLO
ESCAPES = ("Police in Niamey arrested \x1b[2J\x1b]8;;http://evil.example\x07ten\x1b]8;;\x07"
           " protesters \u202eon Friday\u202c \x9b31m.")
TITLE = "[red]Alert[/red] [/b] \x1b[31mred\x1b[0m \u202etxet"
SOURCE = "[link=http://evil.example]Wire[/link] [/b]\x1b]8;;http://x\x07"
HOSTILE_TEXT = f"{BRACKETS}\n\n{MARKUP}\n\n{ESCAPES}"

_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_COLOURS = set(range(30, 50)) | set(range(90, 98)) | set(range(100, 108))


def _plain(raw: str) -> str:
    return _SGR.sub("", raw)


def assert_unstyled(raw: str, own: tuple[str, ...] = ()) -> None:
    """Every escape sequence in ``raw`` is an SGR style: no hyperlink, no screen control, no
    raw control or bidi character; colours only on our own words (``own``) and rules (─).
    Bold, dim, italic, underline and reverse are ours too (headers, highlights)."""
    rest = _SGR.sub("", raw)
    assert "\x1b" not in rest, repr(rest[max(0, rest.find("\x1b") - 40):][:80])
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", rest)
    matches = list(_SGR.finditer(raw))
    for m, nxt in zip(matches, matches[1:] + [None]):
        codes = {int(p) for p in m.group(1).split(";") if p}
        if codes & _COLOURS:
            styled = raw[m.end():nxt.start() if nxt else len(raw)]
            assert not styled.strip("─ ") or styled in own, (m.group(1), styled)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two stores of the same hostile article: ``clean`` ingested through a reader (controls
    stripped on ingest), ``raw`` stored from an Article built by hand, as a store written
    before ingest stripped anything would hold it (the escaping layer alone must cope)."""
    from tidings.ingest import ingest, ingest_items

    d = tmp_path_factory.mktemp("render")
    f = d / "hostile.jsonl"
    f.write_text(json.dumps({"text": HOSTILE_TEXT, "published": "2024-09-16", "title": TITLE,
                             "source": SOURCE, "url": "http://example.org/[/b]"}) + "\n")
    ingest([f], d / "clean.db")
    raw = Article(text=HOSTILE_TEXT, published=date(2024, 9, 16), title=TITLE, source=SOURCE,
                  url="http://example.org/\x1b[2J", id="hostile0raw00001", origin=str(f))
    ingest_items([raw], d / "raw.db")
    return {"clean": d / "clean.db", "raw": d / "raw.db", "file": f}


@pytest.fixture()
def terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Swap the CLI's consoles for one forced terminal with colours; return its buffer."""
    import tidings.cli as package
    from tidings.cli import app as app_module, commands, stories

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, color_system="truecolor", width=200,
                      highlight=False, soft_wrap=True)
    for module in (package, app_module, commands, stories):
        for name in ("out", "err"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, console)
    return buf


def cli(*args: str) -> Any:
    from tidings.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("store", ["clean", "raw"])
def test_cli_render_events_table_shows_text_verbatim(stores, terminal, store):
    cli("events", "--db", str(stores[store]))
    raw = terminal.getvalue()
    assert_unstyled(raw)
    plain = _plain(raw)
    assert "[the rebels] attacked" in plain  # the evidence, exactly as published
    assert "[/b]" in plain and "[red]gunmen[/red]" in plain
    assert "[link=http://evil.example]Kano[/link]" in plain


@pytest.mark.parametrize("store", ["clean", "raw"])
def test_cli_render_stories_table_shows_text_verbatim(stores, terminal, store):
    cli("stories", "--db", str(stores[store]))
    raw = terminal.getvalue()
    assert_unstyled(raw)
    plain = _plain(raw)
    assert "[the rebels] attacked" in plain and "[red]gunmen[/red]" in plain
    assert "│ [link=http://evil.example]" in plain  # the source column (folded)


@pytest.mark.parametrize("store", ["clean", "raw"])
def test_cli_render_search_shows_title_and_events_verbatim(stores, terminal, store):
    cli("search", "attacked", "--db", str(stores[store]))
    raw = terminal.getvalue()
    assert_unstyled(raw)
    plain = _plain(raw)
    assert "[red]Alert[/red] [/b]" in plain and "[link=http://evil.example]Wire[/link]" in plain
    if store == "raw":  # controls stored raw are shown as escapes, not obeyed
        assert "\\x1b[31mred\\x1b[0m \\u202etxet" in plain


@pytest.mark.parametrize("store", ["clean", "raw"])
def test_cli_render_show_keeps_highlights_on_the_right_words(stores, terminal, store):
    from tidings.storage.sqlite import connect

    (aid,) = [r[0] for r in connect(stores[store], readonly=True).execute(
        "SELECT id FROM articles")]
    cli("show", aid, "--db", str(stores[store]))
    raw = terminal.getvalue()
    assert_unstyled(raw)
    plain = _plain(raw)
    for text in (BRACKETS, MARKUP, "[red]Alert[/red] [/b]"):
        assert text in plain
    # the trigger of the bracket sentence is still the highlighted word ("attacked"), also
    # where escapes widened the text before it
    assert re.search(r"\x1b\[[0-9;]*7[0-9;]*mattacked\x1b\[", raw)
    if store == "raw":
        assert "\\x1b[2J\\x1b]8;;http://evil.example\\x07ten" in plain
        assert "\\u202eon Friday\\u202c \\x9b31m." in plain


def test_cli_render_extract_table_shows_text_verbatim(stores, terminal):
    cli("extract", str(stores["file"]), "--format", "table")
    raw = terminal.getvalue()
    assert_unstyled(raw)
    plain = _plain(raw)
    assert BRACKETS in plain and MARKUP in plain and "[red]Alert[/red] [/b]" in plain
    assert "[link=http://evil.example]Wire[/link]" in plain


def test_cli_render_jsonl_and_csv_views_keep_working(stores):
    """Machine formats print data exactly (JSON escapes controls), CSV neutralises formulas."""
    for store in ("clean", "raw"):
        db = str(stores[store])
        lines = [json.loads(x) for x in cli("events", "--db", db, "--format", "jsonl")
                 .stdout.splitlines()]
        assert any(BRACKETS in x["evidence"] for x in lines)
        rows = list(csv.DictReader(io.StringIO(cli("events", "--db", db, "--format", "csv")
                                               .stdout)))
        assert any(BRACKETS in r["evidence"] for r in rows)
        assert cli("stories", "--db", db, "--format", "jsonl").stdout
        hits = [json.loads(x) for x in cli("search", "attacked", "--db", db, "--format",
                                           "jsonl").stdout.splitlines()]
        assert hits and hits[0]["title"].startswith("[red]Alert[/red]")


def test_cli_render_run_summary_and_errors_show_names_verbatim(tmp_path, terminal,
                                                                 monkeypatch):
    from tidings.cli import app, main

    bad = tmp_path / "[red]bad[b].txt"  # no [/b]: file names cannot hold a slash
    bad.write_text("")
    result = CliRunner().invoke(app, ["run", str(bad), "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 3, result.output
    raw = terminal.getvalue()
    assert_unstyled(raw, own=("empty",))  # the reason itself is red
    assert "[red]bad[b].txt" in _plain(raw)
    # a user error naming the value: one line, the value verbatim (main() prints it)
    monkeypatch.setattr(sys, "argv", ["tidings", "show", "[/b]\x1b[2J", "--db",
                                      str(tmp_path / "t.db")])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 2
    raw = terminal.getvalue()
    assert_unstyled(raw, own=("empty", "error:"))
    assert "E308" in raw and "[/b]" in _plain(raw)


def test_cli_render_safe_and_spans():
    from tidings.cli.render import line, safe, spans_text

    assert safe("[b]x[/b]") == "[b]x[/b]"
    assert safe("a\x1b[2Jb\u202ec\x9bd\te\nf") == "a\\x1b[2Jb\\u202ec\\x9bd\te\nf"
    assert line(("[red]x", "bold"), " [/b]", None).plain == "[red]x [/b]"
    t = spans_text("\x1bab", [(1, 2, "bold")])
    assert t.plain == "\\x1bab" and t.spans[0].start == 4 and t.spans[0].end == 5
