"""Events in French text (stub)."""
from __future__ import annotations

from ...model import Document, Event


def find_events_fr(document: Document) -> list[Event]:
    return []
