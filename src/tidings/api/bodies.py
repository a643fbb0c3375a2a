"""Request bodies: checked before they are parsed (POST /api/articles).

- ``Content-Type`` must be ``application/json`` (parameters such as ``charset`` allowed):
  415 E515 otherwise;
- JSON nested deeper than :data:`MAX_JSON_DEPTH` is refused (400 E513) by a linear scan
  before ``json.loads`` runs, so a body of 100,000 ``[`` costs one pass and never reaches
  Python's recursion limit. An article is one flat object (depth 1).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import ApiError

#: arrays and objects nested deeper than this are refused (an article body has depth 1)
MAX_JSON_DEPTH = 20

_TOKEN = re.compile(r'["\[\]{}]')


def json_depth(text: str, limit: int = MAX_JSON_DEPTH) -> int:
    """Return how deeply ``text``'s arrays and objects nest, counting brackets outside strings
    (stops counting once past ``limit``). Linear in the text; JSON validity is not checked."""
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        m = _TOKEN.search(text, i)
        if m is None:
            break
        c = m.group()
        i = m.end()
        if c == '"':  # skip the string: to the next quote not escaped by a backslash
            while True:
                k = text.find('"', i)
                if k < 0:
                    return deepest
                b = k - 1
                while b >= i and text[b] == "\\":
                    b -= 1
                i = k + 1
                if (k - 1 - b) % 2 == 0:
                    break
        elif c in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        else:
            depth -= 1
    return deepest


def check_json_content_type(content_type: str | None) -> None:
    """Raise ApiError 415 E515 unless ``content_type`` is ``application/json``."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media != "application/json":
        raise ApiError(415, "E515", "E515 send the article as JSON with Content-Type:"
                        f" application/json (got {media or 'none'!r})")


def load_json(body: bytes, limit: int = MAX_JSON_DEPTH) -> Any:
    """Return the parsed JSON ``body``; raise ApiError 400 for text that is not JSON or
    nests deeper than ``limit``."""
    try:
        text = body.decode(json.detect_encoding(body))
    except (UnicodeDecodeError, LookupError):
        raise ApiError(400, "E513", "E513 the body is not JSON text (UTF-8)") from None
    if json_depth(text, limit) > limit:
        raise ApiError(400, "E513", f"E513 the body nests arrays or objects more than {limit}"
                        ' deep: send one flat {"text": "...", "published": "YYYY-MM-DD"}')
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise ApiError(400, "E513", "E513 the body is not JSON: send"
                        ' {"text": "...", "published": "YYYY-MM-DD"}') from None
