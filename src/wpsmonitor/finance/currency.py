"""The plan's reporting currency."""

from __future__ import annotations

from wpsmonitor.finance.models import PlanFinance
from wpsmonitor.plans.models import Plan

# Until the coordinator chooses another.
DEFAULT_CURRENCY = "USD"


def plan_currency(plan: Plan) -> str:
    """The plan's reporting currency (USD until the coordinator chooses another)."""
    found = PlanFinance.objects.filter(plan=plan).values_list("currency", flat=True).first()
    return found or DEFAULT_CURRENCY
