"""The ``tidings`` command line: thin Typer wrappers over plain functions.

Exit codes: 0 ok; 1 error (one line on stderr, no traceback); 2 bad usage;
3 ``run`` finished but some inputs were rejected (see the summary and the rejects table).

``app.py`` holds the Typer app; ``commands``, ``review``, ``stories``, ``scale`` and ``web``
register their commands on it when imported here.
"""

from __future__ import annotations

import sys

import typer

from ..errors import TidingsError, UsageError
from . import commands, gazetteer, review, scale, stories, web  # noqa: F401  (register the commands)
from .app import app, err, eval_app, out
from .render import line

__all__ = ["app", "eval_app", "main", "out", "err"]


def main() -> None:
    """Entry point: run the app; user errors become one line on stderr."""
    try:
        rc = app(standalone_mode=False)
        if isinstance(rc, int) and rc:
            sys.exit(rc)
    except TidingsError as exc:
        err.print(line(("error:", "red"), f" {exc}"))
        sys.exit(2 if isinstance(exc, UsageError) else 1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted")
        sys.exit(130)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
