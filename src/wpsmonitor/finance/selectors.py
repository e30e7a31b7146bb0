"""Reads over a plan's costs and budget lines."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from wpsmonitor.plans.models import FrameworkNode, Plan


@dataclass(frozen=True)
class FundingFacts:
    """What the plan quality scorecard asks of the money (counts; amounts need conversion)."""

    actions: int
    actions_costed: int
    actions_with_funding_source: int
    actions_with_allocation: int


def plan_funding_facts(plan: Plan) -> FundingFacts:
    counts = FrameworkNode.objects.filter(plan=plan, level__holds_actions=True).aggregate(
        actions=Count("pk", distinct=True),
        costed=Count("pk", filter=Q(costs__isnull=False), distinct=True),
        funded=Count("pk", filter=Q(budget_lines__isnull=False), distinct=True),
        allocated=Count("pk", filter=Q(budget_lines__allocated__gt=0), distinct=True),
    )
    return FundingFacts(
        actions=counts["actions"],
        actions_costed=counts["costed"],
        actions_with_funding_source=counts["funded"],
        actions_with_allocation=counts["allocated"],
    )
