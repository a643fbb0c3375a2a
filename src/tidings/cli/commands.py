"""Core commands: run, extract, events, search, show, eval and rules."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table

from ..errors import UsageError
from .app import (
    EXIT_REJECTED,
    MIN_CONFIDENCE_HELP,
    _date,
    _lang_filter,
    _min_confidence,
    _paths,
    app,
    err,
    eval_app,
    out,
)
from .render import cell, line, spans_text

# ---------------------------------------------------------------- run

@app.command()
def run(paths: list[Path] = typer.Argument(..., help="Files or folders of articles."),
        db: str = typer.Option("tidings.db", "--db", help="SQLite database file or"
                               " postgresql:// URL."),
        published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD) for"
                                                " plain-text files that carry none."),
        source: Optional[str] = typer.Option(None, help="Source name for inputs without one."),
        force: bool = typer.Option(False, help="Re-extract articles already stored."),
        progress: bool = typer.Option(True, help="Show a progress bar on a terminal."),
        workers: int = typer.Option(1, "--workers", "-j", help="Extraction processes (each"
                                    " loads the model, ~600 MB); 0 = one per CPU core."),
        lang: str = typer.Option("auto", "--lang", help="Language of the articles: auto"
                                 " (detected per article), en or fr."),
        ) -> None:
    """Ingest articles: read, extract events, store them; print a summary."""
    import os

    from ..ingest import ingest

    if workers < 0:
        raise UsageError(f"E309 --workers must be 0 (one per core) or more, not {workers}")
    summary = ingest(_paths(paths), db, published=_date(published, "--published"),
                     source=source, force=force, progress=progress and out.is_terminal,
                     console=err, workers=workers or (os.cpu_count() or 1),
                     language=_lang(lang))
    _print_summary(summary)
    if summary.rejected:
        raise typer.Exit(EXIT_REJECTED)


def _print_summary(s: Any) -> None:
    out.print(line(("tidings run", "bold"), f" → {s.db}"))
    out.print(f"  articles: {s.stored} stored, {s.updated} updated, {s.skipped} already stored,"
              f" {len(s.rejected)} rejected")
    if getattr(s, "near_duplicates", 0) or getattr(s, "sources_added", 0):
        out.print(f"  copies:   {s.near_duplicates} near-duplicates of earlier reports stored as"
                  f" copies: {s.copy_sentences_new} of their {s.copy_sentences} sentences new"
                  f" and extracted ({s.copy_events} events);"
                  f" {s.sources_added} new sources of stored articles")
    if getattr(s, "retrofitted", 0):
        out.print(f"            {s.retrofitted} stored copies kept only what they add to an"
                  " earlier report read now")
    if getattr(s, "stories", None):
        out.print(f"  stories:  {s.stories.get('joined', 0)} mentions joined stories,"
                  f" {s.stories.get('founded', 0)} new stories")
    out.print(f"  events:   {sum(s.events_by_type.values())} "
              + (", ".join(f"{t} {n}" for t, n in s.events_by_type.most_common()) or ""))
    if s.rejected:
        out.print("  rejected inputs:")
        for origin, reason, message in s.rejected:
            out.print(line("    ", (reason, "red"), f"  {origin}: {message}"))
    out.print(f"  time:     {s.seconds:.1f} s ({s.articles_per_second:.1f} articles/s)")


def _lang(value: str) -> str | None:
    """Check a ``--lang`` value; return the forced language, or None to detect it."""
    from ..language import LANGUAGES

    if value == "auto":
        return None
    if value not in LANGUAGES:
        raise UsageError(f"E311 unknown --lang {value!r}. Available: auto, {', '.join(LANGUAGES)}")
    return value


# ---------------------------------------------------------------- extract

@app.command()
def extract(files: list[Path] = typer.Argument(..., help="Article files or folders."),
            published: Optional[str] = typer.Option(None, help="Publication date for plain text."),
            fmt: str = typer.Option("jsonl", "--format", help="jsonl or table."),
            lang: str = typer.Option("auto", "--lang", help="Language of the articles: auto"
                                     " (detected per article), en or fr."),
            ) -> None:
    """Print the extracted Documents of articles, without storing them."""
    from ..pipeline import extract_many
    from ..readers import Rejected, read

    if fmt not in ("jsonl", "table"):
        raise UsageError(f"E305 unknown --format {fmt!r}. Available: jsonl, table")
    language = _lang(lang)
    pub = _date(published, "--published")
    articles = []
    rejected = 0
    for path in _paths(files):
        for item in read(path, published=pub):
            if isinstance(item, Rejected):
                err.print(line(("rejected", "red"),
                               f" {item.origin}: {item.reason}: {item.message}"))
                rejected += 1
            else:
                item.language = language or item.language
                articles.append(item)
    for document in extract_many(articles):
        if fmt == "jsonl":
            sys.stdout.write(json.dumps(document.to_dict(), ensure_ascii=False) + "\n")
        else:
            _print_document(document.to_dict())
    if rejected:
        raise typer.Exit(EXIT_REJECTED)


# ---------------------------------------------------------------- events

_EVENT_COLUMNS = ["date", "granularity", "basis", "type", "mode", "modality", "source",
                  "target", "place", "country", "confidence", "evidence", "article_id", "id",
                  "language"]


def _actors(ev: dict[str, Any], role: str) -> str:
    return "; ".join(
        f"{a['name']}" + (f" ({a['country']}" + (f" {a['sector']}" if a.get("sector") else "")
                          + ")" if a.get("country") else f" ({a['sector']})" if a.get("sector")
                          else "") for a in ev[role])


def _event_record(row: dict[str, Any]) -> dict[str, Any]:
    ev = row["event"]
    return {
        "date": row["date_start"] if row["date_start"] == row["date_end"]
        else f"{row['date_start']}..{row['date_end']}",
        "granularity": row["date_granularity"], "basis": row["date_basis"], "type": row["type"],
        "mode": row["mode"] or "", "modality": row["modality"], "source": _actors(ev, "source"),
        "target": _actors(ev, "target"), "place": row["place_name"] or "",
        "country": row["place_country"] or "", "confidence": round(row["confidence"], 2),
        "evidence": row["evidence"], "article_id": row["article_id"], "id": row["id"],
        "language": row.get("language") or "en",
    }


@app.command()
def events(db: str = typer.Option("tidings.db", "--db", help="SQLite file or postgresql:// URL."),
           type_: Optional[str] = typer.Option(None, "--type", help="PLOVER type."),
           country: Optional[str] = typer.Option(None, help="ISO-3 country of an actor or place."),
           actor: Optional[str] = typer.Option(None, help="Actor name, text or id."),
           since: Optional[str] = typer.Option(None, help="Events ending on or after YYYY-MM-DD."),
           until: Optional[str] = typer.Option(None, help="Events starting on or before."),
           modality: Optional[str] = typer.Option(None, help="asserted, negated, future..."),
           min_confidence: Optional[float] = typer.Option(None, help=MIN_CONFIDENCE_HELP),
           fmt: str = typer.Option("table", "--format", help="table, csv or jsonl."),
           limit: Optional[int] = typer.Option(None, help="At most this many events."),
           lang: Optional[str] = typer.Option(None, "--lang", help="Events of articles in"
                                              " this language: en or fr."),
           ) -> None:
    """Print the stored events as a timeline, filtered."""
    from ..model import MODALITIES, PLOVER_TYPES
    from ..storage import EventQuery, connect

    if type_ and type_.upper() not in PLOVER_TYPES:
        raise UsageError(f"E306 unknown --type {type_!r}. Available: {', '.join(PLOVER_TYPES)}")
    if modality and modality not in MODALITIES:
        raise UsageError(f"E307 unknown --modality {modality!r}. Available: "
                         f"{', '.join(MODALITIES)}")
    if fmt not in ("table", "csv", "jsonl"):
        raise UsageError(f"E305 unknown --format {fmt!r}. Available: table, csv, jsonl")
    _date(since, "--since")
    _date(until, "--until")
    _lang_filter(lang)
    _min_confidence(min_confidence)
    with connect(db, readonly=True) as reader:
        rows = reader.query_events(EventQuery(type=type_, country=country, actor=actor,
                                              since=since, until=until, modality=modality,
                                              min_confidence=min_confidence,
                                              language=lang, limit=limit))
    records = [_event_record(r) for r in rows]
    if fmt == "jsonl":
        for r, rec in zip(rows, records):
            sys.stdout.write(json.dumps({**rec, "event": r["event"]}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        from ..export import csv_row

        w = csv.writer(sys.stdout)
        w.writerow(_EVENT_COLUMNS)
        w.writerows(csv_row(rec[c] for c in _EVENT_COLUMNS) for rec in records)
    else:
        table = Table(title=f"{len(records)} events", show_lines=False, expand=False)
        for col in ("date", "type", "modality", "source", "target", "place", "evidence"):
            table.add_column(col, overflow="fold",
                             max_width=60 if col == "evidence" else 28)
        for rec in records:
            table.add_row(*map(cell, (
                rec["date"], f"{rec['type']}" + (f"/{rec['mode']}" if rec["mode"] else ""),
                rec["modality"], rec["source"], rec["target"], rec["place"], rec["evidence"])))
        out.print(table)


# ---------------------------------------------------------------- search / show

@app.command()
def search(query: str = typer.Argument(..., help="FTS5 query: words, \"phrases\", OR, NEAR."),
           db: str = typer.Option("tidings.db", "--db", help="SQLite file or postgresql:// URL."),
           limit: int = typer.Option(20, help="At most this many articles."),
           fmt: str = typer.Option("table", "--format", help="table or jsonl."),
           lang: Optional[str] = typer.Option(None, "--lang", help="Articles in this"
                                              " language: en or fr."),
           ) -> None:
    """Full-text search over stored articles (accents ignored), each with its events."""
    from ..storage import connect

    _lang_filter(lang)
    with connect(db, readonly=True) as reader:
        hits = reader.search_articles(query, limit, language=lang)
    if fmt == "jsonl":
        for h in hits:
            h["events"] = [_event_record(e) for e in h["events"]]
            sys.stdout.write(json.dumps(h, ensure_ascii=False) + "\n")
        return
    if not hits:
        out.print("no matching articles")
    for h in hits:
        out.print(line((h["published"], "bold"), f" {h['title'] or '(untitled)'} ",
                       (f"{h['source'] or ''} {h['id']}", "dim")))
        out.print(line(f"    {h['snippet']}"))
        for e in h["events"]:
            rec = _event_record(e)
            out.print(line(f"    • {rec['date']} {rec['type']} {rec['source']} →"
                           f" {rec['target']} {('@ ' + rec['place']) if rec['place'] else ''}"))


def _place_label(place: dict[str, Any] | None) -> str:
    if not place:
        return ""
    return "  @ " + (place.get("name") or place.get("text") or "?")


def _print_document(d: dict[str, Any]) -> None:
    out.rule(line(f"{d['published']}  {d.get('title') or ''}"))
    out.print(line((f"id {d['id']}  section {d.get('section')}  source {d.get('source')}",
                    "dim")))
    spans = []
    for ev in d["events"]:
        spans.append((ev["sentence"]["start"], ev["sentence"]["end"], "underline"))
        spans.append((ev["trigger"]["start"], ev["trigger"]["end"], "bold reverse"))
    out.print(spans_text(d["text"], spans))
    out.print()
    for ev in d["events"]:
        out.print(line(
            (ev["type"], "bold"),
            f"{('/' + ev['mode']) if ev['mode'] else ''} "
            f"({ev['modality']}, {ev['confidence']:.2f}) "
            f"{_actors(ev, 'source') or '?'} → {_actors(ev, 'target') or '?'}  "
            f"date {ev['date']['start']}"
            f"{'..' + ev['date']['end'] if ev['date']['end'] != ev['date']['start'] else ''}"
            f" ({ev['date']['granularity']}, {ev['date']['basis']})"
            f"{_place_label(ev.get('location'))}"
            f"  «{ev['trigger']['text']}»"))


@app.command()
def show(article_id: str = typer.Argument(..., help="Article id (or a unique prefix)."),
         db: str = typer.Option("tidings.db", "--db", help="SQLite file or postgresql:// URL."),
         ) -> None:
    """Print one stored article with its events, evidence highlighted."""
    from ..storage import connect

    with connect(db, readonly=True) as reader:
        d = reader.get_article(article_id)
    if d is None:
        raise UsageError(f"E308 no article with id {article_id!r} (or the prefix is ambiguous)")
    _print_document(d)


# ---------------------------------------------------------------- eval

def _report(result: dict[str, Any], fmt: str, formatter: Any) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(result, indent=2, default=str) + "\n")
    else:
        out.print(line(formatter(result)))


@eval_app.command("timex")
def eval_timex(paths: list[Path] = typer.Argument(..., help="TimeML .tml files or folders."),
               fmt: str = typer.Option("text", "--format", help="text or json.")) -> None:
    """TempEval-3 measures: strict/relaxed span F1, value F1, type accuracy."""
    from ..eval.timex import evaluate_timex, format_report

    _report(evaluate_timex(_paths(paths)), fmt, format_report)


@eval_app.command("geo")
def eval_geo(paths: list[Path] = typer.Argument(..., help="LGL / GeoVirus XML files."),
             fmt: str = typer.Option("text", "--format", help="text or json.")) -> None:
    """Toponym detection P/R/F1, accuracy within 161 km, median/mean error, AUC."""
    from ..eval.geo import evaluate_geo, format_report

    _report(evaluate_geo(_paths(paths)), fmt, format_report)


@eval_app.command("evloc")
def eval_evloc(path: Path = typer.Argument(..., help="event_location JSONL (VERB, LOCATION)."),
               fmt: str = typer.Option("text", "--format", help="text or json."),
               end_to_end: bool = typer.Option(False, "--end-to-end", help="Run the whole"
                                               " pipeline: the event must be found too."),
               ) -> None:
    """Event-location accuracy: is the LOCATION of each VERB found (or none when none)?"""
    from ..eval.evloc import evaluate_end_to_end, evaluate_evloc, format_report

    evaluate = evaluate_end_to_end if end_to_end else evaluate_evloc
    _report(evaluate(_paths([path])[0]), fmt, format_report)


@eval_app.command("anchoring")
def eval_anchoring(paths: list[Path] = typer.Argument(..., help="TimeML .tml files or folders"
                                                      " (TimeBank, AQUAINT)."),
                   half: str | None = typer.Option(None, "--half", help="dev or test: one half"
                                                   " of the fixed split by file name."),
                   fmt: str = typer.Option("text", "--format", help="text or json.")) -> None:
    """Event-time attachment: does an anchored verb take the time its TLINK names?"""
    from ..eval.anchoring import HALVES, evaluate_anchoring, format_report

    if half is not None and half not in HALVES:
        raise UsageError(f"E354 unknown --half {half!r}. Available: {', '.join(HALVES)}")
    result = evaluate_anchoring(_paths(paths), half)
    result.pop("examples")
    _report(result, fmt, format_report)


@eval_app.command("plover")
def eval_plover(paths: list[Path] = typer.Argument(..., help="PLV TSV or gold-record JSONL."),
                fmt: str = typer.Option("text", "--format", help="text or json."),
                without_rule: list[str] = typer.Option(
                    [], "--without-rule", help="Switch an event coding rule off (repeatable;"
                    " gold records only; `tidings rules` lists them)."),
                split: Optional[str] = typer.Option(
                    None, "--split", help="dev or test: one fixed half of the gold records"
                    " (by a hash of the record id; tune on dev, report test).")) -> None:
    """PLOVER typing (TSV: accuracy, macro-F1) or full tuples (JSONL gold records: P/R/F1)."""
    if split is not None:
        from ..eval.records import SPLITS

        if split not in SPLITS:
            raise UsageError(f"E352 unknown --split {split!r}. Available: {', '.join(SPLITS)}")
        typed = [p for p in paths if p.suffix != ".jsonl"]
        if typed:
            raise UsageError(f"E353 --split applies to gold records (.jsonl), not to {typed[0]}")
    if without_rule:
        from ..stages.events import check_names

        check_names(without_rule)
        typed = [p for p in paths if p.suffix != ".jsonl"]
        if typed:
            raise UsageError(f"E351 --without-rule applies to gold records (.jsonl), not to"
                             f" {typed[0]}: the TSV scores the classifier, which runs no rule")
    for path in _paths(paths):
        if path.suffix == ".jsonl":
            from ..eval.records import evaluate_records
            from ..eval.records import format_report as records_report

            _report(evaluate_records(path, without=without_rule, split=split), fmt,
                    records_report)
        else:
            from ..eval.plover import evaluate_plover_tsv
            from ..eval.plover import format_report as tsv_report

            _report(evaluate_plover_tsv(path), fmt, tsv_report)


# ---------------------------------------------------------------- rules

@app.command("rules")
def rules(name: Optional[str] = typer.Argument(None, help="A rule to show in full."),
          fmt: str = typer.Option("table", "--format", help="table or json.")) -> None:
    """List the event coding rules in the order they run, or show one with its word lists."""
    import inspect

    from ..stages.events import RULES, check_names

    if fmt not in ("table", "json"):
        raise UsageError(f"E305 unknown --format {fmt!r}. Available: table, json")
    chosen = [RULES[n] for n in check_names([name])] if name else list(RULES.values())
    if fmt == "json":
        sys.stdout.write(json.dumps([{"name": r.name, "phase": r.phase, "doc": r.doc,
                                      "words": r.words} for r in chosen],
                                    indent=2, default=sorted) + "\n")
        return
    if name:
        r = chosen[0]
        out.print(line((r.name, "bold"), f"  (phase {r.phase}, {r.func.__module__})"))
        out.print(line(inspect.cleandoc(r.func.__doc__ or "")))
        for key, value in r.words.items():
            shown = value if isinstance(value, (str, dict)) or value is None else sorted(value)
            out.print(line(f"  {key}: {shown}"))
        return
    table = Table("#", "rule", "phase", "what it does", box=None)
    for i, r in enumerate(chosen, 1):
        table.add_row(*map(cell, (i, r.name, r.phase, r.doc)))
    out.print(table)
    out.print(line("Switch one off: tidings eval plover PATH --without-rule NAME;"
                   " word lists: src/tidings/data/event_rules.json"))


# commands that live in their own modules register themselves on ``app``


@eval_app.command("articles")
def eval_articles(folder: Path = typer.Argument(..., help="Folder of dated articles with"
                                               " gold.jsonl (and negatives.jsonl)."),
                  fmt: str = typer.Option("text", "--format", help="text or json.")) -> None:
    """Event recall (type, +source, +target, +place, +date) and asserted events from negative
    statements, on whole articles with hand-written gold (tests/fixtures/unseen_en/README.md)."""
    from ..eval.articles import evaluate_articles, format_report

    if not (folder / "gold.jsonl").is_file():
        raise UsageError(f"E310 {folder} has no gold.jsonl"
                         " (see tests/fixtures/unseen_en/README.md)")
    _report(evaluate_articles(folder), fmt, format_report)
