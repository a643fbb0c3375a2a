"""CLI commands for stories: ``export``, ``stories``, ``watch`` and ``eval stories``.

Registered on the Typer ``app`` of :mod:`tidings.cli` (which imports this module at its end).
"""
# ruff: noqa: B008  (Typer declares options as argument defaults)

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from .app import (
    MIN_CONFIDENCE_HELP,
    _date,
    _lang_filter,
    _min_confidence,
    app,
    err,
    eval_app,
    out,
)
from .render import cell, line
from ..errors import UsageError


@app.command()
def export(fmt: str | None = typer.Option(None, "--format",
                                          help="csv, jsonl, parquet or geojson."),
           output: Path = typer.Option(..., "--output", "-o", help="File to write."),
           db: str = typer.Option("tidings.db", "--db", help="SQLite file or postgresql:// URL."),
           profile: str = typer.Option("native", help="native, acled or plover."),
           mentions: bool = typer.Option(False, "--mentions", help="Export every raw event"
                                         " mention instead of merged story events."),
           type_: str | None = typer.Option(None, "--type", help="PLOVER type."),
           country: str | None = typer.Option(None, help="ISO-3 country."),
           since: str | None = typer.Option(None, help="Events ending on or after."),
           until: str | None = typer.Option(None, help="Events starting on or before."),
           skip_unlocated: bool = typer.Option(False, help="GeoJSON: leave out events"
                                               " without coordinates (default: null geometry)."),
           lang: str | None = typer.Option(None, "--lang", help="Events reported in articles"
                                           " in this language: en or fr."),
           min_confidence: float | None = typer.Option(None, help=MIN_CONFIDENCE_HELP),
           reviewed_only: bool = typer.Option(False, "--reviewed-only", help="Only events a"
                                              " person confirmed or corrected."),
           corrections: bool = typer.Option(False, "--corrections", help="Write the reviewed"
                                            " events as training examples (JSON Lines for"
                                            " `python -m tidings.train.classifier"
                                            " --corrections`) instead."),
           ) -> None:
    """Export events (merged story events by default) for analysts."""
    from ..export import export as do_export
    from ..storage import EventQuery, connect
    from ..stories import StoryQuery

    if corrections:
        from ..review import write_corrections

        if fmt not in (None, "jsonl"):
            raise UsageError(f"E327 --corrections writes JSON Lines, not --format {fmt}")
        if output.parent and not output.parent.exists():
            raise UsageError(f"E324 folder {output.parent} does not exist")
        with connect(db, readonly=True) as reader:
            n = write_corrections(reader, output)
        out.print(line(f"wrote {n} corrections to {output} (jsonl)"))
        return
    if fmt is None:
        raise UsageError("E327 --format is required: csv, jsonl, parquet or geojson")

    _date(since, "--since")
    _date(until, "--until")
    _lang_filter(lang)
    _min_confidence(min_confidence)
    cls = EventQuery if mentions else StoryQuery
    q = cls(type=type_, country=country, since=since, until=until, language=lang,
            min_confidence=min_confidence)
    with connect(db, readonly=True) as reader:
        res = do_export(reader, fmt, output, profile=profile, mentions=mentions, query=q,
                        skip_unlocated=skip_unlocated, reviewed_only=reviewed_only)
    what = "event mentions" if mentions else "story events"
    out.print(line(f"wrote {res['rows']} {what} to {output} ({fmt}, profile {profile})"
                   + (f"; {res['left_out']} left out" if res["left_out"] else "")))


