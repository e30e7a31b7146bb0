"""Lists of stories, as one reader may read them (docs/stories.md, "Who reads what").

Every story a list shows goes out through `reading.read_story`, which logs the read: a list
reads (and logs) only the stories it shows, after the filters and the page are applied.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.stories.models import Story, StoryStatus
from wpsmonitor.stories.reading import StoryAsRead, read_story


@dataclass(frozen=True)
class StoryList:
    count: int  # the stories the reader may read, all pages
    items: list[StoryAsRead]  # this page, each read (and logged) through read_story


def _candidates(access: PlanAccess, status: str, kind: str) -> QuerySet[Story]:
    """The plan's stories that this reader might read: the rule itself (story_reading) decides;
    this only spares it the drafts and restricted stories of other holders."""
    found = Story.objects.filter(plan_id=access.plan.pk)
    mine = Q(holder_id__in=access.story_organisations())
    others = ~Q(status=StoryStatus.DRAFT) & ~Q(sensitivity="restricted")
    if access.user.is_authenticated:
        others |= Q(sensitivity="restricted", named_readers=access.user.pk) & ~Q(
            status=StoryStatus.DRAFT
        )
    found = found.filter(mine | others)
    if status:
        found = found.filter(status=status)
    if kind:
        found = found.filter(kind=kind)
    return (
        found.distinct()
        .select_related("holder", "area")
        .prefetch_related("consents", "named_readers")
    )


def stories_for(
    access: PlanAccess,
    *,
    channel: str,
    status: str = "",
    kind: str = "",
    offset: int = 0,
    limit: int | None = None,
    verified: bool = False,
) -> StoryList:
    """The stories of the plan this reader may read, newest first, filtered by status and kind,
    one page of them (`offset`, `limit`; all when `limit` is None) read through read_story
    (`verified`: whether the reader proved a second factor; unproven, sensitive ones coarse)."""
    readable = [s for s in _candidates(access, status, kind) if access.story_reading(s)]
    page = readable[offset:] if limit is None else readable[offset : offset + limit]
    items = [read_story(access, s, channel=channel, verified=verified) for s in page]
    return StoryList(count=len(readable), items=[r for r in items if r is not None])


def link_choices(
    access: PlanAccess,
) -> tuple[list[FrameworkNode], list[Indicator], list[Recommendation]]:
    """What a story of the plan may be linked to by this user: the plan's pillars, outcomes
    and actions, in the tree's order, the plan's indicators they may see, and the plan's
    recommendations (accountability), in the order they were issued."""
    plan = access.plan
    nodes = list(FrameworkNode.objects.filter(plan=plan).order_by("path", "order", "code"))
    indicators = list(
        Indicator.objects.filter(plan=plan).exclude(access.hidden_indicators()).order_by("code")
    )
    recommendations = list(Recommendation.objects.filter(plan=plan).order_by("issued_on", "pk"))
    return nodes, indicators, recommendations
