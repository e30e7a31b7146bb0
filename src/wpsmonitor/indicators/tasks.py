"""Background refresh of a plan's aggregates (django-tasks; the backend comes from settings.TASKS).

Writers call `request_refresh(plan)` after changing values, targets or the framework; the rebuild
runs after their transaction commits, off the request path.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from wpsmonitor.indicators.models import AggregateRun
from wpsmonitor.plans.models import Plan


@task()
def refresh_plan_aggregates(plan_id: int, indicator_ids: list[int] | None = None) -> int:
    """Rebuild one plan's aggregates (only those of `indicator_ids` and what derives from them,
    when given); returns the number of rows written (0 if the plan is gone)."""
    from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates

    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        return 0
    return rebuild_plan_aggregates(plan, indicators=indicator_ids)


def request_refresh(plan: Plan, indicators: Iterable[int] | None = None) -> None:
    """Enqueue a rebuild of the plan's aggregates once the current transaction commits.

    Name the indicators whose values changed to rebuild only them (and what derives from
    them): an approved submission reaches the dashboards in seconds, not minutes.
    """
    plan_id = plan.pk
    ids = None if indicators is None else sorted(set(indicators))
    AggregateRun.objects.update_or_create(
        plan_id=plan_id, defaults={"requested_at": timezone.now()}
    )
    transaction.on_commit(lambda: refresh_plan_aggregates.enqueue(plan_id, ids))
