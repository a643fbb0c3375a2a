"""Stories in the API: the story an event mention belongs to, and a story by its id (both
answered by ``GET /api/events/{id}``, from the story tables of :mod:`tidings.stories`)."""

from __future__ import annotations

from typing import Any

from ...stories import story_event, story_of_event
from ...storage.base import Reader
from ..records import story_summary


def story_detail(conn: Reader, story_id: str) -> dict[str, Any] | None:
    """The answer for a story id: its summary and every mention, or None."""
    story = story_event(conn, story_id)
    if story is None:
        return None
    return {"kind": "story", **story_summary(story), "mentions": story["mentions"]}


def story_of_mention(conn: Reader, event_id: str,
                     ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The summary and mentions of the story of an event mention ((None, []) if none)."""
    sid = story_of_event(conn, event_id)
    loaded = story_event(conn, sid) if sid else None
    if loaded is None:
        return None, []
    return story_summary(loaded), loaded["mentions"]
