"""A story as one reader reads it (docs/stories.md, "Who reads what").

`read_story` is the one way out of the database for a story: it asks accounts/access.py how
much the reader reads, builds what they may see and nothing more, and logs every read beyond
the holder's own. A coarse reading is built without the fields it hides (who collected it, the
storyteller's name and attributes, the day, the district), so no page, API answer or export can
print them by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from wpsmonitor.accounts.access import STORY_COARSE, STORY_FULL, PlanAccess
from wpsmonitor.core.history import display_name
from wpsmonitor.directory.areas import province_of, provinces_by_id
from wpsmonitor.directory.models import Area
from wpsmonitor.plans.models import Plan
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
    # The storyteller's attributes as recorded (stories/attributes.py), only when read whole.
    storyteller: dict[str, Any] = field(default_factory=dict)
    # Only when read whole and a consent in force allows the storyteller to be named.
    storyteller_name: str = ""
    # Only when read whole.
    collected_by: str = ""
    # Where the story stands (draft, shared, approved) and how it is protected (open,
    # protected, restricted): they name no one.
    status: str = ""
    sensitivity: str = ""
    # The codes of the plan's pillars, outcomes and actions, and of the indicators (those this
    # reader may see) it speaks to: they name no one, so a coarse reading has them too.
    nodes: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    # The ids of the plan's recommendations (accountability) it speaks to: they name no one.
    recommendations: tuple[int, ...] = ()
    # Read coarse only for want of a second factor: the same reader, verified with one (a
    # session, or an API token that reads sensitive items), reads it whole.
    whole_with_second_factor: bool = False

    @property
    def coarse(self) -> bool:
        return self.reading == STORY_COARSE


def month_of(day: date | None) -> str:
    return day.strftime("%Y-%m") if day else ""


def _reading(access: PlanAccess, story: Story, verified: bool) -> tuple[str | None, bool]:
    """How much this reader reads (PlanAccess.story_reading), and whether a coarse reading is
    only for want of a second factor."""
    reading = access.story_reading(story, verified=verified)
    held_back = (
        reading == STORY_COARSE
        and not verified
        and access.story_reading(story, verified=True) == STORY_FULL
    )
    return reading, held_back


# What a story speaks to, fetched for many stories at once into lists (`Prefetch(to_attr=)`):
# a related manager per story and relation, as a plain prefetch builds, cost more than the
# rest of the list together (about 1 ms a story for each relation).
LINKS = ("nodes", "indicators", "recommendations")


def _linked(story: Story, relation: str) -> list[Any]:
    """The story's linked nodes, indicators or recommendations: the list `readable_stories`
    fetched, else a query (a story fetched alone)."""
    fetched = getattr(story, f"linked_{relation}", None)
    return list(getattr(story, relation).all()) if fetched is None else fetched


def _as_read(
    access: PlanAccess,
    story: Story,
    reading: str,
    provinces: dict[int, Area] | None = None,
    held_back: bool = False,
) -> StoryAsRead:
    common = {
        "uid": str(story.uid),
        "reading": reading,
        "kind": story.kind,
        "title": story.title,
        "text": story.text,
        "domain": story.domain,
        "language": story.language,
        "holder": str(story.holder),
        "status": story.status,
        "sensitivity": story.sensitivity,
        "nodes": tuple(sorted(n.code for n in _linked(story, "nodes"))),
        "indicators": tuple(
            sorted(i.code for i in _linked(story, "indicators") if access.can_view_indicator(i))
        ),
        "recommendations": tuple(sorted(r.pk for r in _linked(story, "recommendations"))),
    }
    if reading == STORY_FULL:
        return StoryAsRead(
            **common,
            area=story.area,
            happened=story.happened_on.isoformat() if story.happened_on else "",
            # The holder keeps the name it recorded; others read it only while a consent to be
            # named is in force.
            storyteller_name=(
                story.storyteller_name if access.holds_story(story) or story.can_be_named() else ""
            ),
            collected_by=story.collected_by_name,
            storyteller=dict(story.storyteller),
        )
    # Coarse: none of the storyteller's attributes (an age band, a disability and a camp,
    # with the province and the month, can be enough to point at one person).
    return StoryAsRead(
        **common,
        area=province_of(story.area, provinces),
        happened=month_of(story.happened_on),
        whole_with_second_factor=held_back,
    )


def _log(access: PlanAccess, story: Story, reading: str, channel: str) -> StoryRead | None:
    if access.holds_story(story):
        return None
    user = access.user if access.user.is_authenticated else None
    name = display_name(user) if user is not None else ""
    return StoryRead(story=story, reader=user, reader_name=name, channel=channel, reading=reading)


def read_story(
    access: PlanAccess, story: Story, *, channel: str, verified: bool = False
) -> StoryAsRead | None:
    """The story as this reader may read it, or None when they may not read it at all. A read
    by anyone but the holder's people is logged (who, when, how, how much). `verified`: whether
    the reader proved a second factor (PlanAccess.story_reading): a page passes
    `two_factor.is_verified`, the API `auth.api_verified`; unproven, a sensitive story is read
    coarse."""
    reading, held_back = _reading(access, story, verified)
    if reading is None:
        return None
    read = _as_read(access, story, reading, held_back=held_back)
    log = _log(access, story, reading, channel)
    if log is not None:
        log.save()
    return read


def readable_stories(plan: Plan) -> QuerySet[Story]:
    """The plan's stories with what deciding their reading needs, fetched together."""
    return (
        Story.objects.filter(plan=plan)
        .select_related("plan", "holder", "area")
        .prefetch_related(
            "consents",
            "named_readers",
            *(Prefetch(relation, to_attr=f"linked_{relation}") for relation in LINKS),
        )
    )


def read_stories(
    access: PlanAccess, stories: QuerySet[Story], *, channel: str, verified: bool = False
) -> list[tuple[Story, StoryAsRead]]:
    """Each story of `stories` (from `readable_stories`, filtered) this reader may read, as
    `read_story` reads it (`verified` likewise), in a few queries whatever their number; the
    reads are logged together."""
    found = [(story, _reading(access, story, verified)) for story in stories]
    rows = [(story, reading, held) for story, (reading, held) in found if reading is not None]
    provinces = provinces_by_id(story.area for story, reading, _h in rows if reading != STORY_FULL)
    read = [
        (story, _as_read(access, story, reading, provinces, held)) for story, reading, held in rows
    ]
    logs = [log for story, reading, _h in rows if (log := _log(access, story, reading, channel))]
    if logs:
        StoryRead.objects.bulk_create(logs)
    return read
