"""A story as one reader reads it (docs/stories.md, "Who reads what").

`read_story` is the one way out of the database for a story: it asks accounts/access.py how
much the reader reads, builds what they may see and nothing more, and logs every read beyond
the holder's own. A coarse reading is built without the fields it hides, so no page, API answer
or export can print them by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from wpsmonitor.accounts.access import STORY_COARSE, STORY_FULL, PlanAccess
from wpsmonitor.directory.areas import province_of
from wpsmonitor.directory.models import Area
from wpsmonitor.stories.models import Story, StoryRead


@dataclass(frozen=True)
class StoryAsRead:
    uid: str
    reading: str  # STORY_FULL or STORY_COARSE
    kind: str
    title: str
    text: str
    domain: str
    language: str
    holder: str
    # The area as recorded (full), or its province (coarse); None when none was recorded.
    area: Area | None
    # "2026-03-14" (full) or "2026-03" (coarse); "" when not recorded.
    happened: str
    storyteller: dict[str, Any] = field(default_factory=dict)
    # Only when read whole and a consent in force allows the storyteller to be named.
    storyteller_name: str = ""
    # Only when read whole.
    collected_by: str = ""

    @property
    def coarse(self) -> bool:
        return self.reading == STORY_COARSE


def month_of(day: date | None) -> str:
    return day.strftime("%Y-%m") if day else ""


def read_story(access: PlanAccess, story: Story, *, channel: str) -> StoryAsRead | None:
    """The story as this reader may read it, or None when they may not read it at all. A read
    by anyone but the holder's people is logged (who, when, how, how much)."""
    reading = access.story_reading(story)
    if reading is None:
        return None
    common = {
        "uid": str(story.uid),
        "reading": reading,
        "kind": story.kind,
        "title": story.title,
        "text": story.text,
        "domain": story.domain,
        "language": story.language,
        "holder": str(story.holder),
        "storyteller": dict(story.storyteller),
    }
    if reading == STORY_FULL:
        read = StoryAsRead(
            **common,
            area=story.area,
            happened=story.happened_on.isoformat() if story.happened_on else "",
            # The holder keeps the name it recorded; others read it only while a consent to be
            # named is in force.
            storyteller_name=(
                story.storyteller_name if access.holds_story(story) or story.can_be_named() else ""
            ),
            collected_by=story.collected_by_name,
        )
    else:
        read = StoryAsRead(
            **common, area=province_of(story.area), happened=month_of(story.happened_on)
        )
    if not access.holds_story(story):
        user = access.user if access.user.is_authenticated else None
        StoryRead.objects.create(story=story, reader=user, channel=channel, reading=reading)
    return read
