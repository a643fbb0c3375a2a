"""The Typer app, its consoles and small argument helpers that every command module imports.

Command modules import this module and never the ``tidings.cli`` package itself, so the CLI
has no import circle.

Exit codes: 0 ok; 1 error (one line on stderr, no traceback); 2 bad usage;
3 ``run`` finished but some inputs were rejected (see the summary and the rejects table).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import typer
from rich.console import Console

from ..errors import UsageError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="tidings: news articles in, a local database of political events out.")
eval_app = typer.Typer(no_args_is_help=True, help="Measure quality on labelled data.")
app.add_typer(eval_app, name="eval")

EXIT_REJECTED = 3
# a table piped to a file or a pager keeps readable widths
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
# errors are one line whatever the terminal width (scripts read them)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"E303 {option} {value!r} is not a date in YYYY-MM-DD form") from None


def _lang_filter(value: str | None) -> str | None:
    """Check a ``--lang`` filter (the language of the stored articles to keep)."""
    from ..language import LANGUAGES

    if value is None or value in LANGUAGES:
        return value
    raise UsageError(f"E311 unknown --lang {value!r}. Available: {', '.join(LANGUAGES)}")


def _min_confidence(value: float | None) -> float | None:
    """Check a ``--min-confidence`` threshold (the same bounds as the API's)."""
    if value is None or 0.0 <= value <= 1.0:
        return value
    raise UsageError(f"E312 --min-confidence {value} is outside 0..1 (a probability)")


#: help of ``--min-confidence``, the same in ``events``, ``stories`` and ``export``
MIN_CONFIDENCE_HELP = ("Keep events whose calibrated confidence (P(type and source right)) is"
                       " at least this, 0..1; a story event passes when its best mention does.")


def _paths(paths: list[Path]) -> list[Path]:
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"E304 no such file or folder: {missing[0]}")
    return paths
