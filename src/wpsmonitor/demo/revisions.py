"""Demo data (fictitious): a mid-term revision of the national plan (docs/revisions.md).

Version 2 follows the plan's mid-term review: it rewords an outcome, drops one indicator (kept
with its figures) and raises a target; approved a month after the review, so the periods over
by then keep the target that was in force.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.demo.reporting import admin_ensure
from wpsmonitor.indicators.models import TOTAL_CELL, Direction, Indicator, IndicatorKind, Target
from wpsmonitor.indicators.services import target_set
from wpsmonitor.plans.models import FrameworkNode, Plan, PlanVersion
from wpsmonitor.plans.services import node_update
from wpsmonitor.revisions import services

REASON = (
    "Demo (fictitious): the mid-term review found the participation outcome too narrow and one "
    "indicator impossible to measure; the ministry's budget allows a higher final target."
)
REWORDED_SUFFIX = " (reworded at mid-term)"
RAISE = 1.25


def _approval_day(plan: Plan) -> datetime.datetime:
    review = plan.reviews.filter(kind="midterm").order_by("-held_on").first()  # type: ignore[attr-defined]
    day = review.held_on + datetime.timedelta(days=30) if review else timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def revisions_load(plan: Plan) -> int:
    """Record version 2 of `plan` (version 1 is the plan as adopted); returns the number of
    changes it made (0 when the plan already has a second version)."""
    if PlanVersion.objects.filter(plan=plan, number__gte=2).exists():
        return 0
    access = PlanAccess.load(admin_ensure()[0], plan)
    review = plan.reviews.filter(kind="midterm").order_by("-held_on").first()  # type: ignore[attr-defined]
    version = services.revision_prepare(access=access, kind="midterm", reason=REASON, review=review)
    changes = 0
    outcome = FrameworkNode.objects.filter(plan=plan, level__depth=2).order_by("path").first()
    if outcome is not None:
        node_update(
            node=outcome, title=outcome.title[: 500 - len(REWORDED_SUFFIX)] + REWORDED_SUFFIX
        )
        changes += 1
    own = Indicator.objects.filter(plan=plan, owner_organisation__isnull=True, retired_in=None)
    target = (
        Target.objects.filter(
            indicator__in=own,
            area=plan.area,
            cell__code=TOTAL_CELL,
            value__gt=0,
            indicator__direction=Direction.INCREASE,
            indicator__kind=IndicatorKind.NUMBER,
        )
        .select_related("indicator", "period")
        .order_by("-period__end", "indicator__code")
        .first()
    )
    if target is not None and target.value is not None:
        target_set(
            indicator=target.indicator,
            period=target.period,
            value=round(target.value * RAISE),
            area=plan.area,
            comment="Demo (fictitious): raised at the mid-term review",
        )
        changes += 1
    if target is not None:
        own = own.exclude(pk=target.indicator_id)
    dropped = own.filter(share_indicators=None, localisations=None).order_by("-code").first()
    if dropped is not None:
        services.indicator_drop(access=access, version=version, indicator=dropped)
        changes += 1
    services.revision_approve(access=access, version=version, at=_approval_day(plan))
    return changes
