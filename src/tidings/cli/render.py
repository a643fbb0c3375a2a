"""Terminal-safe text: the one escaping layer of every CLI view (issue 19).

Article text, titles, sources, urls, actor names, file names and error messages are data.
Printed through Rich as ``str`` they would be read as console markup (``[the rebels]``
vanishes, ``[/b]`` raises ``MarkupError``, ``[link=...]`` makes a hyperlink); printed raw they
could carry escape sequences (``ESC[2J`` clears the screen, OSC 8 makes hyperlinks) or bidi
overrides that reorder what the reader sees. So every view builds :class:`rich.text.Text`
(never parsed as markup) from :func:`safe` strings, with styles given as separate arguments:

    out.print(line(("error:", "red"), " ", message))

:func:`safe` shows control characters (C0 but tab and newline, DEL, C1) and the bidi
embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) as visible escapes
(``\\x1b``, ``\\u202e``). Ingest already strips them (``readers.clean_field``); this layer
also covers stores written before that, and names that never went through a reader (paths).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.text import Text

# what a terminal would act on instead of showing: C0 controls but tab and newline, DEL, C1
# controls, and the bidi embeddings, overrides and isolates
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

Part = Any  # a value shown as plain text, or a (value, style) pair


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def safe(value: Any) -> str:
    """Return ``value`` as a string a terminal shows verbatim (controls as ``\\xNN``)."""
    s = "" if value is None else str(value)
    return _UNSAFE.sub(_escape, s)


def line(*parts: Part) -> Text:
    """Return one Text of ``parts``: each a plain value or a ``(value, style)`` pair; values
    are shown verbatim (:func:`safe`), never read as markup."""
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            value, style = part
            text.append(safe(value), style=style)
        elif isinstance(part, Text):
            text.append_text(part)
        else:
            text.append(safe(part))
    return text


def cell(value: Any) -> Text:
    """Return a table cell showing ``value`` verbatim."""
    return Text(safe(value))


def spans_text(value: str, spans: Iterable[tuple[int, int, str]]) -> Text:
    """Return ``value`` shown verbatim with ``(start, end, style)`` spans given as offsets into
    ``value``; offsets are moved past any character that :func:`safe` widened."""
    shown = safe(value)
    text = Text(shown)
    if len(shown) == len(value):
        for start, end, style in spans:
            text.stylize(style, start, end)
        return text
    # where[i]: position in ``shown`` of value[i] (one extra entry for the end)
    where = [0] * (len(value) + 1)
    pos = 0
    for i, ch in enumerate(value):
        where[i] = pos
        pos += len(safe(ch))
    where[len(value)] = pos
    n = len(value)
    for start, end, style in spans:
        s, e = max(0, min(start, n)), max(0, min(end, n))
        text.stylize(style, where[s], where[e])
    return text
