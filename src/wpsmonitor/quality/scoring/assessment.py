"""A plan's scorecard: every criterion, family by family, in the order they are shown."""

from __future__ import annotations

from collections.abc import Callable

from wpsmonitor.plans.models import Plan
from wpsmonitor.quality.scoring import content, oecd, wilpf
from wpsmonitor.quality.scoring.card import Context, Criterion, Scorecard
from wpsmonitor.quality.scoring.facts import PlanFacts, load_facts

CRITERIA: list[Callable[[Context], Criterion]] = [
    *oecd.CRITERIA,
    *wilpf.CRITERIA,
    *content.CRITERIA,
]


def assess(facts: PlanFacts) -> Scorecard:
    ctx = Context(facts)
    return Scorecard(plan=facts.plan, criteria=[criterion(ctx) for criterion in CRITERIA])


def plan_scorecard(plan: Plan) -> Scorecard:
    return assess(load_facts([plan])[plan.pk])
