"""Datelines ("BAMAKO, Mali — "): where a story was filed. The places stage reads them as
places (a fallback for the article's location); the actors stage must not read them as actors.
Both stages import this module, so neither reaches into the other."""

from __future__ import annotations

import re

DATELINE_RE = re.compile(
    r"(?:^|[.!?\n]\s+)(?P<city>[A-Z][A-Z .'\u2019-]{1,40}?)"
    r"\s*(?:,\s*(?P<region>[A-Z][\w .'\u2019-]{1,40}?))?"
    r"\s*(?:\([^)]{1,30}\)\s*)?[\u2014\u2013-]{1,2}\s?(?=[A-Z\s])"
)


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of datelines at the start of paragraphs ("BAMAKO, Mali — ")."""
    spans = []
    for m in DATELINE_RE.finditer(text):
        start = m.start("city")
        if start == 0 or text[max(0, start - 2):start].strip() == "" and "\n" in \
                text[max(0, start - 3):start]:
            spans.append((start, m.end()))
    return spans