@app.command()
def stories(db: str = typer.Option("tidings.db", "--db", help="SQLite file or postgresql://"
                                   " URL."),
            type_: str | None = typer.Option(None, "--type", help="PLOVER type."),
            country: str | None = typer.Option(None, help="ISO-3 country."),
            actor: str | None = typer.Option(None, help="Actor name or code."),
            since: str | None = typer.Option(None), until: str | None = typer.Option(None),
            text: str | None = typer.Option(None, "--search",
                                               help="FTS5 query over the reporting articles."),
            min_sources: int | None = typer.Option(None, help="At least this many sources."),
            min_confidence: float | None = typer.Option(None, help=MIN_CONFIDENCE_HELP),
            fmt: str = typer.Option("table", "--format", help="table or jsonl."),
            limit: int | None = typer.Option(None),
            ) -> None:
    """List story events: one row per event however many articles report it."""
    from ..storage import connect
    from ..stories import StoryQuery, query_story_events

    if fmt not in ("table", "jsonl"):
        raise UsageError(f"E305 unknown --format {fmt!r}. Available: table, jsonl")
    _min_confidence(min_confidence)
    with connect(db, readonly=True) as reader:
        rows = query_story_events(reader, StoryQuery(type=type_, country=country, actor=actor,
                                                     since=since, until=until, text=text,
                                                     min_sources=min_sources, limit=limit,
                                                     min_confidence=min_confidence))
    if fmt == "jsonl":
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} story events")
    for col in ("date", "type", "actors", "place", "mentions", "sources", "evidence"):
        table.add_column(col, overflow="fold", max_width=60 if col == "evidence" else 28)
    for r in rows:
        d = r["date_start"] if r["date_start"] == r["date_end"] else \
            f"{r['date_start']}..{r['date_end']}"
        actors = "; ".join(a["name"] for a in r["source_actors"]) + " → " + "; ".join(
            a["name"] for a in r["target_actors"])
        table.add_row(*map(cell, (d, r["type"] + (f"/{r['mode']}" if r["mode"] else ""),
                                  actors, r["place_name"] or "", r["mention_count"],
                                  ", ".join(r["sources"]), r["evidence"] or "")))
    out.print(table)


@app.command()
def watch(source: str = typer.Argument(..., help="RSS/Atom feed (file or URL) or a folder."),
          every: str = typer.Option("15m", help="Poll interval: 30s, 15m, 1h."),
          db: str = typer.Option("tidings.db", "--db", help="SQLite file or postgresql:// URL."),
          once: bool = typer.Option(False, "--once", help="Poll once and exit."),
          max_polls: int | None = typer.Option(None, help="Stop after this many polls."),
          ) -> None:
    """Poll a feed or folder and ingest what is new (idempotent)."""
    from ..watch import Poll, parse_interval
    from ..watch import watch as do_watch

    seconds = parse_interval(every)
    if not source.startswith(("http://", "https://")) and not Path(source).exists():
        raise UsageError(f"E304 no such file or folder: {source}")

    def report(n: int, p: Poll) -> None:
        e = getattr(p, "error", None)
        if e:
            err.print(line((f"poll {n}:", "red"), f" {e}"))
        else:
            if getattr(p, "warning", None):
                err.print(line((f"poll {n}:", "yellow"), f" {p.warning}"))
            out.print(line(f"poll {n}: {p.new_items} new items, "
                           f"{p.stored} stored, {p.skipped} skipped, "
                           f"{p.rejected} rejected"))

    try:
        do_watch(source, db, every=seconds, once=once, max_polls=max_polls, on_poll=report)
    except KeyboardInterrupt:
        err.print("stopped")


@eval_app.command("stories")
def eval_stories(articles: Path = typer.Argument(..., help="Folder of labelled articles."),
                 gold: Path = typer.Argument(..., help="Gold TSV: file, substring, story id."),
                 db: Path | None = typer.Option(None, "--db", help="Keep the database here"
                                                   " (default: a temporary file)."),
                 fmt: str = typer.Option("text", "--format", help="text or json."),
                 ) -> None:
    """Story merge quality: pairwise and B-cubed P/R/F1 against gold clusters."""
    from ..eval.stories import evaluate_folder, format_report

    res = evaluate_folder(articles, gold, db)
    if fmt == "json":
        sys.stdout.write(json.dumps(res, indent=2, default=str) + "\n")
    else:
        out.print(line(format_report(res)))
