"""Size limits on inputs: settings, each overridable from the environment.

A limit protects the batch, not the user: an input over a limit is rejected with the reason
``too-large`` (see :data:`tidings.readers.REASONS`) and the batch goes on. Raise a limit by
setting the environment variable named next to it (a positive integer); a value that is not
a positive integer is ignored and the default is used.

=========================  ===========================  ===========================================
setting                    environment variable         what it bounds
=========================  ===========================  ===========================================
``MAX_BYTES``              ``TIDINGS_MAX_BYTES``        bytes of one input file, after gunzipping
                                                        (a gzip bomb stops at this many bytes)
``MAX_TEXT_CHARS``         ``TIDINGS_MAX_TEXT_CHARS``   characters of one article's text (what the
                                                        parser sees); spaCy refuses more than
                                                        1,000,000 and needs memory in proportion
=========================  ===========================  ===========================================

Structural limits that need no setting: JSON nested too deeply for Python's parser is
``bad-json``; HTML nested too deeply for libxml2 (its limit is 256 levels without the
``HUGE`` option) yields no main text and is ``no-text``.
"""

from __future__ import annotations

import os

#: default bytes of one input file (after gunzipping)
DEFAULT_MAX_BYTES = 5_000_000
#: default characters of one article's text
DEFAULT_MAX_TEXT_CHARS = 200_000
#: spaCy's own ceiling (``nlp.max_length``); MAX_TEXT_CHARS is never set above it
SPACY_MAX_LENGTH = 1_000_000


def _positive_int(name: str, default: int) -> int:
    """Return the environment variable ``name`` as a positive int, else ``default``."""
    raw = os.environ.get(name, "").strip().replace("_", "")
    try:
        value = int(raw)
    except ValueError:
        return default
    return value if value > 0 else default


def max_bytes() -> int:
    """Bytes of one input file (``TIDINGS_MAX_BYTES``, default 5,000,000)."""
    return _positive_int("TIDINGS_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_text_chars() -> int:
    """Characters of one article's text (``TIDINGS_MAX_TEXT_CHARS``, default 200,000; never
    above spaCy's 1,000,000)."""
    return min(_positive_int("TIDINGS_MAX_TEXT_CHARS", DEFAULT_MAX_TEXT_CHARS), SPACY_MAX_LENGTH)


MAX_BYTES = max_bytes()
MAX_TEXT_CHARS = max_text_chars()
