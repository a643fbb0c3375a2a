"""tidings: news articles in, a local queryable database of political events out.

Public API::

    tidings.read(path)                      -> iterator of Article | Rejected
    tidings.extract(text, published=...)    -> Document (Document.to_dict() is the JSON contract)
    tidings.classify(sentence, source, target) -> [(PLOVER type, score), ...]
    tidings.classify_many(items)            -> one such list per item, one transformer batch
    tidings.SPACY_MODEL                     -> the default spaCy model name
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import InputError, ModelError, StoreError, TidingsError, UsageError
from .model import Actor, Article, Document, Event, EventDate, Place, Time
from .parse import SPACY_MODEL
from .pipeline import extract
from .readers import Rejected, read

__version__ = "0.1.0"


def classify(sentence: str, source: str | None = None,
             target: str | None = None) -> list[tuple[str, float]]:
    """Score the PLOVER type of the event between ``source`` and ``target`` in ``sentence``."""
    from .classifier import classify as _classify

    return _classify(sentence, source, target)


def classify_many(items: Iterable[str | tuple[str, str | None, str | None]],
                  batch_size: int = 64) -> list[list[tuple[str, float]]]:
    """Score many events at once: one ``[(type, score), ...]`` list per item, in input order.

    An item is a ``(sentence, source, target)`` tuple (source and target may be None) or a
    sentence with ``<s>..</s>``/``<t>..</t>`` marks. Raise UsageError E330 for anything else.
    """
    from .classifier import classify_batch

    triples: list[tuple[str, str | None, str | None]] = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            triples.append((item, None, None))
        elif (isinstance(item, tuple) and len(item) == 3 and isinstance(item[0], str)
              and all(x is None or isinstance(x, str) for x in item[1:])):
            triples.append(item)
        else:
            raise UsageError(f"E330 classify_many item {i} is {type(item).__name__} {item!r:.60}:"
                             " give a (sentence, source, target) tuple of strings (source and"
                             " target may be None) or a sentence with <s>..</s>/<t>..</t> marks")
    return classify_batch(triples, batch_size=batch_size)


__all__ = [
    "Actor", "Article", "Document", "Event", "EventDate", "InputError", "ModelError", "Place",
    "Rejected", "SPACY_MODEL", "StoreError", "Time", "TidingsError", "UsageError", "classify",
    "classify_many", "extract", "read", "__version__",
]


def __dir__() -> list[Any]:
    return sorted(__all__)
