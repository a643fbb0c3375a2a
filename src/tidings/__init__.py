"""tidings: news articles in, a local queryable database of political events out.

Public API::

    tidings.read(path)                      -> iterator of Article | Rejected
    tidings.extract(text, published=...)    -> Document (Document.to_dict() is the JSON contract)
    tidings.classify(sentence, source, target) -> [(PLOVER type, score), ...]
    tidings.SPACY_MODEL                     -> the default spaCy model name
"""

from __future__ import annotations

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


__all__ = [
    "Actor", "Article", "Document", "Event", "EventDate", "InputError", "ModelError", "Place",
    "Rejected", "SPACY_MODEL", "StoreError", "Time", "TidingsError", "UsageError", "classify",
    "extract", "read", "__version__",
]


def __dir__() -> list[Any]:
    return sorted(__all__)
