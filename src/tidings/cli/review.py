"""CLI command ``tidings review``: walk the review queue in the terminal (over SSH too).

Registered on the Typer ``app`` of :mod:`tidings.cli` (which imports this module at its end).
Keys are read as lines from stdin, so a script (or a test) can feed them.
"""
# ruff: noqa: B008  (Typer declares options as argument defaults)

from __future__ import annotations

import sys
from collections import Counter
from typing import Any, TextIO

import typer

from .app import app, out
from .render import line, safe
from ..errors import StoreError, UsageError

KEYS = "a accept · r reject · e edit a field · s skip · q quit"
_plain = safe  # article text is data: shown verbatim, never markup or escapes (cli/render.py)


def _say(text: str = "") -> None:
    out.print(line(text))


def default_reviewer() -> str:
    """The login name (the default ``--reviewer``)."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        raise UsageError("E360 cannot tell your login name: give --reviewer NAME") from None


def show(event: dict[str, Any], i: int, n: int) -> None:
    """Print one event of the queue: type, confidence, actors, place, date, and the evidence
    sentence with the trigger between [[ and ]]."""
    from ..review import marked_sentence

    ev = event["event"]

    def names(role: str) -> str:
        return ", ".join(_plain(a.get("name") or a.get("text")) for a in ev.get(role) or []) \
            or "-"

    status = event.get("review_status") or "unreviewed"
    _say(f"[{i}/{n}] {event['type']}/{event.get('mode') or '-'}  confidence"
         f" {float(event['confidence']):.2f}  {status}  event {event['id']}")
    _say(f"  who:   {names('source')} -> {names('target')}")
    _say(f"  where: {_plain(event.get('place_name')) or '-'}"
         f" ({event.get('place_country') or '-'})   when: {event['date_start']}"
         f"..{event['date_end']}   modality: {event['modality']}")
    _say(f"  {_plain(event.get('article_title'))} ({event.get('article_published')})")
    _say(f"  > {_plain(marked_sentence(event))}")


def _ask(prompt: str, stdin: TextIO) -> str | None:
    """One line from stdin (None at its end)."""
    out.print(line(prompt), end="")
    answer = stdin.readline()
    if not answer:
        out.print()
        return None
    return answer.strip()


@app.command()
def review(db: str = typer.Option("tidings.db", "--db", help="SQLite file or postgresql:// URL."),
           type_: str | None = typer.Option(None, "--type", help="PLOVER type."),
           country: str | None = typer.Option(None, help="ISO-3 country."),
           unreviewed: bool = typer.Option(True, "--unreviewed/--all", help="Only events"
                                           " nobody reviewed yet (default), or all."),
           limit: int = typer.Option(50, help="Events in the queue."),
           reviewer: str | None = typer.Option(None, help="Your name in the review records"
                                               " (default: the login name)."),
           ) -> None:
    """Review events, least confident first: accept, reject, edit, skip (keys on stdin)."""
    from ..model import PLOVER_TYPES
    from ..review import queue, review_event
    from ..storage import open_store
    from ..storage.reviews import FIELDS

    if limit < 1:
        raise UsageError("E361 --limit must be at least 1")
    if type_ and type_.upper() not in PLOVER_TYPES:
        raise UsageError(f"E362 unknown --type {type_!r}. Available: {', '.join(PLOVER_TYPES)}")
    who = reviewer or default_reviewer()
    done: Counter[str] = Counter()
    with open_store(db) as store:
        items = queue(store.reader(), type_, country, unreviewed, limit)
        if not items:
            _say("nothing to review")
            return
        _say(f"{len(items)} events to review, least confident first ({KEYS})")
        for i, event in enumerate(items, 1):
            version = int(event["review_version"])
            show(event, i, len(items))
            while True:
                key = _ask("  [a/r/e/s/q] ", sys.stdin)
                if key is None or key.lower() == "q":
                    _summary(done)
                    return
                key = key.lower()
                try:
                    if key == "a":
                        review_event(store, event["id"], "accepted", who, version)
                        done["accepted"] += 1
                    elif key == "r":
                        review_event(store, event["id"], "rejected", who, version)
                        done["rejected"] += 1
                    elif key == "e":
                        field = _ask(f"  field ({', '.join(FIELDS)}): ", sys.stdin)
                        value = _ask("  new value: ", sys.stdin) if field else None
                        if not field or value is None:
                            continue
                        version = review_event(store, event["id"], "edited", who, version,
                                               field, value)
                        done["edited"] += 1
                        _say(f"  {field} = {_plain(value)}; a to accept, s to go on")
                        continue
                    elif key == "s":
                        done["skipped"] += 1
                    else:
                        _say(f"  unknown key {key!r}: {KEYS}")
                        continue
                except StoreError as exc:
                    _say(f"  error: {exc}")
                    if "E210" in str(exc):  # someone else reviewed it meanwhile: move on
                        done["conflicts"] += 1
                        break
                    continue
                break
    _summary(done)


def _summary(done: Counter[str]) -> None:
    _say("reviewed: " + (", ".join(f"{k} {v}" for k, v in sorted(done.items())) or "none"))
