"""Demo data (fictitious): a mid-term revision of the national plan (docs/revisions.md).

Version 2 follows the plan's mid-term review: it rewords an outcome, drops one indicator (kept
with its figures) and raises a target; approved a month after the review, so the periods over
by then keep the target that was in force. When the plan has a board with a current member
with an account on each side, the version requires its co-signature and carries it: one
government and one civil-society member sign the draft as it finally stands, a few days before
the approval.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.boards.models import BoardMember, Side, VersionSignature
from wpsmonitor.boards.services import version_sign
from wpsmonitor.demo.reporting import admin_ensure
from wpsmonitor.indicators.models import TOTAL_CELL, Direction, Indicator, IndicatorKind, Target
from wpsmonitor.indicators.services import target_set
from wpsmonitor.plans.models import FrameworkNode, Plan, PlanVersion, VersionStatus
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


def _cosigners(plan: Plan) -> list[BoardMember]:
    """A current member with an account on each side of the plan's board (none if a side
    has no such member: the version then does not require the co-signature)."""
    today = timezone.localdate()
    seats = []
    for side in (Side.GOVERNMENT, Side.CIVIL_SOCIETY):
        seat = (
            BoardMember.objects.filter(
                board__plan=plan, side=side, user__isnull=False, since__lte=today
            )
            .exclude(until__lt=today)
            .order_by("pk")
            .first()
        )
        if seat is None:
            return []
        seats.append(seat)
    return seats


def _cosign(version: PlanVersion, seats: list[BoardMember], day: datetime.datetime) -> None:
    """The board's two signatures, dated a few days before the approval."""
    for seat in seats:
        assert seat.user is not None
        version_sign(by=seat.user, version=version)
    signed = day - datetime.timedelta(days=3)
    VersionSignature.objects.filter(version=version).update(at=signed)
    PlanVersion.objects.filter(pk=version.pk).update(board_cosigned_at=signed)
    version.refresh_from_db()


def revisions_load(plan: Plan) -> int:
    """Record version 2 of `plan` (version 1 is the plan as adopted); returns the number of
    changes it made (0 when the plan already has a second version)."""
    if (
        PlanVersion.objects.filter(plan=plan, number__gte=2)
        .exclude(status=VersionStatus.ABANDONED)
        .exists()
    ):
        return 0
    access = PlanAccess.load(admin_ensure()[0], plan)
    review = plan.reviews.filter(kind="midterm").order_by("-held_on").first()  # type: ignore[attr-defined]
    cosigners = _cosigners(plan)
    version = services.revision_prepare(
        access=access,
        kind="midterm",
        reason=REASON,
        review=review,
        board_cosign_required=bool(cosigners),
    )
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
    day = _approval_day(plan)
    if cosigners:
        _cosign(version, cosigners, day)
    services.revision_approve(access=access, version=version, at=day)
    return changes
