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
    except Exception as exc:
        if _click_error(exc):  # bad usage: an unknown option, a missing or extra argument
            exc.show()  # type: ignore[attr-defined]
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        raise


def _click_error(exc: BaseException) -> bool:
    """Whether ``exc`` is a usage error of click, or of the copy of click that Typer 0.2x
    vendors (``typer._click``, whose exceptions are not ``click.ClickException``): both show
    themselves in one line and carry their exit code."""
    return any(c.__name__ == "ClickException" for c in type(exc).__mro__) and \
        isinstance(getattr(exc, "exit_code", None), int)
