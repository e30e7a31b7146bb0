"""Lists of stories, as one reader may read them (docs/stories.md, "Who reads what").

Every story a list shows goes out through `reading.read_story`, which logs the read: a list
reads (and logs) only the stories it shows, after the filters and the page are applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.stories.models import (
    RoundStatus,
    SelectionRound,
    Story,
    StoryStatus,
    WithdrawalNotice,
)
from wpsmonitor.stories.reading import StoryAsRead, read_story
from wpsmonitor.stories.selection import round_title


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


# --- what waits for a user ("What to do now", portal/tasks.py) ------------------------------


@dataclass(frozen=True)
class RoundTask:
    selection_round: SelectionRound
    title: str  # the round's title in the active language
    choices: int  # the choices recorded so far


@dataclass
class RoundTasks:
    # Open rounds whose panel the user sits on (with an account, a member of the plan).
    to_choose: list[RoundTask] = field(default_factory=list)
    # Open rounds the user decides: the coordinators, for every open round of the plan (a
    # panel without accounts chooses through them).
    to_decide: list[RoundTask] = field(default_factory=list)


def round_tasks(access: PlanAccess) -> RoundTasks:
    """The plan's open selection rounds waiting for this user, until they are decided: the
    coordinators decide them all; a member of a panel chooses in it (docs/stories.md,
    "Selection rounds")."""
    found = RoundTasks()
    if not access.is_member and not access.admin:
        return found
    rounds = (
        SelectionRound.objects.filter(plan_id=access.plan.pk, status=RoundStatus.OPEN)
        .select_related("plan", "area")
        .prefetch_related("panel")
        .annotate(recorded=Count("choices"))
        .order_by("period", "level", "pk")
    )
    deciding = access.can_manage_selection_rounds()
    for selection_round in rounds:
        task = RoundTask(selection_round, round_title(selection_round), selection_round.recorded)
        if deciding:
            found.to_decide.append(task)
        elif access.can_choose_in(selection_round):
            found.to_choose.append(task)
    return found


def withdrawal_notices(access: PlanAccess) -> list[WithdrawalNotice]:
    """The plan's published reports that still print a story whose consent was withdrawn, not
    yet generated again or kept: the coordinators' (`can_settle_withdrawal_notices`)."""
    if not access.can_settle_withdrawal_notices():
        return []
    return list(
        WithdrawalNotice.objects.filter(plan_id=access.plan.pk, outcome="")
        .select_related("story")
        .order_by("created_at", "pk")
    )
