"""A reporting-cycle plan (users in every role) costed and budgeted through the services, with
figures small enough to check by hand.

Plan nap-3 (2024-2027), currency USD; rates EUR 2024 = 1.10, CDF 2024 = 0.0004 (no EUR rate for
2025 or 2026). Every action is the Ministry of Gender's except P2.O1.1.A2, the police's.

Costs
| action      | year | item                | amount            | in USD            |
|-------------|------|---------------------|-------------------|-------------------|
| P1.O1.1.A1  | 2024 | 100 x 10            | 1,000 USD         | 1,000             |
| P1.O1.1.A1  | 2025 | lump sum            | 500 EUR           | not converted     |
| P1.O1.1.A2  | 2024 | lump sum            | 2,000 EUR         | 2,200             |
| P2.O1.1.A1  | 2024 | 2,500,000 x 2       | 5,000,000 CDF     | 2,000             |

Budget lines (allocated / committed / disbursed / spent, in USD after conversion)
| line | action     | year | kind            | funder    | currency | amounts                 | earmarked | marker |
|------|------------|------|-----------------|-----------|----------|-------------------------|-----------|--------|
| L1   | P1.O1.1.A1 | 2024 | national_budget | mogender  | USD      | 600 / 500 / 400 / 300   | yes       | 1      |
| L2   | P1.O1.1.A2 | 2024 | donor           | donor-org | EUR      | 1,100 / - / - / 550     | yes       | 2      |
| L3   | P2.O1.1.A1 | 2024 | national_budget | mogender  | CDF      | 1,000 / - / - / 100     | no        | -      |
| L4   | P2.O1.1.A2 | 2026 | un              | un-org    | EUR      | not converted (300 EUR) | no        | 2      |
| L5   | P2.O1.1.A1 | 2025 | national_budget | -         | USD      | 400 / - / - / -         | no        | 0      |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from tests.reporting.conftest import Cycle, build_cycle

from wpsmonitor.directory.models import Organisation, OrganisationType
from wpsmonitor.finance import services
from wpsmonitor.finance.models import ActionCost, BudgetLine
from wpsmonitor.plans.models import FrameworkNode

COSTS: list[dict[str, Any]] = [
    {"action": "P1.O1.1.A1", "year": 2024, "item": "Training", "currency": "USD",
     "unit_cost": 100, "quantity": 10},
    {"action": "P1.O1.1.A1", "year": 2025, "item": "Venue", "currency": "EUR", "lump_sum": 500},
    {"action": "P1.O1.1.A2", "year": 2024, "item": "Study", "currency": "EUR", "lump_sum": 2000},
    {"action": "P2.O1.1.A1", "year": 2024, "item": "Shelter staff", "currency": "CDF",
     "unit_cost": 2500000, "quantity": 2},
]  # fmt: skip
LINES: list[dict[str, Any]] = [
    {"action": "P1.O1.1.A1", "year": 2024, "funding_kind": "national_budget",
     "funder": "mogender", "budget_code": "LF-01", "currency": "USD", "allocated": 600,
     "committed": 500, "disbursed": 400, "spent": 300, "earmarked": "yes", "gender_marker": 1},
    {"action": "P1.O1.1.A2", "year": 2024, "funding_kind": "donor", "funder": "donor-org",
     "currency": "EUR", "allocated": 1000, "spent": 500, "earmarked": True, "gender_marker": "2"},
    {"action": "P2.O1.1.A1", "year": 2024, "funding_kind": "national_budget",
     "funder": "mogender", "currency": "CDF", "allocated": 2500000, "spent": 250000},
    {"action": "P2.O1.1.A2", "year": 2026, "funding_kind": "un", "funder": "un-org",
     "currency": "EUR", "allocated": 300, "gender_marker": "2"},
    {"action": "P2.O1.1.A1", "year": 2025, "funding_kind": "national_budget",
     "currency": "USD", "allocated": 400, "gender_marker": "0"},
]  # fmt: skip


@dataclass
class Money:
    cycle: Cycle
    donor: Organisation
    un: Organisation

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.cycle.plan

    @property
    def users(self):  # type: ignore[no-untyped-def]
        return self.cycle.users

    def line(self, action: str, year: int) -> BudgetLine:
        return BudgetLine.objects.get(action__plan=self.plan, action__code=action, year=year)

    def cost(self, action: str, year: int) -> ActionCost:
        return ActionCost.objects.get(action__plan=self.plan, action__code=action, year=year)


def build_money(cycle: Cycle | None = None) -> Money:
    cycle = cycle or build_cycle()
    plan = cycle.plan
    FrameworkNode.objects.filter(plan=plan, code="P2.O1.1.A2").update(
        responsible_organisation=cycle.police
    )
    donor, _ = Organisation.objects.get_or_create(
        code="donor-org", defaults={"name": "A Donor Agency", "type": OrganisationType.DONOR}
    )
    un, _ = Organisation.objects.get_or_create(
        code="un-org", defaults={"name": "UN Agency", "type": OrganisationType.UN}
    )
    coordinator = cycle.users["coordinator"]
    services.plan_currency_set(by=coordinator, plan=plan, currency="USD")
    services.finance_rows_apply(
        by=coordinator,
        plan=plan,
        rates=[
            (1, {"currency": "EUR", "year": 2024, "rate": "1.10", "source": "test"}),
            (2, {"currency": "CDF", "year": 2024, "rate": "0.0004"}),
        ],
        costs=list(enumerate(COSTS)),
        lines=list(enumerate(LINES)),
    )
    return Money(cycle, donor, un)


@pytest.fixture
def money(db: None) -> Money:
    return build_money()
